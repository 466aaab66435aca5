"""The demo province: the seed's figures, deterministic data, consistent identifiers and money.

The full province takes tens of seconds, so most tests read one small province (scale 0.03, all 8
districts and 75 communes) generated once for this module; the seed's exact totals are checked on
the allocation function alone at full scale.
"""

import datetime
import json
from collections import Counter
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Count, F, Max, Q, Sum

from ansinh.accounts.models import UserRole
from ansinh.areas.models import AdministrativeUnit, Level, MapVersion, SiOffice, UnitMapping
from ansinh.areas.services import areas_load
from ansinh.campaigns.models import Campaign, Target
from ansinh.collection.models import Agent, CollectionOrg, HouseholdAssignment, Payment, Receipt, ReceiptCounter
from ansinh.collection.receipts import format_receipt_number
from ansinh.core.words import amount_in_words
from ansinh.demo import names
from ansinh.demo.allocation import CommuneSlot, allocate, plan_units
from ansinh.demo.generator import (CAMPAIGN_CODE, DEMO_PASSWORD, demo_communes, demo_digest, demo_generate,
                                   demo_run)
from ansinh.demo.pricing import Pricer
from ansinh.enrollment.models import HiMemberCoverage, HiParticipation, VsiParticipation
from ansinh.enrollment.selectors import hi_eligible_members
from ansinh.registry.models import AssociationUnit, Household, HouseholdMember, Leadership, Membership, Person
from ansinh.rules.hi_card import hi_card_validity

SCALE = 0.03
SUMMARY_KEYS = {"districts", "communes", "branches", "savings_groups", "members", "households", "agents",
                "vsi_participants", "hi_participants", "users", "seconds"}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """A small demo province committed once for the module, wiped at its end."""
    with django_db_blocker.unblock():
        summary = demo_generate(seed=11, scale=SCALE)
        yield summary
        call_command("flush", interactive=False, verbosity=0)


def test_allocate_splits_exactly_with_minimum():
    assert allocate(10, [1, 1, 1]) == [4, 3, 3]
    assert allocate(7, [0, 5, 5], minimum=1) == [1, 3, 3]
    assert sum(allocate(588, [3, 7, 11, 13] * 20, minimum=1)) == 588
    with pytest.raises(ValueError):
        allocate(2, [1, 1, 1], minimum=1)


def test_hi_lines_without_member_lines_split_the_support_to_the_dong():
    result = {"per_member": [1263600, 884520, 758160], "total": 2906280, "state_support": 2034396,
              "payable": 871884}
    lines = Pricer.hi_lines(result)
    assert [x["share_pct"] for x in lines] == [100, 70, 60]
    assert sum(x["state_support"] for x in lines) == result["state_support"]
    assert sum(x["payable"] for x in lines) == result["payable"]
    assert {x["support_pct"] for x in lines} == {70}


@pytest.mark.django_db
def test_full_scale_allocation_gives_the_seed_totals_over_the_real_map():
    areas_load(old_province_code=93, new_province_code=92)
    province = AdministrativeUnit.objects.get(map=MapVersion.OLD, level=Level.PROVINCE, code="93")
    communes = demo_communes(province)
    assert len(communes) == 75 and len({c.district_id for c in communes}) == 8
    plan = plan_units([CommuneSlot(c.code, c.urban, c.town) for c in communes], seed=2024, scale=1.0)
    assert plan.totals == (588, 777, 36_000)
    assert min(plan.branches) >= 1
    assert plan == plan_units([CommuneSlot(c.code, c.urban, c.town) for c in communes], seed=2024)


def test_citizen_id_digits_follow_birth_year_and_sex():
    assert names.century_sex_digit(birth_year=1970, sex="male") == 0
    assert names.century_sex_digit(birth_year=1999, sex="female") == 1
    assert names.century_sex_digit(birth_year=2000, sex="male") == 2
    assert names.century_sex_digit(birth_year=2010, sex="female") == 3


