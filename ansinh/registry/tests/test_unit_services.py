"""Association units and their leaders: create, update, close, merge, leader_change, leaders_on."""

import datetime

import pytest

from ansinh.core.errors import PermissionDenied
from ansinh.registry import errors
from ansinh.registry.models import AssociationUnit, Leadership, MemberRole, Membership, UnitKind
from ansinh.registry.selectors import leaders_on
from ansinh.registry.services import (
    RECORDED_BEFORE, association_unit_close, association_unit_create, association_unit_merge,
    association_unit_update, leader_change,
)

from .unit_fixtures import foreign_commune, new_commune_of, person_make, province_admin_make

D = datetime.date


@pytest.fixture
def admin(small_province):
    return province_admin_make()


@pytest.fixture
def new_commune(small_province):
    return new_commune_of(small_province.commune)


def counts():
    return (AssociationUnit.objects.count(), Membership.objects.count(), Leadership.objects.count(),
            list(Membership.objects.filter(role=MemberRole.LEADER).values_list("unit_id", "person_id").order_by("pk")),
            list(Leadership.objects.values_list("unit_id", "person_id", "starts_on", "ends_on").order_by("pk")),
            list(AssociationUnit.objects.values_list("pk", "name", "closed_on", "merged_into_id", "branch_id")
                 .order_by("pk")))


def members(sp):
    return {m.relationship: m.person for m in sp.household.members.select_related("person")}


# --- create / update ------------------------------------------------------------------------------

def test_an_administrator_creates_a_branch_on_the_new_map_and_a_group_working_with_it(admin, new_commune):
    branch = association_unit_create(user=admin, kind=UnitKind.BRANCH, code=" CH-0100 ", name="Chi hội  ấp Mỹ Phú",
                                     commune=new_commune)
    group = association_unit_create(user=admin, kind=UnitKind.SAVINGS_GROUP, code="TK-0100", name="Tổ TK&VV số 1",
                                    commune=new_commune, branch=branch)
    assert (branch.code, branch.name, branch.commune, branch.closed_on) == ("CH-0100", "Chi hội ấp Mỹ Phú", new_commune,
                                                                            None)
    assert group.branch == branch
    assert branch.history.get().history_user == admin


def test_a_new_unit_on_an_old_map_commune_is_refused_on_the_commune_field(admin, small_province):
    before = counts()
    with pytest.raises(errors.UnitCommuneInvalid) as exc:
        association_unit_create(user=admin, kind=UnitKind.BRANCH, code="CH-OLD", name="Chi hội cũ",
                                commune=small_province.commune)
    assert (exc.value.field, exc.value.message) == (
        "commune", "Đơn vị mới phải ở một xã, phường theo bản đồ hành chính từ 01/07/2025.")
    assert counts() == before


def test_a_unit_with_members_is_not_moved_to_another_commune(admin, small_province, new_commune):
    from ansinh.areas.models import AdministrativeUnit, Level, MapVersion

    other = (AdministrativeUnit.objects.filter(map=MapVersion.NEW, level=Level.COMMUNE,
                                               province=new_commune.province).exclude(pk=new_commune.pk).first())
    before = counts()
    with pytest.raises(errors.UnitRefused) as exc:
        association_unit_update(user=admin, unit=small_province.branch, commune=other)
    assert (exc.value.field, exc.value.message) == (
        "commune", "Đơn vị còn 2 hội viên, thành viên nên không chuyển sang xã, phường khác được: hãy lập đơn vị "
                   "mới ở xã, phường đó rồi sáp nhập đơn vị này vào.")
    assert counts() == before
    assert AssociationUnit.objects.get(pk=small_province.branch.pk).commune == small_province.commune


def test_a_unit_used_by_an_active_account_is_neither_closed_nor_merged(admin, new_commune):
    from django.contrib.auth.models import User

    from ansinh.accounts.models import Role
    from ansinh.accounts.services import user_role_assign

    unit = association_unit_create(user=admin, kind=UnitKind.SAVINGS_GROUP, code="TK-9", name="Tổ 9", commune=new_commune)
    target = association_unit_create(user=admin, kind=UnitKind.SAVINGS_GROUP, code="TK-10", name="Tổ 10",
                                     commune=new_commune)
    leader = User.objects.create_user(username="to_truong_9", password="x-pass-123")
    user_role_assign(user=leader, role=Role.GROUP_LEADER, association_unit=unit)
    before = counts()
    message = "Còn 1 tài khoản đang dùng đơn vị này — hãy khóa hoặc đổi phạm vi các tài khoản đó trước."
    with pytest.raises(errors.UnitHasMembers) as exc:
        association_unit_close(user=admin, unit=unit, closed_on=D(2026, 6, 30))
    assert (exc.value.field, exc.value.message) == ("closed_on", message)
    with pytest.raises(errors.UnitHasMembers) as exc:
        association_unit_merge(user=admin, source=unit, target=target, merged_on=D(2026, 6, 30))
    assert (exc.value.field, exc.value.message) == ("merged_on", message)
    assert counts() == before
    leader.is_active = False
    leader.save()
    assert association_unit_close(user=admin, unit=unit, closed_on=D(2026, 6, 30)).closed_on == D(2026, 6, 30)


