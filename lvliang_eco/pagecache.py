"""The dashboards' rendered content, kept per data version and per visibility.

Every dashboard page (overview, 各县对比, county, indicator, investment, 数据核对) renders its
main content from the stored results and values; that content is kept in Django's cache under
a key made of the page's path and query, the viewer's visibility (role, own county, data scope:
counties.access.Visibility) and the data version. The header, the messages and the CSRF token
are rendered for each request around it, so no user ever receives another's page: two viewers
share cached content only when they see exactly the same data.

The data version (lvliang_eco.models.DataVersion, a random token) is renewed inside the writing
transaction by
  * data_changed(), which the bulk writers call (submissions.services.report_save, the one
    write path of values and project progress that the seed and demo loaders use too;
    indicators.results' refresh and rebuild; evidence deletion; the demo's milestones), and
  * a post_save / post_delete / m2m_changed receiver on every model of the project's apps
    (admin edits, workflow steps, standards, areas, investment rows) and on the groups and
    group memberships that make the users' roles, connect_signals().
A reader that took the old version before a write committed caches under that old key, which
no request asks for once the new version is visible. The tests clear the cache before each
test (their rolled-back transactions return to earlier tokens with other data).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from contextvars import ContextVar

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import connection
from django.db.models import signals
from django.http import HttpRequest

# The marks base.html puts around the content block: what is kept.
START, END = "<!--content-->", "<!--/content-->"
# The project's apps, whose models' saves and deletes change the version.
PROJECT_APPS = ("counties", "indicators", "projects", "submissions")
# Written only in bulk, by writers that call data_changed() themselves (a receiver would also
# make Django fetch every row before deleting it), or shown on no dashboard.
BULK_ONLY = {
    "indicators.assessmentresult",
    "indicators.areayearresult",
    "indicators.indicatorvalue",  # submissions.services.report_save
    "projects.projectprogress",  # submissions.services.report_save
    "submissions.valuechange",  # written beside the changes it records
    "submissions.upload",  # a preview's record: no dashboard shows it
}


def data_version() -> int:
    """The current data version, a token (0 before any change). One query, written out: it
    runs on every request, and building it through the ORM cost twice its round trip."""
    from django.db import connection

    from .models import DataVersion

    table = connection.ops.quote_name(DataVersion._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT token FROM {table} WHERE id = 1")
        found = cursor.fetchone()
    return found[0] if found else 0


# The data version as this request read it (an empty list until read); None outside a
# request. Set and cleared by request_started / request_finished (connect_signals()).
_REQUEST_VERSION: ContextVar[list[int] | None] = ContextVar("request_version", default=None)


def _request_started(**_signal) -> None:
    _REQUEST_VERSION.set([])


def _request_finished(**_signal) -> None:
    _REQUEST_VERSION.set(None)


def current_version() -> int:
    """The data version, read once per request and again after the request's own writes
    (data_changed() forgets it); outside a request (commands, the worker) read on every call.
    One query or none."""
    held = _REQUEST_VERSION.get()
    if held is None:
        return data_version()
    if not held:
        held.append(data_version())
    return held[0]


def data_changed(**_signal) -> None:
    """Give the data a new version (a random token): every page cached before is stale. One
    query (two the first time). Also the receiver of the model signals connect_signals()
    connects."""
    from .models import DataVersion

    held = _REQUEST_VERSION.get()
    if held:
        held.clear()
    token = secrets.randbits(62) + 1
    if not DataVersion.objects.filter(pk=1).update(token=token):
        DataVersion.objects.update_or_create(pk=1, defaults={"token": token})


def connect_signals() -> None:
    """Bump the version on every save, delete and many-to-many change of the project's models
    (BULK_ONLY aside), and of the groups and group memberships that make the users' roles
    (counties.roles keeps each user's groups per data version); keep the version read per
    request. Called once from the app's ready()."""
    from django.contrib.auth.models import Group, User

    request_started.connect(_request_started, dispatch_uid="pagecache-request-started")
    request_finished.connect(_request_finished, dispatch_uid="pagecache-request-finished")
    memberships = User.groups.through
    for model, uid in ((Group, "pagecache-auth-group"), (memberships, "pagecache-auth-member")):
        signals.post_save.connect(data_changed, sender=model, dispatch_uid=uid + "-save")
        signals.post_delete.connect(data_changed, sender=model, dispatch_uid=uid + "-delete")
    signals.m2m_changed.connect(data_changed, sender=memberships, dispatch_uid="pagecache-groups")
    for model in apps.get_models(include_auto_created=True):
        if model._meta.app_label not in PROJECT_APPS or model._meta.label_lower in BULK_ONLY:
            continue
        uid = f"pagecache-{model._meta.label_lower}"
        signals.post_save.connect(data_changed, sender=model, dispatch_uid=uid + "-save")
        signals.post_delete.connect(data_changed, sender=model, dispatch_uid=uid + "-delete")
        if model._meta.auto_created:
            continue
        for m2m in model._meta.local_many_to_many:
            signals.m2m_changed.connect(
                data_changed, sender=m2m.remote_field.through, dispatch_uid=uid + m2m.name
            )


def request_version(request: HttpRequest) -> int:
    """The data version, read once per request (at its first use, after the request's own
    writes: the dashboards write nothing)."""
    if not hasattr(request, "_data_version"):
        request._data_version = current_version()
    return request._data_version


def _visibility_parts(request: HttpRequest, vis) -> tuple:
    """What makes two viewers' content differ: the visibility (what counties.access.Visibility
    makes of role, county and scope; its approved county-years follow from the data, hence
    from the version) and whether the viewer is staff (the 数据核对 page's admin links)."""
    if vis is None:
        return ()
    return (
        vis.everything, vis.own_area_id, tuple(sorted(vis.city_ids)), vis.approved_results,
        vis.approved_only, request.user.is_staff,
    )  # fmt: skip


def _key(kind: str, parts: tuple, version: int) -> str:
    digest = hashlib.sha256(repr((connection.alias, *parts)).encode()).hexdigest()[:32]
    return f"{kind}:{version}:{digest}"


def page_key(request: HttpRequest, vis, version: int, choices: tuple = ()) -> str:
    """The cache key of this request's page content: path, sorted query, `choices` (what the
    view resolved from the query and the session, such as the year), the viewer's visibility
    (_visibility_parts) and the version."""
    query = tuple(sorted((k, tuple(v)) for k, v in request.GET.lists()))
    return _key("page", (request.path, query, choices, _visibility_parts(request, vis)), version)


_MISSING = object()


def kept(request: HttpRequest, vis, name: str, compute: Callable[[], object]):
    """`compute()`, kept per data version and viewer (`vis`; None: the same for everyone) under
    `name`: what every page's header reads (the years with data, the data's date), which
    otherwise scans every value on every request."""
    if not settings.PAGE_CACHE_SECONDS:
        return compute()
    key = _key(name, _visibility_parts(request, vis), request_version(request))
    found = cache.get(key, _MISSING)
    if found is _MISSING:
        found = compute()
        cache.set(key, found, settings.PAGE_CACHE_SECONDS)
    return found


def cached_content(
    request: HttpRequest,
    vis,
    render_page: Callable[[], object],
    render_cached: Callable,
    *,
    choices: tuple = (),
):
    """The response of a dashboard page whose content is cached: on a hit,
    `render_cached(content)` (the page's template with the kept content); on a miss,
    `render_page()` (the full render), whose content between base.html's marks is kept for
    PAGE_CACHE_SECONDS (0: nothing is kept). Pages that answer anything but 200 are not
    kept. `choices` as page_key's."""
    if not settings.PAGE_CACHE_SECONDS:
        return render_page()
    key = page_key(request, vis, request_version(request), choices)
    content = cache.get(key)
    if content is not None:
        return render_cached(content)
    response = render_page()
    html = response.content.decode()
    start, end = html.find(START), html.find(END)
    if response.status_code == 200 and 0 <= start < end:
        cache.set(key, html[start + len(START) : end], settings.PAGE_CACHE_SECONDS)
    return response
