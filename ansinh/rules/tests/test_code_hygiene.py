"""Legal numbers live in the parameter files, not in the rules code; money never goes through float."""

import re
from pathlib import Path

import pytest

RULES_DIR = Path(__file__).resolve().parents[1]
CODE = sorted(p for p in RULES_DIR.glob("*.py"))
LEGAL_LITERALS = re.compile(
    r"(2340000|2_340_000|1800000|1_800_000|1500000|1_500_000|700000|2530000|0\.22\b|0\.045\b|0\.0031\b"
    r"|\b22\s*/\s*100|\b4\.5\b|\b1390000|\b1490000|500000|500_000|150000|150_000|\b15 năm)"
)


@pytest.mark.parametrize("path", CODE, ids=[p.name for p in CODE])
def test_the_rules_code_holds_no_legal_number(path):
    code = path.read_text(encoding="utf-8")
    assert not LEGAL_LITERALS.findall(code)


@pytest.mark.parametrize("path", CODE, ids=[p.name for p in CODE])
def test_the_rules_code_uses_float_only_to_print_a_fractional_rate(path):
    uses = re.findall(r"\bfloat\(", path.read_text(encoding="utf-8"))
    assert len(uses) == (1 if path.name == "quote.py" else 0)
