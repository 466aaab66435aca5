"""Enrolment: price and record participation in VSI (per person) and household HI (per household).

Every service checks permission and scope once at its top. Prices come from the rules module on the
pricing date and are frozen on the record with their breakdown.
"""

import datetime
import functools

from django.db import connection, transaction
from django.db.models import Subquery

from ansinh.accounts.models import Role
from ansinh.accounts.services import require_household_in_scope, require_permission, require_person_in_scope
from ansinh.areas.selectors import province_code_on
from ansinh.core.db import (sql_cache_related, sql_columns, sql_date, sql_id, sql_instance, sql_lock_suffix,
                            sql_table, sql_update)
from ansinh.core.money import format_vnd
from ansinh.parameters.models import ParameterValue
from ansinh.registry.models import Household, HouseholdMember, OtherCoverage, Person, Relationship

from . import pricing
from .errors import AlreadyCovered, MonthsNotMissing, NoEligibleMembers, NotEligible, PaidBeforeQuote, QuoteOutdated
from .models import HiMemberCoverage, HiParticipation, Status, VsiParticipation
from .selectors import PAID_STATUSES, hi_eligible_members, hi_last_card_ends, vsi_months_supported


def _agent_of(user_role):
    return user_role.agent if user_role.role == Role.COLLECTION_AGENT else None


def hi_household_quote(*, user, household: Household, months: int, on: datetime.date) -> dict:
    """What a household would pay for ``months`` (3, 6 or 12) of household HI on ``on``.

    Returns ``{"members": [{"person", "rank", "share_pct", "amount", "support_pct", "state_support",
    "payable"}], "total", "state_support", "payable", "quote"}`` (VND). Raises PermissionDenied,
    OutOfScope, NoEligibleMembers, PricingError (``invalid_months`` …).
    Legal source: Decree 188/2025; Law 51/2024 Art 13 (ladder 100/70/60/50/40%).
    """
    require_permission(user, "registry.view_household")
    require_household_in_scope(user, household)
    return _hi_price(household=household, months=months, on=on)


def _hi_price(*, household: Household, months: int, on: datetime.date) -> dict:
    members = hi_eligible_members(household=household)
    if not members:
        raise NoEligibleMembers()
    pct = pricing.hi_support_pct(poverty_status=household.poverty_status, on=on)
    result = pricing.hi_household_price(members=len(members), months=months, support_pcts=[pct] * len(members), on=on)
    lines = []
    for rank, (member, line) in enumerate(zip(members, result["members"], strict=True), start=1):
        lines.append({
            "person": member.person, "rank": rank, "share_pct": line["share_pct"], "amount": line["amount"],
            "support_pct": line["support_pct"], "state_support": line["state_support"], "payable": line["payable"],
        })
    return {"members": lines, "total": result["total"], "state_support": result["state_support"],
            "payable": result["payable"], "quote": result}


@transaction.atomic
def hi_enroll(*, user, household: Household, months: int, on: datetime.date,
              referred_by: Person | None = None) -> HiParticipation:
    """Record a household HI participation priced on ``on`` (status ``quoted`` until paid).

    Raises PermissionDenied, OutOfScope, NoEligibleMembers, PricingError, AlreadyCovered (a member
    already holds a card valid beyond ``on`` + the period; renewal comes after it ends).
    """
    user_role = require_permission(user, "enrollment.add_hiparticipation")
    require_household_in_scope(user, household)
    Household.objects.select_for_update().filter(pk=household.pk).first()  # one enrolment at a time
    price = _hi_price(household=household, months=months, on=on)
    people = [line["person"] for line in price["members"]]
    ends = hi_last_card_ends(person_ids=[p.pk for p in people])
    _hi_require_renewable(cards=[(p, ends.get(p.pk)) for p in people], on=on)
    participation = HiParticipation.objects.create(
        household=household, commune=household.commune, months=months, priced_on=on,
        total=price["total"], state_support=price["state_support"], payable=price["payable"],
        quote=price["quote"], referred_by=referred_by, agent=_agent_of(user_role), created_by=user,
    )
    HiMemberCoverage.objects.bulk_create([
        HiMemberCoverage(
            participation=participation, person=line["person"], rank=line["rank"], share_pct=line["share_pct"],
            amount=line["amount"], support_pct=line["support_pct"], state_support=line["state_support"],
            payable=line["payable"],
        )
        for line in price["members"]
    ])
    return participation


