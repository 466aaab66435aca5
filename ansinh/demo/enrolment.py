"""Who joins voluntary SI and household HI in the demo, when, and for how long (May–December 2024).

The plan reproduces the seed partly, as a real campaign would: on launch day (20/05/2024) some
districts reach the 50 VSI / 100 HI sign-ups and others do not; by year end about a third of the
leaders (30–45%) are in VSI against a goal of 50%, and most of them (70–90%) in HI against 100%.
Ordinary members and their relatives join through the months after, referred by their leaders.
Prices come from the rules module through ``pricing.Pricer``; nothing here knows a legal number.
"""

import datetime
import random
from dataclasses import dataclass, field

from . import names
from .population import Population
from .pricing import Pricer, add_months

# Campaign data of the seed document (20/05/2024): launch-day goals per district.
LAUNCH_DAY = datetime.date(2024, 5, 20)
LAUNCH_GOAL_VSI = 50
LAUNCH_GOAL_HI = 100
CAMPAIGN_START = datetime.date(2024, 5, 1)
YEAR_END = datetime.date(2024, 12, 31)

# Demo volumes at scale 1.0 (not from the seed): sign-ups after launch day.
LATER_VSI_PERSONS = 3_300
LATER_HI_HOUSEHOLDS = 4_800

# Share of sign-ups per month after launch day: the campaign month, a summer lull, a year-end push.
MONTH_WEIGHTS = names.Weighted([(5, 14), (6, 17), (7, 12), (8, 10), (9, 9), (10, 10), (11, 11), (12, 17)])
VSI_MODES = names.Weighted([("monthly", 30), ("3_months", 25), ("6_months", 15), ("12_months", 30)])
# Income above the floor, in income steps (floor + k steps); most people choose the floor.
VSI_EXTRA_STEPS = names.Weighted([(0, 74), (2, 6), (4, 5), (10, 6), (20, 4), (30, 3), (50, 2)])
# Household HI period choice, longest first: most households pay the longest period the rules allow.
HI_PERIOD_WEIGHTS = (65, 20, 15)
VSI_SUPPORT_GROUP = {"poor": "poor", "near_poor": "near_poor", "agri_average": "other", "other": "other"}
HI_SUPPORT_GROUP = {"near_poor": "near_poor", "agri_average": "agri_average"}


@dataclass(slots=True)
class VsiRec:
    person: int
    income: int
    payment_mode: str
    support_group: str
    from_month: datetime.date
    months: int
    paid_on: datetime.date
    quote: dict
    referred_by: int
    agent: int
    method: str
    commune_id: int = 0  # the commune the record was made under when not the household's (story.py)
    next_on: datetime.date | None = None  # the next period's first month when the plan stopped at year end


@dataclass(slots=True)
class HiLine:
    person: int
    rank: int
    share_pct: int
    amount: int
    support_pct: int
    state_support: int
    payable: int
    valid_from: datetime.date
    valid_to: datetime.date
    validity_rule: str


@dataclass(slots=True)
class HiRec:
    household: int
    months: int
    paid_on: datetime.date
    quote: dict
    referred_by: int
    agent: int
    method: str
    lines: list[HiLine] = field(default_factory=list)
    commune_id: int = 0  # the commune the record was made under when not the household's (story.py)
    next_on: datetime.date | None = None  # the renewal day due when the plan stopped at year end

    @property
    def total(self) -> int:
        return self.quote["total"]

    @property
    def state_support(self) -> int:
        return self.quote["state_support"]

    @property
    def payable(self) -> int:
        return self.quote["payable"]


@dataclass
class EnrolmentPlan:
    vsi: list[VsiRec]
    hi: list[HiRec]
    launch_outcome: dict[int, tuple[bool, bool]]  # district id -> (meets VSI goal, meets HI goal)


def _date_after_launch(rng: random.Random, *, early: bool = False) -> datetime.date:
    """A sign-up day from 21/05 to 31/12/2024 following MONTH_WEIGHTS (earlier for leaders)."""
    month = MONTH_WEIGHTS.pick(rng)
    if early and rng.random() < 0.5:
        month = rng.choice((5, 6, 6, 7))
    first = 21 if month == 5 else 1
    last = (add_months(datetime.date(2024, month, 1), 1) - datetime.timedelta(days=1)).day
    return datetime.date(2024, month, rng.randint(first, last))


def _scaled(value: int, scale: float) -> int:
    return max(1, round(value * min(1.0, scale)))