@pytest.mark.django_db
def test_summary_has_the_keys_and_the_whole_map(demo):
    assert SUMMARY_KEYS <= set(demo)
    assert (demo["districts"], demo["communes"]) == (8, 75)
    assert demo["branches"] == AssociationUnit.objects.filter(kind="branch").count() >= 75
    assert demo["savings_groups"] == AssociationUnit.objects.filter(kind="savings_group").count() > 0
    assert demo["members"] == Membership.objects.values("person").distinct().count()
    assert demo["vsi_participants"] == VsiParticipation.objects.values("person").distinct().count() > 0
    assert demo["hi_participants"] == HiMemberCoverage.objects.values("person").distinct().count() > 0
    assert {u["role"] for u in demo["users"]} == {"si_officer", "association_officer", "group_leader",
                                                  "collection_agent", "province_admin"}
    json.dumps(demo, ensure_ascii=False)


@pytest.mark.django_db
def test_every_household_has_exactly_one_head_and_a_district_agent(demo):
    heads = Counter(HouseholdMember.objects.filter(relationship="head").values_list("household_id", flat=True))
    assert set(heads) == set(Household.objects.values_list("pk", flat=True))
    assert set(heads.values()) == {1}
    # Registered before the map change: an agent of their district; after: an agent whose catchment has it.
    old = Household.objects.filter(commune__map=MapVersion.OLD)
    assert not old.exclude(agent__area=F("commune__parent")).exists()
    new = Household.objects.filter(commune__map=MapVersion.NEW)
    assert new.exists() and not new.exclude(agent__catchments__commune=F("commune")).exists()
    sizes = Counter(HouseholdMember.objects.values("household").annotate(n=Count("pk")).values_list("n", flat=True))
    assert min(sizes) >= 1 and max(sizes) <= 7


@pytest.mark.django_db
def test_citizen_ids_agree_with_date_of_birth_and_sex(demo):
    rows = list(Person.objects.values_list("citizen_id", "date_of_birth", "sex", "si_number", "phone"))
    assert len({r[0] for r in rows}) == len(rows)
    for cid, born, sex, si, phone in rows:
        assert len(cid) == 12 and cid.isdigit()
        assert int(cid[3]) == names.century_sex_digit(birth_year=born.year, sex=sex)
        assert cid[4:6] == f"{born.year % 100:02d}"
        assert si is None or (len(si) == 10 and si.isdigit())
        assert phone == "" or (len(phone) == 10 and phone[:3] in names.MOBILE_PREFIXES)


@pytest.mark.django_db
def test_every_demo_name_is_searchable_without_diacritics(demo):
    from ansinh.core.text import fold

    names_folded = list(Person.objects.values_list("full_name", "name_folded"))
    assert names_folded and all(folded == fold(name) for name, folded in names_folded)


@pytest.mark.django_db
def test_every_unit_has_exactly_one_leader_and_groups_sit_in_their_branch_commune(demo):
    leaders = Counter(Membership.objects.filter(role="leader").values_list("unit_id", flat=True))
    assert set(leaders) == set(AssociationUnit.objects.values_list("pk", flat=True))
    assert set(leaders.values()) == {1}
    groups = AssociationUnit.objects.filter(kind="savings_group")
    assert not groups.filter(branch__isnull=True).exists()
    assert not groups.exclude(commune=F("branch__commune")).exists()
    assert AssociationUnit.objects.filter(kind="branch", name__startswith="Chi hội ").count() == demo["branches"]


