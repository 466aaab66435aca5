"""The demo province: Hậu Giang in May 2024, generated from the seed document, deterministic per seed.

    from ansinh.demo.generator import demo_run
    summary = demo_run(seed=2024)              # migrate, wipe an earlier demo, generate, summarise

``demo_generate(seed=..., scale=...)`` writes into the current database (``scale`` < 1 gives
proportionally fewer units and people but the whole map: 8 districts, 75 communes); ``demo_run``
also migrates and refuses a database that holds data other than an earlier demo.

What is generated (personal data is made up, never real):
- the real map from ``vietnam-provinces`` (old Hậu Giang, new Cần Thơ, the 2025 mapping);
- 588 Farmers' Association branches (one per hamlet) and 777 savings-and-loan groups, 36,000
  association members in households with their relatives (see ``population``);
- the provincial post office with 3–5 collection agents per district, every household assigned to an
  agent of its district;
- users of every role (password ``DEMO_PASSWORD``);
- the May 2024 campaign with the seed's targets, and VSI and household HI sign-ups from May to
  December 2024 priced by the rules module, each with its payment and receipt (see ``enrolment``);
- then the story to the demo's "today" (03/12/2026, see ``story``): on 01/07/2025 the map changes — the
  post office of Hậu Giang is closed on 30/06/2025 and the post office of Cần Thơ city succeeds it (its
  receipts from 01/07/2025), the agents carry on with catchments on the new communes, two BHXH cơ sở
  offices cover the new communes that succeed Hậu Giang's, a province administrator and officers
  scoped to an office and to a commune; the 2025 and 2026 campaigns of the merged city with their
  targets; renewals, lapses, new sign-ups and new households (made under the new communes).
"""

import datetime
import functools
import hashlib
import random
import time
from collections.abc import Callable
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from ansinh.accounts.models import Role
from ansinh.areas.models import AdministrativeUnit, Level, MapVersion, SiOffice, UnitMapping
from ansinh.areas.services import areas_load
from ansinh.campaigns.facts import facts_rebuild
from ansinh.campaigns.models import (Campaign, DailyTotal, GoalKind, Indicator, MemberFact, MemberHome, SignupFact,
                                     Target)
from ansinh.collection.models import (Agent, AgentCatchment, CollectionOrg, HouseholdAssignment, OrgKind, Payment,
                                      Receipt, ReceiptCounter)
from ansinh.collection.receipts import format_receipt_number
from ansinh.core.db import statistics_refresh
from ansinh.core.errors import AnSinhError
from ansinh.core.text import fold
from ansinh.core.words import amount_in_words
from ansinh.enrollment.models import HiMemberCoverage, HiParticipation, Status, VsiParticipation
from ansinh.registry.models import AssociationUnit, Household, HouseholdMember, Leadership, Membership, Person

from . import names
from .allocation import CommuneSlot, plan_units
from .bulk import bulk_insert, next_id
from .enrolment import LAUNCH_DAY, LAUNCH_GOAL_HI, LAUNCH_GOAL_VSI, YEAR_END, EnrolmentPlan, enrolment_plan
from .population import CommuneInfo, Population, population_build
from .pricing import Pricer
from .story import CAMPAIGNS, MAP_CHANGE, OLD_ORG_CLOSED_ON, TODAY, StoryPlan, story_plan

DEFAULT_SEED = 2024
NEW_CITY_LABEL = "thành phố Cần Thơ"
OLD_PROVINCE_CODE = 93  # Hậu Giang (old map)
NEW_PROVINCE_CODE = 92  # Cần Thơ (from 01/07/2025)
DEMO_PASSWORD = "ansinh-demo"
DEMO_ORG_CODE = "BD93"
DEMO_ORG_NAME = "Bưu điện tỉnh Hậu Giang"
# From 01/07/2025 (Hậu Giang, Sóc Trăng and Cần Thơ form Cần Thơ city): the successor organisation.
SUCCESSOR_ORG_CODE = "BD92"
SUCCESSOR_ORG_NAME = "Bưu điện thành phố Cần Thơ"
# Two BHXH cơ sở offices over the new communes that succeed Hậu Giang's, by the old district they come from.
OFFICES = (
    ("BHXH92-VT", "BHXH cơ sở khu vực Vị Thanh", ("930", "935", "936", "937")),  # Vị Thanh, Vị Thủy, Long Mỹ ×2
    ("BHXH92-PH", "BHXH cơ sở khu vực Phụng Hiệp", ("931", "932", "933", "934")),  # Ngã Bảy, Châu Thành A/…, Phụng Hiệp
)

