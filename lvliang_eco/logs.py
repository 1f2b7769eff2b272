"""Logging helpers: refusals as one greppable line.

Django logs a refused request (403 PermissionDenied, 404 Http404) on `django.request` with the
exception's traceback attached. For an operator that is noise: the refusal is expected, only
who was refused what, and why, matters. This filter keeps the record, drops the traceback and
appends the reason and the user, e.g.

    2025-03-01 10:00:00,123 WARNING django.request Forbidden (Permission denied): /counties/141122/
    reason="只能查看本县（市、区）的数据" user=bob-jiaocheng
"""

from __future__ import annotations

import logging


class OneLineRefusals(logging.Filter):
    """Turn 4xx records of django.request into one line; leave everything else alone."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if record.name != "django.request" or status is None or status >= 500:
            return True
        reason = ""
        if record.exc_info and record.exc_info[1] is not None:
            reason = " ".join(str(record.exc_info[1]).split())
        record.exc_info = None
        record.exc_text = None
        request = getattr(record, "request", None)
        user = getattr(request, "user", None)
        username = user.get_username() if user is not None and user.is_authenticated else "-"
        record.msg = f"{record.getMessage()} status={status} reason={reason!r} user={username}"
        record.args = ()
        return True
