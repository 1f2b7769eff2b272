from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from counties.roles import role_of
from lvliang_eco.demo import demo_exists


def role(request: HttpRequest) -> dict:
    """The viewer's role and, on pages that show reported data (the views set
    `request.data_visibility`), what the figures include and how recent they are."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"role": None, "demo_data": False}
    context = {"role": role_of(user), "demo_data": demo_exists()}
    vis = getattr(request, "data_visibility", None)
    if vis is not None:
        from lvliang_eco.selectors import data_as_of

        context["data_vis"] = vis
        context["data_as_of"] = SimpleLazyObject(lambda: data_as_of(vis))
    return context