# The campaign of the seed document (Hậu Giang, 20/05/2024).
CAMPAIGN_CODE = "HG-2024-05"
CAMPAIGN_NAME = "Mô hình Chi hội trưởng, Tổ trưởng tổ TK&VV tham gia BHXH tự nguyện, BHYT hộ gia đình"
CAMPAIGN_STARTS = datetime.date(2024, 5, 1)  # the post office's campaign month began earlier in May
# Seed: "ít nhất 50% chi hội trưởng, tổ trưởng ... tham gia BHXH tự nguyện, 100% ... tham gia BHYT".
GOAL_LEADERS_VSI_PCT = 50
GOAL_LEADERS_HI_PCT = 100

Progress = Callable[[str], None]
WRITTEN_MODELS = (
    Household, Person, HouseholdMember, AssociationUnit, Membership, Leadership, HouseholdAssignment,
    VsiParticipation, HiParticipation, HiMemberCoverage, Payment, Receipt)
WRITTEN_TABLES = [m._meta.db_table for m in WRITTEN_MODELS]
FACT_MODELS = (SignupFact, DailyTotal, MemberFact, MemberHome)


class DemoRefused(AnSinhError):
    """The database holds data that is not an earlier demo: the demo will not overwrite it."""

    code = "demo_refused"
    message = (
        "Cơ sở dữ liệu này đã có dữ liệu không phải dữ liệu mẫu; lệnh demo không ghi đè. "
        "Hãy chạy trong một thư mục khác hoặc đặt DATABASE_URL trỏ tới một cơ sở dữ liệu trống."
    )


def demo_database_state() -> str:
    """``"empty"`` (no registry, campaign or collection data), ``"demo"`` (an earlier demo: its
    campaign and post office are there) or ``"other"`` (data this command must not touch)."""
    if Campaign.objects.filter(code=CAMPAIGN_CODE).exists() and CollectionOrg.objects.filter(
        code=DEMO_ORG_CODE, name=DEMO_ORG_NAME
    ).exists():
        return "demo"
    for model in (Person, Household, AssociationUnit, Campaign, CollectionOrg, VsiParticipation, HiParticipation):
        if model.objects.exists():
            return "other"
    return "empty"


def demo_run(*, seed: int = DEFAULT_SEED, scale: float = 1.0, progress: Progress | None = None) -> dict:
    """Migrate the database, wipe an earlier demo, generate the demo province; return the summary.

    Wiping an earlier demo empties the whole database (``flush``: users and sessions too), so a re-run
    with the same seed gives the same data with the same ids. Raises DemoRefused when the database
    holds other data (nothing is changed then).
    """
    say = progress or (lambda text: None)
    started = time.monotonic()
    call_command("migrate", interactive=False, verbosity=0)
    state = demo_database_state()
    if state == "other":
        raise DemoRefused()
    if state == "demo":
        say("Xóa dữ liệu mẫu cũ…")
        call_command("flush", interactive=False, verbosity=0)
    summary = demo_generate(seed=seed, scale=scale, progress=say)
    statistics_refresh(WRITTEN_MODELS + FACT_MODELS)
    summary["seconds"] = round(time.monotonic() - started, 1)
    return summary


