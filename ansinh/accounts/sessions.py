"""Session engine (``SESSION_ENGINE``): Django's database sessions, with the session read on every signed-in
request written as one hand-written query (Django's documented way to extend the database engine)."""

from django.contrib.sessions.backends import db
from django.db import connection
from django.utils import timezone

from ansinh.core.db import sql_columns, sql_instance, sql_table


class SessionStore(db.SessionStore):
    """``django.contrib.sessions.backends.db.SessionStore``; only the read differs."""

    def _get_session_from_db(self):
        """The unexpired session row of this key, or None (the key is then forgotten, as Django does):
        ``Session.objects.get(session_key=…, expire_date__gt=now)``, whose building costs more than its
        running on every request."""
        model = self.model
        names, columns = sql_columns(model, "s")
        expire = model._meta.get_field("expire_date")
        key = self.session_key
        row = None
        if key and key.isascii() and key.isalnum():  # Django's keys are letters and digits; others name nothing
            # (and a NUL byte would make PostgreSQL refuse the query)
            sql = (f"SELECT {columns} FROM {sql_table(model)} s WHERE s.{connection.ops.quote_name('session_key')} = %s "
                   f"AND s.{connection.ops.quote_name(expire.column)} > %s")
            with connection.cursor() as cursor:
                cursor.execute(sql, [key, expire.get_db_prep_value(timezone.now(), connection)])
                row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        return sql_instance(model, names, row)