RENEWAL_WINDOW = datetime.timedelta(days=31)
"""Office practice, not law: a card is renewed in its last month; a card that runs longer than this after
the payment date is still valid, and a new period for its holder is refused (AlreadyCovered)."""


def _hi_require_renewable(*, cards: list[tuple[Person, datetime.date | None]], on: datetime.date) -> None:
    """Raise AlreadyCovered for the first person whose latest paid card (``(person, end or None)``) runs
    beyond ``on`` + RENEWAL_WINDOW."""
    for person, end in cards:
        if end is not None and end >= on + RENEWAL_WINDOW:
            raise AlreadyCovered(f"{person.full_name} đã có thẻ BHYT còn hạn đến {end:%d/%m/%Y}.", person_id=person.pk)


def participation_lock(*, participation):
    """Read ``participation`` again with its household (HI) or person (VSI), both locked until the
    transaction ends (``SELECT … FOR UPDATE``): two quotes of one household (or person) paid at the same
    moment are then recorded one after the other, and the second sees the first's cards or months.
    HI: the frozen ``quote`` (its breakdown) and ``created_at`` are read only if accessed. Call inside
    ``transaction.atomic``. Raises HiParticipation.DoesNotExist / VsiParticipation.DoesNotExist."""
    if isinstance(participation, HiParticipation):
        return _hi_participation_lock(participation.pk)
    rows = VsiParticipation.objects.select_related("person").select_for_update(of=("self", "person"))
    return rows.get(pk=participation.pk)


_LOCK_HOUSEHOLD_FIELDS = ("id", "code", "commune", "agent", "poverty_status")


@functools.cache
def _hi_lock_sql() -> tuple[list[str], list[str], str, str]:
    # Not read: the quote's breakdown (large) and created_at (SQLite would give it without time zone);
    # both load through the ORM if accessed.
    part_names, part_cols = sql_columns(HiParticipation, "p", [f.name for f in HiParticipation._meta.concrete_fields
                                                               if f.name not in ("quote", "created_at")])
    house_names, house_cols = sql_columns(Household, "h", _LOCK_HOUSEHOLD_FIELDS)
    household_sql = (f"SELECT {house_cols} FROM {sql_table(Household)} h WHERE h.id = "
                     f"(SELECT household_id FROM {sql_table(HiParticipation)} WHERE id = %s)" + sql_lock_suffix("h"))
    participation_sql = f"SELECT {part_cols} FROM {sql_table(HiParticipation)} p WHERE p.id = %s" + sql_lock_suffix("p")
    return part_names, house_names, household_sql, participation_sql


def _hi_participation_lock(pk: int) -> HiParticipation:
    # Hand-written (on every payment; the ORM's select_related + select_for_update cost more to build than
    # to run): HiParticipation.objects.select_related("household").select_for_update(of=("self", "household"))
    #     .get(pk=pk), without the quote's breakdown, in two statements: the household first, then the
    # participation. Every writer of a household's participations takes the household first (hi_enroll;
    # a payment, which also cancels the household's other waiting quotes), so two payments of one
    # household never wait for each other in opposite orders (a deadlock).
    part_names, house_names, household_sql, participation_sql = _hi_lock_sql()
    household_row = participation_row = None
    if sql_id(pk) is not None:
        with connection.cursor() as cursor:
            cursor.execute(household_sql, [pk])
            household_row = cursor.fetchone()
            if household_row is not None:
                cursor.execute(participation_sql, [pk])
                participation_row = cursor.fetchone()
    if participation_row is None:
        raise HiParticipation.DoesNotExist(pk)
    participation = sql_instance(HiParticipation, part_names, participation_row)
    sql_cache_related(participation, "household", sql_instance(Household, house_names, household_row))
    return participation


@functools.cache
def _hi_lines_sql() -> tuple[list[str], list[str], list[str], str]:
    line_names, line_cols = sql_columns(HiMemberCoverage, "c")
    person_names, person_cols = sql_columns(Person, "pe", ("id", "full_name"))
    member_names, member_cols = sql_columns(HouseholdMember, "m")
    paid = ", ".join(["%s"] * len(PAID_STATUSES))
    sql = (
        f"SELECT {line_cols}, {person_cols}, {member_cols}, "
        f"(SELECT c2.valid_to FROM {sql_table(HiMemberCoverage)} c2 JOIN {sql_table(HiParticipation)} p2 "
        f"ON p2.id = c2.participation_id WHERE c2.person_id = c.person_id AND p2.status IN ({paid}) "
        f"AND c2.valid_to IS NOT NULL ORDER BY c2.valid_to DESC LIMIT 1) "
        f"FROM {sql_table(HiMemberCoverage)} c JOIN {sql_table(Person)} pe ON pe.id = c.person_id "
        f"LEFT JOIN {sql_table(HouseholdMember)} m ON m.person_id = c.person_id "
        f"WHERE c.participation_id = %s ORDER BY c.rank"
    )
    return line_names, person_names, member_names, sql