@transaction.atomic
def demo_generate(*, seed: int = DEFAULT_SEED, scale: float = 1.0, pricer: Pricer | None = None,
                  progress: Progress | None = None) -> dict:
    """Generate the demo province into the current (empty) database in one transaction.

    ``scale`` in (0, 1]: 1.0 is the seed's province (588 branches, 777 groups, 36,000 members);
    smaller values keep the whole map and scale units, people and sign-ups. ``pricer`` defaults to
    the rules module (memoised). Returns the summary (see ``demo_summary``). Raises the rules
    module's RuleError if a generated request is refused (a defect of the generator).
    """
    say = progress or (lambda text: None)
    started = time.monotonic()
    pricer = pricer or Pricer()
    say("Nạp bản đồ hành chính (Hậu Giang cũ, Cần Thơ mới)…")
    areas_load(old_province_code=OLD_PROVINCE_CODE, new_province_code=NEW_PROVINCE_CODE)
    province = AdministrativeUnit.objects.get(map=MapVersion.OLD, level=Level.PROVINCE, code=str(OLD_PROVINCE_CODE))
    communes = demo_communes(province)
    plan = plan_units([CommuneSlot(c.code, c.urban, c.town) for c in communes], seed=seed, scale=scale)

    say("Sinh hộ gia đình, nhân khẩu, chi hội, tổ TK&VV…")
    population = population_build(seed=seed, communes=communes, plan=plan)
    rng = random.Random(f"demo-{seed}")
    agents = _agents_plan(rng, population=population)

    say("Tính mức đóng và lập danh sách tham gia (tháng 5–12/2024)…")
    enrolment = enrolment_plan(seed=seed, population=population, pricer=pricer, scale=scale)
    _give_si_numbers(rng, population=population, enrolment=enrolment)

    say("Sáp nhập 01/07/2025, chiến dịch 2025 và 2026: tái tục, ngừng tham gia, người tham gia mới…")
    new_map = _new_map(province)
    story = story_plan(seed=seed, population=population, enrolment=enrolment, pricer=pricer,
                       successor=new_map["successor"], new_communes=new_map["communes"], scale=scale)
    enrolment.vsi.extend(story.vsi)
    enrolment.hi.extend(story.hi)
    _give_si_numbers(random.Random(f"story-si-{seed}"), population=population, enrolment=enrolment)

    say("Ghi cơ sở dữ liệu…")
    org, successor_org = _write_orgs(province=province, new_province=new_map["province"])
    agent_rows = Agent.objects.bulk_create([
        Agent(org=org, code=a["code"], full_name=a["full_name"], phone=a["phone"], area_id=a["district_id"])
        for a in agents
    ])
    ids = _write_registry(rng, population=population, agent_rows=agent_rows)
    offices = _write_new_map_structure(population=population, agent_rows=agent_rows, new_map=new_map)
    users = _write_users(province=province, population=population, ids=ids, agent_rows=agent_rows, agents=agents,
                         new_map=new_map, offices=offices)
    campaign = _write_campaign(province=province, communes=communes)
    _write_later_campaigns(population=population, new_map=new_map)
    agent_users = {u["agent_id"]: u["user"] for u in users if u.get("agent_id")}
    _write_enrolment(population=population, enrolment=enrolment, ids=ids, agent_rows=agent_rows,
                     orgs=(org, successor_org), agent_users=agent_users)
    # The large tables were written without the ORM (bulk.py): check their foreign keys now (this also
    # fires PostgreSQL's deferred checks, so a later flush in the same transaction can truncate).
    connection.check_constraints(table_names=WRITTEN_TABLES)
    say("Tổng hợp tiến độ chiến dịch…")
    facts_rebuild()  # so the first progress page is fast
    summary = demo_summary(province=province, campaign=campaign)
    summary.update(story_summary(story))
    summary["users"] = [{"username": u["user"].username, "role": u["role"], "password": DEMO_PASSWORD}
                        for u in users]
    summary.update({"seed": seed, "scale": scale, "quotes": pricer.calls,
                    "seconds": round(time.monotonic() - started, 1)})
    return summary


def demo_communes(province: AdministrativeUnit) -> list[CommuneInfo]:
    """The old-map communes of ``province`` with their districts, in district then commune code order."""
    rows = (AdministrativeUnit.objects.filter(province=province, level=Level.COMMUNE)
            .select_related("parent").order_by("parent__code", "code"))
    return [CommuneInfo(id=c.pk, code=c.code, name=c.name, division_type=c.division_type,
                        district_id=c.parent_id, district_name=c.parent.name, district_code=c.parent.code)
            for c in rows]


def _agents_plan(rng: random.Random, *, population: Population) -> list[dict]:
    """3–5 agents per district; each commune's households go to one agent of its district."""
    agents: list[dict] = []
    by_district: dict[int, list[int]] = {}
    for ci, commune in enumerate(population.communes):
        by_district.setdefault(commune.district_id, []).append(ci)
    commune_agent: dict[int, int] = {}
    for district_id, commune_indexes in by_district.items():
        count = min(len(commune_indexes), rng.randint(3, 5))
        first = len(agents)
        district_code = population.communes[commune_indexes[0]].district_code
        for n in range(count):
            sex = "female" if rng.random() < 0.6 else "male"
            birth_year = rng.randint(1975, 2000)
            agents.append({
                "code": f"NVT{district_code}-{n + 1:02d}",
                "full_name": names.person_name(rng, sex=sex, birth_year=birth_year),
                "phone": names.phone(rng), "district_id": district_id,
            })
        for k, ci in enumerate(commune_indexes):
            commune_agent[ci] = first + k % count
    for household in population.households:
        household.agent = commune_agent[household.commune]
    return agents


def _give_si_numbers(rng: random.Random, *, population: Population, enrolment: EnrolmentPlan) -> None:
    """Everyone who pays into VSI or holds an HI card has a social insurance number."""
    used = {p.si_number for p in population.persons if p.si_number}
    people = {r.person for r in enrolment.vsi} | {line.person for r in enrolment.hi for line in r.lines}
    for i in sorted(people):
        if not population.persons[i].si_number:
            population.persons[i].si_number = names.si_number(rng, used=used)


