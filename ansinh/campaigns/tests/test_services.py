"""Targets and campaigns: bad input refused with the exact Vietnamese messages, scope enforced."""

import datetime
from decimal import Decimal

import pytest

from ansinh.campaigns import errors
from ansinh.campaigns.models import GoalKind, Indicator, Target
from ansinh.campaigns.services import campaign_create, campaign_update, target_create, target_delete, target_update
from ansinh.core.errors import PermissionDenied

from .factories import END, LAUNCH, START, campaign_make


@pytest.fixture
def campaign(small_province):
    return campaign_make(small_province.province)


def create(sp, campaign, user="bhxh_tinh", **kw):
    args = {"indicator": Indicator.VSI_NEW, "area": sp.district, "period_start": LAUNCH, "period_end": LAUNCH,
            "goal": 50, "goal_kind": GoalKind.COUNT}
    args.update(kw)
    return target_create(user=sp.users[user], campaign=campaign, **args)


def test_a_province_officer_sets_the_seed_targets(small_province, campaign):
    target = create(small_province, campaign)
    assert (target.goal, target.goal_kind, target.area) == (Decimal("50.00"), "count", small_province.district)
    leaders = create(small_province, campaign, indicator=Indicator.LEADERS_VSI, area=small_province.province,
                     period_end=END, goal="50", goal_kind=GoalKind.PERCENT)
    assert leaders.goal == Decimal("50.00")


@pytest.mark.parametrize(("changes", "error", "message"), [
    ({"goal": -1}, errors.TargetGoalNegative, "Chỉ tiêu không được là số âm."),
    ({"period_start": datetime.date(2024, 6, 1), "period_end": datetime.date(2024, 5, 31)},
     errors.TargetPeriodInvalid, "Ngày kết thúc kỳ chỉ tiêu không được trước ngày bắt đầu."),
    ({"indicator": Indicator.LEADERS_HI, "goal": 101, "goal_kind": GoalKind.PERCENT},
     errors.TargetPercentTooHigh, "Chỉ tiêu tỷ lệ không được vượt quá 100%."),
    ({"indicator": Indicator.LEADERS_VSI, "goal_kind": GoalKind.COUNT}, errors.TargetGoalKindMismatch,
     "Chỉ tiêu «Tỷ lệ chi hội trưởng, tổ trưởng tham gia BHXH tự nguyện» phải giao theo tỷ lệ %."),
    ({"indicator": Indicator.COLLECTED, "goal_kind": GoalKind.COUNT}, errors.TargetGoalKindMismatch,
     "Chỉ tiêu «Số tiền thu (đồng)» phải giao theo số tiền (đồng)."),
    ({"goal": "50.5"}, errors.TargetInvalid, "Chỉ tiêu số người hoặc số tiền phải là số nguyên."),
    ({"goal": "năm mươi"}, errors.TargetInvalid, "Chỉ tiêu phải là một số."),
    ({"period_end": datetime.date(2025, 1, 1)}, errors.TargetPeriodInvalid,
     "Kỳ chỉ tiêu phải nằm trong thời gian chiến dịch (01/05/2024 – 31/12/2024)."),
    ({"area": None}, errors.TargetUnitInvalid,
     "Phải chọn đúng một đơn vị nhận chỉ tiêu: địa bàn, chi hội/tổ TK&VV hoặc nhân viên thu."),
])
def test_bad_targets_are_refused_with_a_clear_message(small_province, campaign, changes, error, message):
    with pytest.raises(error) as exc:
        create(small_province, campaign, **changes)
    assert exc.value.message == message
    assert not Target.objects.exists()


def test_a_unit_outside_the_officers_scope_is_refused(small_province, campaign):
    sp = small_province
    for unit in ({"area": sp.other_district}, {"area": sp.province}, {"area": sp.other_commune},
                 {"area": None, "agent": sp.other_agent}):
        with pytest.raises(errors.TargetOutOfScope) as exc:
            create(sp, campaign, user="bhxh_huyen", **unit)
        assert exc.value.message == "Đơn vị nhận chỉ tiêu nằm ngoài địa bàn bạn phụ trách."
    assert create(sp, campaign, user="bhxh_huyen", area=sp.commune).area == sp.commune
    assert create(sp, campaign, user="bhxh_huyen", area=None, association_unit=sp.branch).association_unit == sp.branch
    assert create(sp, campaign, user="bhxh_huyen", area=None, agent=sp.agent).agent == sp.agent


def test_roles_without_the_permission_cannot_set_targets(small_province, campaign):
    for user in ("hoi_tinh", "chi_hoi", "thu_1"):
        with pytest.raises(PermissionDenied):
            create(small_province, campaign, user=user)


def test_a_duplicate_target_is_refused(small_province, campaign):
    create(small_province, campaign)
    with pytest.raises(errors.TargetDuplicate) as exc:
        create(small_province, campaign, goal=60)
    assert exc.value.message == "Đơn vị này đã có chỉ tiêu cùng loại cho cùng kỳ."


