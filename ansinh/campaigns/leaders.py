"""Leaders first: per branch and savings-and-loan group, whether its leader joined VSI and HI during the
campaign, whom they brought in (the ``referred_by`` of each enrolment), and rankings of leaders and units.

Definitions (see ``progress`` for valid payments): a leader "joined" a program when they have a valid
payment for it from the campaign's start to ``on``. People brought in: distinct people (other than the
leader) on enrolments validly paid in that window whose ``referred_by`` is the leader — VSI periods by
their person, HI periods by every person on the list; split into ``relatives`` (the leader's household),
``members`` (members of the leader's unit who are not relatives) and ``others``. Per unit each unit's
own leader is shown (a person leading two units appears on both rows). The leader of a unit is who led
it on the last day counted (``min(on, campaign end)``, from the dated leaderships: ``leaders_on``), so a
later change of leader leaves a past campaign's board as it was.
"""

import datetime
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Q, Subquery

from ansinh.collection.models import Payment
from ansinh.enrollment.models import HiMemberCoverage, HiParticipation, VsiParticipation
from ansinh.registry.models import AssociationUnit, HouseholdMember, Leadership, Membership, Person
from ansinh.registry.selectors import leaders_on

from .facts import facts_refresh, valid_payments
from .models import Campaign, MemberFact, Program, ProgressState

# The computed board is kept this long in the default cache; its key holds a version of everything it
# reads (``board_version``), so a change shows on the next request whatever the timeout.
BOARD_CACHE_SECONDS = 600


@dataclass
class LeaderRow:
    unit: AssociationUnit
    leader: Person | None
    joined_vsi: datetime.date | None = None
    joined_hi: datetime.date | None = None
    relatives: int = 0
    members_brought: int = 0
    others: int = 0
    members: int = 0
    members_covered: int = 0
    rank: int = 0
    people: set = field(default_factory=set, repr=False)

    @property
    def brought(self) -> int:
        return self.relatives + self.members_brought + self.others

    @property
    def covered_pct(self) -> float:
        return round(100 * self.members_covered / self.members, 1) if self.members else 0.0

    @property
    def both(self) -> bool:
        return self.joined_vsi is not None and self.joined_hi is not None


def covered_people(*, on: datetime.date) -> set[int]:
    """Ids of the people covered on ``on`` as ``progress.covered_on``: a valid HI card on ``on`` or a
    validly paid VSI period covering the month of ``on``, both paid by ``on`` — read from ``MemberFact``
    (every valid payment of a member; call ``facts_refresh`` first) in one query."""
    month = on.replace(day=1)
    return set(MemberFact.objects.filter(paid_on__lte=on).filter(
        Q(program=Program.HI, valid_from__lte=on, valid_to__gte=on)
        | Q(program=Program.VSI, valid_from__lte=month, to_month__gte=on.year * 12 + on.month),
    ).values_list("person_id", flat=True).distinct())


def _highest(model, field: str = "pk"):
    return Subquery(model.objects.order_by(f"-{field}").values(field)[:1])


def board_version() -> str:
    """A version of everything the board reads, in one query of index look-ups (call after
    ``facts_refresh``): the facts' bookkeeping (highest payment id — a reversal is a new payment —, the
    count of the latest payments that catches a late commit, the memberships' signature), the highest id of
    the participations and their HI lines (``referred_by`` is set when they are made), of people and
    household places, and the highest history id of people, household places, units, memberships and
    leaderships (every change saved through a service writes one)."""
    row = ProgressState.objects.filter(pk=1).annotate(
        payment=_highest(Payment), vsi=_highest(VsiParticipation), hi=_highest(HiParticipation),
        hi_line=_highest(HiMemberCoverage), person=_highest(Person), place=_highest(HouseholdMember),
        person_h=_highest(Person.history.model, "history_id"),
        place_h=_highest(HouseholdMember.history.model, "history_id"),
        unit_h=_highest(AssociationUnit.history.model, "history_id"),
        member_h=_highest(Membership.history.model, "history_id"),
        leader_h=_highest(Leadership.history.model, "history_id"),
    ).values_list("payment_id", "tail", "members", "payment", "vsi", "hi", "hi_line", "person", "place",
                  "person_h", "place_h", "unit_h", "member_h", "leader_h").first()
    return ":".join(str(v) for v in row) if row is not None else ""