def _at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    """``day`` at ``hour`` o'clock, local time (the demo's record times follow its story, not the clock)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


REGISTERED_ON = CAMPAIGN_STARTS - datetime.timedelta(days=1)  # the 2024 registry was there before the campaign


def _new_map(province: AdministrativeUnit) -> dict:
    """The new map around the old province: ``province`` (new-map 92), ``successor`` (old commune id ->
    its primary new commune id, UnitMapping), ``communes`` (new commune id -> (code, name)) and
    ``district_of`` (new commune id -> code of the old district of its lowest-code primary predecessor)."""
    new_province = AdministrativeUnit.objects.get(map=MapVersion.NEW, level=Level.PROVINCE, code=str(NEW_PROVINCE_CODE))
    rows = (UnitMapping.objects.filter(old_unit__province=province, is_primary=True)
            .order_by("old_unit__code").values_list("old_unit_id", "new_unit_id", "old_unit__parent__code"))
    successor, district_of = {}, {}
    for old_id, new_id, district_code in rows:
        successor[old_id] = new_id
        district_of.setdefault(new_id, district_code)
    communes = {pk: (code, name) for pk, code, name in AdministrativeUnit.objects.filter(pk__in=set(successor.values()))
                .values_list("pk", "code", "name")}
    return {"province": new_province, "successor": successor, "communes": communes, "district_of": district_of}


def _write_orgs(*, province: AdministrativeUnit, new_province: AdministrativeUnit) -> tuple[CollectionOrg, CollectionOrg]:
    """The post office of Hậu Giang (closed on 30/06/2025) and its successor of Cần Thơ city (from
    01/07/2025), each change recorded in the history on its own date."""
    org = CollectionOrg(code=DEMO_ORG_CODE, name=DEMO_ORG_NAME, province=province, kind=OrgKind.POST_OFFICE)
    org._history_date = _at(CAMPAIGN_STARTS - datetime.timedelta(days=30))
    org.save()
    successor = CollectionOrg(code=SUCCESSOR_ORG_CODE, name=SUCCESSOR_ORG_NAME, province=new_province,
                              kind=OrgKind.POST_OFFICE, valid_from=MAP_CHANGE)
    successor._history_date = _at(MAP_CHANGE, 7)
    successor.save()
    org.closed_on, org.successor = OLD_ORG_CLOSED_ON, successor
    org._history_date = _at(MAP_CHANGE, 8)
    org.save()
    return org, successor


def _write_new_map_structure(*, population: Population, agent_rows: list[Agent], new_map: dict) -> list[SiOffice]:
    """From 01/07/2025: each agent's catchment (the new communes succeeding the communes of their
    households) and the BHXH cơ sở offices over the new communes that succeed Hậu Giang's."""
    communes, successor = population.communes, new_map["successor"]
    catchments = sorted({(h.agent, h.commune_id or successor[communes[h.commune].id]) for h in population.households})
    AgentCatchment.objects.bulk_create([AgentCatchment(agent=agent_rows[a], commune_id=c) for a, c in catchments])
    offices = []
    for code, name, districts in OFFICES:
        office = SiOffice(code=code, name=name, province=new_map["province"])
        office._history_date = _at(MAP_CHANGE, 7)
        office.save()
        office.communes.set(sorted(c for c, d in new_map["district_of"].items() if d in districts))
        offices.append(office)
    return offices


def _write_registry(rng: random.Random, *, population: Population, agent_rows: list[Agent]) -> dict:
    """Households, persons, household members, association units and memberships; returns the
    database ids by in-memory index: ``{"person": [...], "household": [...], "unit": [...]}``."""
    communes = population.communes
    registered_at = _at(REGISTERED_ON)
    household_ids = bulk_insert(
        Household, ["code", "commune_id", "hamlet", "address", "poverty_status", "agent_id"],
        ((h.code, h.commune_id or communes[h.commune].id, h.hamlet, h.address, h.poverty_status,
          agent_rows[h.agent].pk) for h in population.households),
    )
    # Who serves each household, from when (the first assignment: the campaign's start, or registration).
    bulk_insert(HouseholdAssignment, ["household_id", "agent_id", "starts_on", "assigned_by_id", "created_at"],
                ((household_ids[h.idx], agent_rows[h.agent].pk, h.made_on or CAMPAIGN_STARTS, None,
                  _at(h.made_on or CAMPAIGN_STARTS, 8)) for h in population.households))
    has_other = any(f.name == "other_coverage" for f in Person._meta.get_fields())
    fields = ["full_name", "name_folded", "date_of_birth", "sex", "citizen_id", "si_number", "phone", "ethnic_minority",
              "hamlet", "commune_id", "created_at"] + (["other_coverage"] if has_other else [])
    rows = []
    for p in population.persons:
        h = population.households[p.household]
        row = (p.full_name, fold(p.full_name), p.date_of_birth, p.sex, p.citizen_id, p.si_number, p.phone,
               p.ethnic_minority, h.hamlet, h.commune_id or communes[h.commune].id,
               _at(p.made_on) if p.made_on else registered_at)
        rows.append(row + (p.other_coverage,) if has_other else row)
    person_ids = bulk_insert(Person, fields, rows)
    bulk_insert(HouseholdMember, ["household_id", "person_id", "relationship"],
                ((household_ids[p.household], person_ids[p.idx], p.relationship) for p in population.persons))
    first_unit = next_id(AssociationUnit)
    unit_ids = range(first_unit, first_unit + len(population.units))
    bulk_insert(AssociationUnit, ["kind", "code", "name", "commune_id", "branch_id"],
                ((u.kind, u.code, u.name, communes[u.commune].id, unit_ids[u.branch] if u.branch >= 0 else None)
                 for u in population.units))
    memberships = []
    leaderships = []
    start = datetime.date(2005, 1, 1).toordinal()
    end = datetime.date(2024, 4, 30).toordinal()
    for p in population.persons:
        for unit_idx in (p.branch, p.group):
            if unit_idx < 0:
                continue
            if p.made_on:  # a member since registration (after the map change)
                joined = p.made_on
            else:
                earliest = max(start, p.date_of_birth.toordinal() + 18 * 366)
                joined = datetime.date.fromordinal(earliest + rng.randrange(max(1, end - earliest)))
            memberships.append((person_ids[p.idx], unit_ids[unit_idx], "leader" if p.leads == unit_idx else "member",
                                joined))
            if p.leads == unit_idx:  # the leader leads since joining, and still does (one open period per unit)
                leaderships.append((unit_ids[unit_idx], person_ids[p.idx], joined, None))
    bulk_insert(Membership, ["person_id", "unit_id", "role", "joined_on"], memberships)
    bulk_insert(Leadership, ["unit_id", "person_id", "starts_on", "ends_on"], sorted(leaderships))
    return {"person": person_ids, "household": household_ids, "unit": unit_ids}


