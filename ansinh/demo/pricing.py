"""The demo's one door to the rules module: memoised quotes and the few parameters it needs.

Requests are exactly those of ``ansinh quote`` (/work/shared/vectors/README.md). Identical requests
give identical results, so ``Pricer`` keeps each result once (the full province asks a few thousand
distinct questions for tens of thousands of records). No legal number is written here: the income
floor and step (parameters ``vsi.income_floor``, ``vsi.income_step``), the months of each payment
mode (``vsi.payment_mode_months``, ``household_hi.periods``), the HI support percentages
(``household_hi.state_support_minimum``) and the card validity (``rules.hi_card``) come from the
rules module.
"""

import datetime
import json
from collections.abc import Callable
from dataclasses import dataclass

from ansinh.rules.dates import add_months  # noqa: F401  (re-exported for the demo modules)


@dataclass(frozen=True, slots=True)
class Validity:
    """An HI card's validity and the rule text shown on the card record."""

    valid_from: datetime.date
    valid_to: datetime.date
    rule: str


def _json_safe(result: dict) -> dict:
    """The result as plain JSON types (what a JSONField stores and gives back)."""
    return json.loads(json.dumps(result, default=str, ensure_ascii=False))


class Pricer:
    """Memoised pricing over ``ansinh.rules``.

    ``quote`` defaults to ``ansinh.rules.quote.quote``; tests may pass another callable with the same
    contract. Errors of the rules module (``RuleError`` with ``.code``) propagate unchanged.
    """

    def __init__(self, quote: Callable[[dict], dict] | None = None):
        if quote is None:
            from ansinh.rules.quote import quote as rules_quote

            quote = rules_quote
        self._quote = quote
        self._cache: dict[tuple, dict] = {}
        self._aux: dict[tuple, object] = {}
        self.calls = 0

    # -- quotes ---------------------------------------------------------------------------------
    def _ask(self, request: dict) -> dict:
        key = tuple(sorted(request.items()))
        found = self._cache.get(key)
        if found is None:
            self.calls += 1
            found = self._cache[key] = _json_safe(self._quote(dict(request)))
        return found

    def vsi(self, *, on: datetime.date, income: int, months: int, payment_mode: str, support_group: str,
            months_already_supported: int = 0) -> dict:
        """A ``vsi_contribution`` result (``gross``, ``state_support``, ``amount_due``, ``payable``,
        ``breakdown`` …; VND). Raises the rules module's RuleError."""
        request = {"kind": "vsi_contribution", "on": on.isoformat(), "income": income, "months": months,
                   "payment_mode": payment_mode, "support_group": support_group}
        if months_already_supported:
            request["months_already_supported"] = months_already_supported
        return self._ask(request)

    def hi(self, *, on: datetime.date, members: int, months: int, support_pct: int = 0) -> dict:
        """An ``hi_household`` result (``per_member``, ``total``, ``state_support``, ``payable`` …; VND)
        for ``members`` ranked 1..n with the same state support % each. Raises RuleError."""
        request = {"kind": "hi_household", "on": on.isoformat(), "members": members, "months": months}
        if support_pct:
            request["support_pct"] = support_pct
        return self._ask(request)

    @staticmethod
    def hi_lines(result: dict) -> list[dict]:
        """Per member, in rank order: ``share_pct``, ``amount``, ``support_pct``, ``state_support``,
        ``payable`` (VND), read from the result; the lines add up to the result's totals.

        Uses the result's own member lines when it has them; otherwise splits ``state_support`` over
        ``per_member`` in proportion (largest remainder), so the sums match to the đồng.
        """
        per_member = result["per_member"]
        lines = result.get("members")
        if isinstance(lines, list) and len(lines) == len(per_member) and all(
            isinstance(x, dict) and {"share_pct", "amount", "state_support", "payable"} <= set(x) for x in lines
        ):
            return [{"share_pct": int(x["share_pct"]), "amount": int(x["amount"]),
                     "support_pct": int(x.get("support_pct", 0)), "state_support": int(x["state_support"]),
                     "payable": int(x["payable"])} for x in lines]
        first = per_member[0]
        support = result.get("state_support", 0)
        total = sum(per_member)
        supports = [amount * support // total if total else 0 for amount in per_member]
        left = support - sum(supports)
        order = sorted(range(len(per_member)), key=lambda i: (-(per_member[i] * support % total if total else 0), i))
        for i in order[:left]:
            supports[i] += 1
        pct = (200 * support + total) // (2 * total) if total else 0  # whole percent, half-up
        return [{"share_pct": (200 * amount + first) // (2 * first) if first else 0, "amount": amount,
                 "support_pct": pct, "state_support": s, "payable": amount - s}
                for amount, s in zip(per_member, supports, strict=True)]

    # -- parameters -----------------------------------------------------------------------------
    @staticmethod
    def _parameter(name: str, on: datetime.date):
        from ansinh.rules.parameters import default_parameters

        return default_parameters().value(name, on)

    def vsi_income(self, *, on: datetime.date, steps: int = 0) -> int:
        """The VSI income floor on ``on`` plus ``steps`` income steps (VND), from the rules parameters."""
        key = ("income", on)
        if key not in self._aux:
            floor = self._parameter("vsi.income_floor", on)
            step = self._parameter("vsi.income_step", on)
            self._aux[key] = (int(floor), int(step))
        floor, step = self._aux[key]
        return floor + steps * step

    def vsi_mode_months(self, *, mode: str, on: datetime.date) -> int:
        """Months paid at once by a periodic VSI payment mode on a date (vsi.payment_mode_months)."""
        key = ("mode_months", on)
        if key not in self._aux:
            self._aux[key] = {m: int(n) for m, n in self._parameter("vsi.payment_mode_months", on).items()}
        return self._aux[key][mode]

    def hi_periods(self, *, on: datetime.date) -> list[int]:
        """The months one household HI payment may cover on a date (household_hi.periods)."""
        key = ("hi_periods", on)
        if key not in self._aux:
            self._aux[key] = [int(n) for n in self._parameter("household_hi.periods", on)]
        return self._aux[key]

    def hi_support_pct(self, *, group: str, on: datetime.date) -> int:
        """State support % of household HI for a member's group ("near_poor", "agri_average") on a
        date: the rules' minimum (household_hi.state_support_minimum); 0 for a group without one."""
        key = ("hi_support", group, on)
        if key not in self._aux:
            from ansinh.rules.household_hi import household_hi_support_minimum_pct

            value = household_hi_support_minimum_pct(on, group)
            self._aux[key] = int(value or 0)
        return self._aux[key]

    def card_validity(self, *, paid_on: datetime.date, months: int,
                      previous_valid_to: datetime.date | None) -> Validity:
        """HI card validity after full payment on ``paid_on`` (rules.md §4: the rules module's
        ``hi_card_validity``, with its Vietnamese rule text). Raises RuleError."""
        key = ("validity", paid_on, months, previous_valid_to)
        if key not in self._aux:
            from ansinh.rules.hi_card import hi_card_validity

            value = hi_card_validity(paid_on=paid_on, months=months, previous_valid_to=previous_valid_to)
            self._aux[key] = Validity(value.valid_from, value.valid_to, value.rule_text[:200])
        return self._aux[key]