def hi_lines_for_payment(*, participation: HiParticipation) -> list[HiMemberCoverage]:
    """The members' lines of a household participation in rank order, each with ``person`` (its name; other
    fields load when read), the person's ``household_membership`` (or none) and ``previous_end``: the end
    of the member's latest paid card (None if they never had one; the lines of this participation are not
    paid yet, so they do not count)."""
    # Hand-written (one statement on every payment; the ORM's form costs more to build than to run):
    #   participation.members.select_related("person", "person__household_membership")
    #       .annotate(previous_end=Subquery(latest paid valid_to of the person)).order_by("rank")
    line_names, person_names, member_names, sql = _hi_lines_sql()
    with connection.cursor() as cursor:
        cursor.execute(sql, [*PAID_STATUSES, participation.pk])
        rows = cursor.fetchall()
    a, b = len(line_names), len(line_names) + len(person_names)
    lines = []
    for row in rows:
        line = sql_instance(HiMemberCoverage, line_names, row[:a])
        person = sql_instance(Person, person_names, row[a:b])
        member_values = row[b:b + len(member_names)]
        sql_cache_related(person, "household_membership", sql_instance(HouseholdMember, member_names, member_values)
                          if member_values[0] is not None else None)
        sql_cache_related(line, "person", person)
        line.previous_end = sql_date(row[-1])
        lines.append(line)
    return lines


def hi_payer_name(*, participation: HiParticipation, lines: list[HiMemberCoverage]) -> str:
    """Who pays a household's HI on the receipt: the head of the household (usually on the list already),
    else the household code."""
    for line in lines:
        membership = getattr(line.person, "household_membership", None)
        if membership is not None and membership.relationship == Relationship.HEAD:
            return line.person.full_name
    head = (HouseholdMember.objects.filter(household_id=participation.household_id, relationship=Relationship.HEAD)
            .values_list("person__full_name", flat=True).first())
    return head or participation.household.code


def participation_check_payable(*, participation, paid_on: datetime.date,
                                lines: list[HiMemberCoverage] | None = None) -> None:
    """Before a quote made earlier is paid on ``paid_on``: nobody on it is covered already for the
    period, and the law of ``paid_on`` gives the same amount as the frozen quote (a quote priced on
    ``paid_on`` itself is not priced again, unless a parameter value in force on ``paid_on`` was added
    after the quote was made: a value taking effect that very day re-prices it). Raises AlreadyCovered, QuoteOutdated (``due``: the amount on
    ``paid_on``), NotEligible, PricingError, PaidBeforeQuote (a payment cannot precede its quote: the
    HI waiting days would start before the quote), NoEligibleMembers (HI: nobody left to enrol). An HI
    quote whose household changed since (members on the list, or its support) is out of date too,
    whatever the day. ``lines`` (HI, from ``hi_lines_for_payment``) avoids reading them again."""
    if paid_on < participation.priced_on:
        raise PaidBeforeQuote(
            f"Ngày nộp {paid_on:%d/%m/%Y} trước ngày lập báo giá {participation.priced_on:%d/%m/%Y}; "
            "hãy nhập đúng ngày nộp tiền.")
    if isinstance(participation, HiParticipation):
        lines = lines if lines is not None else hi_lines_for_payment(participation=participation)
        _hi_require_renewable(cards=[(line.person, line.previous_end) for line in lines], on=paid_on)
        _hi_require_same_household(participation=participation, lines=lines, paid_on=paid_on)
        if participation.priced_on == paid_on and not _parameters_added_since(participation, paid_on):
            return
        pct = pricing.hi_support_pct(poverty_status=participation.household.poverty_status, on=paid_on)
        due = pricing.hi_household_price(members=len(lines), months=participation.months,
                                         support_pcts=[pct] * len(lines), on=paid_on)["payable"]
    else:
        person = participation.person
        _vsi_check_eligible(person=person, on=paid_on)  # e.g. drawing a pension since the quote
        _vsi_require_uncovered(person=person, from_month=participation.from_month, months=participation.months)
        if participation.priced_on == paid_on and not _parameters_added_since(participation, paid_on):
            return
        due = _vsi_price(person=person, income=participation.income, months=participation.months,
                         payment_mode=participation.payment_mode, on=paid_on,
                         support_group=participation.support_group)["payable"]
    if due != participation.payable:
        raise QuoteOutdated(
            f"Báo giá lập ngày {participation.priced_on:%d/%m/%Y} ({format_vnd(participation.payable)}) đã cũ: "
            f"theo quy định ngày {paid_on:%d/%m/%Y} số phải đóng là {format_vnd(due)}. Hãy lập báo giá mới.",
            due=due,
        )


