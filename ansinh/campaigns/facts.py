"""Derived facts that make progress reports fast:

- ``SignupFact``: each person's first valid payment per program (the sign-up day), with the commune and
  agent of that participation;
- ``DailyTotal``: new participants (``vsi_new``/``hi_new``) and amount collected (``collected``) per day,
  commune and agent;
- ``MemberFact``: every valid payment of an association member (day paid, HI card dates or VSI months);
- ``MemberHome``: each member's home unit and, for today's leader, the unit they lead (see ``progress``).

Who led on a date is not derived here: the leaders indicators read it from the dated leaderships
(``registry.selectors.leaders_on``, through ``led_units_on``) for each report date, so a leader changed
today leaves the figures of earlier dates as they were.

All are computed from the payment records (and, for MemberFact, the memberships) only and can be thrown
away and rebuilt at any time (``facts_rebuild``; ``ansinh progress --rebuild``). Payments are
append-only (a reversal is a new payment pointing to the one it cancels), so ``facts_refresh`` — called
at the top of every progress read — only re-reads the payments recorded since the last refresh, recomputes
the people and days they touch, and costs a few indexed look-ups when nothing was added. A payment whose
transaction committed after a later one (ids out of commit order) is caught by counting the last
``OVERLAP`` ids: when that count moved, those ids are re-read too. MemberFact is rebuilt when the
memberships' signature (count, highest id, sums of person, unit and leader ids) changes, and so is
MemberHome (computed in Python, so "lowest code" never depends on a database collation).

A valid payment: ``amount > 0`` and not reversed (no payment has ``reverses`` pointing to it). The
participation's status is not read: a reversal is the only way a paid participation stops counting.
"""

import datetime

from django.db import connection, transaction
from django.db.models import Count, DateField, F, IntegerField, Max, Q, QuerySet, Sum, Value
from django.db.models.expressions import Window
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear, RowNumber

from ansinh.collection.models import Payment
from ansinh.core.replica import primary_reads
from ansinh.enrollment.models import HiMemberCoverage
from ansinh.registry.models import AssociationUnit, MemberRole, Membership, UnitKind
from ansinh.registry.selectors import leaders_on

from .models import DailyTotal, Indicator, MemberFact, MemberHome, Program, ProgressState, SignupFact

OVERLAP = 1000  # last payment ids watched for transactions that committed out of id order
MAX_INCREMENTAL = 2000  # more new payments than this at one refresh: rebuild everything

NEW_INDICATOR = {Program.VSI: Indicator.VSI_NEW, Program.HI: Indicator.HI_NEW}
_FACT_COLUMNS = ["program", "person_id", "first_paid_on", "payment_id", "commune_id", "agent_id"]
_DAILY_COLUMNS = ["indicator", "day", "commune_id", "agent_id", "value"]
_MEMBER_COLUMNS = ["program", "person_id", "paid_on", "valid_from", "valid_to", "to_month"]


def valid_payments() -> QuerySet[Payment]:
    """Payments that count: a positive amount that no later payment reverses."""
    return Payment.objects.filter(amount__gt=0, reversed_by__isnull=True)


def _valid_hi_lines() -> QuerySet[HiMemberCoverage]:
    return HiMemberCoverage.objects.filter(
        participation__payments__amount__gt=0, participation__payments__reversed_by__isnull=True
    )


def _first_vsi(persons: QuerySet | None) -> QuerySet:
    qs = valid_payments().filter(vsi__isnull=False)
    if persons is not None:
        qs = qs.filter(vsi__person_id__in=persons)
    return (
        qs.annotate(
            rn=Window(RowNumber(), partition_by=[F("vsi__person_id")], order_by=[F("paid_on").asc(), F("pk").asc()]),
            program=Value(Program.VSI.value),
        )
        .filter(rn=1)
        .values_list("program", "vsi__person_id", "paid_on", "pk", "vsi__commune_id", "vsi__agent_id")
    )