def test_a_duplicate_code_is_refused_on_the_code_field_whatever_its_case(admin, new_commune):
    before = counts()
    with pytest.raises(errors.UnitCodeTaken) as exc:
        association_unit_create(user=admin, kind=UnitKind.BRANCH, code="ch-0001", name="Trùng mã", commune=new_commune)
    assert exc.value.message == "Mã đơn vị «ch-0001» đã được dùng cho một chi hội hoặc tổ khác."
    assert exc.value.field == "code"
    assert counts() == before


def test_a_unit_in_another_province_is_refused_on_the_commune_field(admin):
    commune = foreign_commune()
    before = counts()
    with pytest.raises(errors.UnitOutOfScope) as exc:
        association_unit_create(user=admin, kind=UnitKind.BRANCH, code="CH-HN", name="Chi hội Hà Nội", commune=commune)
    assert (exc.value.message, exc.value.field) == ("Xã, phường này nằm ngoài tỉnh bạn phụ trách.", "commune")
    assert counts() == before


def test_a_district_is_not_a_commune(admin, small_province):
    with pytest.raises(errors.UnitCommuneInvalid) as exc:
        association_unit_create(user=admin, kind=UnitKind.BRANCH, code="CH-X", name="X",
                                commune=small_province.district)
    assert (exc.value.message, exc.value.field) == ("Phải chọn một xã, phường, thị trấn.", "commune")


def test_a_group_works_with_a_branch_not_with_a_group(admin, new_commune, small_province):
    group = association_unit_create(user=admin, kind=UnitKind.SAVINGS_GROUP, code="TK-1", name="Tổ 1",
                                    commune=new_commune)
    with pytest.raises(errors.UnitBranchInvalid) as exc:
        association_unit_create(user=admin, kind=UnitKind.SAVINGS_GROUP, code="TK-2", name="Tổ 2", commune=new_commune,
                                branch=group)
    assert (exc.value.message, exc.value.field) == (
        "Tổ TK&VV phải gắn với một chi hội nông dân (không phải một tổ).", "branch")
    with pytest.raises(errors.UnitBranchInvalid) as exc:
        association_unit_create(user=admin, kind=UnitKind.BRANCH, code="CH-2", name="Chi hội 2", commune=new_commune,
                                branch=small_province.branch)
    assert exc.value.message == "Chi hội không trực thuộc một chi hội khác: để trống ô chi hội."


def test_officers_without_the_permission_cannot_create(small_province, new_commune):
    with pytest.raises(PermissionDenied):
        association_unit_create(user=small_province.users["bhxh_tinh"], kind=UnitKind.BRANCH, code="CH-9",
                                name="Chi hội 9", commune=new_commune)


def test_update_changes_name_and_commune_and_records_who(admin, small_province, new_commune):
    unit = association_unit_update(user=admin, unit=small_province.branch, name="Chi hội ấp Một", commune=new_commune)
    unit.refresh_from_db()
    assert (unit.name, unit.commune, unit.code) == ("Chi hội ấp Một", new_commune, "CH-0001")
    assert unit.history.first().history_user == admin


# --- leader_change and leaders_on -----------------------------------------------------------------

def test_a_first_change_records_the_earlier_leader_so_earlier_dates_keep_him(admin, small_province):
    m = members(small_province)
    branch = small_province.branch
    assert leaders_on(on=D(2024, 6, 1)) == {branch.pk: m["head"].pk}
    leader_change(user=admin, unit=branch, person=m["spouse"], starts_on=D(2026, 3, 1))
    assert list(Leadership.objects.filter(unit=branch).order_by("starts_on").values_list(
        "person_id", "starts_on", "ends_on")) == [(m["head"].pk, RECORDED_BEFORE, D(2026, 2, 28)),
                                                  (m["spouse"].pk, D(2026, 3, 1), None)]
    assert leaders_on(on=D(2024, 6, 1)) == {branch.pk: m["head"].pk}
    assert leaders_on(on=D(2026, 2, 28)) == {branch.pk: m["head"].pk}
    assert leaders_on(on=D(2026, 3, 1)) == {branch.pk: m["spouse"].pk}
    roles = dict(Membership.objects.filter(unit=branch).values_list("person_id", "role"))
    assert roles == {m["head"].pk: "member", m["spouse"].pk: "leader"}