def _parameters_added_since(participation, paid_on: datetime.date) -> bool:
    """Whether a dated parameter value in force on ``paid_on`` was added (on the parameter page) after
    ``participation`` was quoted: then a quote of the payment's own day may carry an old price. One query;
    the quote's creation time is read inside it (the payment path does not load it)."""
    quoted_at = type(participation).objects.filter(pk=participation.pk).values("created_at")[:1]
    return ParameterValue.objects.filter(start__lte=paid_on, created_at__gte=Subquery(quoted_at)).exists()


def _hi_require_same_household(*, participation: HiParticipation, lines: list[HiMemberCoverage],
                                paid_on: datetime.date) -> None:
    """Raise QuoteOutdated (with the amount due for the household as it is now) when the people who belong
    on the household's list, or its support (poverty status), are no longer those of the quote: a member
    left, joined, or got HI through another group; the household became near-poor. NoEligibleMembers
    when nobody is left (e.g. the household became poor: the state pays its cards)."""
    household = participation.household
    members = hi_eligible_members(household=household)
    support_now = pricing.hi_support_pct(poverty_status=household.poverty_status, on=participation.priced_on)
    if ({m.person_id for m in members} == {line.person_id for line in lines}
            and all(line.support_pct == support_now for line in lines)):
        return
    due = _hi_price(household=household, months=participation.months, on=paid_on)["payable"]
    raise QuoteOutdated(
        f"Hộ đã thay đổi (thành viên hoặc diện hỗ trợ) từ khi lập báo giá ngày {participation.priced_on:%d/%m/%Y} "
        f"({format_vnd(participation.payable)}): theo hộ hiện nay số phải đóng là {format_vnd(due)}. "
        "Hãy lập báo giá mới.", due=due)


def hi_coverage_activate(*, participation: HiParticipation, paid_on: datetime.date,
                         lines: list[HiMemberCoverage] | None = None) -> None:
    """Set each member's card validity after full payment on ``paid_on`` (rules: first participation or
    a break -> valid after the waiting days; renewal without a break -> day after the last card).
    ``lines`` (from ``hi_lines_for_payment``) may be passed when the caller already read them. Writes one
    UPDATE per distinct validity (usually one for the whole household)."""
    lines = lines if lines is not None else hi_lines_for_payment(participation=participation)
    groups: dict[tuple, list[int]] = {}
    by_previous: dict[datetime.date | None, dict] = {}
    for line in lines:
        previous = line.previous_end
        if previous not in by_previous:
            by_previous[previous] = pricing.hi_card_validity(paid_on=paid_on, months=participation.months,
                                                             previous_valid_to=previous)
        validity = by_previous[previous]
        line.valid_from = validity["valid_from"]
        line.valid_to = validity["valid_to"]
        line.validity_rule = validity["rule"][:200]
        groups.setdefault((line.valid_from, line.valid_to, line.validity_rule), []).append(line.pk)
    for (valid_from, valid_to, rule), ids in groups.items():
        sql_update(HiMemberCoverage, ids, {"valid_from": valid_from, "valid_to": valid_to, "validity_rule": rule})


def vsi_quote(*, user, person: Person, income: int, months: int, payment_mode: str, on: datetime.date,
              support_group: str | None = None) -> dict:
    """What a person would pay for VSI: the rules result (``gross``, ``state_support``, ``amount_due``,
    ``payable``, ``breakdown``; VND). The support group defaults to the household's poverty status.
    Raises PermissionDenied, OutOfScope, NotEligible (too young, pensioner), PricingError
    (income_below_floor, income_above_ceiling, …).
    Legal source: Law 41/2024 Art 31, 36; Decree 159/2025 Art 5 (Decree 134/2015 before 01/07/2025)."""
    require_permission(user, "registry.view_person")
    require_person_in_scope(user, person)
    return _vsi_price(person=person, income=income, months=months, payment_mode=payment_mode, on=on,
                      support_group=support_group)