def _first_hi(persons: QuerySet | None) -> QuerySet:
    qs = _valid_hi_lines()
    if persons is not None:
        qs = qs.filter(person_id__in=persons)
    return (
        qs.annotate(
            rn=Window(RowNumber(), partition_by=[F("person_id")],
                      order_by=[F("participation__payments__paid_on").asc(), F("participation__payments__id").asc()]),
            program=Value(Program.HI.value),
        )
        .filter(rn=1)
        .values_list("program", "person_id", "participation__payments__paid_on", "participation__payments__id",
                     "participation__commune_id", "participation__agent_id")
    )


def _member_vsi(persons: QuerySet) -> QuerySet:
    return valid_payments().filter(vsi__isnull=False, vsi__person_id__in=persons).annotate(
        program=Value(Program.VSI.value),
        none=Value(None, output_field=DateField()),
        last=ExtractYear("vsi__from_month") * 12 + ExtractMonth("vsi__from_month") + F("vsi__months") - 1,
    ).values_list("program", "vsi__person_id", "paid_on", "vsi__from_month", "none", "last")


def _member_hi(persons: QuerySet) -> QuerySet:
    return _valid_hi_lines().filter(person_id__in=persons, valid_from__isnull=False, valid_to__isnull=False).annotate(
        program=Value(Program.HI.value), none=Value(None, output_field=IntegerField())
    ).values_list("program", "person_id", "participation__payments__paid_on", "valid_from", "valid_to", "none")


def _members() -> QuerySet:
    return Membership.objects.values("person_id")


def _members_signature() -> str:
    agg = Membership.objects.aggregate(n=Count("pk"), m=Max("pk"), p=Sum("person_id"), u=Sum("unit_id"),
                                       lead=Sum("pk", filter=Q(role=MemberRole.LEADER)))
    return ":".join(str(agg[k] or 0) for k in ("n", "m", "p", "u", "lead"))


def home_units(rows) -> tuple[dict, dict]:
    """From membership rows (person_id, unit_id, role, unit kind, unit code): person -> home unit id and
    leader person -> led home unit id (a branch before a group, then the lowest code, then the lowest id)."""
    member: dict[int, tuple] = {}
    lead: dict[int, tuple] = {}
    for person_id, unit_id, role, kind, code in rows:
        key = (0 if kind == UnitKind.BRANCH else 1, code, unit_id)
        if person_id not in member or key < member[person_id]:
            member[person_id] = key
        if role == MemberRole.LEADER and (person_id not in lead or key < lead[person_id]):
            lead[person_id] = key
    return {p: k[2] for p, k in member.items()}, {p: k[2] for p, k in lead.items()}


def led_units_on(*, on: datetime.date) -> dict[int, tuple[int, int]]:
    """Who led on ``on`` (``leaders_on``), each person once: person -> (the unit they led that day, its
    commune); a person leading several units is counted in one, chosen as ``home_units`` chooses (a
    branch before a group, then the lowest code, then the lowest id)."""
    leaders = leaders_on(on=on)
    units = {pk: (kind, code, commune_id) for pk, kind, code, commune_id in AssociationUnit.objects.filter(
        pk__in=list(leaders)).values_list("pk", "kind", "code", "commune_id")}
    best: dict[int, tuple] = {}
    for unit_id, person_id in leaders.items():
        kind, code, commune_id = units[unit_id]
        key = (0 if kind == UnitKind.BRANCH else 1, code, unit_id, commune_id)
        if person_id not in best or key < best[person_id]:
            best[person_id] = key
    return {p: (k[2], k[3]) for p, k in best.items()}


def _homes_rebuild() -> None:
    member, lead = home_units(Membership.objects.values_list("person_id", "unit_id", "role", "unit__kind",
                                                             "unit__code"))
    MemberHome.objects.all().delete()
    MemberHome.objects.bulk_create(
        [MemberHome(person_id=p, unit_id=u, leads_id=lead.get(p)) for p, u in member.items()], batch_size=5000)


def _insert(table: str, columns: list[str], qs: QuerySet) -> None:
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({', '.join(columns)}) {sql}", params)


