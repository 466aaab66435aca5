"""The session engine reads sessions by hand-written SQL: an expired or unknown key gives an empty session
(and a new key on save), a live one its data."""

import datetime

from django.contrib.sessions.models import Session
from django.utils import timezone

from ansinh.accounts.sessions import SessionStore


def test_a_saved_session_is_read_back(db):
    store = SessionStore()
    store["_auth_user_id"] = "7"
    store.save()
    again = SessionStore(session_key=store.session_key)
    assert again["_auth_user_id"] == "7"
    assert again.session_key == store.session_key


def test_an_expired_session_reads_empty_and_its_key_is_dropped(db):
    store = SessionStore()
    store["_auth_user_id"] = "7"
    store.save()
    Session.objects.filter(session_key=store.session_key).update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    again = SessionStore(session_key=store.session_key)
    assert again.load() == {}
    assert again.session_key is None


def test_an_unknown_or_malformed_key_reads_empty(db):
    assert SessionStore(session_key="x" * 32).load() == {}
    assert SessionStore(session_key="short").load() == {}
    assert SessionStore(session_key=None).load() == {}


def test_a_session_cookie_with_a_nul_byte_or_other_signs_is_no_session(db, client):
    """Such a key never names a session (Django's are letters and digits); PostgreSQL would refuse a NUL
    in the query, so it is not asked: the sign-in page opens."""
    for key in ("abcdefgh\x00ijk", "abcdefgh'; --", "ábcdefghijklmnop"):
        assert SessionStore(session_key=key).load() == {}
        client.cookies["sessionid"] = key
        assert client.get("/dang-nhap/").status_code == 200
