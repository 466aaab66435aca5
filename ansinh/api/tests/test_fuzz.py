"""Property-based fuzzing of the whole API from its OpenAPI description (schemathesis), as each role, with a
browser session or a personal token: no server error, every status code is one the operation documents
(its error answers included: ``schemas.ERRORS``), every response conforms to its schema and content type,
and no response holds a record outside the caller's scope (another area's household codes, people's names
or citizen IDs). Every GET operation with an id in its path is also called with every id of the
small province (the role x scope matrix). Nothing outside the scope may be written.

It reads the description, so routers added later are fuzzed without changing this file. Deterministic
(derandomized Hypothesis, no example database), FUZZ_EXAMPLES examples per operation and role (positive
and negative data), so about 50 per operation in all; a few seconds per role on a quiet machine."""

import functools
import json
import re
import time

import pytest
import schemathesis
from django.core.cache import caches
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.core.handlers.wsgi import WSGIHandler
from django.utils.crypto import get_random_string
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance, response_schema_conformance, status_code_conformance,
)

pytestmark = pytest.mark.django_db(transaction=False)

FUZZ_EXAMPLES = 10
# (user, how it signs in): a collection agent, a group leader, an SI officer, an association officer, the
# province administrator.
ROLES = [("thu_1", "token"), ("chi_hoi", "session"), ("bhxh_huyen", "token"), ("hoi_huyen", "session"),
         ("quan_tri", "token")]
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance, content_type_conformance]


@pytest.fixture
def world(small_province, settings):
    """The small province plus an administrator, two more households in another district, and generous
    rate limits (the fuzzer makes many requests)."""
    import datetime

    from django.contrib.auth.models import User

    from ansinh.accounts.services import user_role_assign
    from ansinh.areas.models import AdministrativeUnit, Level, MapVersion
    from ansinh.testing.province import make_household, make_person

    settings.ANSINH_API_TOKEN_RATE = (1_000_000, 60)
    settings.ANSINH_API_AUTH_FAILURE_RATE = (1_000_000, 900)
    caches["ratelimit"].clear()
    province = AdministrativeUnit.objects.get(map=MapVersion.NEW, level=Level.PROVINCE, code="92")
    admin = User.objects.create_user(username="quan_tri", password="x")
    user_role_assign(user=admin, role="province_admin", area=province)
    small_province.users["quan_tri"] = User.objects.get(pk=admin.pk)
    officer = User.objects.create_user(username="hoi_huyen", password="x")
    user_role_assign(user=officer, role="association_officer", area=small_province.district)
    small_province.users["hoi_huyen"] = User.objects.get(pk=officer.pk)
    far = make_person(name="Võ Thị Xa", born=datetime.date(1980, 5, 5), sex="female",
                      commune=small_province.other_commune, cid="093180000009", phone="0912345678")
    make_household(code="HG-0003", commune=small_province.other_commune, agent=None, people=[(far, "head")])
    elsewhere = AdministrativeUnit.objects.create(map=MapVersion.NEW, level=Level.PROVINCE, code="99", name="Tỉnh khác")
    elsewhere.province = elsewhere
    elsewhere.save()
    commune = AdministrativeUnit.objects.create(map=MapVersion.NEW, level=Level.COMMUNE, code="99999", name="Xã Khác",
                                                parent=elsewhere, province=elsewhere)
    stranger = make_person(name="Đỗ Văn Ngoài", born=datetime.date(1975, 1, 1), sex="male", commune=commune,
                           cid="099075000010")
    make_household(code="KT-0001", commune=commune, agent=None, people=[(stranger, "head")])
    return small_province


def _outside(user):
    """Strings that must not appear in the user's answers: codes of households and names and citizen IDs
    (whole or masked) of people outside their scope."""
    from ansinh.accounts.services import households_in_scope, persons_in_scope
    from ansinh.core.masking import mask_citizen_id
    from ansinh.registry.models import Household, Person

    codes = set(Household.objects.exclude(pk__in=households_in_scope(user).values("pk")).values_list("code", flat=True))
    people = Person.objects.exclude(pk__in=persons_in_scope(user).values("pk"))
    markers = set(codes)
    for name, cid in people.values_list("full_name", "citizen_id"):
        markers |= {name, cid or name, mask_citizen_id(cid) if cid else name}
    return markers


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def _leaks(response, markers) -> set[str]:
    try:
        body = json.loads(response.content)
    except ValueError:  # a PDF or another non-JSON answer: look for the names in the bytes
        text = response.content.decode("utf-8", "ignore")
        return {m for m in markers if m in text}
    return {s for s in _strings(body) if s in markers} | {m for s in _strings(body) for m in markers
                                                          if len(m) > 6 and m in s}


