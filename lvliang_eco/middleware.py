"""Chinese error pages in every mode; the idle timeout of sessions.

With DEBUG on (`make run`, the demo), Django answers a missing page with its English technical
page listing every URL; the bureau's staff read Chinese. The same 404 page as in production is
shown instead (the technical page helps a developer, who can read the log line).
"""

import time

from django.conf import settings
from django.shortcuts import render

# The session key of IdleSessionMiddleware: when the session's expiry was last renewed.
REFRESHED = "_idle_refreshed"


class ChineseNotFoundMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        technical = response.status_code == 404 and settings.DEBUG
        if technical and response.get("Content-Type", "").startswith("text/html"):
            return render(request, "404.html", status=404)
        return response


class IdleSessionMiddleware:
    """Renews the idle timeout of a logged-in session at most once a minute; listed just after
    Django's SessionMiddleware, which saves the session after it.

    SESSION_SAVE_EVERY_REQUEST would write the session row (and commit) on every request, the
    largest cost of a dashboard page served from the kept content. Instead the session records
    when its expiry was last renewed (REFRESHED, epoch seconds) and is marked for saving, with
    a new expiry and cookie, once SESSION_REFRESH_SECONDS have passed: a session still ends at
    most SESSION_COOKIE_AGE after its last request, and at least SESSION_COOKIE_AGE −
    SESSION_REFRESH_SECONDS after it."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = request.session
        if session.accessed and not session.is_empty():
            now = int(time.time())
            stale = now - session.get(REFRESHED, 0) >= settings.SESSION_REFRESH_SECONDS
            if session.modified or stale:  # saved either way: the stamp goes with it
                session[REFRESHED] = now
        return response
