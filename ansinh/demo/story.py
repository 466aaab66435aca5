"""The demo after 2024: the map change of 1 July 2025 and the 2025 and 2026 campaigns of the merged
city, up to the demo's "today" (03/12/2026). Deterministic per seed; nothing here touches the database.

What happens (demo choices, not from the seed document):
- HI cards bought in 2024 are renewed (most households, without a break) or lapse; VSI periods paid
  in 2024 are continued or stop. Renewals due after "today" are not paid yet: cards expiring in the
  coming weeks are the agents' current work.
- Each year a campaign of the merged city (launch day in spring) brings new VSI and HI participants
  among the people already registered, and from 01/07/2025 new households are registered under the
  new-map communes (each in the hamlet of an association branch, its head a new member).
- Records keep the commune they were made under: until 30/06/2025 the household's old-map commune;
  from 01/07/2025 the new-map commune (a new household's own, else the primary successor of the
  household's old commune through ``UnitMapping``). Households registered before keep their commune.
- Agents collect on fixed round days (the 5th and the 20th of the month) after 2024, and after 2024 a VSI
  participant pays for 6 months or more at a time (monthly and quarterly payers move to every 6 months)
  and a household's HI for 6 months or more: fewer payments and fewer distinct questions to the rules module,
  so the whole demo stays within its time budget. Every amount still comes from the rules module for the
  payment day (``pricing.Pricer``).
"""

import datetime
import random
from dataclasses import dataclass

from . import names
from .enrolment import (HI_PERIOD_WEIGHTS, HI_SUPPORT_GROUP, VSI_EXTRA_STEPS, VSI_SUPPORT_GROUP,
                        EnrolmentPlan, HiLine, HiRec, VsiRec)
from .population import (HOUSEHOLD_SIZES, POVERTY, HouseholdRec, PersonRec, Population, _household_people,
                         _lower_first, _other_coverage)
from .pricing import Pricer, add_months

MAP_CHANGE = datetime.date(2025, 7, 1)  # new map (Resolution 202/2025/QH15: Hậu Giang joins Cần Thơ city)
OLD_ORG_CLOSED_ON = datetime.date(2025, 6, 30)
TODAY = datetime.date(2026, 12, 3)  # the demo's "today": payments stop the day before
LAST_PAYMENT_DAY = TODAY - datetime.timedelta(days=1)
ROUND_DAYS = (5, 20)
NEW_CITY_NAME = "thành phố Cần Thơ"

HI_RENEW_CHANCE = 0.8  # per renewal; otherwise the card lapses
VSI_RENEW_CHANCE = {"6_months": 0.84}  # per period; other modes VSI_RENEW_OTHER
VSI_RENEW_OTHER = 0.82
LATER_MODE = {"monthly": "6_months", "3_months": "6_months"}  # a 2024 payer's mode after 2024 (see above)
LATER_VSI_MODES = names.Weighted([("6_months", 45), ("12_months", 55)])  # new participants
HI_SHORTEST_MONTHS = 6
NEW_HOUSEHOLD_HI_CHANCE = 0.6
NEW_HOUSEHOLD_VSI_CHANCE = 0.15


@dataclass(frozen=True)
class YearCampaign:
    """A campaign of the merged city: its days, province goals (%) and sign-ups at scale 1."""

    code: str
    name: str
    launch_day: datetime.date
    starts_on: datetime.date
    ends_on: datetime.date
    goal_leaders_vsi: int
    goal_leaders_hi: int
    goal_members_covered: int
    launch_vsi: int
    launch_hi: int  # households
    later_vsi: int
    later_hi: int  # households
    new_households: int  # registered after the map change, in this year