def _vsi_support_group(person: Person) -> str:
    membership = getattr(person, "household_membership", None)
    status = membership.household.poverty_status if membership else "other"
    group = pricing.VSI_SUPPORT_GROUP.get(status, "other")
    if group == "other" and person.ethnic_minority:
        group = "ethnic_minority"
    return group


def _vsi_check_eligible(*, person: Person, on: datetime.date) -> None:
    """Refuse a person who may not join VSI on ``on``: younger than the minimum age, drawing a pension, or
    under compulsory SI through an employer (Law 41/2024 Art 2(4); Law 58/2014 Art 2(4)); the message
    names the law of ``on``. Raises NotEligible (code ``not_eligible``)."""
    min_age = pricing.vsi_min_age(on=on)
    born = person.date_of_birth
    age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    if age < min_age:
        raise NotEligible(f"{person.full_name} chưa đủ {min_age} tuổi nên chưa được tham gia BHXH tự nguyện.",
                          person_id=person.pk)
    if person.other_coverage == OtherCoverage.PENSIONER:
        raise NotEligible(
            f"{person.full_name} đang hưởng lương hưu/trợ cấp bảo hiểm xã hội hằng tháng nên không tham gia "
            f"BHXH tự nguyện ({pricing.vsi_participant_basis(on=on)}).", person_id=person.pk)
    if person.other_coverage == OtherCoverage.EMPLOYEE:
        raise NotEligible(
            f"{person.full_name} đang tham gia BHXH bắt buộc (người lao động có đơn vị đóng) nên không tham gia "
            f"BHXH tự nguyện cho cùng thời gian ({pricing.vsi_participant_basis(on=on)}).", person_id=person.pk)


def _vsi_price(*, person, income, months, payment_mode, on, support_group):
    _vsi_check_eligible(person=person, on=on)
    return pricing.vsi_price(
        income=income, months=months, payment_mode=payment_mode, on=on,
        support_group=support_group or _vsi_support_group(person),
        months_already_supported=vsi_months_supported(person_id=person.pk),
        reached_retirement_age=payment_mode == "backpay"
        and pricing.has_reached_retirement_age(sex=person.sex, born=person.date_of_birth, on=on),
        province_code=province_code_on(commune_id=person.commune_id, on=on),
    )


@transaction.atomic
def vsi_enroll(*, user, person: Person, income: int, months: int, payment_mode: str, on: datetime.date,
               from_month: datetime.date | None = None, support_group: str | None = None,
               referred_by: Person | None = None) -> VsiParticipation:
    """Record a VSI participation period priced on ``on`` (status ``quoted`` until paid).

    ``from_month`` defaults to where the months belong (``vsi_months_place``, rules.md §2): the month of
    ``on`` for a periodic mode; for ``backpay`` the missing months just before the payment month, skipping
    months already paid; for ``advance`` the months after those already paid. Raises PermissionDenied,
    OutOfScope, PricingError, NotEligible, AlreadyCovered (a paid period already covers one of these
    months), MonthsNotMissing (back-paid months not before the payment or not in one run).
    """
    user_role = require_permission(user, "enrollment.add_vsiparticipation")
    require_person_in_scope(user, person)
    Person.objects.select_for_update().filter(pk=person.pk).first()  # one enrolment at a time
    from_month = vsi_months_place(person=person, payment_mode=payment_mode, months=months, on=on,
                                  from_month=from_month)
    result = _vsi_price(person=person, income=income, months=months, payment_mode=payment_mode, on=on,
                        support_group=support_group)
    _vsi_require_uncovered(person=person, from_month=from_month, months=months)
    return VsiParticipation.objects.create(
        person=person, commune=person.commune, income=income, payment_mode=payment_mode,
        support_group=result.get("support_group", support_group or _vsi_support_group(person)),
        from_month=from_month, months=months, priced_on=on, gross=result["gross"],
        amount_due=result["amount_due"], state_support=result["state_support"],
        local_support=result.get("local_support", 0), payable=result["payable"], quote=result,
        referred_by=referred_by, agent=_agent_of(user_role), created_by=user,
    )


