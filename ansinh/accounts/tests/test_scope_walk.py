"""Every URL pattern, as every role, on records outside the role's scope: never a 200, and exactly the
answer of a missing record (same status, same page), so ids cannot be probed. Records outside scope:
those of another district (for the district, branch and agent roles) and those of another province
(for everyone, the province's officers and administrator included)."""

import datetime
import logging
import re

import pytest
from django.contrib.auth.models import User
from django.urls import URLPattern, URLResolver, get_resolver

from ansinh.accounts.models import Role
from ansinh.accounts.services import user_role_assign
from ansinh.areas.models import AdministrativeUnit, Level, MapVersion, SiOffice
from ansinh.campaigns.models import Campaign, Indicator, Target
from ansinh.collection.models import Agent, CollectionOrg, Receipt
from ansinh.api.models import ApiToken
from ansinh.collection.models import CancellationStatus, PaymentCancellation
from ansinh.collection.services import payment_record
from ansinh.collection.services_handover import handover_record
from ansinh.enrollment.services import hi_enroll
from ansinh.imports.models import DuplicateCandidate, ImportBatch
from ansinh.jobs.models import Job, JobKind
from ansinh.registry.models import AssociationUnit, UnitKind
from ansinh.testing.admin import province_admin_make
from ansinh.testing.province import PASSWORD, make_household, make_person

MISSING = 987654321
WALK_EXPIRES = datetime.datetime(2099, 1, 1, tzinfo=datetime.UTC)
SKIPPED_PREFIXES = ("admin/", "api/")  # Django's admin: staff only (no role is staff); the API has its own test
PAID_ON = datetime.date(2024, 6, 3)