@pytest.mark.django_db
def test_every_payment_equals_the_participation_and_its_receipt(demo):
    payments = Payment.objects.select_related("vsi", "hi", "receipt")
    assert payments.count() == VsiParticipation.objects.count() + HiParticipation.objects.count()
    for payment in payments:
        participation = payment.vsi or payment.hi
        assert payment.amount == participation.payable == payment.receipt.amount
        assert participation.status == "paid" and payment.paid_on == participation.priced_on
        assert sum(item["amount"] for item in payment.receipt.items) == payment.amount
        assert payment.receipt.amount_in_words == amount_in_words(payment.amount)
    for vsi in VsiParticipation.objects.all()[:200]:
        assert vsi.payable == vsi.amount_due - vsi.state_support - vsi.local_support
        assert vsi.quote["payable"] == vsi.payable and vsi.from_month.day == 1
    lines = HiMemberCoverage.objects.values("participation").annotate(
        amount=Sum("amount"), support=Sum("state_support"), payable=Sum("payable"))
    by_id = {p.pk: p for p in HiParticipation.objects.all()}
    for row in lines:
        p = by_id[row["participation"]]
        assert (row["amount"], row["support"], row["payable"]) == (p.total, p.state_support, p.payable)
    assert len(lines) == len(by_id)


@pytest.mark.django_db
def test_hi_cards_follow_the_rules_validity_first_or_renewed_without_break(demo):
    previous: dict[int, datetime.date] = {}
    lines = HiMemberCoverage.objects.select_related("participation").order_by("person_id", "participation__priced_on")
    for line in lines:
        p = line.participation
        expected = hi_card_validity(paid_on=p.priced_on, months=p.months,
                                    previous_valid_to=previous.get(line.person_id))
        assert (line.valid_from, line.valid_to) == (expected.valid_from, expected.valid_to)
        assert line.valid_from > p.priced_on and line.validity_rule
        previous[line.person_id] = line.valid_to


@pytest.mark.django_db
def test_hi_lists_rank_members_as_enrolment_does(demo):
    for participation in HiParticipation.objects.select_related("household"):
        listed = list(participation.members.order_by("rank").values_list("person_id", flat=True))
        eligible = [m.person_id for m in hi_eligible_members(household=participation.household)]
        assert [i for i in eligible if i in listed] == listed
        assert list(participation.members.order_by("rank").values_list("rank", flat=True)) == list(
            range(1, len(listed) + 1))


@pytest.mark.django_db
def test_demo_users_have_their_roles_and_scopes(demo):
    roles = {r.user.username: r for r in UserRole.objects.select_related("user", "area", "association_unit", "agent")}
    assert roles["bhxh_tinh"].area.level == Level.PROVINCE and roles["bhxh_vithanh"].area.level == Level.DISTRICT
    assert roles["hoinongdan_tinh"].role == "association_officer"
    leader = roles["chihoitruong"]
    person = Membership.objects.get(unit=leader.association_unit, role="leader").person
    assert leader.association_unit.name.startswith("Chi hội ấp")
    assert leader.user.get_full_name() == person.full_name
    agent = roles["thu_vien"].agent
    old_map = agent.households.filter(commune__map=MapVersion.OLD)
    assert old_map.exists() and not old_map.exclude(commune__parent=agent.area).exists()
    assert roles["admin"].user.is_superuser and roles["admin"].role == "si_officer"
    admin = roles["quan_tri"]
    assert (admin.role, admin.area.map, admin.area.level, admin.area.code) == ("province_admin", "new", "province", "92")
    office = roles["bhxh_coso"]
    assert (office.role, office.area, office.si_office.code) == ("si_officer", None, "BHXH92-VT")
    commune = roles["bhxh_xa"]
    assert (commune.role, commune.area.map, commune.area.level) == ("si_officer", "new", "commune")
    assert all(u.user.check_password(DEMO_PASSWORD) for u in roles.values())
    assert {u["username"] for u in demo["users"]} == set(roles)