def _daily_new(program: str, days: list[datetime.date] | None) -> QuerySet:
    qs = SignupFact.objects.filter(program=program)
    if days is not None:
        qs = qs.filter(first_paid_on__in=days)
    return (
        qs.values("first_paid_on", "commune_id", "agent_id")
        .annotate(indicator=Value(NEW_INDICATOR[program].value), n=Count("id"))
        .values_list("indicator", "first_paid_on", "commune_id", "agent_id", "n")
        .order_by()
    )


def _daily_collected(days: list[datetime.date] | None) -> QuerySet:
    qs = valid_payments()
    if days is not None:
        qs = qs.filter(paid_on__in=days)
    return (
        qs.annotate(c=Coalesce("vsi__commune_id", "hi__commune_id"), a=Coalesce("vsi__agent_id", "hi__agent_id"))
        .values("paid_on", "c", "a")
        .annotate(indicator=Value(Indicator.COLLECTED.value), s=Sum("amount"))
        .values_list("indicator", "paid_on", "c", "a", "s")
        .order_by()
    )


def _daily_insert(days: list[datetime.date] | None) -> None:
    for program in (Program.VSI, Program.HI):
        _insert(DailyTotal._meta.db_table, _DAILY_COLUMNS, _daily_new(program, days))
    _insert(DailyTotal._meta.db_table, _DAILY_COLUMNS, _daily_collected(days))


def _members_rebuild() -> None:
    _homes_rebuild()
    MemberFact.objects.all().delete()
    _insert(MemberFact._meta.db_table, _MEMBER_COLUMNS, _member_vsi(_members()))
    _insert(MemberFact._meta.db_table, _MEMBER_COLUMNS, _member_hi(_members()))


def _tail_count(last_id: int) -> int:
    return Payment.objects.filter(pk__gt=last_id - OVERLAP, pk__lte=last_id).count()


def _state_locked() -> ProgressState:
    ProgressState.objects.get_or_create(pk=1)
    return ProgressState.objects.select_for_update().get(pk=1)


def _analyze() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (SignupFact, DailyTotal, MemberFact, MemberHome):
                cursor.execute(f"ANALYZE {model._meta.db_table}")


def _rebuild_all() -> None:
    SignupFact.objects.all().delete()
    DailyTotal.objects.all().delete()
    _insert(SignupFact._meta.db_table, _FACT_COLUMNS, _first_vsi(None))
    _insert(SignupFact._meta.db_table, _FACT_COLUMNS, _first_hi(None))
    _daily_insert(None)
    _members_rebuild()
    _analyze()


@transaction.atomic
@primary_reads()
def facts_rebuild() -> dict:
    """Throw the derived facts away and compute them again from every payment. Returns counts
    ``{"payments_to", "signups", "daily_rows", "member_rows"}``."""
    state = _state_locked()
    last_id = Payment.objects.aggregate(m=Max("pk"))["m"] or 0
    _rebuild_all()
    state.payment_id, state.tail, state.members = last_id, _tail_count(last_id), _members_signature()
    state.save()
    return {"payments_to": last_id, "signups": SignupFact.objects.count(), "daily_rows": DailyTotal.objects.count(),
            "member_rows": MemberFact.objects.count()}


def _up_to_date(state: ProgressState | None, last_id: int, members: str) -> bool:
    return (state is not None and state.payment_id == last_id and state.tail == _tail_count(last_id)
            and state.members == members)


@primary_reads()
def facts_refresh() -> bool:
    """Bring the derived facts up to date with the payments and memberships; True when something was
    recomputed. Two indexed look-ups and a count when nothing changed."""
    last_id = Payment.objects.aggregate(m=Max("pk"))["m"] or 0
    members = _members_signature()
    if _up_to_date(ProgressState.objects.filter(pk=1).first(), last_id, members):
        return False
    with transaction.atomic():
        state = _state_locked()
        if state.payment_id == 0 and not SignupFact.objects.exists():
            facts_rebuild()
            return True
        last_id = Payment.objects.aggregate(m=Max("pk"))["m"] or 0
        members = _members_signature()
        if _up_to_date(state, last_id, members):
            return False
        if state.members != members:
            _members_rebuild()
        if state.payment_id != last_id or state.tail != _tail_count(last_id):
            # the overlap is re-read only when a late commit changed it (the tail count moved)
            late = state.tail != _tail_count(state.payment_id)
            low = min(state.payment_id, last_id) - (OVERLAP if late else 0)
            _refresh_from(low, members_rebuilt=state.members != members)
        state.payment_id, state.tail, state.members = last_id, _tail_count(last_id), members
        state.save()
    return True