def _patterns(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _patterns(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p.name


def object_patterns() -> list[tuple[str, str]]:
    """(route, name) of every pattern that names a record by ``<int:pk>``."""
    return [(route, name) for route, name in _patterns(get_resolver().url_patterns)
            if "<int:pk>" in route and not route.startswith(SKIPPED_PREFIXES)]


def _outside_province():
    """Another (new-map) province with a commune, a post office, an agent, a household, a unit, an office,
    a user, a campaign with a target and an import batch."""
    province = AdministrativeUnit.objects.create(map=MapVersion.NEW, level=Level.PROVINCE, code="99", name="Tỉnh Khác")
    commune = AdministrativeUnit.objects.create(map=MapVersion.NEW, level=Level.COMMUNE, code="99001", name="Xã Khác",
                                                parent=province, province=province)
    org = CollectionOrg.objects.create(code="BD99", name="Bưu điện tỉnh khác", province=province)
    agent = Agent.objects.create(org=org, code="NVT099", full_name="Người Khác", area=province)
    head = make_person(name="Ngô Văn Khác", born=datetime.date(1960, 1, 1), sex="male", commune=commune,
                       cid="099060000009")
    household = make_household(code="KH-0001", commune=commune, agent=agent, people=[(head, "head")])
    unit = AssociationUnit.objects.create(kind=UnitKind.BRANCH, code="CH-9901", name="Chi hội khác", commune=commune)
    office = SiOffice.objects.create(code="BHXH-99", name="BHXH cơ sở khác", province=province)
    user = User.objects.create_user(username="can_bo_khac", password=PASSWORD)
    user_role_assign(user=user, role=Role.SI_OFFICER, area=province)
    campaign = Campaign.objects.create(code="KHAC", name="Chiến dịch khác", province=province,
                                       launch_day=datetime.date(2024, 5, 20), starts_on=datetime.date(2024, 5, 1),
                                       ends_on=datetime.date(2024, 12, 31))
    target = Target.objects.create(campaign=campaign, indicator=Indicator.HI_NEW, area=province,
                                   period_start=campaign.launch_day, period_end=campaign.launch_day, goal=100,
                                   goal_kind="count")
    batch = ImportBatch.objects.create(file_name="khac.xlsx", sha256="0" * 64, created_by=user)
    candidate = DuplicateCandidate.objects.create(person_a=head, person_b=head, batch=batch, reason="thử")
    token = ApiToken.objects.create(user=user, name="khác", prefix="as_khac9", token_hash="9" * 64,
                                    expires_at=WALK_EXPIRES)
    job = Job.objects.create(kind=JobKind.PROGRESS_REBUILD, params={}, created_by=user)
    return {"household": household.pk, "person": head.pk, "org": org.pk, "agent": agent.pk, "unit": unit.pk,
            "office": office.pk, "user": user.pk, "campaign": campaign.pk, "target": target.pk,
            "batch": batch.pk, "candidate": candidate.pk, "token": token.pk, "job": job.pk}


def _other_district(p):
    """Records of the small province's other district (outside the district, branch and agent roles)."""
    participation = hi_enroll(user=p.users["thu_2"], household=p.other_household, months=12, on=PAID_ON)
    payment_record(user=p.users["thu_2"], participation=participation, amount=participation.payable, method="cash",
                   paid_on=PAID_ON, idempotency_key="walk-1")
    receipt = Receipt.objects.get(agent=p.other_agent)
    campaign = Campaign.objects.create(code="HG-WALK", name="Chiến dịch thử", province=p.province,
                                       launch_day=datetime.date(2024, 5, 20), starts_on=datetime.date(2024, 5, 1),
                                       ends_on=datetime.date(2024, 12, 31))
    target = Target.objects.create(campaign=campaign, indicator=Indicator.HI_NEW, area=p.other_district,
                                   period_start=campaign.launch_day, period_end=campaign.launch_day, goal=10,
                                   goal_kind="count")
    batch = ImportBatch.objects.create(file_name="khac.xlsx", sha256="1" * 64, created_by=p.users["bhxh_tinh"])
    head = p.other_household.members.get(relationship="head").person
    candidate = DuplicateCandidate.objects.create(person_a=head, person_b=head, batch=batch, reason="thử")
    handover = handover_record(user=p.users["thu_2"], date_from=PAID_ON, date_to=PAID_ON, amount=receipt.amount,
                               handed_to="Thủ quỹ bưu điện", handed_on=PAID_ON)
    cancellation = PaymentCancellation.objects.create(payment=receipt.payment, reason="wrong_amount",
                                                      requested_by=p.users["thu_2"],
                                                      requested_at=datetime.datetime(2024, 6, 3, 9, tzinfo=datetime.UTC),
                                                      status=CancellationStatus.REQUESTED)
    token = ApiToken.objects.create(user=p.users["thu_2"], name="của thu_2", prefix="as_thu29", token_hash="8" * 64,
                                    expires_at=WALK_EXPIRES)
    job = Job.objects.create(kind=JobKind.PROGRESS_REBUILD, params={}, created_by=p.users["thu_2"])
    return {"household": p.other_household.pk, "person": head.pk, "quote": participation.pk, "receipt": receipt.pk,
            "target": target.pk, "batch": batch.pk, "candidate": candidate.pk, "handover": handover.pk,
            "cancellation": cancellation.pk, "token": token.pk, "job": job.pk}


def _record_kind(route: str, name: str) -> str | None:
    """Which record ``<int:pk>`` names in a route."""
    table = [
        (r"^ho/", "household"), (r"^nguoi/", "person"), (r"^bao-gia/", "quote"), (r"^bien-lai/", "receipt"),
        (r"^chi-tieu/", "target"), (r"^nhap/trung/", "candidate"), (r"^nhap/", "batch"),
        (r"^quan-tri/to-chuc-thu/", "org"), (r"^quan-tri/nhan-vien-thu/", "agent"),
        (r"^quan-tri/bhxh-co-so/", "office"), (r"^quan-tri/chi-hoi/", "unit"), (r"^quan-tri/nguoi-dung/", "user"),
        (r"^quan-tri/chien-dich/", "campaign"), (r"^quan-tri/chi-tieu/", "target"), (r"^ban-giao/", "handover"),
        (r"^huy-thu/", "cancellation"), (r"^tai-khoan/ma-truy-cap/", "token"), (r"^quan-tri/ma-truy-cap/", "token"),
        (r"^viec/", "job"),
    ]
    for pattern, kind in table:
        if re.match(pattern, route):
            return kind
    return None


HISTORY_KIND = {"org": "org", "agent": "agent", "office": "office", "unit": "unit", "user": "user",
                "campaign": "campaign"}


def _url(route: str, pk: int, kind_arg: str | None) -> str:
    url = "/" + route.replace("<int:pk>", str(pk))
    if kind_arg is not None:
        url = url.replace("<str:kind>", kind_arg)
    return url


def _body(response) -> str:
    """The page without its per-render CSRF tokens."""
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode(errors="replace"))
    return re.sub(r'"X-CSRFToken": "[^"]*"', "", text)


def test_every_pattern_with_a_record_is_covered_by_the_walk():
    unknown = [route for route, name in object_patterns()
               if _record_kind(route, name) is None and not route.startswith("quan-tri/lich-su/")]
    assert unknown == []


@pytest.mark.django_db
def test_no_role_reaches_a_record_outside_its_scope_and_it_answers_like_a_missing_one(small_province, client, caplog):
    p = small_province
    province_admin_make("quan_tri")
    far = _outside_province()
    near = _other_district(p)
    roles = {"bhxh_tinh": [far], "hoi_tinh": [far], "quan_tri": [far], "bhxh_huyen": [near, far],
             "chi_hoi": [near, far], "thu_1": [near, far], "thu_2": [far]}
    problems = []
    caplog.set_level(logging.WARNING, logger="ansinh.audit")
    for username, sets in roles.items():
        client.login(username=username, password=PASSWORD)
        for route, name in object_patterns():
            cases = []
            if route.startswith("quan-tri/lich-su/"):
                cases = [(HISTORY_KIND[k], s[k], k) for s in sets for k in HISTORY_KIND if k in s]
            else:
                kind = _record_kind(route, name)
                kind_arg = "bhyt" if kind == "quote" else None
                cases = [(kind_arg, s[kind], kind) for s in sets if kind in s]
            for kind_arg, pk, kind in cases:
                for method in ("get", "post"):
                    call = getattr(client, method)
                    outside = call(_url(route, pk, kind_arg))
                    missing = call(_url(route, MISSING, kind_arg))
                    where = f"{username} {method.upper()} /{route} ({kind} {pk})"
                    if outside.status_code == 200 or outside.status_code in (301, 302) and method == "post":
                        problems.append(f"{where}: {outside.status_code} outside scope")
                    elif outside.status_code != missing.status_code:
                        problems.append(f"{where}: {outside.status_code} outside scope, {missing.status_code} missing")
                    elif outside.status_code == 404 and _body(outside) != _body(missing):
                        problems.append(f"{where}: 404 pages differ")
        client.logout()
    assert problems == [], "\n".join(problems)
    audit = [r.getMessage() for r in caplog.records if r.name == "ansinh.audit"]
    assert audit, "out-of-scope refusals are logged for audit"
    assert all(re.fullmatch(r"out_of_scope user=\d+ url=\w+ model=\w+ pk=\d+ ids=\S+", line) for line in audit), audit
