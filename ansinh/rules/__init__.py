"""An Sinh rules: the law as dated parameter data and pure functions. No Django here.

Entry points (see each docstring for shapes, units, errors and legal sources):

- ansinh.rules.quote.quote(request) / quote_cli(argument, stdin): the request format of
  `ansinh quote` (the submodule `quote` is not shadowed here: `from ansinh.rules import quote`
  gives the module, whose `quote` function answers a request).
- vsi_contribution(on=, income=, payment_mode=, months=, support_groups=, ...): a VSI payment.
- household_hi_contribution(on=, months=, members= | ranks=, support_pct=): household HI.
- hi_card_validity(paid_on=, months=, previous_valid_to=): HI card valid_from / valid_to (the last
  day by the Civil Code month-end rule, dates.period_last_day).
- pension_rate, pension_amount, retirement_age, vsi_lump_sum, social_pension: benefits advice.
- default_parameters(): the packaged ParameterSet (history(), families(), with_extra_values()).
- RuleError (code, message, details) and ParameterError (bad parameter data).
"""

from .errors import ERROR_CODES, ParameterError, RuleError
from .hi_card import HiCardValidity, hi_card_validity
from .household_hi import HiHousehold, household_hi_contribution, household_hi_support_minimum_pct
from .lump_sum import LumpSum, vsi_lump_sum
from .parameters import ParameterSet, default_parameters, load_parameters
from .pension import PensionAmount, PensionRate, pension_amount, pension_rate
from .quote import quote_cli
from .retirement_age import RetirementAge, retirement_age
from .social_pension import SocialPension, social_pension
from .vsi_contribution import VsiContribution, vsi_contribution

__all__ = [
    "ERROR_CODES",
    "HiCardValidity",
    "HiHousehold",
    "LumpSum",
    "ParameterError",
    "ParameterSet",
    "PensionAmount",
    "PensionRate",
    "RetirementAge",
    "RuleError",
    "SocialPension",
    "VsiContribution",
    "default_parameters",
    "hi_card_validity",
    "household_hi_contribution",
    "household_hi_support_minimum_pct",
    "load_parameters",
    "pension_amount",
    "pension_rate",
    "quote_cli",
    "retirement_age",
    "social_pension",
    "vsi_contribution",
    "vsi_lump_sum",
]
