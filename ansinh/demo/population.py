"""The demo province's people in memory: households, persons, association units and memberships.

Choice (see the seed: "gần 36.000 thành viên"): ``members`` are the association members, all adults;
every member has a membership of the branch of their hamlet, about half also of a savings-and-loan
group working with that branch. Their households also hold relatives who are not members (children,
parents, most spouses), so there are more persons than members. Each branch and each group has exactly
one leader, a member of the branch; the 588 + 777 leaders are distinct persons.

Nothing here touches the database: ``population_build`` returns plain records that the generator
writes with bulk inserts.
"""

import datetime
import random
from dataclasses import dataclass, field

from . import names
from .allocation import UnitPlan, allocate

# The day ages are computed on: the model's launch day (seed document).
CENSUS_DAY = datetime.date(2024, 5, 20)

HOUSEHOLD_SIZES = names.Weighted([(1, 7), (2, 16), (3, 25), (4, 26), (5, 14), (6, 8), (7, 4)])
POVERTY = names.Weighted([("poor", 3.5), ("near_poor", 4.5), ("agri_average", 27), ("other", 65)])

# Demo realism only (never used for pricing): people whose HI comes from elsewhere are left off the
# household lists, as enrolment does (registry.OtherCoverage; Law 51/2024 Art 12): young children and
# pupils (state-paid / school), some employees and pensioners. Ages and shares are demo choices.
YOUNG_CHILD_AGE = 6


@dataclass(slots=True)
class CommuneInfo:
    """A commune-level unit of the old map with its district."""

    id: int
    code: str
    name: str
    division_type: str
    district_id: int
    district_name: str
    district_code: str = ""

    @property
    def urban(self) -> bool:
        return self.division_type == "phường"

    @property
    def town(self) -> bool:
        return self.division_type == "thị trấn"


@dataclass(slots=True)
class PersonRec:
    idx: int
    household: int
    relationship: str
    full_name: str
    sex: str
    age: int
    date_of_birth: datetime.date
    citizen_id: str = ""
    si_number: str | None = None
    phone: str = ""
    ethnic_minority: bool = False
    other_coverage: str = ""
    branch: int = -1  # index of the branch the person is a member of, -1 if not a member
    group: int = -1  # index of the savings-and-loan group, -1 if none
    leads: int = -1  # index of the unit the person leads, -1 if not a leader
    made_on: datetime.date | None = None  # registered after the 2024 census (story.py); None: before


@dataclass(slots=True)
class HouseholdRec:
    idx: int
    code: str
    commune: int  # index into Population.communes
    hamlet: str
    address: str
    poverty_status: str
    branch: int
    members: list[int] = field(default_factory=list)
    agent: int = -1
    made_on: datetime.date | None = None  # registered after the 2024 census (story.py); None: before
    commune_id: int = 0  # a new-map commune it was registered under (story.py); 0: ``commune``'s own

    @property
    def head(self) -> int:
        return self.members[0]


@dataclass(slots=True)
class UnitRec:
    idx: int
    kind: str  # "branch" or "savings_group"
    code: str
    name: str
    commune: int
    hamlet: str
    branch: int = -1  # for a group: index of its branch
    leader: int = -1
    members: list[int] = field(default_factory=list)  # person indexes, leader included


@dataclass
class Population:
    communes: list[CommuneInfo]
    persons: list[PersonRec]
    households: list[HouseholdRec]
    units: list[UnitRec]

    def leader_indexes(self) -> list[int]:
        return [u.leader for u in self.units]


def _lower_first(text: str) -> str:
    """'Ấp Tân Long' -> 'ấp Tân Long' (inside a name or an address)."""
    return text[:1].lower() + text[1:]