def _write_users(*, province, population: Population, ids: dict, agent_rows: list[Agent],
                 agents: list[dict], new_map: dict, offices: list[SiOffice]) -> list[dict]:
    """One user per role (two SI officers: province and Vị Thanh), plus ``admin`` (superuser, SI
    officer of the province); on the new map the province administrator ``quan_tri`` (Cần Thơ city) and
    two SI officers scoped to a BHXH cơ sở office and to a new commune. Every password is
    DEMO_PASSWORD, hashed once."""
    from ansinh.accounts.services import roles_sync, user_role_assign

    roles_sync()
    first_district = min(population.communes, key=lambda c: c.code).district_id
    district = AdministrativeUnit.objects.get(pk=first_district)
    in_district = [u for u in population.units
                   if u.kind == "branch" and population.communes[u.commune].district_id == first_district]
    branch = next((u for u in in_district if not population.communes[u.commune].urban), in_district[0])
    leader = population.persons[branch.leader]
    agent_index = next(i for i, a in enumerate(agents) if a["district_id"] == first_district)
    agent = agent_rows[agent_index]
    first_commune = min(population.communes, key=lambda c: c.code).id
    new_commune = AdministrativeUnit.objects.get(pk=new_map["successor"][first_commune])
    encoded = make_password(DEMO_PASSWORD)
    specs = [
        ("admin", "Quản trị", "", Role.SI_OFFICER, {"area": province}, True),
        ("bhxh_tinh", "Cán bộ BHXH tỉnh", "", Role.SI_OFFICER, {"area": province}, False),
        ("bhxh_vithanh", "Cán bộ BHXH", district.name, Role.SI_OFFICER, {"area": district}, False),
        ("hoinongdan_tinh", "Cán bộ Hội Nông dân tỉnh", "", Role.ASSOCIATION_OFFICER, {"area": province}, False),
        ("chihoitruong", *leader.full_name.rsplit(" ", 1), Role.GROUP_LEADER,
         {"association_unit": AssociationUnit.objects.get(pk=ids["unit"][branch.idx])}, False),
        ("thu_vien", *agent.full_name.rsplit(" ", 1), Role.COLLECTION_AGENT, {"agent": agent}, False),
        ("quan_tri", "Quản trị", NEW_CITY_LABEL, Role.PROVINCE_ADMIN, {"area": new_map["province"]}, False),
        ("bhxh_coso", "Cán bộ", offices[0].name, Role.SI_OFFICER, {"si_office": offices[0]}, False),
        ("bhxh_xa", "Cán bộ BHXH", new_commune.name, Role.SI_OFFICER, {"area": new_commune}, False),
    ]
    users = []
    for username, last_name, first_name, role, scope, superuser in specs:
        user, _ = User.objects.get_or_create(username=username)
        user.password = encoded
        user.first_name, user.last_name = " ".join(n for n in (last_name, first_name) if n), ""  # whole name, as the user pages keep it
        user.is_staff = user.is_superuser = superuser
        user.save()
        user_role_assign(user=user, role=role, **scope)
        users.append({"user": user, "role": str(role), "agent_id": agent.pk if role == Role.COLLECTION_AGENT else None})
    return users