def _written_outside(user) -> dict:
    """Counts of history and money rows of the records outside the user's scope (must not change)."""
    from ansinh.accounts.services import households_in_scope, persons_in_scope
    from ansinh.collection.models import Payment
    from ansinh.enrollment.models import HiParticipation, VsiParticipation
    from ansinh.registry.models import Household, HouseholdMember, Person

    households = Household.objects.exclude(pk__in=households_in_scope(user).values("pk")).values("pk")
    people = Person.objects.exclude(pk__in=persons_in_scope(user).values("pk")).values("pk")
    return {
        "households": Household.history.filter(id__in=households).count(),
        "people": Person.history.filter(id__in=people).count(),
        "members": HouseholdMember.history.filter(household_id__in=households).count(),
        "hi": HiParticipation.objects.filter(household_id__in=households).count(),
        "vsi": VsiParticipation.objects.filter(person_id__in=people).count(),
        "payments": Payment.objects.filter(hi__household_id__in=households).count()
        + Payment.objects.filter(vsi__person_id__in=people).count(),
    }


def _credentials(client, user, how):
    from ansinh.api.services import api_token_create

    if how == "token":
        import datetime

        from django.utils import timezone

        token, secret = api_token_create(user=user, name="fuzz", expires_on=timezone.localdate() + datetime.timedelta(days=5))
        return token, {"Authorization": f"Bearer {secret}"}
    client.force_login(user)
    csrf = get_random_string(32)
    cookie = f"sessionid={client.cookies['sessionid'].value}; csrftoken={csrf}"
    return None, {"X-CSRFToken": csrf, "Cookie": cookie}


def _id_path_operations(schema):
    for result in schema.get_all_operations():
        operation = result.ok()
        params = re.findall(r"{(\w+)}", operation.path)
        if operation.method.upper() == "GET" and len(params) == 1:
            yield operation, params[0]


@functools.cache
def _schema():
    """The API's description as served, read once per test session."""
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())


@pytest.fixture
def keep_connection():
    """Run the app as Django's test client does: the schema calls the WSGI handler directly, whose
    ``request_finished`` signal would close the test's database connection (``close_old_connections``)
    after a request that met a database error, and the test's transaction with it (PostgreSQL); Django's
    test client disconnects it from ``request_started`` and ``request_finished`` the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.parametrize("username, how", ROLES)
def test_fuzz_the_whole_api_as_each_role(client, world, keep_connection, username, how):
    from ansinh.api.models import ApiToken
    from ansinh.registry.models import Household, Person

    started = time.monotonic()
    schema = _schema()
    app = schema.app
    user = world.users[username]
    token, headers = _credentials(client, user, how)
    markers = _outside(user)
    assert markers  # every role has something outside its scope
    written_before = _written_outside(user)
    leaks: list[tuple[str, set]] = []

    def send(case):
        if token is not None:  # the fuzzer may revoke its own token through the API: keep it usable
            ApiToken.objects.filter(pk=token.pk).update(revoked_at=None, revoked_by=None)
        # The WSGI transport does not decompress: ask for plain bodies (gzip is tested in core/tests/test_gzip.py).
        response = case.call(app=app, headers={**headers, "Accept-Encoding": "identity"})
        case.validate_response(response, checks=CHECKS)
        found = _leaks(response, markers)
        if found:
            leaks.append((f"{case.operation.label} {case.formatted_path}", found))
        return response

    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 12
    for operation in operations:
        strategy = st.one_of(operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
                             operation.as_strategy(generation_mode=GenerationMode.NEGATIVE))

        @settings(max_examples=FUZZ_EXAMPLES, derandomize=True, database=None, deadline=None,
                  suppress_health_check=list(HealthCheck))
        @given(case=strategy)
        def fuzz(case):
            send(case)

        fuzz()

    # the role x scope matrix: every id of the province in every GET /…/{id}
    ids = list(Household.objects.values_list("pk", flat=True)) + list(Person.objects.values_list("pk", flat=True))
    for operation, name in _id_path_operations(schema):
        for pk in sorted(set(ids)):
            case = operation.Case(path_parameters={name: pk})
            send(case)

    assert leaks == []
    assert _written_outside(user) == written_before
    print(f"\nfuzz {username} ({how}): {len(operations)} operations in {time.monotonic() - started:.1f} s")