def leaders_board(*, campaign: Campaign, on: datetime.date, communes=None) -> dict:
    """``{"rows": [LeaderRow] (unit order), "leaders": [LeaderRow] ranked by people brought in, then
    joined both, then earliest joining; "units": [LeaderRow] ranked by % members covered, "totals": {...}}``.
    ``communes``: old-map communes of the user's scope (units in them). Kept in the default cache under the
    campaign, the last day counted, the scope and ``board_version``: a request after any change computes
    it anew."""
    facts_refresh()
    end = min(on, campaign.ends_on)
    version = board_version()
    scope = "all" if communes is None else ",".join(str(pk) for pk in sorted(
        communes.values_list("pk", flat=True) if hasattr(communes, "values_list") else (c.pk for c in communes)))
    key = "leaders-board:" + hashlib.sha256(
        f"{campaign.pk}|{campaign.starts_on}|{end}|{scope}|{version}".encode()).hexdigest()
    board = cache.get(key) if version else None
    if board is None:
        board = _leaders_board(campaign=campaign, on=on, communes=communes)
        if version:
            cache.set(key, board, BOARD_CACHE_SECONDS)
    return board


def _leaders_board(*, campaign: Campaign, on: datetime.date, communes=None) -> dict:
    start, end = campaign.starts_on, min(on, campaign.ends_on)
    units = AssociationUnit.objects.select_related("commune").order_by("kind", "code")
    if communes is not None:
        units = units.filter(commune__in=communes)
    units = list(units)
    unit_ids = [u.pk for u in units]
    leaders = leaders_on(on=end, unit_ids=unit_ids)
    persons = Person.objects.in_bulk(list(leaders.values()))
    joined = defaultdict(dict)
    for person_id, program, paid_on in MemberFact.objects.filter(
            person_id__in=list(leaders.values()), paid_on__gte=start, paid_on__lte=end
    ).values_list("person_id", "program", "paid_on"):
        if program not in joined[person_id] or paid_on < joined[person_id][program]:
            joined[person_id][program] = paid_on
    # who each leader brought in
    brought: dict[int, set] = defaultdict(set)
    leader_ids = set(leaders.values())
    vsi_brought = valid_payments().filter(vsi__referred_by_id__in=leader_ids, paid_on__gte=start, paid_on__lte=end)
    hi_brought = HiMemberCoverage.objects.filter(
        participation__referred_by_id__in=leader_ids, participation__payments__amount__gt=0,
        participation__payments__reversed_by__isnull=True, participation__payments__paid_on__gte=start,
        participation__payments__paid_on__lte=end,
    )
    for referrer, person in vsi_brought.values_list("vsi__referred_by_id", "vsi__person_id"):
        brought[referrer].add(person)
    for referrer, person in hi_brought.values_list("participation__referred_by_id", "person_id"):
        brought[referrer].add(person)
    # the households of the leaders with everyone in them (a relative is brought in from the leader's
    # household), and the memberships of the people brought in: subqueries, not lists of thousands of ids
    household = dict(HouseholdMember.objects.filter(
        household__in=HouseholdMember.objects.filter(person_id__in=leader_ids).values("household_id"),
    ).values_list("person_id", "household_id"))
    # every membership of the units in one read (cheaper than asking the database for the brought-in
    # members and the members covered: two correlated reads of the memberships)
    unit_members: dict[int, set] = defaultdict(set)
    memberships = Membership.objects.all() if communes is None else Membership.objects.filter(unit__commune__in=communes)
    for unit_id, person_id in memberships.values_list("unit_id", "person_id"):
        unit_members[unit_id].add(person_id)
    covered = covered_people(on=end)
    rows = []
    for unit in units:
        leader_id = leaders.get(unit.pk)
        row = LeaderRow(unit=unit, leader=persons.get(leader_id))
        members = unit_members.get(unit.pk, set())
        row.members, row.members_covered = len(members), len(members & covered)
        if leader_id is not None:
            row.joined_vsi = joined[leader_id].get(Program.VSI)
            row.joined_hi = joined[leader_id].get(Program.HI)
            home = household.get(leader_id)
            for person_id in brought.get(leader_id, set()) - {leader_id}:
                if home is not None and household.get(person_id) == home:
                    row.relatives += 1
                elif person_id in members:
                    row.members_brought += 1
                else:
                    row.others += 1
        rows.append(row)
    with_leader = [r for r in rows if r.leader is not None]
    ranked = sorted(with_leader, key=lambda r: (-r.brought, not r.both,
                                                min(d for d in (r.joined_vsi, r.joined_hi, datetime.date.max) if d),
                                                r.unit.code))
    for n, r in enumerate(ranked, start=1):
        r.rank = n
    units_ranked = sorted(rows, key=lambda r: (-r.covered_pct, -r.members, r.unit.code))
    totals = {
        "units": len(rows), "leaders": len({r.leader.pk for r in with_leader}),
        "leaders_vsi": len({r.leader.pk for r in with_leader if r.joined_vsi}),
        "leaders_hi": len({r.leader.pk for r in with_leader if r.joined_hi}),
        "brought": sum(r.brought for r in rows),
    }
    return {"rows": rows, "leaders": ranked, "units": units_ranked, "totals": totals, "on": end}