def _household_people(rng: random.Random, *, size: int) -> list[tuple[str, str, int]]:
    """(relationship, sex, age) of a household's people, head first."""
    head_sex = "male" if rng.random() < 0.74 else "female"
    head_age = int(rng.triangular(24, 84, 47)) if size > 1 else int(rng.triangular(25, 88, 62))
    people = [("head", head_sex, head_age)]
    if size >= 2 and rng.random() < 0.88:
        gap = rng.randint(0, 8)
        spouse_age = head_age - gap if head_sex == "male" else head_age + gap
        people.append(("spouse", "female" if head_sex == "male" else "male", max(20, min(92, spouse_age))))
    mother_age = min(a for r, s, a in people if r in ("head", "spouse")) if len(people) > 1 else head_age
    if len(people) < size and head_age < 52 and rng.random() < 0.3:
        people.append(("parent", "female" if rng.random() < 0.6 else "male", min(95, head_age + rng.randint(22, 34))))
    with_grandchildren = head_age >= 50 and size - len(people) >= 2 and rng.random() < 0.5
    child_ages = []
    while len(people) < size:
        if with_grandchildren and child_ages and max(child_ages) >= 20 and rng.random() < 0.6:
            age = rng.randint(0, min(14, max(child_ages) - 20))
            people.append(("grandchild", "male" if rng.random() < 0.51 else "female", age))
            continue
        if rng.random() < 0.03:
            people.append(("sibling", "male" if rng.random() < 0.5 else "female",
                           max(18, head_age + rng.randint(-10, 10))))
            continue
        age = mother_age - rng.randint(19, 38)
        if age < 0:
            age = rng.randint(0, max(0, mother_age - 19))
        child_ages.append(age)
        people.append(("child", "male" if rng.random() < 0.51 else "female", age))
    return people


def _other_coverage(rng: random.Random, *, age: int, poverty: str) -> str:
    if poverty == "poor":
        return "state_paid"
    if age < YOUNG_CHILD_AGE:
        return "state_paid"
    if age < 18:
        return "student" if rng.random() < 0.92 else ""
    if age < 23:
        return "student" if rng.random() < 0.3 else "employee" if rng.random() < 0.1 else ""
    if age < 50:
        return "employee" if rng.random() < 0.09 else ""
    if age >= 60:
        return "pensioner" if rng.random() < 0.12 else ""
    return ""


def population_build(*, seed: int, communes: list[CommuneInfo], plan: UnitPlan) -> Population:
    """Generate households, persons and association units for ``communes`` following ``plan``.

    Deterministic for a seed. Per branch (one per hamlet) households are generated until the branch's
    member quota is met exactly; the quota of a commune is shared between its branches.
    """
    rng = random.Random(f"people-{seed}")
    persons: list[PersonRec] = []
    households: list[HouseholdRec] = []
    units: list[UnitRec] = []
    used_ids: set[str] = set()
    used_si: set[str] = set()
    has_other_coverage = _person_has_other_coverage()

    for ci, commune in enumerate(communes):
        n_branches, n_groups, n_members = plan.branches[ci], plan.groups[ci], plan.members[ci]
        hamlets = names.hamlet_names(rng, count=n_branches, urban=commune.urban)
        khmer_share = 0.12 if rng.random() < 0.15 else 0.01
        branch_idx = []
        for bi, hamlet in enumerate(hamlets):
            unit = UnitRec(idx=len(units), kind="branch", code=f"CH{commune.code}-{bi + 1:02d}",
                           name=f"Chi hội {_lower_first(hamlet)}", commune=ci, hamlet=hamlet)
            units.append(unit)
            branch_idx.append(unit.idx)
        groups_of = [0] * n_branches
        for g in range(n_groups):
            groups_of[g % n_branches] += 1
        group_serial = {}
        for g in range(n_groups):
            branch = units[branch_idx[g % n_branches]]
            group_serial[branch.idx] = group_serial.get(branch.idx, 0) + 1
            suffix = f" {group_serial[branch.idx]}" if groups_of[g % n_branches] > 1 else ""
            units.append(UnitRec(
                idx=len(units), kind="savings_group", code=f"TK{commune.code}-{g + 1:02d}",
                name=f"Tổ TK&VV {_lower_first(branch.hamlet)}{suffix}", commune=ci,
                hamlet=branch.hamlet, branch=branch.idx,
            ))
        minimum = [3 + groups_of[b] * 2 for b in range(n_branches)]
        if n_members < sum(minimum):
            raise ValueError(f"commune {commune.code}: {n_members} members cannot staff its units")
        quotas = allocate(n_members - sum(minimum), [rng.randint(60, 140) for _ in range(n_branches)])
        quotas = [q + m for q, m in zip(quotas, minimum, strict=True)]

        serial = 0
        for bi, quota in enumerate(quotas):
            branch = units[branch_idx[bi]]
            while quota > 0:
                serial += 1
                poverty = POVERTY.pick(rng)
                khmer = rng.random() < khmer_share
                household = HouseholdRec(
                    idx=len(households), code=f"{commune.code}-{serial:05d}", commune=ci, hamlet=branch.hamlet,
                    address=f"Số {rng.randint(1, 450)}, {_lower_first(branch.hamlet)}, {commune.name}, "
                            f"{commune.district_name}",
                    poverty_status=poverty, branch=branch.idx,
                )
                households.append(household)
                head_family = None
                father_family = None
                for relationship, sex, age in _household_people(rng, size=HOUSEHOLD_SIZES.pick(rng)):
                    dob = names.date_of_birth(rng, age=age, on=CENSUS_DAY)
                    family = None
                    if relationship in ("child", "grandchild"):
                        family = father_family or head_family
                    elif relationship == "sibling" or (relationship == "parent" and sex == "male"):
                        family = head_family
                    full_name = names.person_name(rng, sex=sex, birth_year=dob.year, family=family, khmer=khmer)
                    if relationship == "head":
                        head_family = names.family_of(full_name)
                        if sex == "male":
                            father_family = head_family
                    elif relationship == "spouse" and sex == "male":
                        father_family = names.family_of(full_name)
                    person = PersonRec(
                        idx=len(persons), household=household.idx, relationship=relationship, full_name=full_name,
                        sex=sex, age=age, date_of_birth=dob, ethnic_minority=khmer,
                        citizen_id=names.citizen_id(rng, birth_year=dob.year, sex=sex, used=used_ids),
                    )
                    if rng.random() < 0.8:
                        person.si_number = names.si_number(rng, used=used_si)
                    if age >= 16 and rng.random() < 0.8:
                        person.phone = names.phone(rng)
                    if has_other_coverage:
                        person.other_coverage = _other_coverage(rng, age=age, poverty=poverty)
                    if age >= 18 and quota > 0:
                        chance = 1.0 if relationship == "head" else 0.35 if relationship == "spouse" else 0.06
                        if rng.random() < chance:
                            person.branch = branch.idx
                            branch.members.append(person.idx)
                            quota -= 1
                    persons.append(person)
                    household.members.append(person.idx)

    _choose_leaders(rng, persons=persons, households=households, units=units)
    return Population(communes=communes, persons=persons, households=households, units=units)


