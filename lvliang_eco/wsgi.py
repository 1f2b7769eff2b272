"""WSGI entry point for gunicorn (deploy/lvliang-eco.service).

gunicorn runs no system checks; the ones that would make every page fail (static files not
collected, templates not found) are run here, so that the service stops at start with the
reason in its log instead of answering 500."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lvliang_eco.settings")
application = get_wsgi_application()


def _refuse_to_start_when_broken() -> None:
    from django.core.exceptions import ImproperlyConfigured

    from lvliang_eco.checks import static_collected, templates_present

    errors = [*static_collected(), *templates_present()]
    if errors:
        raise ImproperlyConfigured("\n".join(f"{e.msg} {e.hint}" for e in errors))


_refuse_to_start_when_broken()
