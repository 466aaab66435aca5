"""Messages about payment modes name the mode in Vietnamese words, never by its code."""

import pytest

from ansinh.rules import default_parameters
from ansinh.rules.errors import RuleError
from ansinh.rules.quote import quote


def test_a_periodic_mode_with_other_months_is_refused_in_words():
    with pytest.raises(RuleError) as err:
        quote({"kind": "vsi_contribution", "on": "2026-07-01", "income": 1_500_000, "months": 2,
               "payment_mode": "monthly", "support_group": "other"}, params=default_parameters())
    assert err.value.code == "invalid_months"
    assert err.value.message == "Phương thức đóng hằng tháng tương ứng đúng 1 tháng, không phải 2 tháng."