def _choose_leaders(rng: random.Random, *, persons: list[PersonRec], households: list[HouseholdRec],
                    units: list[UnitRec]) -> None:
    """One leader per branch and per group (distinct persons, aged 28–65, HI not from elsewhere and
    not in a poor household when possible); fill the groups with members of their branch."""
    groups_by_branch: dict[int, list[UnitRec]] = {}
    for unit in units:
        if unit.kind == "savings_group":
            groups_by_branch.setdefault(unit.branch, []).append(unit)
    for unit in units:
        if unit.kind != "branch":
            continue
        pool = list(unit.members)
        rng.shuffle(pool)

        def fit(i: int) -> int:
            p = persons[i]
            good_age = 28 <= p.age <= 65
            covered = p.other_coverage not in ("", "state_paid") or households[p.household].poverty_status == "poor"
            return (0 if good_age and not covered else 1 if good_age else 2, 0 if p.relationship == "head" else 1)

        pool.sort(key=fit)
        leaders = pool[: 1 + len(groups_by_branch.get(unit.idx, []))]
        unit.leader = leaders[0]
        persons[leaders[0]].leads = unit.idx
        free = [i for i in unit.members if i not in leaders]
        rng.shuffle(free)
        for group, leader in zip(groups_by_branch.get(unit.idx, []), leaders[1:], strict=True):
            group.leader = leader
            persons[leader].leads = group.idx
            persons[leader].group = group.idx
            group.members.append(leader)
            take = min(len(free), rng.randint(14, 34))
            for i in free[:take]:
                persons[i].group = group.idx
                group.members.append(i)
            free = free[take:]


def _person_has_other_coverage() -> bool:
    """Whether the registry's Person model has ``other_coverage`` (added with enrolment's HI lists)."""
    from ansinh.registry.models import Person

    return any(f.name == "other_coverage" for f in Person._meta.get_fields())