def enrolment_plan(*, seed: int, population: Population, pricer: Pricer, scale: float = 1.0) -> EnrolmentPlan:
    """Plan every VSI period and household HI period with its payment day and frozen quote."""
    rng = random.Random(f"enrol-{seed}")
    persons, households, units = population.persons, population.households, population.units
    communes = population.communes
    district_of_household = [communes[h.commune].district_id for h in households]
    districts = sorted({c.district_id for c in communes})

    # Launch-day outcome per district: some reach both goals, some one, some none.
    order = districts[:]
    rng.shuffle(order)
    kinds = [(True, True)] * 4 + [(True, False), (False, True)] + [(False, False)] * (len(order) - 6)
    outcome = {d: kinds[i] if i < len(kinds) else (False, False) for i, d in enumerate(order)}

    def hi_eligible(person_idx: int) -> bool:
        p = persons[person_idx]
        return p.other_coverage == "" and households[p.household].poverty_status != "poor"

    def vsi_eligible(person_idx: int) -> bool:
        p = persons[person_idx]
        return 20 <= p.age <= 57 and p.other_coverage == ""

    leaders = [u.leader for u in units]
    leader_set = set(leaders)
    vsi_leaders = [i for i in leaders if vsi_eligible(i)]
    rng.shuffle(vsi_leaders)
    vsi_leaders = vsi_leaders[: round(len(leaders) * rng.uniform(0.33, 0.42))]
    hi_leaders = [i for i in leaders if hi_eligible(i)]
    rng.shuffle(hi_leaders)
    hi_leaders = hi_leaders[: round(len(leaders) * rng.uniform(0.77, 0.86))]

    lists: dict[int, list[int]] = {}

    def hi_list(h: int) -> list[int]:
        """The household's HI list in rank order, decided once: the head first, then the oldest first
        (as enrollment.selectors.hi_eligible_members ranks it); about one household in seven lists
        only some members (a leader living there is always listed)."""
        if h not in lists:
            eligible = [i for i in households[h].members if hi_eligible(i)]
            eligible.sort(key=lambda i: (persons[i].relationship != "head", persons[i].date_of_birth, i))
            if len(eligible) > 1 and rng.random() < 0.15:
                keep = {i for i in eligible if persons[i].leads >= 0}
                keep.add(eligible[0])
                keep.update(i for i in eligible[1:] if rng.random() < 0.5)
                eligible = [i for i in eligible if i in keep]
            lists[h] = eligible
        return lists[h]

    def referrer(person_idx: int) -> int:
        p = persons[person_idx]
        if p.idx in leader_set:
            return -1
        if p.group >= 0 and rng.random() < 0.5:
            return units[p.group].leader
        return units[households[p.household].branch].leader

    vsi_starts: dict[int, datetime.date] = {}  # person -> first payment day
    hi_starts: dict[int, datetime.date] = {}  # household -> first payment day
    by_district_people: dict[int, list[int]] = {d: [] for d in districts}
    by_district_households: dict[int, list[int]] = {d: [] for d in districts}
    for h in households:
        by_district_households[district_of_household[h.idx]].append(h.idx)
        for i in h.members:
            by_district_people[district_of_household[h.idx]].append(i)

    # Launch day, district by district.
    for d in districts:
        meets_vsi, meets_hi = outcome[d]
        quota_vsi = _scaled(rng.randint(50, 68) if meets_vsi else rng.randint(28, 46), scale)
        quota_hi = _scaled(rng.randint(100, 135) if meets_hi else rng.randint(55, 92), scale)
        leaders_here = [i for i in vsi_leaders if district_of_household[persons[i].household] == d]
        chosen = leaders_here[: round(quota_vsi * 0.55)]
        others = [i for i in by_district_people[d] if i not in leader_set and vsi_eligible(i)]
        rng.shuffle(others)
        others.sort(key=lambda i: 0 if persons[i].branch >= 0 else 1)  # members first, then relatives
        chosen += others[: quota_vsi - len(chosen)]
        for i in chosen:
            vsi_starts[i] = LAUNCH_DAY

        hi_leader_households = [persons[i].household for i in hi_leaders
                                if district_of_household[persons[i].household] == d]
        candidates = list(dict.fromkeys(hi_leader_households[: max(1, round(len(hi_leader_households) * 0.35))]))
        taken = set(candidates)
        rest = [h for h in by_district_households[d] if h not in taken]
        rng.shuffle(rest)
        covered = 0
        for h in candidates + rest:
            size = len(hi_list(h))
            if not size or h in hi_starts:
                continue
            if meets_hi and covered >= quota_hi:
                break
            if not meets_hi and covered + size > quota_hi:
                if covered >= quota_hi - 3:
                    break
                continue
            hi_starts[h] = LAUNCH_DAY
            covered += size

    # Leaders who join later, mostly in the first months.
    for i in vsi_leaders:
        vsi_starts.setdefault(i, _date_after_launch(rng, early=True))
    for i in hi_leaders:
        hi_starts.setdefault(persons[i].household, _date_after_launch(rng, early=True))

    # Ordinary members and relatives after launch day.
    pool = [p.idx for p in persons if p.idx not in vsi_starts and p.idx not in leader_set and vsi_eligible(p.idx)]
    rng.shuffle(pool)
    pool.sort(key=lambda i: 0 if persons[i].branch >= 0 or rng.random() < 0.3 else 1)
    for i in pool[: round(LATER_VSI_PERSONS * scale)]:
        vsi_starts[i] = _date_after_launch(rng)
    hh_pool = [h.idx for h in households if h.idx not in hi_starts and hi_list(h.idx)]
    rng.shuffle(hh_pool)
    for h in hh_pool[: round(LATER_HI_HOUSEHOLDS * scale)]:
        hi_starts[h] = _date_after_launch(rng)

    vsi = _vsi_periods(rng, persons=persons, households=households, starts=vsi_starts, pricer=pricer,
                       referrer=referrer)
    hi = _hi_periods(rng, persons=persons, households=households, units=units, starts=hi_starts,
                     pricer=pricer, hi_list=hi_list)
    return EnrolmentPlan(vsi=vsi, hi=hi, launch_outcome=outcome)