def test_a_leader_who_is_not_a_member_becomes_one_on_the_start_date(admin, small_province):
    m = members(small_province)
    leader_change(user=admin, unit=small_province.branch, person=m["child"], starts_on=D(2026, 3, 1))
    membership = Membership.objects.get(unit=small_province.branch, person=m["child"])
    assert (membership.role, membership.joined_on) == ("leader", D(2026, 3, 1))


def test_two_leaders_for_one_unit_on_one_date_are_refused(admin, small_province):
    m = members(small_province)
    leader_change(user=admin, unit=small_province.branch, person=m["spouse"], starts_on=D(2026, 3, 1))
    before = counts()
    with pytest.raises(errors.LeaderTwoOnOneDate) as exc:
        leader_change(user=admin, unit=small_province.branch, person=m["child"], starts_on=D(2026, 3, 1))
    assert exc.value.message == ("Ngày 01/03/2026 đơn vị đã có người đứng đầu khác (Trần Thị Bình): mỗi ngày một đơn "
                                 "vị chỉ có một người đứng đầu.")
    assert exc.value.field == "starts_on"
    assert counts() == before


def test_a_start_before_the_current_leaders_start_is_refused_and_nothing_rewritten(admin, small_province):
    m = members(small_province)
    leader_change(user=admin, unit=small_province.branch, person=m["spouse"], starts_on=D(2026, 3, 1))
    before = counts()
    with pytest.raises(errors.LeaderStartBeforeCurrent) as exc:
        leader_change(user=admin, unit=small_province.branch, person=m["child"], starts_on=D(2025, 1, 1))
    assert exc.value.message == ("Ngày bắt đầu phải sau ngày người đứng đầu hiện tại bắt đầu (01/03/2026); những gì "
                                 "đã ghi không được sửa lại.")
    assert exc.value.field == "starts_on"
    assert counts() == before


def test_the_current_leader_again_and_a_date_after_today_are_refused(admin, small_province):
    m = members(small_province)
    before = counts()
    with pytest.raises(errors.LeaderPersonInvalid) as exc:
        leader_change(user=admin, unit=small_province.branch, person=m["head"], starts_on=D(2026, 3, 1))
    assert exc.value.message == "Người này đang là người đứng đầu đơn vị."
    with pytest.raises(errors.UnitDateInvalid) as exc:
        leader_change(user=admin, unit=small_province.branch, person=m["spouse"], starts_on=D(2999, 1, 1))
    assert exc.value.field == "starts_on"
    assert exc.value.message.startswith("Ngày không được sau hôm nay (")
    assert counts() == before


def test_a_unit_of_another_province_is_out_of_scope_for_a_leader_change(admin, small_province):
    commune = foreign_commune()
    unit = AssociationUnit.objects.create(kind=UnitKind.BRANCH, code="CH-HN", name="Chi hội Hà Nội", commune=commune)
    with pytest.raises(errors.UnitOutOfScope):
        leader_change(user=admin, unit=unit, person=members(small_province)["spouse"], starts_on=D(2026, 3, 1))
    outsider = person_make(name="Lê Văn Xa", cid="001080000009", commune=commune)
    with pytest.raises(errors.LeaderPersonInvalid) as exc:
        leader_change(user=admin, unit=small_province.branch, person=outsider, starts_on=D(2026, 3, 1))
    assert exc.value.message == "Người này cư trú ngoài tỉnh bạn phụ trách."


def test_leaders_on_limits_to_units_and_leaves_out_units_without_a_leader(admin, small_province, new_commune):
    unit = association_unit_create(user=admin, kind=UnitKind.BRANCH, code="CH-2", name="Chi hội 2", commune=new_commune)
    m = members(small_province)
    leader_change(user=admin, unit=unit, person=m["child"], starts_on=D(2026, 1, 10))
    assert leaders_on(on=D(2026, 1, 9)) == {small_province.branch.pk: m["head"].pk}
    assert leaders_on(on=D(2026, 1, 10)) == {small_province.branch.pk: m["head"].pk, unit.pk: m["child"].pk}
    assert leaders_on(on=D(2026, 1, 10), unit_ids=[unit.pk]) == {unit.pk: m["child"].pk}


# --- close and merge ------------------------------------------------------------------------------

