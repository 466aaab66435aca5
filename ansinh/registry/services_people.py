"""Editing the registry in the field: people, households, members, heads, deaths, moves out of the province
and poverty status.

Every service checks permission and scope at its top, runs in one transaction (nothing half-written),
locks the households it touches (the payment path locks the same rows), records who and why in the history
(``_history_user``, ``_change_reason``) and says what the change does to money (``RegistryChange.money``):
saved quotes that no longer fit are cancelled with the reason; cards and periods already paid stay valid to
their end; the next HI quote re-ranks the members (rules §4).
"""

import dataclasses
import datetime
import re

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from ansinh.accounts.models import Role
from ansinh.accounts.services import (communes_in_scope, record_commune_ids_in_scope, require_household_in_scope,
                                      require_permission, require_person_in_scope)
from ansinh.areas.models import AdministrativeUnit, Level, MapVersion, UnitMapping
from ansinh.core.masking import mask_name
from ansinh.core.text import collapse_spaces, name_normalise

from . import errors_people as e
from .models import Household, HouseholdMember, OtherCoverage, Person, PovertyStatus, Relationship, Sex

IDENTITY_FIELDS = ("full_name", "date_of_birth", "sex", "citizen_id", "si_number")
"""Fields whose correction needs a reason, kept in the history."""
PERSON_FIELDS = (*IDENTITY_FIELDS, "phone", "ethnic_minority", "other_coverage", "hamlet")
# A change of these makes a saved quote wrong (rank by age, support group, who is on the HI list).
PRICE_FIELDS = ("date_of_birth", "ethnic_minority", "other_coverage")

MONEY_KEPT = "Thẻ BHYT và thời gian đóng BHXH đã nộp tiền vẫn giữ giá trị đến hết hạn."
MONEY_RERANK = "Lần báo giá BHYT sau sẽ tính lại và xếp lại thứ tự thành viên của hộ."
MONEY_NONE = "Không ảnh hưởng đến số tiền phải đóng."


@dataclasses.dataclass
class RegistryChange:
    """What a registry service did: ``subject`` (the person or household written), the labels of the saved
    quotes it cancelled, and ``money``, one Vietnamese paragraph saying what it does to money."""

    subject: object
    cancelled: list[str] = dataclasses.field(default_factory=list)
    money: str = MONEY_NONE


# --- helpers ------------------------------------------------------------------------------------------


def _today() -> datetime.date:
    return timezone.localdate()


def _is_agent(user_role) -> bool:
    return user_role.role == Role.COLLECTION_AGENT