def _write_campaign(*, province, communes: list[CommuneInfo]) -> Campaign:
    campaign = Campaign.objects.create(code=CAMPAIGN_CODE, name=CAMPAIGN_NAME, province=province,
                                       launch_day=LAUNCH_DAY, starts_on=CAMPAIGN_STARTS, ends_on=YEAR_END)
    targets = []
    for district_id in sorted({c.district_id for c in communes}):
        for indicator, goal in ((Indicator.VSI_NEW, LAUNCH_GOAL_VSI), (Indicator.HI_NEW, LAUNCH_GOAL_HI)):
            targets.append(Target(campaign=campaign, indicator=indicator, area_id=district_id,
                                  period_start=LAUNCH_DAY, period_end=LAUNCH_DAY, goal=Decimal(goal),
                                  goal_kind=GoalKind.COUNT))
    for indicator, goal in ((Indicator.LEADERS_VSI, GOAL_LEADERS_VSI_PCT), (Indicator.LEADERS_HI, GOAL_LEADERS_HI_PCT)):
        targets.append(Target(campaign=campaign, indicator=indicator, area=province, period_start=LAUNCH_DAY,
                              period_end=YEAR_END, goal=Decimal(goal), goal_kind=GoalKind.PERCENT))
    Target.objects.bulk_create(targets)
    return campaign


def _write_later_campaigns(*, population: Population, new_map: dict) -> list[Campaign]:
    """The 2025 and 2026 campaigns of Cần Thơ city (new map): per new commune that succeeds a Hậu Giang
    commune, new VSI and HI participants over the campaign and on launch day (goals from its number of
    households);
    for the city, leaders in VSI and HI and members covered (%)."""
    households: dict[int, int] = {}
    for h in population.households:
        new_id = h.commune_id or new_map["successor"][population.communes[h.commune].id]
        households[new_id] = households.get(new_id, 0) + 1
    campaigns = []
    for spec in CAMPAIGNS:
        campaign = Campaign(code=spec.code, name=spec.name, province=new_map["province"],
                            launch_day=spec.launch_day, starts_on=spec.starts_on, ends_on=spec.ends_on)
        campaign._history_date = _at(spec.starts_on - datetime.timedelta(days=20))
        campaign.save()
        grow = 1 + (spec.starts_on.year - 2025) / 10  # each year asks a little more
        targets = []
        for commune_id in sorted(households):
            n = households[commune_id]
            for indicator, share, least in ((Indicator.VSI_NEW, 0.05, 2), (Indicator.HI_NEW, 0.09, 4)):
                targets.append(Target(campaign=campaign, indicator=indicator, area_id=commune_id,
                                      period_start=spec.starts_on, period_end=spec.ends_on,
                                      goal=Decimal(max(least, round(n * share * grow))), goal_kind=GoalKind.COUNT))
            for indicator, share in ((Indicator.VSI_NEW, 0.009), (Indicator.HI_NEW, 0.03)):  # launch day
                targets.append(Target(campaign=campaign, indicator=indicator, area_id=commune_id,
                                      period_start=spec.launch_day, period_end=spec.launch_day,
                                      goal=Decimal(max(1, round(n * share))), goal_kind=GoalKind.COUNT))
        for indicator, goal in ((Indicator.LEADERS_VSI, spec.goal_leaders_vsi), (Indicator.LEADERS_HI, spec.goal_leaders_hi),
                                (Indicator.MEMBERS_COVERED, spec.goal_members_covered)):
            targets.append(Target(campaign=campaign, indicator=indicator, area=new_map["province"],
                                  period_start=spec.starts_on, period_end=spec.ends_on, goal=Decimal(goal),
                                  goal_kind=GoalKind.PERCENT))
        Target.objects.bulk_create(targets)
        campaigns.append(campaign)
    return campaigns