@pytest.mark.django_db
def test_receipt_numbers_are_unique_per_org_and_year_and_the_counter_continues(demo):
    """Each agent's receipts form a series (their receipt book) numbered from 1 in payment order; the
    counters continue where the demo stopped."""
    receipts = list(Receipt.objects.select_related("org", "agent").order_by("series", "year", "serial"))
    assert len({(r.org_id, r.year, r.series, r.serial) for r in receipts}) == len(receipts)
    assert len({r.number for r in receipts}) == len(receipts)
    series: dict[tuple, list] = {}
    for r in receipts:
        assert r.series == r.agent.code
        assert r.number == format_receipt_number(org_code=r.org.code, year=r.year, serial=r.serial, series=r.series)
        series.setdefault((r.org_id, r.year, r.series), []).append(r)
    counters = {(c.org_id, c.year, c.series): c.last_serial for c in ReceiptCounter.objects.all()}
    assert counters.keys() == series.keys()
    for key, rows in series.items():
        assert [r.serial for r in rows] == list(range(1, len(rows) + 1))
        assert counters[key] == len(rows)
        assert [r.issued_on for r in rows] == sorted(r.issued_on for r in rows)


@pytest.mark.django_db
def test_targets_are_the_seed_targets(demo):
    campaign = Campaign.objects.get(code=CAMPAIGN_CODE)
    assert campaign.launch_day == datetime.date(2024, 5, 20) and campaign.ends_on == datetime.date(2024, 12, 31)
    districts = set(AdministrativeUnit.objects.filter(level=Level.DISTRICT, map=MapVersion.OLD)
                    .values_list("pk", flat=True))
    launch = Target.objects.filter(campaign=campaign, period_start=campaign.launch_day,
                                   period_end=campaign.launch_day, goal_kind="count")
    assert {(t.area_id, t.indicator, t.goal) for t in launch} == (
        {(d, "vsi_new", Decimal(50)) for d in districts} | {(d, "hi_new", Decimal(100)) for d in districts})
    province = Target.objects.filter(campaign=campaign, area=campaign.province, goal_kind="percent",
                                     period_end=datetime.date(2024, 12, 31))
    assert {(t.indicator, t.goal) for t in province} == {("leaders_vsi", Decimal(50)), ("leaders_hi", Decimal(100))}
    assert Target.objects.filter(campaign=campaign).count() == 18


@pytest.mark.django_db
def test_leaders_partly_meet_the_year_end_goals(demo):
    leaders = set(Membership.objects.filter(role="leader").values_list("person_id", flat=True))
    vsi = leaders & set(VsiParticipation.objects.filter(priced_on__year=2024).values_list("person_id", flat=True))
    hi = leaders & set(HiMemberCoverage.objects.filter(participation__priced_on__year=2024)
                       .values_list("person_id", flat=True))
    assert 0.25 <= len(vsi) / len(leaders) < 0.5
    assert 0.65 <= len(hi) / len(leaders) < 1
    referred = VsiParticipation.objects.filter(referred_by__isnull=False)
    assert not referred.filter(person_id__in=leaders).exists()
    assert referred.filter(referred_by_id__in=leaders).count() == referred.count() > 0


@pytest.mark.django_db
def test_same_seed_gives_the_same_data_and_rerunning_replaces_the_demo(demo):
    first = demo_digest()
    summary = demo_run(seed=11, scale=SCALE)  # a demo is there: wiped, then generated again
    assert demo_digest() == first
    assert {k: summary[k] for k in SUMMARY_KEYS - {"seconds"}} == {k: demo[k] for k in SUMMARY_KEYS - {"seconds"}}
    demo_run(seed=12, scale=SCALE)
    assert demo_digest() != first


# ---------------------------------------------------------------------------------------------
# The story to "today" (03/12/2026): the map change, the successor organisation, 2025 and 2026
# ---------------------------------------------------------------------------------------------

TODAY = datetime.date(2026, 12, 3)
MAP_CHANGE = datetime.date(2025, 7, 1)