def test_closing_a_unit_with_members_is_refused(admin, small_province):
    before = counts()
    with pytest.raises(errors.UnitHasMembers) as exc:
        association_unit_close(user=admin, unit=small_province.branch, closed_on=D(2026, 6, 30))
    assert exc.value.message == ("Đơn vị còn 2 hội viên, thành viên nên không đóng được: hãy sáp nhập vào một đơn vị "
                                 "khác (hội viên được chuyển sang đơn vị nhận).")
    assert exc.value.field == "closed_on"
    assert counts() == before


def test_an_empty_unit_is_closed_not_deleted_and_then_refuses_changes(admin, new_commune):
    unit = association_unit_create(user=admin, kind=UnitKind.BRANCH, code="CH-2", name="Chi hội 2", commune=new_commune)
    association_unit_close(user=admin, unit=unit, closed_on=D(2026, 6, 30))
    unit.refresh_from_db()
    assert unit.closed_on == D(2026, 6, 30)
    with pytest.raises(errors.UnitClosed) as exc:
        association_unit_update(user=admin, unit=unit, name="Đổi tên")
    assert exc.value.message == ("Đơn vị này đã đóng ngày 30/06/2026: không sửa, đổi người đứng đầu hay sáp nhập "
                                 "được nữa.")


def test_a_merge_moves_members_closes_the_source_and_ends_its_leadership(admin, small_province, new_commune):
    m = members(small_province)
    target = association_unit_create(user=admin, kind=UnitKind.BRANCH, code="CH-2", name="Chi hội 2",
                                     commune=new_commune)
    Membership.objects.create(person=m["spouse"], unit=target, joined_on=D(2025, 1, 1))
    group = association_unit_create(user=admin, kind=UnitKind.SAVINGS_GROUP, code="TK-1", name="Tổ 1",
                                    commune=new_commune, branch=small_province.branch)
    small_province.users["chi_hoi"].__class__.objects.filter(pk=small_province.users["chi_hoi"].pk).update(
        is_active=False)  # the branch leader's account is locked first
    result = association_unit_merge(user=admin, source=small_province.branch, target=target, merged_on=D(2026, 7, 1))
    assert (result["moved"], result["already"]) == (1, 1)
    source = AssociationUnit.objects.get(pk=small_province.branch.pk)
    assert (source.closed_on, source.merged_into_id) == (D(2026, 7, 1), target.pk)
    assert Membership.objects.filter(unit=source).count() == 2  # nothing deleted
    moved = Membership.objects.get(unit=target, person=m["head"])
    assert (moved.role, moved.joined_on) == ("member", D(2026, 7, 1))
    assert not Membership.objects.filter(unit=source, role="leader").exists()
    assert list(Leadership.objects.filter(unit=source).values_list("person_id", "starts_on", "ends_on")) == [
        (m["head"].pk, RECORDED_BEFORE, D(2026, 6, 30))]
    assert leaders_on(on=D(2024, 6, 1)) == {source.pk: m["head"].pk}
    assert leaders_on(on=D(2026, 7, 1)) == {}
    group.refresh_from_db()
    assert group.branch == target


def test_merging_into_itself_or_into_a_closed_unit_is_refused(admin, small_province, new_commune):
    closed = association_unit_create(user=admin, kind=UnitKind.BRANCH, code="CH-2", name="Chi hội 2",
                                     commune=new_commune)
    association_unit_close(user=admin, unit=closed, closed_on=D(2026, 1, 31))
    before = counts()
    with pytest.raises(errors.MergeTargetInvalid) as exc:
        association_unit_merge(user=admin, source=small_province.branch, target=small_province.branch,
                               merged_on=D(2026, 7, 1))
    assert (exc.value.message, exc.value.field) == ("Không thể sáp nhập một đơn vị vào chính nó.", "target")
    with pytest.raises(errors.MergeTargetInvalid) as exc:
        association_unit_merge(user=admin, source=small_province.branch, target=closed, merged_on=D(2026, 7, 1))
    assert (exc.value.message, exc.value.field) == (
        "Đơn vị nhận đã đóng ngày 31/01/2026: hãy chọn một đơn vị đang hoạt động.", "target")
    assert counts() == before


def test_merging_a_branch_into_a_group_is_refused(admin, small_province, new_commune):
    group = association_unit_create(user=admin, kind=UnitKind.SAVINGS_GROUP, code="TK-1", name="Tổ 1",
                                    commune=new_commune)
    with pytest.raises(errors.MergeTargetInvalid) as exc:
        association_unit_merge(user=admin, source=small_province.branch, target=group, merged_on=D(2026, 7, 1))
    assert exc.value.message == "Chỉ sáp nhập được vào đơn vị cùng loại (chi hội vào chi hội, tổ vào tổ)."
