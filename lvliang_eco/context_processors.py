from django.http import HttpRequest

from counties.roles import role_of


def role(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"role": None}
    return {"role": role_of(user)}