@pytest.mark.django_db
def test_the_post_office_closes_on_30_06_2025_and_its_successor_issues_the_later_receipts(demo):
    old = CollectionOrg.objects.get(code="BD93")
    new = CollectionOrg.objects.get(code="BD92")
    assert (old.name, old.closed_on, old.successor) == ("Bưu điện tỉnh Hậu Giang", datetime.date(2025, 6, 30), new)
    assert (new.name, new.valid_from, new.closed_on) == ("Bưu điện thành phố Cần Thơ", MAP_CHANGE, None)
    assert (new.province.map, new.province.code) == ("new", "92")
    assert Receipt.objects.filter(issued_on__gt=old.closed_on).exists()
    assert set(Receipt.objects.filter(issued_on__gt=old.closed_on).values_list("org__code", flat=True)) == {"BD92"}
    assert set(Receipt.objects.filter(issued_on__lte=old.closed_on).values_list("org__code", flat=True)) == {"BD93"}
    assert not Receipt.objects.exclude(number__startswith=F("org__code")).exists()
    assert Agent.objects.filter(org=old).count() == demo["agents"]  # the agents carry on
    assert old.history.filter(closed_on=datetime.date(2025, 6, 30)).exists()  # the closing is in the history


@pytest.mark.django_db
def test_campaigns_2024_2025_2026_with_their_targets(demo):
    campaigns = {c.code: c for c in Campaign.objects.select_related("province")}
    assert set(campaigns) == {"HG-2024-05", "CT-2025", "CT-2026"}
    assert (campaigns["HG-2024-05"].province.map, campaigns["HG-2024-05"].province.code) == ("old", "93")
    successors = set(UnitMapping.objects.filter(old_unit__province__code="93", old_unit__province__map="old",
                                                is_primary=True).values_list("new_unit_id", flat=True))
    for code, year in (("CT-2025", 2025), ("CT-2026", 2026)):
        c = campaigns[code]
        assert (c.province.map, c.province.code) == ("new", "92")
        assert c.launch_day.year == year and 3 <= c.launch_day.month <= 5 and c.ends_on == datetime.date(year, 12, 31)
        communes = Target.objects.filter(campaign=c, area__level=Level.COMMUNE)
        assert set(communes.values_list("area__map", flat=True)) == {"new"}
        assert set(communes.filter(indicator="vsi_new").values_list("area_id", flat=True)) == successors
        assert {(t.indicator, t.goal_kind) for t in Target.objects.filter(campaign=c, area=c.province)} == {
            ("leaders_vsi", "percent"), ("leaders_hi", "percent"), ("members_covered", "percent")}
    assert demo["campaigns"] == ["HG-2024-05", "CT-2025", "CT-2026"]


@pytest.mark.django_db
def test_today_there_are_valid_cards_cards_expiring_before_the_new_year_and_lapses(demo):
    valid = HiMemberCoverage.objects.filter(valid_from__lte=TODAY, valid_to__gte=TODAY)
    assert valid.exists()
    assert valid.filter(valid_to__lt=datetime.date(2027, 1, 1)).exists()
    last_card = dict(HiMemberCoverage.objects.values_list("person_id").annotate(end=Max("valid_to")))
    assert any(datetime.date(2025, 1, 1) <= end < TODAY for end in last_card.values())  # lapsed
    assert demo["hi_cards_valid_today"] == valid.values("person_id").distinct().count()
    assert not Payment.objects.filter(paid_on__gte=TODAY).exists()
    for year in (2025, 2026):  # renewals and new participants every year, in both programs
        assert VsiParticipation.objects.filter(priced_on__year=year, person__vsi_participations__priced_on__year=year - 1).exists()
        assert HiParticipation.objects.filter(priced_on__year=year).exists()


