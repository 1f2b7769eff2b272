"""Chinese error pages in every mode.

With DEBUG on (`make run`, the demo), Django answers a missing page with its English technical
page listing every URL; the bureau's staff read Chinese. The same 404 page as in production is
shown instead (the technical page helps a developer, who can read the log line).
"""

from django.conf import settings
from django.shortcuts import render


class ChineseNotFoundMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        technical = response.status_code == 404 and settings.DEBUG
        if technical and response.get("Content-Type", "").startswith("text/html"):
            return render(request, "404.html", status=404)
        return response