def _lock(*households: Household) -> None:
    """Lock the households' rows in id order (the payment of a saved quote locks the household too)."""
    ids = sorted({h.pk for h in households if h is not None})
    list(Household.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk"))


def _stamp(instance, user, reason: str):
    instance._history_user = user
    instance._change_reason = reason[:100] if reason else None
    return instance


def _province_key(commune: AdministrativeUnit) -> int | None:
    """The new-map province of a commune (old-map communes through their primary successor)."""
    if commune.map == MapVersion.OLD:
        new = UnitMapping.objects.filter(old_unit=commune, is_primary=True).values_list(
            "new_unit__province_id", flat=True).first()
        if new is not None:
            return new
    return commune.province_id


def _last_card_start(person: Person) -> datetime.date | None:
    from ansinh.enrollment.models import HiMemberCoverage
    from ansinh.enrollment.selectors import PAID_STATUSES

    return HiMemberCoverage.objects.filter(
        person=person, participation__status__in=PAID_STATUSES).aggregate(start=Max("valid_from"))["start"]


def _quotes_cancel(*, user, households=(), people=(), reason: str) -> list[str]:
    """Cancel the saved quotes (status ``quoted``) of ``households`` (HI) and ``people`` (VSI), keeping the
    reason on each quote (``quote["cancelled"]``). Returns their Vietnamese labels."""
    from ansinh.enrollment.models import HiParticipation, Status, VsiParticipation

    stamp = {"reason": reason, "on": _today().isoformat(), "by": user.pk}
    labels = []
    hi = HiParticipation.objects.filter(household__in=[h.pk for h in households], status=Status.QUOTED)
    vsi = VsiParticipation.objects.filter(person__in=[p.pk for p in people], status=Status.QUOTED)
    for participation in [*hi.select_related("household").order_by("pk"), *vsi.select_related("person").order_by("pk")]:
        participation.status = Status.CANCELLED
        participation.quote = {**participation.quote, "cancelled": stamp}
        participation.save(update_fields=["status", "quote"])
        if isinstance(participation, HiParticipation):
            labels.append(f"BHYT hộ {participation.household.code} {participation.months} tháng "
                          f"(báo giá ngày {participation.priced_on:%d/%m/%Y})")
        else:
            labels.append(f"BHXH tự nguyện {participation.months} tháng "
                          f"(báo giá ngày {participation.priced_on:%d/%m/%Y})")
    return labels


def _money(cancelled: list[str], reason: str, *, rerank: bool = True) -> str:
    parts = []
    if cancelled:
        parts.append(f"Đã hủy {len(cancelled)} báo giá chờ thu không còn đúng ({'; '.join(cancelled)}) — "
                     f"lý do: {reason}.")
    parts.append(MONEY_KEPT)
    if rerank:
        parts.append(MONEY_RERANK)
    return " ".join(parts)


def _check_commune(user, user_role, commune: AdministrativeUnit) -> None:
    if commune.level != Level.COMMUNE:
        raise e.CommuneOutOfScope()
    if _is_agent(user_role):
        inside = communes_in_scope(user).filter(pk=commune.pk).exists()
    else:
        inside = commune.pk in record_commune_ids_in_scope(user)
    if not inside:
        raise e.CommuneOutOfScope()


def _clean_person_fields(fields: dict, *, person: Person | None = None) -> dict:
    """Normalise and check person fields; raises the error naming the first wrong field."""
    out = dict(fields)
    if "full_name" in out:
        out["full_name"] = name_normalise(out["full_name"] or "")
        if not out["full_name"]:
            raise e.NameRequired()
    if "date_of_birth" in out:
        born = out["date_of_birth"]
        if born is None or born > _today() or born.year < 1900:
            raise e.BirthDateInvalid()
    if "sex" in out and out["sex"] not in Sex.values:
        raise e.RegistryEditError("Giới tính: vui lòng chọn Nam hoặc Nữ.", field="sex")
    if "other_coverage" in out and (out["other_coverage"] or "") not in OtherCoverage.values:
        raise e.RegistryEditError("Đối tượng BHYT khác: lựa chọn không hợp lệ.", field="other_coverage")
    if "phone" in out:
        out["phone"] = re.sub(r"\s", "", out["phone"] or "")
        if out["phone"] and not re.fullmatch(r"0[0-9]{9}", out["phone"], flags=re.ASCII):
            raise e.PhoneInvalid()
    if "hamlet" in out:
        out["hamlet"] = collapse_spaces(out["hamlet"] or "")
    others = Person.objects.exclude(pk=person.pk) if person is not None else Person.objects.all()
    for name, length, invalid, taken in (("citizen_id", 12, e.CitizenIdInvalid, e.CitizenIdTaken),
                                         ("si_number", 10, e.SiNumberInvalid, e.SiNumberTaken)):
        if name not in out:
            continue
        value = re.sub(r"\s", "", out[name] or "") or None
        out[name] = value
        if value is None:
            continue
        if not re.fullmatch(rf"[0-9]{{{length}}}", value, flags=re.ASCII):
            raise invalid()
        owner = others.filter(**{name: value}).select_related("household_membership__household").first()
        if owner is not None:
            membership = getattr(owner, "household_membership", None)
            where = f"hộ {membership.household.code}" if membership else "chưa thuộc hộ nào"
            raise taken(f"{taken.message[:-1]}: {mask_name(owner.full_name)} ({where}).", owner_id=owner.pk)
    return out


def _membership(person: Person) -> HouseholdMember | None:
    return HouseholdMember.objects.select_related("household").filter(person=person).first()


def _head_hand_over(*, user, household: Household, leaving: HouseholdMember, new_head: Person | None,
                    old_head_relationship: str, reason: str) -> None:
    """Before ``leaving`` (today's head) leaves or stops being head: make ``new_head`` (another member of
    ``household``) the head. With nobody else in the household no new head is needed."""
    others = household.members.exclude(pk=leaving.pk)
    if new_head is None:
        if others.exists():
            raise e.NewHeadRequired()
        return
    member = others.filter(person=new_head).first()
    if member is None:
        raise e.NotAMember()
    leaving.relationship = old_head_relationship
    _stamp(leaving, user, reason).save(update_fields=["relationship"])
    member.relationship = Relationship.HEAD
    _stamp(member, user, reason).save(update_fields=["relationship"])


def _membership_unchanged(person: Person, read: HouseholdMember | None) -> HouseholdMember | None:
    """The person's membership read again under the household lock; raises ChangedMeanwhile when another
    user moved the person (or removed them) between the first read and the lock."""
    now = _membership(person)
    if (now.household_id if now else None) != (read.household_id if read else None):
        raise e.ChangedMeanwhile()
    return now


def _check_not_gone(person: Person) -> None:
    if person.merged_into_id is not None:
        raise e.PersonMergedAway()
    if person.died_on is not None or person.moved_out_on is not None:
        raise e.PersonGone()


def _check_leave_date(*, person: Person, membership: HouseholdMember | None, on: datetime.date,
                      death: bool = False) -> None:
    if on is None:
        raise e.RegistryEditError("Ngày: vui lòng nhập ngày (dd/mm/yyyy).", field="on")
    if on > _today():
        raise e.DateInFuture()
    if on < person.date_of_birth:
        raise e.DeathBeforeBirth() if death else e.DateBeforeBirth()
    if death:
        return
    if membership is not None and membership.since is not None and on < membership.since:
        raise e.DateBeforeSince(f"Ngày: không được trước ngày {membership.since:%d/%m/%Y}, "
                                "ngày người này vào hộ hiện tại.")
    start = _last_card_start(person)
    if start is not None and on < start:
        raise e.DateBeforeCardStart(f"Ngày: không được trước {start:%d/%m/%Y}, ngày bắt đầu của thẻ BHYT "
                                    "đã đóng tiền gần nhất.")


# --- people -------------------------------------------------------------------------------------------


@transaction.atomic
def person_create(*, user, full_name: str, date_of_birth: datetime.date, sex: str,
                  household: Household | None = None, relationship: str = Relationship.OTHER,
                  commune: AdministrativeUnit | None = None, citizen_id: str = "", si_number: str = "",
                  phone: str = "", ethnic_minority: bool = False, other_coverage: str = "", hamlet: str = "",
                  since: datetime.date | None = None) -> RegistryChange:
    """Add a person to the registry, into ``household`` (its commune and, by default, hamlet) or, for an
    officer, without a household in ``commune``. Raises PermissionDenied, OutOfScope, and the
    RegistryEditError naming the wrong field (citizen ID of another person: whose household, masked name)."""
    user_role = require_permission(user, "registry.add_person")
    if household is not None:
        require_household_in_scope(user, household)
        commune = household.commune
        hamlet = hamlet or household.hamlet
    elif commune is None or _is_agent(user_role):
        raise e.RegistryEditError("Hộ gia đình: vui lòng chọn hộ của người này.", field="household")
    else:
        _check_commune(user, user_role, commune)
    fields = _clean_person_fields({
        "full_name": full_name, "date_of_birth": date_of_birth, "sex": sex, "citizen_id": citizen_id,
        "si_number": si_number, "phone": phone, "other_coverage": other_coverage or "", "hamlet": hamlet,
    })
    person = _stamp(Person(commune=commune, ethnic_minority=ethnic_minority, **fields), user, "Thêm người")
    person.save()
    if household is None:
        return RegistryChange(subject=person)
    change = _member_insert(user=user, household=household, person=person, relationship=relationship,
                            since=since or _today(), reason="Thêm người vào hộ")
    change.subject = person
    return change


def person_version(person: Person) -> str:
    """A short fingerprint of a person's editable data as read: the edit page sends it back, and
    ``person_update`` refuses (``ChangedMeanwhile``) when the record changed in between (optimistic lock:
    of two officers editing the same person at once, the second is told, nothing of theirs written)."""
    import hashlib

    values = [str(getattr(person, name)) for name in (*PERSON_FIELDS, "died_on", "moved_out_on", "merged_into_id")]
    return hashlib.sha256("\x1f".join(values).encode()).hexdigest()[:16]


def name_kept(registry: str, typed: str) -> tuple[str, bool]:
    """The name to store when ``typed`` replaces ``registry`` on the edit page, and whether it is an identity
    change (needs a reason). A name that differs only in diacritics and case never takes diacritics away
    ("Pham Van Hung" leaves "Phạm Văn Hùng" as it is, no change); words the registry has without diacritics
    take the typed ones (an improvement, not an identity change); another name, or other diacritics on a
    word that had them ("Hùng" → "Hưng"), is an identity change."""
    from ansinh.imports.fields import name_reconcile

    kept, conflict = name_reconcile(registry, typed)
    if conflict:
        return typed, True
    return kept, False


@transaction.atomic
def person_update(*, user, person: Person, reason: str = "", version: str | None = None,
                  **changes) -> RegistryChange:
    """Change a person's data (``PERSON_FIELDS``). A change of an identity field (full name beyond
    diacritics and case, date of birth, sex, citizen ID, SI number) needs ``reason``, kept in the history; a
    name typed with fewer diacritics never replaces the registry's (``name_kept``). A citizen ID or SI number
    of another person is refused on its field. ``version`` (``person_version`` of the record the form
    showed): when the record changed since, nothing is written (``ChangedMeanwhile``). A change of the date
    of birth, ethnic minority or other cover cancels the saved quotes of the person and their household.
    Raises PermissionDenied, OutOfScope, PersonMergedAway, ChangedMeanwhile, ReasonRequired and the
    RegistryEditError naming the field."""
    require_permission(user, "registry.change_person")
    require_person_in_scope(user, person)
    unknown = set(changes) - set(PERSON_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    membership = _membership(person)
    _lock(membership.household if membership else None)
    person = Person.objects.select_for_update().get(pk=person.pk)
    if version is not None and version != person_version(person):
        raise e.ChangedMeanwhile()
    if person.merged_into_id is not None:
        raise e.PersonMergedAway()
    fields = _clean_person_fields(changes, person=person)
    identity = set(IDENTITY_FIELDS)
    if fields.get("full_name"):
        fields["full_name"], name_is_identity = name_kept(person.full_name, fields["full_name"])
        if not name_is_identity:
            identity.discard("full_name")
    changed = {name: value for name, value in fields.items()
               if (getattr(person, name) or None) != (value or None)}
    if not changed:
        return RegistryChange(subject=person)
    reason = collapse_spaces(reason or "")
    if not reason and set(changed) & identity:
        raise e.ReasonRequired()
    for name, value in changed.items():
        setattr(person, name, "" if value is None and name not in ("citizen_id", "si_number") else value)
    if not reason and "full_name" in changed:
        reason = "Bổ sung dấu cho họ tên"
    _stamp(person, user, reason or "Sửa thông tin").save()
    if not set(changed) & set(PRICE_FIELDS):
        return RegistryChange(subject=person)
    why = f"thông tin của {person.full_name} đã thay đổi"
    cancelled = _quotes_cancel(user=user, households=[membership.household] if membership else [],
                               people=[person], reason=why)
    return RegistryChange(subject=person, cancelled=cancelled, money=_money(cancelled, why))


# --- households and members ---------------------------------------------------------------------------


@transaction.atomic
def household_create(*, user, code: str, commune: AdministrativeUnit, head: Person | None = None,
                     new_head: dict | None = None, hamlet: str = "", address: str = "",
                     since: datetime.date | None = None) -> RegistryChange:
    """Create a household with its head: an existing person (``head``, who may leave another household
    where they are not the head) or a new one (``new_head``: the fields of ``person_create``). An agent's
    household is assigned to the agent from today. A household is created as "other" (not poor): a
    poverty status comes with its decision (``household_poverty_status_change``). Raises PermissionDenied,
    OutOfScope, HouseholdCodeRequired/Taken, CommuneOutOfScope, and the person's field errors."""
    user_role = require_permission(user, "registry.add_household")
    _check_commune(user, user_role, commune)
    code = collapse_spaces(code or "").upper()
    if not code:
        raise e.HouseholdCodeRequired()
    if Household.objects.filter(code=code).exists():
        raise e.HouseholdCodeTaken()
    if (head is None) == (new_head is None):
        raise e.RegistryEditError("Chủ hộ: vui lòng nhập chủ hộ của hộ mới.", field="head")
    household = Household(code=code, commune=commune, hamlet=collapse_spaces(hamlet), address=collapse_spaces(address))
    if _is_agent(user_role):
        household.agent = user_role.agent
    _stamp(household, user, "Thêm hộ").save()
    if household.agent_id is not None:
        from ansinh.collection.models import HouseholdAssignment

        HouseholdAssignment.objects.create(household=household, agent=household.agent, starts_on=_today(),
                                           assigned_by=user)
    since = since or _today()
    if new_head is not None:
        change = person_create(user=user, household=household, relationship=Relationship.HEAD, since=since,
                               **new_head)
        change.subject = household
        return change
    require_person_in_scope(user, head)
    _check_not_gone(head)
    membership = _membership(head)
    if membership is None:
        return _member_insert(user=user, household=household, person=head, relationship=Relationship.HEAD,
                              since=since, reason="Lập hộ mới")
    change = household_member_move(user=user, person=head, to_household=household, on=since,
                                   relationship=Relationship.HEAD)
    change.subject = household
    return change


def _member_insert(*, user, household: Household, person: Person, relationship: str, since: datetime.date,
                   reason: str) -> RegistryChange:
    _lock(household)
    has_members = household.members.exists()
    if relationship == Relationship.HEAD and has_members:
        raise e.HeadNotAllowedHere()
    if relationship != Relationship.HEAD and not has_members:
        relationship = Relationship.HEAD  # the first member of a household is its head
    if relationship not in Relationship.values:
        raise e.RegistryEditError("Quan hệ với chủ hộ: lựa chọn không hợp lệ.", field="relationship")
    _stamp(HouseholdMember(household=household, person=person, relationship=relationship, since=since),
           user, reason).save()
    why = f"hộ {household.code} có thêm thành viên"
    cancelled = _quotes_cancel(user=user, households=[household], reason=why)
    return RegistryChange(subject=household, cancelled=cancelled, money=_money(cancelled, why))


@transaction.atomic
def household_member_add(*, user, household: Household, person: Person, relationship: str,
                         since: datetime.date | None = None) -> RegistryChange:
    """Put a person who is in no household into ``household`` (a person in another household is moved
    with ``household_member_move``). Cancels the household's saved HI quotes. Raises PermissionDenied,
    OutOfScope, AlreadyInHousehold (AlreadyInThisHousehold when already a member here), PersonGone,
    HeadNotAllowedHere."""
    require_permission(user, "registry.change_household")
    require_household_in_scope(user, household)
    require_person_in_scope(user, person)
    _check_not_gone(person)
    membership = _membership(person)
    if membership is not None:
        raise e.AlreadyInThisHousehold() if membership.household_id == household.pk else e.AlreadyInHousehold()
    if since is not None and since > _today():
        raise e.DateInFuture(field="since")
    change = _member_insert(user=user, household=household, person=person, relationship=relationship,
                            since=since or _today(), reason="Thêm thành viên")
    if person.commune_id != household.commune_id:
        person.commune = household.commune
        _stamp(person, user, "Theo hộ").save(update_fields=["commune"])
    return change


@transaction.atomic
def household_member_move(*, user, person: Person, to_household: Household, on: datetime.date,
                          relationship: str = Relationship.OTHER, new_head: Person | None = None,
                          old_head_relationship: str = Relationship.OTHER) -> RegistryChange:
    """Move a member to another household of the province from ``on`` (the row changes household; the
    history keeps the old one). A head who moves needs ``new_head`` (another member) unless nobody is left.
    Cancels the saved HI quotes of both households and the person's VSI quotes when the support group
    changes. Raises PermissionDenied, OutOfScope, NotInHousehold, SameHousehold, OtherProvince,
    DateInFuture, DateBeforeBirth, DateBeforeSince, DateBeforeCardStart, NewHeadRequired, NotAMember,
    HeadNotAllowedHere."""
    require_permission(user, "registry.change_household")
    require_person_in_scope(user, person)
    membership = _membership(person)
    if membership is None:
        raise e.NotInHousehold()
    from_household = membership.household
    require_household_in_scope(user, from_household)
    # Another province is named as such (not as "out of your area"): its move is a move out.
    if _province_key(from_household.commune) != _province_key(to_household.commune):
        raise e.OtherProvince()
    require_household_in_scope(user, to_household)
    _lock(from_household, to_household)
    membership = _membership_unchanged(person, membership)
    _check_not_gone(person)
    if from_household.pk == to_household.pk:
        raise e.SameHousehold()
    _check_leave_date(person=person, membership=membership, on=on)
    if relationship == Relationship.HEAD and to_household.members.exists():
        raise e.HeadNotAllowedHere()
    reason = f"Chuyển từ hộ {from_household.code} sang hộ {to_household.code} từ {on:%d/%m/%Y}"
    if membership.relationship == Relationship.HEAD:
        _head_hand_over(user=user, household=from_household, leaving=membership, new_head=new_head,
                        old_head_relationship=old_head_relationship, reason=reason)
        membership.refresh_from_db()
    if not to_household.members.exists():
        relationship = Relationship.HEAD
    membership.household = to_household
    membership.relationship = relationship
    membership.since = on
    _stamp(membership, user, reason).save()
    person.commune = to_household.commune
    person.hamlet = to_household.hamlet or person.hamlet
    _stamp(person, user, reason).save(update_fields=["commune", "hamlet"])
    why = f"{person.full_name} chuyển từ hộ {from_household.code} sang hộ {to_household.code}"
    people = [person] if from_household.poverty_status != to_household.poverty_status else []
    cancelled = _quotes_cancel(user=user, households=[from_household, to_household], people=people, reason=why)
    return RegistryChange(subject=membership, cancelled=cancelled, money=_money(cancelled, why))


@transaction.atomic
def household_head_change(*, user, household: Household, new_head: Person,
                          old_head_relationship: str = Relationship.OTHER,
                          expected_head_id: int | None = None) -> RegistryChange:
    """Make another member the head; the former head stays with ``old_head_relationship``. Cancels the
    household's saved HI quotes (the list is ranked from the head). ``expected_head_id``: the head the
    form showed; when another officer changed the head meanwhile, nothing is written (ChangedMeanwhile).
    Raises PermissionDenied, OutOfScope, NotAMember, ChangedMeanwhile."""
    require_permission(user, "registry.change_household")
    require_household_in_scope(user, household)
    _lock(household)
    head = household.members.filter(relationship=Relationship.HEAD).first()
    if expected_head_id is not None and (head.person_id if head else None) != expected_head_id:
        raise e.ChangedMeanwhile()
    if head is None or head.person_id == new_head.pk:
        member = household.members.filter(person=new_head).first()
        if member is None:
            raise e.NotAMember()
        if head is None:
            member.relationship = Relationship.HEAD
            _stamp(member, user, "Đổi chủ hộ").save(update_fields=["relationship"])
        return RegistryChange(subject=household)
    if old_head_relationship == Relationship.HEAD or old_head_relationship not in Relationship.values:
        raise e.RegistryEditError("Quan hệ của chủ hộ cũ: vui lòng chọn quan hệ với chủ hộ mới.",
                                  field="old_head_relationship")
    _head_hand_over(user=user, household=household, leaving=head, new_head=new_head,
                    old_head_relationship=old_head_relationship, reason=f"Đổi chủ hộ: {new_head.full_name}")
    why = f"hộ {household.code} đổi chủ hộ"
    cancelled = _quotes_cancel(user=user, households=[household], reason=why)
    return RegistryChange(subject=household, cancelled=cancelled, money=_money(cancelled, why))


def _person_leaves(*, user, person: Person, on: datetime.date, new_head: Person | None, death: bool,
                   old_head_relationship: str) -> RegistryChange:
    require_permission(user, "registry.change_person")
    require_person_in_scope(user, person)
    membership = _membership(person)
    _lock(membership.household if membership else None)
    membership = _membership_unchanged(person, membership)
    person = Person.objects.select_for_update().get(pk=person.pk)
    _check_not_gone(person)
    _check_leave_date(person=person, membership=membership, on=on, death=death)
    reason = f"{'Đã mất' if death else 'Chuyển đi ngoại tỉnh'} ngày {on:%d/%m/%Y}"
    households = []
    if membership is not None:
        household = membership.household
        households.append(household)
        if membership.relationship == Relationship.HEAD:
            _head_hand_over(user=user, household=household, leaving=membership, new_head=new_head,
                            old_head_relationship=old_head_relationship, reason=reason)
        _stamp(membership, user, reason).delete()
    if death:
        person.died_on = on
    else:
        person.moved_out_on = on
    _stamp(person, user, reason).save(update_fields=["died_on", "moved_out_on"])
    why = f"{person.full_name} {'đã mất' if death else 'đã chuyển đi ngoại tỉnh'} ngày {on:%d/%m/%Y}"
    cancelled = _quotes_cancel(user=user, households=households, people=[person], reason=why)
    return RegistryChange(subject=person, cancelled=cancelled, money=_money(cancelled, why))


@transaction.atomic
def person_death_record(*, user, person: Person, on: datetime.date, new_head: Person | None = None,
                        old_head_relationship: str = Relationship.OTHER) -> RegistryChange:
    """Record a death on ``on``: the person leaves their household (a head needs ``new_head`` in the same
    action unless nobody is left); their saved quotes and their household's are cancelled; paid cards stay
    valid to their end. Raises PermissionDenied, OutOfScope, PersonGone, DateInFuture, DeathBeforeBirth,
    NewHeadRequired, NotAMember."""
    return _person_leaves(user=user, person=person, on=on, new_head=new_head, death=True,
                          old_head_relationship=old_head_relationship)


@transaction.atomic
def person_move_out_record(*, user, person: Person, on: datetime.date, new_head: Person | None = None,
                           old_head_relationship: str = Relationship.OTHER) -> RegistryChange:
    """Record a move out of the province on ``on``, like ``person_death_record``; the date may not be
    before the person's last paid card start or their arrival in the household."""
    return _person_leaves(user=user, person=person, on=on, new_head=new_head, death=False,
                          old_head_relationship=old_head_relationship)


@transaction.atomic
def household_poverty_status_change(*, user, household: Household, status: str, from_date: datetime.date,
                                    decision_number: str, decision_date: datetime.date | None) -> RegistryChange:
    """Change the poverty status from ``from_date`` by the decision (number and date) that says so.
    Cancels the household's saved HI quotes and its members' VSI quotes whose support group changes.
    Raises PermissionDenied, OutOfScope, StatusUnchanged, DecisionRequired, DecisionDateRequired,
    DateInFuture (from_date)."""
    require_permission(user, "registry.change_poverty_status")
    require_household_in_scope(user, household)
    _lock(household)
    household = Household.objects.get(pk=household.pk)
    if status not in PovertyStatus.values:
        raise e.RegistryEditError("Diện hộ: lựa chọn không hợp lệ.", field="status")
    if status == household.poverty_status:
        raise e.StatusUnchanged()
    decision_number = collapse_spaces(decision_number or "")
    if not decision_number:
        raise e.DecisionRequired()
    if decision_date is None or decision_date > _today():
        raise e.DecisionDateRequired()
    if from_date is None:
        raise e.RegistryEditError("Áp dụng từ ngày: vui lòng nhập ngày (dd/mm/yyyy).", field="from_date")
    if from_date > _today():
        raise e.DateInFuture("Áp dụng từ ngày: không được sau hôm nay; hãy ghi khi quyết định có hiệu lực.",
                             field="from_date")
    old = household.get_poverty_status_display()
    household.poverty_status = status
    household.poverty_from = from_date
    household.poverty_decision_number = decision_number
    household.poverty_decision_date = decision_date
    reason = f"QĐ {decision_number} ngày {decision_date:%d/%m/%Y}"
    _stamp(household, user, reason).save()
    why = (f"hộ {household.code} đổi diện từ “{old}” sang “{household.get_poverty_status_display()}” "
           f"từ {from_date:%d/%m/%Y} ({reason})")
    people = [m.person for m in household.members.select_related("person")]
    cancelled = _quotes_cancel(user=user, households=[household], people=people, reason=why)
    return RegistryChange(subject=household, cancelled=cancelled, money=_money(cancelled, why))


# --- leaders' suggestions -----------------------------------------------------------------------------

SUGGESTABLE_FIELDS = ("full_name", "date_of_birth", "sex", "citizen_id", "phone", "hamlet")


@transaction.atomic
def suggestion_create(*, user, person: Person, kind: str, data: dict, reason: str = ""):
    """A leader proposes a correction of one of their unit's members (``data``: some of
    ``SUGGESTABLE_FIELDS``), a death or a move out of the province (``data["on"]``); an officer confirms it
    later. The values are checked now like the change itself. Raises PermissionDenied, OutOfScope,
    PersonGone and the RegistryEditError naming the field."""
    from .models import RegistrySuggestion, SuggestionKind

    require_permission(user, "registry.add_registrysuggestion")
    require_person_in_scope(user, person)
    _check_not_gone(person)
    reason = collapse_spaces(reason or "")
    if kind == SuggestionKind.UPDATE:
        unknown = set(data) - set(SUGGESTABLE_FIELDS)
        if unknown:
            raise ValueError(f"not suggestable: {sorted(unknown)}")
        clean = _clean_person_fields(data, person=person)
        clean = {k: v for k, v in clean.items() if (getattr(person, k) or None) != (v or None)}
        if not clean:
            raise e.RegistryEditError("Đề xuất: không có thông tin nào khác với sổ.", field=None)
        if set(clean) & set(IDENTITY_FIELDS) and not reason:
            raise e.ReasonRequired()
        stored = {k: v.isoformat() if isinstance(v, datetime.date) else v for k, v in clean.items()}
    elif kind in (SuggestionKind.DEATH, SuggestionKind.MOVE_OUT):
        on = data.get("on")
        _check_leave_date(person=person, membership=_membership(person), on=on, death=kind == SuggestionKind.DEATH)
        stored = {"on": on.isoformat()}
    else:
        raise e.RegistryEditError("Loại đề xuất: lựa chọn không hợp lệ.", field="kind")
    return RegistrySuggestion.objects.create(person=person, kind=kind, data=stored, reason=reason, proposed_by=user)


@transaction.atomic
def suggestion_confirm(*, user, suggestion, new_head: Person | None = None) -> RegistryChange:
    """An officer confirms a leader's suggestion: the change is made by its service (with the leader's
    reason in the history) and the suggestion is closed. Raises PermissionDenied, OutOfScope, the
    service's errors, and RegistryEditError when it was already decided."""
    from .models import RegistrySuggestion, SuggestionKind, SuggestionState

    require_permission(user, "registry.change_registrysuggestion")
    require_person_in_scope(user, suggestion.person)
    suggestion = RegistrySuggestion.objects.select_for_update().select_related("person", "proposed_by").get(
        pk=suggestion.pk)
    if suggestion.state != SuggestionState.PENDING:
        raise e.RegistryEditError("Đề xuất này đã được xử lý.", field=None)
    reason = f"Đề xuất của {suggestion.proposed_by.username}: {suggestion.reason}".strip().rstrip(":")
    data = dict(suggestion.data)
    if suggestion.kind == SuggestionKind.UPDATE:
        if "date_of_birth" in data:
            data["date_of_birth"] = datetime.date.fromisoformat(data["date_of_birth"])
        change = person_update(user=user, person=suggestion.person, reason=reason, **data)
    else:
        service = person_death_record if suggestion.kind == SuggestionKind.DEATH else person_move_out_record
        change = service(user=user, person=suggestion.person, on=datetime.date.fromisoformat(data["on"]),
                         new_head=new_head)
    suggestion.state = SuggestionState.CONFIRMED
    suggestion.decided_by = user
    suggestion.decided_at = timezone.now()
    suggestion.save(update_fields=["state", "decided_by", "decided_at"])
    return change


@transaction.atomic
def suggestion_reject(*, user, suggestion, note: str):
    """An officer rejects a leader's suggestion, saying why (``note``, required)."""
    from .models import RegistrySuggestion, SuggestionState

    require_permission(user, "registry.change_registrysuggestion")
    require_person_in_scope(user, suggestion.person)
    note = collapse_spaces(note or "")
    if not note:
        raise e.RegistryEditError("Lý do: vui lòng ghi lý do không xác nhận.", field="note")
    suggestion = RegistrySuggestion.objects.select_for_update().get(pk=suggestion.pk)
    if suggestion.state != SuggestionState.PENDING:
        raise e.RegistryEditError("Đề xuất này đã được xử lý.", field=None)
    suggestion.state, suggestion.note = SuggestionState.REJECTED, note
    suggestion.decided_by, suggestion.decided_at = user, timezone.now()
    suggestion.save(update_fields=["state", "note", "decided_by", "decided_at"])
    return suggestion