def test_update_checks_like_create_and_keeps_what_is_left_out(small_province, campaign):
    target = create(small_province, campaign)
    updated = target_update(user=small_province.users["bhxh_tinh"], target=target, goal=60)
    assert (updated.goal, updated.period_start, updated.area) == (Decimal("60.00"), LAUNCH, small_province.district)
    with pytest.raises(errors.TargetGoalNegative):
        target_update(user=small_province.users["bhxh_tinh"], target=target, goal=-5)
    with pytest.raises(errors.TargetPeriodInvalid):
        target_update(user=small_province.users["bhxh_tinh"], target=target, period_end=datetime.date(2024, 5, 1))
    target.refresh_from_db()
    assert target.goal == Decimal("60.00")
    other = create(small_province, campaign, area=small_province.other_district)
    with pytest.raises(errors.TargetOutOfScope):
        target_update(user=small_province.users["bhxh_huyen"], target=other, goal=1)
    with pytest.raises(errors.TargetOutOfScope):
        target_update(user=small_province.users["bhxh_huyen"], target=target, area=small_province.other_commune)
    target_delete(user=small_province.users["bhxh_tinh"], target=other)
    assert list(Target.objects.all()) == [target]


def test_campaigns_are_checked(small_province):
    officer = small_province.users["bhxh_tinh"]
    with pytest.raises(errors.CampaignInvalid) as exc:
        campaign_create(user=officer, code="X", name="X", launch_day=LAUNCH, starts_on=END, ends_on=START)
    assert exc.value.message == "Ngày kết thúc chiến dịch không được trước ngày bắt đầu."
    with pytest.raises(errors.CampaignInvalid) as exc:
        campaign_create(user=officer, code="X", name="X", launch_day=datetime.date(2025, 1, 1), starts_on=START,
                        ends_on=END)
    assert exc.value.message == "Ngày ra quân phải nằm trong thời gian chiến dịch."
    with pytest.raises(PermissionDenied) as exc:
        campaign_create(user=small_province.users["bhxh_huyen"], code="X", name="X", launch_day=LAUNCH,
                        starts_on=START, ends_on=END)
    assert exc.value.message == "Chỉ cán bộ cấp tỉnh được tạo hoặc sửa chiến dịch."
    campaign = campaign_create(user=officer, code="HG", name="Chiến dịch", launch_day=LAUNCH, starts_on=START,
                               ends_on=END)
    assert campaign.province == small_province.province
    create(small_province, campaign, period_end=datetime.date(2024, 12, 1))
    with pytest.raises(errors.CampaignInvalid):
        campaign_update(user=officer, campaign=campaign, ends_on=datetime.date(2024, 11, 30))


def test_a_goal_too_large_for_the_goal_column_is_refused_with_a_message():
    from ansinh.campaigns import errors
    from ansinh.campaigns.services import _goal

    with pytest.raises(errors.TargetInvalid) as err:
        _goal("1e30")
    assert err.value.message == errors.GOAL_TOO_LARGE


# --- Closed units and agents (bad-input pass) --------------------------------------------------------------

def test_a_target_for_a_closed_unit_or_agent_is_refused_on_its_field(small_province, campaign):
    from ansinh.collection.models import Agent
    from ansinh.registry.models import AssociationUnit

    sp = small_province
    kept = create(sp, campaign, area=None, association_unit=sp.branch)
    AssociationUnit.objects.filter(pk=sp.branch.pk).update(closed_on=LAUNCH)
    Agent.objects.filter(pk=sp.agent.pk).update(closed_on=LAUNCH - datetime.timedelta(days=1))
    sp.branch.refresh_from_db()
    sp.agent.refresh_from_db()
    before = list(Target.objects.values_list("pk", "goal", "association_unit", "agent").order_by("pk"))
    with pytest.raises(errors.TargetUnitClosed) as exc:
        create(sp, campaign, area=None, association_unit=sp.branch, indicator=Indicator.HI_NEW)
    assert (exc.value.details["field"], exc.value.message) == ("association_unit",
                                                               f"Đơn vị đã đóng từ {LAUNCH:%d/%m/%Y}.")
    with pytest.raises(errors.TargetUnitClosed) as exc:
        create(sp, campaign, area=None, agent=sp.agent)
    day_before = LAUNCH - datetime.timedelta(days=1)
    assert (exc.value.details["field"], exc.value.message) == ("agent", f"Đơn vị đã đóng từ {day_before:%d/%m/%Y}.")
    with pytest.raises(errors.TargetUnitClosed) as exc:
        target_update(user=sp.users["bhxh_tinh"], target=kept, goal=70)
    assert exc.value.details["field"] == "association_unit"
    assert list(Target.objects.values_list("pk", "goal", "association_unit", "agent").order_by("pk")) == before


def test_target_form_and_copy_use_the_campaigns_map(small_province):
    """A campaign of the new-map province counts on the new map whatever its start (``campaign_map``)."""
    from ansinh.areas.models import AdministrativeUnit, Level, MapVersion
    from ansinh.campaigns.forms_progress import TargetForm
    from ansinh.campaigns.models import Campaign
    from ansinh.campaigns.selectors import campaign_map

    province = AdministrativeUnit.objects.get(map=MapVersion.NEW, level=Level.PROVINCE, code="92")
    early = Campaign.objects.create(code="CT-EARLY", name="Sớm", province=province, launch_day=START,
                                    starts_on=START, ends_on=END)
    assert campaign_map(early) == MapVersion.NEW
    communes = AdministrativeUnit.objects.filter(level=Level.COMMUNE)
    form = TargetForm(communes=communes, campaign=early)
    areas = form.fields["area"].queryset
    assert not areas.filter(map=MapVersion.OLD).exists()
    assert not areas.filter(level=Level.DISTRICT).exists()
    assert areas.filter(map=MapVersion.NEW, level=Level.COMMUNE).exists()