def _write_enrolment(*, population: Population, enrolment: EnrolmentPlan, ids: dict, agent_rows: list[Agent],
                     orgs: tuple[CollectionOrg, CollectionOrg], agent_users: dict[int, User]) -> None:
    """Participations, HI member lines, payments, receipts and the receipt counters. Receipts are in the
    name of the organisation in force on the payment day: the old one until 30/06/2025, then its successor."""
    persons, households, communes = population.persons, population.households, population.communes
    person_ids, household_ids = ids["person"], ids["household"]
    at = functools.lru_cache(maxsize=None)(_at)

    def user_id(agent_idx: int) -> int | None:
        user = agent_users.get(agent_rows[agent_idx].pk)
        return user.pk if user else None

    def referrer(person_idx: int) -> int | None:
        return person_ids[person_idx] if person_idx >= 0 else None

    vsi_ids = bulk_insert(
        VsiParticipation,
        ["person_id", "commune_id", "income", "payment_mode", "support_group", "from_month", "months", "priced_on",
         "gross", "amount_due", "state_support", "local_support", "payable", "quote", "status", "referred_by_id",
         "agent_id", "created_by_id", "created_at"],
        ((person_ids[r.person], r.commune_id or communes[households[persons[r.person].household].commune].id,
          r.income, r.payment_mode, r.support_group, r.from_month, r.months, r.paid_on, r.quote["gross"],
          r.quote["amount_due"], r.quote["state_support"], r.quote.get("local_support", 0), r.quote["payable"],
          r.quote, Status.PAID, referrer(r.referred_by), agent_rows[r.agent].pk, user_id(r.agent), at(r.paid_on))
         for r in enrolment.vsi),
    )
    hi_ids = bulk_insert(
        HiParticipation,
        ["household_id", "commune_id", "months", "priced_on", "total", "state_support", "payable", "quote", "status",
         "referred_by_id", "agent_id", "created_by_id", "created_at"],
        ((household_ids[r.household], r.commune_id or communes[households[r.household].commune].id, r.months,
          r.paid_on, r.total, r.state_support, r.payable, r.quote, Status.PAID, referrer(r.referred_by),
          agent_rows[r.agent].pk, user_id(r.agent), at(r.paid_on))
         for r in enrolment.hi),
    )
    bulk_insert(
        HiMemberCoverage,
        ["participation_id", "person_id", "rank", "share_pct", "amount", "support_pct", "state_support", "payable",
         "valid_from", "valid_to", "validity_rule"],
        ((row_id, person_ids[line.person], line.rank, line.share_pct, line.amount, line.support_pct,
          line.state_support, line.payable, line.valid_from, line.valid_to, line.validity_rule)
         for r, row_id in zip(enrolment.hi, hi_ids, strict=True) for line in r.lines),
    )

    # Payments in the order they were made; receipt serials follow that order per year in each agent's series.
    entries = sorted([(r.paid_on, 0, n) for n, r in enumerate(enrolment.vsi)]
                     + [(r.paid_on, 1, n) for n, r in enumerate(enrolment.hi)])
    first_payment = next_id(Payment)
    payments, receipts = [], []
    serial: dict[tuple[int, int, str], int] = {}  # (org, year, series): the agent's receipt book
    words = functools.lru_cache(maxsize=None)(amount_in_words)
    for k, (paid_on, kind, n) in enumerate(entries):
        if kind == 0:
            r, row_id = enrolment.vsi[n], vsi_ids[n]
            amount = r.quote["payable"]
            payer = persons[r.person].full_name
            items = [{"label": f"BHXH tự nguyện {r.months} tháng từ {r.from_month:%m/%Y}", "amount": amount}]
            key, vsi_id, hi_id = f"demo-vsi-{row_id}", row_id, None
        else:
            r, row_id = enrolment.hi[n], hi_ids[n]
            amount = r.payable
            payer = persons[households[r.household].head].full_name
            items = [{"label": f"BHYT hộ gia đình {r.months} tháng — {persons[line.person].full_name}",
                      "amount": line.payable} for line in r.lines]
            key, vsi_id, hi_id = f"demo-hi-{row_id}", None, row_id
        agent_id = agent_rows[r.agent].pk
        created = at(paid_on, 16)
        payments.append((key, vsi_id, hi_id, amount, r.method, paid_on, agent_id, user_id(r.agent), None, "",
                         created))
        org = orgs[0] if paid_on <= OLD_ORG_CLOSED_ON else orgs[1]
        year, series = paid_on.year, agent_rows[r.agent].code
        number = serial[org.pk, year, series] = serial.get((org.pk, year, series), 0) + 1
        receipts.append((first_payment + k, org.pk, year, series, number,
                         format_receipt_number(org_code=org.code, year=year, serial=number, series=series), payer,
                         items, amount, words(amount), paid_on, agent_id, created))
    bulk_insert(Payment, ["idempotency_key", "vsi_id", "hi_id", "amount", "method", "paid_on", "agent_id",
                          "recorded_by_id", "reverses_id", "reason", "created_at"], payments)
    bulk_insert(Receipt, ["payment_id", "org_id", "year", "series", "serial", "number", "payer_name", "items",
                          "amount", "amount_in_words", "issued_on", "agent_id", "created_at"], receipts)
    ReceiptCounter.objects.bulk_create([ReceiptCounter(org_id=org_id, year=y, series=series, last_serial=s)
                                        for (org_id, y, series), s in sorted(serial.items())])


