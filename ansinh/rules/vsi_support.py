"""State and local support of the VSI contribution: one function per legal shape, picked by date.

The support is a percentage of (contribution rate × rural poverty line) per month, for at most the
months left of the lifetime cap; a person in several groups gets the highest percentage.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .breakdown import pct_text
from .errors import INVALID_REQUEST, ParameterError, RuleError
from .labels import GROUP_LABELS_VI
from .parameters import ParameterSet, Resolved

SUPPORT_GROUPS = ("poor", "near_poor", "ethnic_minority", "island_commune", "other", "none")
"""Request codes of the support groups; 'none' means no support at all."""

ZERO = Decimal(0)


@dataclass(frozen=True)
class SupportChoice:
    """The percentage retained, the group it comes from and the parameter that gave it."""

    pct: Decimal
    group: str
    table: Resolved | None


def _highest(table: Mapping[str, Decimal], keys: Iterable[tuple[str, str]]) -> tuple[Decimal, str]:
    best = (ZERO, "none")
    for group, key in keys:
        pct = table.get(key, ZERO)
        if pct > best[0]:
            best = (pct, group)
    return best


def vsi_state_support_pct_2018(table: Mapping[str, Decimal], groups: Iterable[str]) -> tuple[Decimal, str]:
    """Decree 134/2015 Art 14(1): poor, near-poor, and 'other' for everybody else (ethnic minority,
    island communes included). `table` is vsi.state_support_2018; returns (percent, winning group)."""
    own_rows = ("poor", "near_poor")
    return _highest(table, ((g, g if g in own_rows else "other") for g in groups if g != "none"))


def vsi_state_support_pct_2025(table: Mapping[str, Decimal], groups: Iterable[str]) -> tuple[Decimal, str]:
    """Decree 159/2025 Art 5(1): poor and island communes, near-poor, ethnic minority, other; a group
    without a row of its own counts as 'other'. `table` is vsi.state_support_2025."""
    return _highest(table, ((g, g if g in table else "other") for g in groups if g != "none"))


STATE_SUPPORT_RULES = {
    "law_58_2014": ("vsi.state_support_2018", vsi_state_support_pct_2018),
    "law_41_2024": ("vsi.state_support_2025", vsi_state_support_pct_2025),
}
"""common.social_insurance_law code -> (parameter, rule function)."""


def vsi_state_support_choice(on: date, law: str, groups: Sequence[str], params: ParameterSet) -> SupportChoice:
    """The state support percentage of the highest of `groups` on `on` under `law`.

    Raises RuleError invalid_request for an empty list or a group not in SUPPORT_GROUPS.
    """
    if not groups or any(g not in SUPPORT_GROUPS for g in groups):
        raise RuleError(
            INVALID_REQUEST,
            f"Nhóm hỗ trợ phải là một hoặc nhiều trong: {', '.join(SUPPORT_GROUPS)}.",
            field="support_group",
            value=list(groups),
        )
    if law not in STATE_SUPPORT_RULES:
        raise ParameterError(f"no VSI state support rule for law code {law!r}")
    name, rule = STATE_SUPPORT_RULES[law]
    table = params.get(name, on)
    pct, group = rule(table.value, groups)
    return SupportChoice(pct, group, table)


def vsi_local_support_choice(
    on: date, province_code: str | None, groups: Iterable[str], params: ParameterSet
) -> SupportChoice:
    """Local support of the province (vsi.local_support.<code>), zero when none is recorded.

    A group without a row of its own takes the province's 'other' row, if any.
    """
    if province_code is None:
        return SupportChoice(ZERO, "none", None)
    table = params.find(f"vsi.local_support.{province_code}", on)
    if table is None:
        return SupportChoice(ZERO, "none", None)
    pct, group = _highest(table.value, ((g, g if g in table.value else "other") for g in groups if g != "none"))
    return SupportChoice(pct, group, table)


SUPPORT_ABOVE_TOTAL_VI = (
    "Mức hỗ trợ của ngân sách địa phương ({local}) cộng với hỗ trợ của Nhà nước ({state}) cho nhóm «{group}» "
    "vượt quá 100% mức đóng tính trên chuẩn hộ nghèo; hãy sửa tham số hỗ trợ địa phương của tỉnh {province}."
)


def vsi_check_support_total(on: date, law: str, groups: Sequence[str], province_code: str | None,
                             params: ParameterSet) -> None:
    """For each of the person's groups, the state's and the province's support together may not exceed
    100 % of the support base (rules.md §1: local support comes on top of the state's; it never pays the
    person). Checked group by group, as the parameters are set. Raises RuleError invalid_request (field
    local_support) naming the group, both percentages and the province."""
    if province_code is None:
        return
    for group in groups:
        if group == "none":
            continue
        local = vsi_local_support_choice(on, province_code, (group,), params)
        if not local.pct:
            continue
        state = vsi_state_support_choice(on, law, (group,), params)
        if state.pct + local.pct > 100:
            raise RuleError(
                INVALID_REQUEST,
                SUPPORT_ABOVE_TOTAL_VI.format(local=pct_text(local.pct), state=pct_text(state.pct),
                                              group=GROUP_LABELS_VI.get(group, group).lower(),
                                              province=province_code),
                field="local_support",
                group=group,
                state_support_pct=state.pct,
                local_support_pct=local.pct,
                province_code=province_code,
            )


def vsi_supported_months(months: int, cap: int, months_already_supported: int) -> int:
    """Months of this payment that still receive support under the lifetime cap."""
    return max(0, min(months, cap - months_already_supported))