@pytest.mark.django_db
def test_records_keep_the_commune_they_were_made_under(demo):
    before, after = Q(priced_on__lt=MAP_CHANGE), Q(priced_on__gte=MAP_CHANGE)
    for model in (VsiParticipation, HiParticipation):
        assert model.objects.filter(after).exists()
        assert set(model.objects.filter(after).values_list("commune__map", flat=True)) == {"new"}
        assert set(model.objects.filter(before).values_list("commune__map", flat=True)) == {"old"}
    new_people = Person.objects.filter(created_at__date__gte=MAP_CHANGE)
    assert new_people.exists() and set(new_people.values_list("commune__map", flat=True)) == {"new"}
    assert set(Person.objects.filter(created_at__date__lt=MAP_CHANGE).values_list("commune__map", flat=True)) == {"old"}
    # households registered after the change are on new communes; those before keep their old commune
    new_households = Household.objects.filter(commune__map=MapVersion.NEW)
    assert new_households.count() == demo["new_households"] > 0
    assert not new_households.exclude(members__person__created_at__date__gte=MAP_CHANGE).exists()
    # a renewal after the change is made under the primary successor of the household's old commune
    primary = dict(UnitMapping.objects.filter(is_primary=True).values_list("old_unit_id", "new_unit_id"))
    renewals = HiParticipation.objects.filter(after, household__commune__map=MapVersion.OLD)
    assert renewals.exists()
    assert all(primary[h] == c for h, c in renewals.values_list("household__commune_id", "commune_id"))


@pytest.mark.django_db
def test_the_new_map_structure_catchments_offices_leaderships_assignments(demo):
    primary = dict(UnitMapping.objects.filter(is_primary=True).values_list("old_unit_id", "new_unit_id"))
    for agent in Agent.objects.prefetch_related("catchments"):
        catchment = {c.commune_id for c in agent.catchments.all()}
        assert catchment and set(AdministrativeUnit.objects.filter(pk__in=catchment).values_list("map", flat=True)) == {"new"}
        served = {primary.get(c, c) for c in agent.households.values_list("commune_id", flat=True)}
        assert served <= catchment
    offices = list(SiOffice.objects.prefetch_related("communes"))
    assert [o.code for o in offices] == ["BHXH92-PH", "BHXH92-VT"]
    covered = [set(o.communes.values_list("pk", flat=True)) for o in offices]
    assert not covered[0] & covered[1] and covered[0] | covered[1] == set(
        UnitMapping.objects.filter(old_unit__province__code="93", old_unit__province__map="old", is_primary=True)
        .values_list("new_unit_id", flat=True))
    # one open leadership per unit: today's leader, since before the 2024 launch day
    leaders = dict(Membership.objects.filter(role="leader").values_list("unit_id", "person_id"))
    open_periods = list(Leadership.objects.filter(ends_on__isnull=True).values_list("unit_id", "person_id", "starts_on"))
    assert {(u, p) for u, p, _ in open_periods} == set(leaders.items())
    assert Leadership.objects.count() == len(open_periods) == AssociationUnit.objects.count()
    assert max(s for _, _, s in open_periods) <= datetime.date(2024, 5, 20)
    # the assignment log agrees with each household's agent
    assignments = dict(HouseholdAssignment.objects.values_list("household_id", "agent_id"))
    assert assignments == dict(Household.objects.values_list("pk", "agent_id"))


@pytest.mark.django_db
def test_2024_is_told_as_before(demo):
    """The 2024 campaign is the seed's, on the old map: nothing of the story is dated in 2024."""
    assert demo["leaders_vsi_pct"] < 50 and demo["leaders_hi_pct"] < 100
    assert not Receipt.objects.filter(issued_on__year=2024).exclude(org__code="BD93").exists()
    assert set(VsiParticipation.objects.filter(priced_on__year=2024).values_list("commune__map", flat=True)) == {"old"}
    assert Payment.objects.filter(paid_on__year=2024).count() == (
        VsiParticipation.objects.filter(priced_on__year=2024).count()
        + HiParticipation.objects.filter(priced_on__year=2024).count())
