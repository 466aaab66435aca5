"""How many association units and members each commune gets: exact totals, deterministic per seed.

The seed (Hậu Giang news report of 20/05/2024, /work/shared/seeds) gives the province totals:
588 Farmers' Association branches, 777 savings-and-loan groups, about 36,000 members.
"""

import random
from dataclasses import dataclass

# Figures of the seed document (BHXH tỉnh Hậu Giang and Hội Nông dân tỉnh, 20/05/2024).
SEED_BRANCHES = 588
SEED_SAVINGS_GROUPS = 777
SEED_MEMBERS = 36_000


def allocate(total: int, weights: list[int], *, minimum: int = 0) -> list[int]:
    """Split ``total`` into integer parts proportional to ``weights`` (non-negative ints), each part at
    least ``minimum``; parts sum exactly to ``total`` (largest remainder, ties to the lower index).

    Raises ValueError if ``total`` < ``minimum`` × len(weights) or every weight is 0 while something
    is left to share.
    """
    count = len(weights)
    rest = total - minimum * count
    if rest < 0:
        raise ValueError(f"cannot give {minimum} to each of {count} parts out of {total}")
    weight_sum = sum(weights)
    if rest and not weight_sum:
        raise ValueError("all weights are zero")
    if not rest:
        return [minimum] * count
    parts = [minimum + rest * w // weight_sum for w in weights]
    left = total - sum(parts)
    by_remainder = sorted(range(count), key=lambda i: (-(rest * weights[i] % weight_sum), i))
    for i in by_remainder[:left]:
        parts[i] += 1
    return parts


@dataclass(frozen=True)
class CommuneSlot:
    """What the allocation needs to know of a commune: its code and whether it is urban (a ward)."""

    code: str
    urban: bool
    town: bool = False


@dataclass(frozen=True)
class UnitPlan:
    """Per commune (same order as the input): branches, savings groups, members; and the totals."""

    branches: list[int]
    groups: list[int]
    members: list[int]

    @property
    def totals(self) -> tuple[int, int, int]:
        return sum(self.branches), sum(self.groups), sum(self.members)


def scaled_totals(scale: float, *, communes: int) -> tuple[int, int, int]:
    """(branches, groups, members) for a scale: the seed's figures at 1.0; smaller scales keep at least
    one branch per commune and enough members to staff every unit."""
    if scale <= 0:
        raise ValueError("scale must be positive")
    if scale >= 1:
        return SEED_BRANCHES, SEED_SAVINGS_GROUPS, SEED_MEMBERS
    branches = max(communes, round(SEED_BRANCHES * scale))
    groups = round(SEED_SAVINGS_GROUPS * scale)
    members = max(round(SEED_MEMBERS * scale), (branches + groups) * 6)
    return branches, groups, members


def plan_units(communes: list[CommuneSlot], *, seed: int, scale: float = 1.0) -> UnitPlan:
    """Allocate branches, savings-and-loan groups and members over ``communes``.

    Rural communes weigh more than towns and wards (more hamlets, more farmers); a seeded jitter makes
    communes differ. Every commune has at least one branch; groups follow branches; members follow
    units. At ``scale`` 1.0 the totals are exactly the seed's 588 / 777 / 36,000.
    """
    rng = random.Random(f"units-{seed}")
    total_branches, total_groups, total_members = scaled_totals(scale, communes=len(communes))
    weights = []
    for slot in communes:
        base = 60 if slot.urban else 85 if slot.town else 100
        weights.append(base * rng.randint(70, 130))
    branches = allocate(total_branches, weights, minimum=1)
    groups = allocate(total_groups, [b * rng.randint(80, 120) for b in branches])
    members = allocate(total_members, [b * 100 + g * 45 for b, g in zip(branches, groups, strict=True)])
    return UnitPlan(branches=branches, groups=groups, members=members)