def _refresh_from(low: int, *, members_rebuilt: bool) -> None:
    """Recompute the people and days touched by payments with id > ``low`` (new ones and reversals); more
    than ``MAX_INCREMENTAL`` such payments (a bulk load) rebuild everything instead."""
    touched = list(Payment.objects.filter(pk__gt=low).values_list("pk", "paid_on", "vsi_id", "reverses_id")
                   [:MAX_INCREMENTAL + 1])
    if len(touched) > MAX_INCREMENTAL:
        _rebuild_all()
        return
    ids = [t[0] for t in touched]
    days = {t[1] for t in touched}
    days |= set(Payment.objects.filter(pk__in=[t[3] for t in touched if t[3]]).values_list("paid_on", flat=True))
    vsi_persons = sorted(set(Payment.objects.filter(pk__in=ids, vsi__isnull=False)
                             .values_list("vsi__person_id", flat=True)))
    hi_persons = sorted(set(HiMemberCoverage.objects.filter(participation__payments__id__in=ids)
                            .values_list("person_id", flat=True)))
    for program, persons, first, member in ((Program.VSI, vsi_persons, _first_vsi, _member_vsi),
                                            (Program.HI, hi_persons, _first_hi, _member_hi)):
        if not persons:
            continue
        if not members_rebuilt:
            touched_members = sorted(set(Membership.objects.filter(person_id__in=persons)
                                         .values_list("person_id", flat=True)))
            if touched_members:
                MemberFact.objects.filter(program=program, person_id__in=touched_members).delete()
                _insert(MemberFact._meta.db_table, _MEMBER_COLUMNS, member(touched_members))
        old = SignupFact.objects.filter(program=program, person_id__in=persons)
        days |= set(old.values_list("first_paid_on", flat=True).distinct())
        old.delete()
        _insert(SignupFact._meta.db_table, _FACT_COLUMNS, first(persons))
        days |= set(SignupFact.objects.filter(program=program, person_id__in=persons)
                    .values_list("first_paid_on", flat=True).distinct())
    if days:
        day_list = sorted(days)
        DailyTotal.objects.filter(day__in=day_list).delete()
        _daily_insert(day_list)


def facts_check() -> list[str]:
    """Differences between the stored facts and a fresh computation (empty when consistent); for tests
    and ``ansinh progress --check``."""
    problems = []
    stored = set(SignupFact.objects.values_list(*_FACT_COLUMNS))
    fresh = set(_first_vsi(None)) | set(_first_hi(None))
    if stored != fresh:
        problems.append(f"signups: {len(stored - fresh)} stale, {len(fresh - stored)} missing")
    stored_daily = {r[:4]: r[4] for r in DailyTotal.objects.values_list(*_DAILY_COLUMNS)}
    fresh_daily = {}
    for program in (Program.VSI, Program.HI):
        fresh_daily.update({r[:4]: r[4] for r in _daily_new(program, None)})
    fresh_daily.update({r[:4]: r[4] for r in _daily_collected(None)})
    if stored_daily != fresh_daily:
        problems.append("daily totals differ")
    stored_members = sorted(MemberFact.objects.values_list(*_MEMBER_COLUMNS), key=repr)
    fresh_members = sorted(list(_member_vsi(_members())) + list(_member_hi(_members())), key=repr)
    if stored_members != fresh_members:
        problems.append("member facts differ")
    member, lead = home_units(Membership.objects.values_list("person_id", "unit_id", "role", "unit__kind",
                                                             "unit__code"))
    fresh_homes = {(p, u, lead.get(p)) for p, u in member.items()}
    if set(MemberHome.objects.values_list("person_id", "unit_id", "leads_id")) != fresh_homes:
        problems.append("member homes differ")
    return problems
