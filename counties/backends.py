"""Authentication: Django's own, except that demo logins are refused whenever DEBUG is off, and
that a request's user comes with its county and role in one query."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

logger = logging.getLogger(__name__)


class AccountBackend(ModelBackend):
    """ModelBackend that refuses the demo logins (group 演示账号) outside a demo: their password
    is published in the README and printed by `make run`."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None and not settings.DEBUG and is_demo_login(user):
            logger.warning("demo login refused with DEBUG off: user=%s", user.get_username())
            return None
        return user

    def get_user(self, user_id):
        """The logged-in user of a request, with their county assignment read in the same
        query (every page asks for it). Their role is read when first asked
        (counties.roles.role_of, one small query): a single query annotating every role's
        membership costs more to build than the two together."""
        model = get_user_model()
        try:
            user = model._default_manager.select_related("county_assignment__area").get(pk=user_id)
        except model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


def is_demo_login(user) -> bool:
    """Whether the user is one of the demo logins that create_demo_users makes."""
    from .services import DEMO_GROUP

    return user.groups.filter(name=DEMO_GROUP).exists()
