from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from counties import access
from counties.roles import role_of
from jobs.services import active_jobs
from lvliang_eco import pagecache
from lvliang_eco.demo import demo_exists


def role(request: HttpRequest) -> dict:
    """The viewer's role and, on pages that show reported data (the views set
    `request.data_visibility`), what the figures include and how recent they are."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"role": None, "demo_data": False, "may": {}}
    context = {
        "role": role_of(user),
        "demo_data": pagecache.kept(request, None, "demo", demo_exists),
        # what the menus offer, as counties/access.py decides it
        "may": {
            "read_citywide": access.can_read_citywide(user),
            "use_admin": access.can_use_admin(user),
            "review": access.can_review(user),
            "report": access.assigned_area_id(user) is not None or access.can_review(user),
            "jobs": access.can_run_jobs(user),
        },
        # the banner while a rebuild or a large import runs (kept per data version)
        "active_jobs": SimpleLazyObject(lambda: pagecache.kept(request, None, "jobs", active_jobs)),
    }
    vis = getattr(request, "data_visibility", None)
    if vis is not None:
        from lvliang_eco.selectors import data_as_of

        context["data_vis"] = vis
        context["data_as_of"] = SimpleLazyObject(
            lambda: pagecache.kept(request, vis, "as_of", lambda: data_as_of(vis))
        )
    return context
