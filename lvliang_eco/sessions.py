"""The session store: Django's database sessions (django.contrib.sessions.backends.db), with
the one read every logged-in request makes written out as SQL. Built through the ORM, that
read cost three times its round trip on a kept page; what it selects and when a session counts
as expired are Django's own."""

from __future__ import annotations

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone


class SessionStore(db.SessionStore):
    """Django's database session store; `load` reads the session's data in one plain query."""

    def load(self) -> dict:
        """The session's data, or {} (and no session key) when it does not exist or has
        expired, as Django's load(). One query."""
        model = self.model
        connection = connections[router.db_for_read(model)]
        table = connection.ops.quote_name(model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT session_data FROM {table} WHERE session_key = %s AND expire_date > %s",
                [self.session_key, connection.ops.adapt_datetimefield_value(timezone.now())],
            )
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return {}
        return self.decode(row[0])