def demo_summary(*, province: AdministrativeUnit, campaign: Campaign) -> dict:
    """Counts of what the database holds for the demo province (read back from the database).

    Keys: ``districts``, ``communes``, ``branches``, ``savings_groups``, ``members`` (distinct persons
    with a membership), ``persons``, ``households``, ``agents``, ``vsi_participants`` (distinct
    persons with a VSI period, any year), ``hi_participants`` (distinct persons on an HI list, any year),
    ``leaders``, ``leaders_vsi_pct``, ``leaders_hi_pct`` (by the end of 2024), ``launch_day`` (districts reaching the
    launch-day goals: ``{"vsi": n, "hi": n, "of": 8}``), ``payments``, ``receipts``, ``collected``
    (VND).
    """
    from django.db.models import Count, Sum

    leaders = set(Membership.objects.filter(role="leader").values_list("person_id", flat=True))
    vsi_people = set(VsiParticipation.objects.values_list("person_id", flat=True))
    hi_people = set(HiMemberCoverage.objects.values_list("person_id", flat=True))
    vsi_2024 = set(VsiParticipation.objects.filter(priced_on__lte=YEAR_END).values_list("person_id", flat=True))
    hi_2024 = set(HiMemberCoverage.objects.filter(participation__priced_on__lte=YEAR_END)
                  .values_list("person_id", flat=True))
    launch_vsi = dict(VsiParticipation.objects.filter(priced_on=campaign.launch_day)
                      .values_list("commune__parent_id").annotate(n=Count("person_id", distinct=True)))
    launch_hi = dict(HiMemberCoverage.objects.filter(participation__priced_on=campaign.launch_day)
                     .values_list("participation__commune__parent_id").annotate(n=Count("person_id", distinct=True)))
    districts = list(AdministrativeUnit.objects.filter(parent=province, level=Level.DISTRICT)
                     .values_list("pk", flat=True))

    def pct(n: int) -> float:
        return round(100 * n / len(leaders), 1) if leaders else 0.0

    return {
        "districts": len(districts),
        "communes": AdministrativeUnit.objects.filter(province=province, level=Level.COMMUNE).count(),
        "branches": AssociationUnit.objects.filter(kind="branch").count(),
        "savings_groups": AssociationUnit.objects.filter(kind="savings_group").count(),
        "members": Membership.objects.values("person_id").distinct().count(),
        "persons": Person.objects.count(),
        "households": Household.objects.count(),
        "agents": Agent.objects.count(),
        "vsi_participants": len(vsi_people),
        "hi_participants": len(hi_people),
        "leaders": len(leaders),
        "leaders_vsi_pct": pct(len(leaders & vsi_2024)),
        "leaders_hi_pct": pct(len(leaders & hi_2024)),
        "launch_day": {"vsi": sum(1 for d in districts if launch_vsi.get(d, 0) >= LAUNCH_GOAL_VSI),
                       "hi": sum(1 for d in districts if launch_hi.get(d, 0) >= LAUNCH_GOAL_HI),
                       "of": len(districts)},
        "payments": Payment.objects.count(),
        "receipts": Receipt.objects.count(),
        "collected": Payment.objects.aggregate(s=Sum("amount"))["s"] or 0,
    }


def story_summary(story: StoryPlan | None = None) -> dict:
    """What the demo's "today" (03/12/2026) holds after the map change (read back from the database):
    ``today``, ``campaigns`` (codes, oldest first), ``orgs`` (``{code: {"name", "closed_on",
    "successor", "receipts"}}``), ``hi_cards_valid_today`` (persons with an HI card valid on ``today``),
    ``hi_cards_expiring`` (of them, cards ending before 01/01/2027 and not yet renewed),
    ``hi_lapsed`` (persons whose last card ended between 01/01/2025 and ``today``), ``new_households``
    (registered after 01/07/2025) and ``payments_after_map_change``."""
    from django.db.models import Count, Max

    last_card = dict(HiMemberCoverage.objects.values_list("person_id").annotate(end=Max("valid_to")))
    year_end = datetime.date(TODAY.year, 12, 31)
    orgs = {}
    for o in CollectionOrg.objects.select_related("successor").annotate(n=Count("receipts")).order_by("code"):
        orgs[o.code] = {"name": o.name, "closed_on": o.closed_on.isoformat() if o.closed_on else None,
                        "successor": o.successor.code if o.successor else None, "receipts": o.n}
    return {
        "today": TODAY.isoformat(),
        "campaigns": list(Campaign.objects.order_by("starts_on").values_list("code", flat=True)),
        "orgs": orgs,
        "hi_cards_valid_today": HiMemberCoverage.objects.filter(valid_from__lte=TODAY, valid_to__gte=TODAY)
        .values("person_id").distinct().count(),
        "hi_cards_expiring": sum(1 for end in last_card.values() if TODAY <= end <= year_end),
        "hi_lapsed": sum(1 for end in last_card.values() if datetime.date(2025, 1, 1) <= end < TODAY),
        "new_households": len(story.new_households) if story else None,
        "payments_after_map_change": Payment.objects.filter(paid_on__gte=MAP_CHANGE).count(),
    }


def demo_digest() -> str:
    """SHA-256 of every person's name and citizen ID (ordered by citizen ID), and of every receipt's
    number, day, amount and the commune of the record it pays for (ordered by number): equal for equal
    seeds."""
    digest = hashlib.sha256()
    for name, cid in Person.objects.order_by("citizen_id").values_list("full_name", "citizen_id"):
        digest.update(f"{name}|{cid}\n".encode())
    receipts = Receipt.objects.order_by("number").values_list(
        "number", "issued_on", "amount", "payment__vsi__commune__code", "payment__hi__commune__code")
    for row in receipts:
        digest.update("|".join(map(str, row)).encode() + b"\n")
    return digest.hexdigest()
