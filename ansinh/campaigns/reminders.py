"""Reminders as tasks: whom an agent or a leader should visit next, and why.

- Collection agent (the households assigned to them), from ``ansinh.enrollment.renewals``: an HI card
  expiring within ``DAYS`` (``hi_expiring``), a VSI period ending within ``DAYS`` (``vsi_ending``), an HI
  card or a VSI period that ended within the last ``lapse_days()`` (setting ``ANSINH_LAPSED_WINDOW_DAYS``,
  default 365) and was not renewed (``hi_lapsed``, ``vsi_lapsed``).
- Leader (``group_leader``): their unit's members and their own relatives (the leader's household) who
  are not enrolled — no HI card valid on ``on`` and no HI from elsewhere (``no_hi``); aged 15 or more
  with no paid VSI period covering the month of ``on`` (``no_vsi``) — and their members' and relatives'
  cards expiring within ``DAYS`` (``hi_expiring``, from ``renewals``).
- Other roles: none.

Most urgent first: lapsed, then expiring/ending (soonest first), then not enrolled (relatives first).
``reminder_groups`` splits them by urgency for the pages (within 7 days, within 30 days, lapsed, not enrolled).
Each reminder carries the phone of the person (else of the household's head) for the agent's call link.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q

from ansinh.accounts.models import Role
from ansinh.accounts.services import role_of
from ansinh.enrollment import renewals
from ansinh.enrollment.models import HiMemberCoverage
from ansinh.registry.models import HouseholdMember, Membership, OtherCoverage, Person

from .facts import valid_payments

DAYS = 30
LAPSE_DAYS_DEFAULT = 365
WEEK_DAYS = 7
VSI_MIN_AGE = 15

LABELS = {
    "hi_expiring": "Thẻ BHYT sắp hết hạn",
    "hi_lapsed": "Thẻ BHYT đã hết hạn, chưa gia hạn",
    "vsi_ending": "Sắp hết kỳ đóng BHXH tự nguyện",
    "vsi_lapsed": "Đã hết kỳ đóng BHXH tự nguyện, chưa đóng tiếp",
    "no_hi": "Chưa có thẻ BHYT",
    "no_vsi": "Chưa tham gia BHXH tự nguyện",
}
PRIORITY = {"hi_lapsed": 0, "vsi_lapsed": 1, "hi_expiring": 2, "vsi_ending": 3, "no_hi": 4, "no_vsi": 5}
RELATIONS = {"relative": "Người thân", "member": "Hội viên", "": ""}


@dataclass
class Reminder:
    kind: str
    person_id: int
    name: str
    household_id: int | None
    household_code: str
    due: datetime.date | None = None
    relation: str = ""  # for a leader: "relative" or "member"
    days_left: int | None = None  # days from the date asked to ``due`` (negative: lapsed)
    phone: str = ""  # the person's phone, else the household head's

    @property
    def urgency(self) -> str:
        """``week`` (ends within 7 days), ``month`` (within 30), ``lapsed`` or ``not_enrolled``."""
        if self.kind in ("no_hi", "no_vsi"):
            return "not_enrolled"
        if self.kind.endswith("_lapsed"):
            return "lapsed"
        return "week" if self.days_left is not None and self.days_left <= WEEK_DAYS else "month"

    @property
    def label(self) -> str:
        return LABELS[self.kind]

    @property
    def detail(self) -> str:
        if self.due is None:
            return ""
        if self.kind.startswith("hi_"):
            return f"Hạn thẻ {self.due:%d/%m/%Y}"
        return f"Hết kỳ đóng {self.due:%d/%m/%Y}"

    @property
    def relation_label(self) -> str:
        return RELATIONS.get(self.relation, "")


URGENCY_LABELS = {
    "week": "Hết hạn trong 7 ngày",
    "month": "Hết hạn trong 30 ngày",
    "lapsed": "Đã hết hạn",
    "not_enrolled": "Chưa tham gia",
}


def lapse_days() -> int:
    """How far back lapsed cards and VSI periods are still reminded (days)."""
    return int(getattr(settings, "ANSINH_LAPSED_WINDOW_DAYS", LAPSE_DAYS_DEFAULT))


def reminders_show_phone(*, user) -> bool:
    """Whether the reminders page shows whole phone numbers as call links: to a collection agent (their
    reminders are their assigned households) and officers; a leader sees them masked."""
    return role_of(user).role in (Role.COLLECTION_AGENT, Role.SI_OFFICER, Role.ASSOCIATION_OFFICER,
                                  Role.PROVINCE_ADMIN)


def reminder_groups(reminders: list[Reminder]) -> list[dict]:
    """The reminders by urgency, in the order of ``URGENCY_LABELS``, empty groups left out:
    ``[{"key", "label", "items"}]`` (each group keeps the reminders' order)."""
    groups = {key: [] for key in URGENCY_LABELS}
    for r in reminders:
        groups[r.urgency].append(r)
    return [{"key": key, "label": URGENCY_LABELS[key], "items": items} for key, items in groups.items() if items]


def _from_renewal(kind: str, row: dict) -> Reminder:
    return Reminder(kind=kind, person_id=row["person_id"], name=row["full_name"], household_id=row["household_id"],
                    household_code=row["household_code"] or "", due=row["ends_on"], days_left=row["days_left"],
                    phone=row["phone"] or row.get("head_phone", ""))


def _sort(reminders: list[Reminder]) -> list[Reminder]:
    return sorted(reminders, key=lambda r: (PRIORITY[r.kind], r.due or datetime.date.max, r.relation != "relative",
                                            r.household_code, r.name))


def _age(born: datetime.date, on: datetime.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def reminders_for(*, user, on: datetime.date) -> list[Reminder]:
    """Whom ``user`` should visit next, most urgent first (see the module docstring). Raises
    PermissionDenied for a user without a role."""
    user_role = role_of(user)
    if user_role.role == Role.COLLECTION_AGENT:
        agent = user_role.agent
        out = [_from_renewal("hi_expiring", r) for r in renewals.hi_cards_expiring(user=user, on=on, days=DAYS,
                                                                                    agent=agent)]
        out += [_from_renewal("vsi_ending", r) for r in renewals.vsi_periods_ending(user=user, on=on, days=DAYS,
                                                                                     agent=agent)]
        out += [_from_renewal("hi_lapsed", r) for r in renewals.hi_cards_lapsed(user=user, on=on,
                                                                                 within_days=lapse_days(), agent=agent)]
        out += [_from_renewal("vsi_lapsed", r) for r in renewals.vsi_lapsed(user=user, on=on, within_days=lapse_days(),
                                                                             agent=agent)]
        return _sort(out)
    if user_role.role == Role.GROUP_LEADER:
        return _sort(_leader_reminders(user, user_role.association_unit, on))
    return []


def _leader_reminders(user, unit, on: datetime.date) -> list[Reminder]:
    leader_ids = Membership.objects.filter(unit=unit, role="leader").values("person_id")
    households = HouseholdMember.objects.filter(person_id__in=leader_ids).values("household_id")
    member_ids = set(Membership.objects.filter(unit=unit).values_list("person_id", flat=True))
    people = list(Person.objects.live().filter(
        Q(pk__in=member_ids) | Q(household_membership__household__in=households)
    ).distinct().select_related("household_membership__household"))
    ids = [p.pk for p in people]
    valid_hi: set[int] = set()
    vsi_now: set[int] = set()
    if ids:
        valid_hi = set(HiMemberCoverage.objects.filter(
            person_id__in=ids, valid_from__lte=on, valid_to__gte=on, participation__payments__amount__gt=0,
            participation__payments__reversed_by__isnull=True, participation__payments__paid_on__lte=on,
        ).values_list("person_id", flat=True))
        month = on.year * 12 + on.month
        vsi_now = {p for p, start, months in valid_payments().filter(
            vsi__person_id__in=ids, vsi__from_month__lte=on, paid_on__lte=on,
        ).values_list("vsi__person_id", "vsi__from_month", "vsi__months")
            if start.year * 12 + start.month + months > month}
    out = []
    relation = {}
    for p in people:
        hm = getattr(p, "household_membership", None)
        relation[p.pk] = "member" if p.pk in member_ids else "relative"
        base = dict(person_id=p.pk, name=p.full_name, household_id=hm.household_id if hm else None,
                    household_code=hm.household.code if hm else "", relation=relation[p.pk], phone=p.phone)
        if p.pk not in valid_hi and p.other_coverage == OtherCoverage.NONE:
            out.append(Reminder(kind="no_hi", **base))
        if _age(p.date_of_birth, on) >= VSI_MIN_AGE and p.pk not in vsi_now:
            out.append(Reminder(kind="no_vsi", **base))
    seen = set(ids)
    for row in renewals.hi_cards_expiring(user=user, on=on, days=DAYS):
        if row["person_id"] in seen:
            r = _from_renewal("hi_expiring", row)
            r.relation = relation[row["person_id"]]
            out.append(r)
    return out


def reminder_rows(reminders: list[Reminder]) -> list[list]:
    """Rows for the Excel export: household, person, reason, date, relation."""
    return [[r.household_code, r.name, r.label, r.due, r.relation_label] for r in reminders]


REMINDER_HEADERS = ["Mã hộ", "Họ và tên", "Việc cần làm", "Hạn", "Quan hệ"]