def _method(rng: random.Random) -> str:
    return "cash" if rng.random() < 0.88 else "bank_transfer"


def _vsi_periods(rng, *, persons, households, starts, pricer: Pricer, referrer) -> list[VsiRec]:
    """Each person's first period and the renewals paid before the year ends."""
    records = []
    for i in sorted(starts):
        p = persons[i]
        household = households[p.household]
        paid_on = starts[i]
        mode = VSI_MODES.pick(rng)
        months = pricer.vsi_mode_months(mode=mode, on=paid_on)
        support_group = VSI_SUPPORT_GROUP[household.poverty_status]
        income = pricer.vsi_income(on=paid_on, steps=VSI_EXTRA_STEPS.pick(rng))
        referred_by = referrer(i)
        from_month = paid_on.replace(day=1)
        supported = 0
        method = _method(rng)
        renew_chance = 0.85 if mode == "monthly" else 0.8
        while True:
            result = pricer.vsi(on=paid_on, income=income, months=months, payment_mode=mode,
                                support_group=support_group, months_already_supported=supported)
            records.append(VsiRec(
                person=i, income=income, payment_mode=mode, support_group=support_group, from_month=from_month,
                months=months, paid_on=paid_on, quote=result, referred_by=referred_by, agent=household.agent,
                method=method,
            ))
            if result["state_support"] > 0:
                supported += months
            from_month = add_months(from_month, months)
            if from_month > YEAR_END:
                records[-1].next_on = from_month  # continued after 2024 (story.py)
                break
            if rng.random() > renew_chance:
                break
            paid_on = from_month.replace(day=rng.randint(1, 25))
    return records


def _hi_periods(rng, *, persons, households, units, starts, pricer: Pricer, hi_list) -> list[HiRec]:
    """Each household's first HI period and renewals without a break paid before the year ends."""
    records = []
    for h in sorted(starts):
        household = households[h]
        eligible = hi_list(h)
        leader_here = any(persons[i].leads >= 0 for i in household.members)
        referred_by = -1 if leader_here else units[household.branch].leader
        group = HI_SUPPORT_GROUP.get(household.poverty_status)
        periods = sorted(pricer.hi_periods(on=starts[h]), reverse=True)
        months = names.Weighted(list(zip(periods, HI_PERIOD_WEIGHTS))).pick(rng)
        method = _method(rng)
        paid_on = starts[h]
        previous_end = None
        while True:
            support_pct = pricer.hi_support_pct(group=group, on=paid_on) if group else 0
            result = pricer.hi(on=paid_on, members=len(eligible), months=months, support_pct=support_pct)
            validity = pricer.card_validity(paid_on=paid_on, months=months, previous_valid_to=previous_end)
            record = HiRec(household=h, months=months, paid_on=paid_on, quote=result, referred_by=referred_by,
                           agent=household.agent, method=method)
            for rank, (i, line) in enumerate(zip(eligible, pricer.hi_lines(result), strict=True), start=1):
                record.lines.append(HiLine(
                    person=i, rank=rank, share_pct=line["share_pct"], amount=line["amount"],
                    support_pct=line["support_pct"], state_support=line["state_support"],
                    payable=line["payable"], valid_from=validity.valid_from, valid_to=validity.valid_to,
                    validity_rule=validity.rule,
                ))
            records.append(record)
            previous_end = validity.valid_to
            renew_on = previous_end - datetime.timedelta(days=rng.randint(0, 20))
            if renew_on > YEAR_END:
                record.next_on = renew_on  # continued after 2024 (story.py)
                break
            if renew_on <= paid_on or rng.random() > 0.8:
                break
            paid_on = renew_on
    return records