def _paid_months(person: Person) -> set[int]:
    """Month indexes (year × 12 + month − 1) of the person's paid VSI periods."""
    months: set[int] = set()
    for start, count in VsiParticipation.objects.filter(person=person, status__in=PAID_STATUSES).values_list(
            "from_month", "months"):
        first = start.year * 12 + start.month - 1
        months.update(range(first, first + count))
    return months


def _month_of(index: int) -> datetime.date:
    return datetime.date(index // 12, index % 12 + 1, 1)


def vsi_months_place(*, person: Person, payment_mode: str, months: int, on: datetime.date,
                     from_month: datetime.date | None = None) -> datetime.date:
    """The first month of a VSI period paid on ``on`` (rules.md §2; Decree 159/2025 Art 6–7).

    backpay: the missing months before the payment month, where they were missing: counted back from the
    month before the payment, skipping months already paid (a paid current quarter is not back-paid); they
    must form one run, else MonthsNotMissing says how many may be back-paid at once. A given
    ``from_month`` must end before the payment month. advance: from the month after the last month already
    paid, or the payment month when nothing later is paid. Periodic modes: the payment month. A given
    ``from_month`` is kept (the overlap check comes after). Raises MonthsNotMissing."""
    if months is None or months < 1:
        return (from_month or on).replace(day=1)
    payment_index = on.year * 12 + on.month - 1
    if payment_mode == "backpay":
        if from_month is not None:
            start = from_month.year * 12 + from_month.month - 1
            if start + months > payment_index:
                raise MonthsNotMissing(
                    f"Đóng bù chỉ cho những tháng trước tháng nộp tiền {on:%m/%Y}: {months} tháng từ "
                    f"{from_month:%m/%Y} kéo dài đến {_month_of(start + months - 1):%m/%Y}.")
            return from_month.replace(day=1)
        paid = _paid_months(person)
        index = payment_index - 1
        while index in paid:
            index -= 1
        last = index
        while index > last - months and index not in paid:
            index -= 1
        run = last - index
        if run < months:
            raise MonthsNotMissing(
                f"Những tháng còn thiếu liền nhau ngay trước kỳ đã đóng chỉ có {run} tháng (từ "
                f"{_month_of(index + 1):%m/%Y} đến {_month_of(last):%m/%Y}); tháng {_month_of(index):%m/%Y} đã "
                f"đóng. Hãy đóng bù {run} tháng này trước, rồi đóng bù các tháng thiếu trước đó trong lần khác.",
                months=run)
        return _month_of(last - months + 1)
    if from_month is not None:
        return from_month.replace(day=1)
    if payment_mode == "advance":
        later = [m for m in _paid_months(person) if m >= payment_index]
        return _month_of(max(later) + 1 if later else payment_index)
    return on.replace(day=1)


def _vsi_require_uncovered(*, person: Person, from_month: datetime.date, months: int) -> None:
    """Raise AlreadyCovered when a paid VSI period of ``person`` overlaps ``months`` from ``from_month``."""
    to_month = _add_months(from_month, months)
    for paid in VsiParticipation.objects.filter(person=person, status__in=PAID_STATUSES):
        if paid.from_month < to_month and from_month < _add_months(paid.from_month, paid.months):
            raise AlreadyCovered(
                f"{person.full_name} đã đóng BHXH tự nguyện cho tháng {paid.from_month:%m/%Y} "
                f"({paid.months} tháng).", person_id=person.pk,
            )


def _add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def hi_quotes_supersede(*, participation: HiParticipation) -> int:
    """After ``participation`` is paid: the household's other quotes still waiting for payment can no longer
    be paid (its members now hold cards), so they become ``cancelled`` and leave the "quotes awaiting
    payment" list. Call in the payment's transaction (the household row is locked). Returns how many."""
    sql = (f"UPDATE {sql_table(HiParticipation)} SET status = %s "
           "WHERE household_id = %s AND status = %s AND id <> %s")  # hand-written: runs on every HI payment
    with connection.cursor() as cursor:
        cursor.execute(sql, [Status.CANCELLED, participation.household_id, Status.QUOTED, participation.pk])
        return cursor.rowcount


def participation_status_set(*, participation, status: str) -> None:
    """Move a participation to a new status (``paid`` after payment, ``cancelled`` after reversal …)."""
    if status not in Status.values:
        raise ValueError(status)
    participation.status = status
    sql_update(type(participation), [participation.pk], {"status": status})  # .filter(pk=…).update(status=…)