CAMPAIGNS = (
    YearCampaign("CT-2025", "Vận động người dân tham gia BHXH tự nguyện, BHYT hộ gia đình năm 2025",
                 datetime.date(2025, 4, 10), datetime.date(2025, 4, 1), datetime.date(2025, 12, 31),
                 55, 100, 60, 220, 300, 480, 560, 320),
    YearCampaign("CT-2026", "Vận động người dân tham gia BHXH tự nguyện, BHYT hộ gia đình năm 2026",
                 datetime.date(2026, 3, 26), datetime.date(2026, 3, 1), datetime.date(2026, 12, 31),
                 60, 100, 65, 240, 320, 520, 600, 380),
)


@dataclass
class StoryPlan:
    vsi: list[VsiRec]
    hi: list[HiRec]
    new_households: list[int]  # indexes into Population.households
    new_persons: list[int]


def snap_to_round_day(day: datetime.date, *, after: datetime.date) -> datetime.date:
    """The last round day on or before ``day`` if it is after ``after``; else ``day`` itself."""
    earlier = [d for d in ROUND_DAYS if d <= day.day]
    snapped = day.replace(day=earlier[-1]) if earlier else day
    return snapped if snapped > after else day


def round_days_between(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """Every round day from ``first`` to ``last`` (inclusive)."""
    out = []
    month = first.replace(day=1)
    while month <= last:
        out.extend(d for d in (month.replace(day=n) for n in ROUND_DAYS) if first <= d <= last)
        month = add_months(month, 1)
    return out


def age_on(born: datetime.date, day: datetime.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def story_plan(*, seed: int, population: Population, enrolment: EnrolmentPlan, pricer: Pricer,
               successor: dict[int, int], new_communes: dict[int, tuple[str, str]], scale: float = 1.0) -> StoryPlan:
    """Plan 2025–2026: new households (appended to ``population``), renewals, lapses and new sign-ups.

    ``successor``: old commune id -> its primary new commune id; ``new_communes``: new commune id ->
    (code, name). Raises the rules module's RuleError if a request is refused (a defect here).
    """
    return _Story(seed=seed, population=population, enrolment=enrolment, pricer=pricer, successor=successor,
                  new_communes=new_communes, scale=scale).plan()


class _Story:
    def __init__(self, *, seed, population, enrolment, pricer, successor, new_communes, scale):
        self.rng = random.Random(f"story-{seed}")
        self.population = population
        self.persons, self.households, self.units = population.persons, population.households, population.units
        self.communes = population.communes
        self.enrolment = enrolment
        self.pricer = pricer
        self.successor = successor
        self.new_communes = new_communes
        self.scale = min(1.0, scale)
        self.vsi: list[VsiRec] = []
        self.hi: list[HiRec] = []
        self.in_vsi = {r.person for r in enrolment.vsi}
        self.in_hi = {r.household for r in enrolment.hi}

    def _n(self, value: int) -> int:
        return max(1, round(value * self.scale))

    # -- where and who ---------------------------------------------------------------------------
    def commune_on(self, household: int, day: datetime.date) -> int:
        """The commune a record of ``household`` made on ``day`` is made under."""
        h = self.households[household]
        if h.commune_id:
            return h.commune_id
        old = self.communes[h.commune].id
        return self.successor.get(old, old) if day >= MAP_CHANGE else old

    def referrer(self, person: int) -> int:
        p = self.persons[person]
        if p.leads >= 0:
            return -1
        if p.group >= 0 and self.rng.random() < 0.5:
            return self.units[p.group].leader
        return self.units[self.households[p.household].branch].leader

    def hi_list(self, household: int) -> list[int]:
        """Members who need household HI, in rank order (head first, then the oldest)."""
        h = self.households[household]
        if h.poverty_status == "poor":
            return []
        eligible = [i for i in h.members if self.persons[i].other_coverage == ""]
        eligible.sort(key=lambda i: (self.persons[i].relationship != "head", self.persons[i].date_of_birth, i))
        return eligible

    def vsi_eligible(self, person: int, day: datetime.date) -> bool:
        p = self.persons[person]
        return p.other_coverage == "" and 20 <= age_on(p.date_of_birth, day) <= 57

    # -- the plan --------------------------------------------------------------------------------
    def plan(self) -> StoryPlan:
        first_household, first_person = len(self.households), len(self.persons)
        joins: list[tuple[datetime.date, int, int]] = []  # (day, 0 vsi / 1 hi, person or household)
        for campaign in CAMPAIGNS:
            joins += self._new_households(campaign)
        self._renewals()
        for campaign in CAMPAIGNS:
            joins += self._campaign_joins(campaign)
        for day, kind, who in sorted(joins):
            if kind == 0:
                self._vsi_join(who, day)
            else:
                self._hi_join(who, day)
        return StoryPlan(vsi=self.vsi, hi=self.hi, new_households=list(range(first_household, len(self.households))),
                         new_persons=list(range(first_person, len(self.persons))))

    def _new_households(self, campaign: YearCampaign) -> list[tuple[datetime.date, int, int]]:
        """Households registered after the map change in the campaign's year, under new communes."""
        rng = self.rng
        year = campaign.launch_day.year
        days = round_days_between(max(MAP_CHANGE, datetime.date(year, 1, 1)),
                                  min(datetime.date(year, 12, 31), LAST_PAYMENT_DAY))
        branches = [u for u in self.units if u.kind == "branch"]
        agent_of = {}
        for h in self.households:
            agent_of.setdefault(h.commune, h.agent)
        used_ids = self._used("citizen_id")
        used_si = self._used("si_number")
        serial = self.__dict__.setdefault("_serial", {})
        joins = []
        for _ in range(self._n(campaign.new_households)):
            made_on = rng.choice(days)
            branch = rng.choice(branches)
            old_id = self.communes[branch.commune].id
            new_id = self.successor.get(old_id)
            if new_id is None:
                continue
            code, name = self.new_communes[new_id]
            serial[new_id] = serial.get(new_id, 0) + 1
            poverty = POVERTY.pick(rng)
            household = HouseholdRec(
                idx=len(self.households), code=f"{code}-M{serial[new_id]:04d}", commune=branch.commune,
                hamlet=branch.hamlet, address=f"Số {rng.randint(1, 450)}, {_lower_first(branch.hamlet)}, {name}, "
                                              f"{NEW_CITY_NAME}",
                poverty_status=poverty, branch=branch.idx, agent=agent_of[branch.commune], made_on=made_on,
                commune_id=new_id,
            )
            self.households.append(household)
            family = None
            for relationship, sex, age in _household_people(rng, size=HOUSEHOLD_SIZES.pick(rng)):
                born = names.date_of_birth(rng, age=age, on=made_on)
                inherit = family if relationship in ("child", "grandchild", "sibling") else None
                full_name = names.person_name(rng, sex=sex, birth_year=born.year, family=inherit)
                if relationship == "head":
                    family = names.family_of(full_name)
                person = PersonRec(
                    idx=len(self.persons), household=household.idx, relationship=relationship, full_name=full_name,
                    sex=sex, age=age, date_of_birth=born,
                    citizen_id=names.citizen_id(rng, birth_year=born.year, sex=sex, used=used_ids),
                    other_coverage=_other_coverage(rng, age=age, poverty=poverty), made_on=made_on,
                )
                if rng.random() < 0.6:
                    person.si_number = names.si_number(rng, used=used_si)
                if age >= 16 and rng.random() < 0.8:
                    person.phone = names.phone(rng)
                if relationship == "head" and age >= 18:
                    person.branch = branch.idx
                    branch.members.append(person.idx)
                self.persons.append(person)
                household.members.append(person.idx)
            if rng.random() < NEW_HOUSEHOLD_HI_CHANCE and self.hi_list(household.idx):
                joins.append((made_on, 1, household.idx))
                self.in_hi.add(household.idx)
            head = household.head
            if rng.random() < NEW_HOUSEHOLD_VSI_CHANCE and self.vsi_eligible(head, made_on):
                joins.append((made_on, 0, head))
                self.in_vsi.add(head)
        return joins

    def _used(self, attribute: str) -> set[str]:
        cache = self.__dict__.setdefault("_used_sets", {})
        if attribute not in cache:
            cache[attribute] = {getattr(p, attribute) for p in self.persons if getattr(p, attribute)}
        return cache[attribute]

    def _renewals(self) -> None:
        """2024's participants whose next period fell after the year: renew without a break, or lapse."""
        rng = self.rng
        supported: dict[int, int] = {}
        for r in self.enrolment.vsi:
            if r.quote["state_support"] > 0:
                supported[r.person] = supported.get(r.person, 0) + r.months
        for r in self.enrolment.vsi:
            if r.next_on is None or rng.random() > VSI_RENEW_CHANCE.get(r.payment_mode, VSI_RENEW_OTHER):
                continue
            steps = self._income_steps(r.income, r.paid_on)
            self._vsi_chain(r.person, paid_on=r.next_on.replace(day=rng.choice(ROUND_DAYS)), from_month=r.next_on,
                            mode=LATER_MODE.get(r.payment_mode, r.payment_mode), steps=steps, support_group=r.support_group,
                            supported=supported.get(r.person, 0), referred_by=r.referred_by, method=r.method)
        for r in self.enrolment.hi:
            if r.next_on is None or rng.random() > HI_RENEW_CHANCE:
                continue
            self._hi_chain(r.household, paid_on=snap_to_round_day(r.next_on, after=r.paid_on),
                           eligible=[line.person for line in r.lines], months=r.months,
                           previous_end=r.lines[0].valid_to, referred_by=r.referred_by, method=r.method)

    def _income_steps(self, income: int, on: datetime.date) -> int:
        floor = self.pricer.vsi_income(on=on)
        step = self.pricer.vsi_income(on=on, steps=1) - floor
        return (income - floor) // step if step else 0

    def _campaign_joins(self, campaign: YearCampaign) -> list[tuple[datetime.date, int, int]]:
        """New participants among the people registered before the campaign: launch day, then the year."""
        rng = self.rng
        last = min(campaign.ends_on, LAST_PAYMENT_DAY)
        later_days = round_days_between(campaign.launch_day + datetime.timedelta(days=1), last)
        busy = later_days[: max(1, len(later_days) // 4)]  # the campaign month weighs more
        joins = []
        registered = [p.idx for p in self.persons if p.made_on is None or p.made_on < campaign.launch_day]
        vsi_pool = [i for i in registered if i not in self.in_vsi and self.vsi_eligible(i, campaign.launch_day)]
        rng.shuffle(vsi_pool)
        vsi_pool.sort(key=lambda i: 0 if self.persons[i].branch >= 0 else 1)  # members first
        n_launch, n_later = self._n(campaign.launch_vsi), self._n(campaign.later_vsi)
        for k, i in enumerate(vsi_pool[: n_launch + n_later]):
            day = campaign.launch_day if k < n_launch else rng.choice(busy if rng.random() < 0.35 else later_days)
            joins.append((day, 0, i))
            self.in_vsi.add(i)
        households = [h.idx for h in self.households
                      if h.idx not in self.in_hi and (h.made_on is None or h.made_on < campaign.launch_day)]
        rng.shuffle(households)
        n_launch, n_later = self._n(campaign.launch_hi), self._n(campaign.later_hi)
        taken = 0
        for h in households:
            if taken >= n_launch + n_later:
                break
            if not self.hi_list(h):
                continue
            day = campaign.launch_day if taken < n_launch else rng.choice(busy if rng.random() < 0.35 else later_days)
            joins.append((day, 1, h))
            self.in_hi.add(h)
            taken += 1
        return joins

    def _vsi_join(self, person: int, day: datetime.date) -> None:
        rng = self.rng
        household = self.households[self.persons[person].household]
        self.in_vsi.add(person)
        self._vsi_chain(person, paid_on=day, from_month=day.replace(day=1), mode=LATER_VSI_MODES.pick(rng),
                        steps=VSI_EXTRA_STEPS.pick(rng), support_group=VSI_SUPPORT_GROUP[household.poverty_status],
                        supported=0, referred_by=self.referrer(person), method=_method(rng))

    def _hi_join(self, household: int, day: datetime.date) -> None:
        rng = self.rng
        self.in_hi.add(household)
        eligible = self.hi_list(household)
        leader_here = any(self.persons[i].leads >= 0 for i in self.households[household].members)
        periods = sorted((m for m in self.pricer.hi_periods(on=day) if m >= HI_SHORTEST_MONTHS), reverse=True)
        months = names.Weighted(list(zip(periods, HI_PERIOD_WEIGHTS))).pick(rng)
        self._hi_chain(household, paid_on=day, eligible=eligible, months=months, previous_end=None,
                       referred_by=-1 if leader_here else self.units[self.households[household].branch].leader,
                       method=_method(rng))

    # -- periods ---------------------------------------------------------------------------------
    def _vsi_chain(self, person: int, *, paid_on, from_month, mode, steps, support_group, supported, referred_by,
                   method) -> None:
        rng, pricer = self.rng, self.pricer
        household = self.persons[person].household
        agent = self.households[household].agent
        chance = VSI_RENEW_CHANCE.get(mode, VSI_RENEW_OTHER)
        while paid_on <= LAST_PAYMENT_DAY:
            months = pricer.vsi_mode_months(mode=mode, on=paid_on)
            income = pricer.vsi_income(on=paid_on, steps=steps)
            result = pricer.vsi(on=paid_on, income=income, months=months, payment_mode=mode,
                                support_group=support_group, months_already_supported=supported)
            self.vsi.append(VsiRec(
                person=person, income=income, payment_mode=mode, support_group=support_group, from_month=from_month,
                months=months, paid_on=paid_on, quote=result, referred_by=referred_by, agent=agent, method=method,
                commune_id=self.commune_on(household, paid_on),
            ))
            if result["state_support"] > 0:
                supported += months
            from_month = add_months(from_month, months)
            paid_on = from_month.replace(day=rng.choice(ROUND_DAYS))
            if rng.random() > chance:
                break

    def _hi_chain(self, household: int, *, paid_on, eligible, months, previous_end, referred_by, method) -> None:
        rng, pricer = self.rng, self.pricer
        h = self.households[household]
        group = HI_SUPPORT_GROUP.get(h.poverty_status)
        while paid_on <= LAST_PAYMENT_DAY:
            periods = pricer.hi_periods(on=paid_on)
            if months not in periods or months < HI_SHORTEST_MONTHS:
                months = min((m for m in periods if m >= HI_SHORTEST_MONTHS), default=max(periods))
            support_pct = pricer.hi_support_pct(group=group, on=paid_on) if group else 0
            result = pricer.hi(on=paid_on, members=len(eligible), months=months, support_pct=support_pct)
            validity = pricer.card_validity(paid_on=paid_on, months=months, previous_valid_to=previous_end)
            record = HiRec(household=household, months=months, paid_on=paid_on, quote=result, referred_by=referred_by,
                           agent=h.agent, method=method, commune_id=self.commune_on(household, paid_on))
            for rank, (i, line) in enumerate(zip(eligible, pricer.hi_lines(result), strict=True), start=1):
                record.lines.append(HiLine(
                    person=i, rank=rank, share_pct=line["share_pct"], amount=line["amount"],
                    support_pct=line["support_pct"], state_support=line["state_support"], payable=line["payable"],
                    valid_from=validity.valid_from, valid_to=validity.valid_to, validity_rule=validity.rule,
                ))
            self.hi.append(record)
            previous_end = validity.valid_to
            due = snap_to_round_day(previous_end - datetime.timedelta(days=rng.randint(0, 20)), after=paid_on)
            if due <= paid_on or rng.random() > HI_RENEW_CHANCE:
                break
            paid_on = due


def _method(rng: random.Random) -> str:
    return "cash" if rng.random() < 0.88 else "bank_transfer"
