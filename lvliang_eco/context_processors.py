from django.http import HttpRequest

from counties.roles import role_of
from lvliang_eco.demo import demo_exists


def role(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"role": None, "demo_data": False}
    return {"role": role_of(user), "demo_data": demo_exists()}
