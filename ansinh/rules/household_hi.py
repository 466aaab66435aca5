"""Household health insurance (BHYT hộ gia đình): contribution per member by rank, state support.

Per member: contribution rate × base salary × months × ladder share of the member's rank, rounded
half-up once per member; the state support of a member is rounded once per member as well.
Legal basis: Decree 146/2018/NĐ-CP Art 7; Law 51/2024/QH15 Art 13 and 15(6); Decree 188/2025/NĐ-CP.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .breakdown import Line, breakdown_dicts, pct_text, vnd_text
from .errors import INVALID_MEMBERS, INVALID_MONTHS, INVALID_REQUEST, RuleError
from .money import HUNDRED, plain_number, ratio, to_vnd
from .parameters import ParameterSet, Resolved, default_parameters


@dataclass(frozen=True)
class HiRates:
    """The household HI parameters in force on one date; monthly_first is VND per month of rank 1."""

    on: date
    base_salary: Resolved
    contribution_rate: Resolved
    ladder: Resolved
    periods: Resolved
    monthly_first: Decimal

    def share(self, rank: int) -> Decimal:
        """Ladder share (percent) of the member at `rank` (1-based; the last share repeats)."""
        ladder = self.ladder.value
        return ladder[min(rank, len(ladder)) - 1]


def hi_rates_on(on: date, params: ParameterSet | None = None) -> HiRates:
    """Look up the household HI parameters in force on `on`; raises no_parameter_for_date."""
    params = params or default_parameters()
    base_salary = params.get("common.base_salary", on)
    contribution_rate = params.get("household_hi.contribution_rate", on)
    return HiRates(
        on=on,
        base_salary=base_salary,
        contribution_rate=contribution_rate,
        ladder=params.get("household_hi.ladder", on),
        periods=params.get("household_hi.periods", on),
        monthly_first=ratio(contribution_rate.value) * base_salary.value,
    )


@dataclass(frozen=True)
class HiMember:
    """One member line: rank in the household list, share (%), amount, support (% and VND), payable."""

    rank: int
    share_pct: Decimal
    amount: int
    support_pct: Decimal
    state_support: int

    @property
    def payable(self) -> int:
        return self.amount - self.state_support


def hi_check_months(rates: HiRates, months: int) -> None:
    """Only the periods of household_hi.periods (3, 6, 12) are allowed, else invalid_months."""
    if months not in rates.periods.value:
        allowed = list(rates.periods.value)
        raise RuleError(
            INVALID_MONTHS,
            f"BHYT hộ gia đình đóng theo kỳ {', '.join(map(str, allowed))} tháng, không phải {months} tháng.",
            months=months,
            allowed=allowed,
        )


def hi_check_ranks(ranks: Sequence[int]) -> None:
    """At least one member, ranks positive and distinct, else invalid_members."""
    if not ranks:
        raise RuleError(INVALID_MEMBERS, "Hộ gia đình phải có ít nhất một thành viên tham gia.", members=0)
    if any(rank < 1 for rank in ranks) or len(set(ranks)) != len(ranks):
        raise RuleError(
            INVALID_MEMBERS,
            "Thứ tự thành viên trong danh sách hộ phải là các số nguyên dương khác nhau.",
            ranks=list(ranks),
        )


def hi_member_lines(
    rates: HiRates, ranks: Sequence[int], months: int, support_pcts: Sequence[Decimal]
) -> tuple[HiMember, ...]:
    """Price each member (no checks, no breakdown: also the bulk path). Amounts in VND."""
    members = []
    for rank, support_pct in zip(ranks, support_pcts, strict=True):
        share = rates.share(rank)
        amount = to_vnd(rates.monthly_first * months * ratio(share))
        members.append(HiMember(rank, share, amount, support_pct, to_vnd(amount * ratio(support_pct))))
    return tuple(members)


@dataclass(frozen=True)
class HiHousehold:
    """A priced household HI payment. `to_dict()` gives the JSON result of a quote."""

    on: date
    months: int
    rates: HiRates
    members: tuple[HiMember, ...]

    @property
    def total(self) -> int:
        return sum(m.amount for m in self.members)

    @property
    def state_support(self) -> int:
        return sum(m.state_support for m in self.members)

    @property
    def payable(self) -> int:
        return self.total - self.state_support

    @property
    def breakdown(self) -> tuple[Line, ...]:
        r = self.rates
        lines = []
        for m in self.members:
            member = Line(
                key=f"member_{m.rank}",
                label=f"Thành viên thứ {m.rank} ({pct_text(m.share_pct)} mức đóng của người thứ nhất)",
                amount=m.amount,
                formula=(
                    f"{pct_text(r.contribution_rate.value)} × {vnd_text(r.base_salary.value)} × "
                    f"{self.months} tháng × {pct_text(m.share_pct)}"
                ),
                parameters=(r.contribution_rate, r.base_salary, r.ladder, r.periods),
                rounded=True,
            )
            lines.append(member)
            if m.support_pct:
                lines.append(
                    Line(
                        key=f"member_{m.rank}_state_support",
                        label=f"Nhà nước hỗ trợ thành viên thứ {m.rank} ({pct_text(m.support_pct)})",
                        amount=m.state_support,
                        formula=f"{pct_text(m.support_pct)} × {vnd_text(m.amount)}",
                        basis=("Nghị định 188/2025/NĐ-CP (tỷ lệ hỗ trợ theo nhóm đối tượng của thành viên)",),
                        rounded=True,
                        depends_on=(member,),
                    )
                )
        members = tuple(lines)
        total = Line(key="total", label="Tổng số tiền đóng của hộ", amount=self.total,
                     formula="tổng các dòng thành viên", depends_on=members)
        support = Line(key="state_support", label="Tổng Nhà nước hỗ trợ", amount=self.state_support,
                       formula="tổng hỗ trợ từng thành viên", depends_on=members)
        payable = Line(key="payable", label="Số tiền hộ phải nộp", amount=self.payable,
                       formula="tổng số tiền đóng − tổng hỗ trợ", depends_on=(total, support))
        return (*members, total, support, payable)

    def to_dict(self) -> dict:
        return {
            "kind": "hi_household",
            "on": self.on.isoformat(),
            "months": self.months,
            "per_member": [m.amount for m in self.members],
            "members": [
                {
                    "rank": m.rank,
                    "share_pct": plain_number(m.share_pct),
                    "amount": m.amount,
                    "support_pct": plain_number(m.support_pct),
                    "state_support": m.state_support,
                    "payable": m.payable,
                }
                for m in self.members
            ],
            "total": self.total,
            "state_support": self.state_support,
            "payable": self.payable,
            "breakdown": breakdown_dicts(self.breakdown),
        }


def household_hi_contribution(
    *,
    on: date,
    months: int,
    members: int | None = None,
    ranks: Sequence[int] | None = None,
    support_pct: Decimal | int | Sequence[Decimal | int] = 0,
    params: ParameterSet | None = None,
) -> HiHousehold:
    """The household HI contribution for a payment on `on`.

    Give `members` (a count: ranks 1..n) or `ranks` (the members' places in the household list, e.g.
    [3, 4] for two members joining after two others). months: 3, 6 or 12. support_pct: the state
    support percent (0..100) for every member, or a list with one percent per member (same order).
    Returns HiHousehold: per-member amounts in rank order, total, state_support, payable (VND).
    Raises RuleError invalid_months, invalid_members, invalid_request, no_parameter_for_date.
    """
    rates = hi_rates_on(on, params)
    hi_check_months(rates, months)
    if ranks is None:
        if members is None:
            raise RuleError(INVALID_REQUEST, "Cần cho biết số thành viên hoặc thứ tự các thành viên.", field="members")
        ranks = range(1, members + 1) if members > 0 else ()
    ranks = list(ranks)
    hi_check_ranks(ranks)
    pcts = list(support_pct) if isinstance(support_pct, (list, tuple)) else [support_pct] * len(ranks)
    if len(pcts) != len(ranks):
        raise RuleError(
            INVALID_REQUEST,
            "Danh sách tỷ lệ hỗ trợ phải có một giá trị cho mỗi thành viên.",
            field="support_pct",
            members=len(ranks),
            support_pct=len(pcts),
        )
    pcts = [Decimal(p) for p in pcts]
    if any(not (0 <= p <= HUNDRED) for p in pcts):
        raise RuleError(INVALID_REQUEST, "Tỷ lệ hỗ trợ phải từ 0 đến 100.", field="support_pct")
    order = sorted(range(len(ranks)), key=ranks.__getitem__)
    ranks = [ranks[i] for i in order]
    pcts = [pcts[i] for i in order]
    return HiHousehold(on=on, months=months, rates=rates, members=hi_member_lines(rates, ranks, months, pcts))


def household_hi_support_minimum_pct(on: date, group: str, params: ParameterSet | None = None) -> Decimal | None:
    """The minimum state support percent of the HI contribution for a member's group (near_poor,
    student, agri_average) on `on`; None for a group without one. Provinces may give more.
    Decree 146/2018/NĐ-CP Art 4; Decree 188/2025/NĐ-CP (household_hi.state_support_minimum)."""
    params = params or default_parameters()
    return params.value("household_hi.state_support_minimum", on).get(group)
