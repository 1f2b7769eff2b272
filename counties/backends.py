"""Authentication: Django's own, except that demo logins are refused whenever DEBUG is off, and
that a request's county assignment is kept per data version."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from .models import CountyAssignment
from .roles import user_kept

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
        """The logged-in user of a request, read afresh (so that a deactivated account or a
        changed password counts at once), with their county assignment (every page asks for
        it) kept per data version (roles.user_kept: an assignment's or its county's change
        renews the version). Queries: the user; the assignment only when not kept."""
        model = get_user_model()
        try:
            user = model._default_manager.get(pk=user_id)
        except model.DoesNotExist:
            return None
        if not self.user_can_authenticate(user):
            return None
        assignment = user_kept(user, "assignment", lambda: _assignment(user))
        model._meta.get_field("county_assignment").set_cached_value(user, assignment)
        if assignment is not None:
            CountyAssignment._meta.get_field("user").set_cached_value(assignment, user)
        return user


def _assignment(user) -> CountyAssignment | None:
    return CountyAssignment.objects.select_related("area").filter(user_id=user.pk).first()


def is_demo_login(user) -> bool:
    """Whether the user is one of the demo logins that create_demo_users makes."""
    from .services import DEMO_GROUP

    return user.groups.filter(name=DEMO_GROUP).exists()
