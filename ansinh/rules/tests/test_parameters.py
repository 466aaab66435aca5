"""The parameter files load strictly; lookups by date; runtime additions; history listing."""

import textwrap
from datetime import date
from decimal import Decimal

import pytest

from ansinh.rules.errors import NO_PARAMETER_FOR_DATE, ParameterError, RuleError
from ansinh.rules.parameters import PARAMETERS_DIR, default_parameters, load_parameters
from ansinh.rules.quote import quote

GOOD = """\
label: Lương cơ sở
description: Base salary.
unit: VND
values:
  2023-07-01:
    value: 1800000
    confidence: published
    reference: {document: Decree 24/2023/NĐ-CP, article: Art 3}
  2024-07-01:
    value: 2340000
    confidence: published
    reference: {document: Decree 73/2024/NĐ-CP}
"""


def write(root, relative, text):
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def load_one(tmp_path, text, relative="common/base_salary.yaml"):
    write(tmp_path, relative, text)
    return load_parameters(tmp_path)


def test_a_well_formed_file_loads_and_answers_by_date(tmp_path):
    params = load_one(tmp_path, GOOD)
    assert params.value("common.base_salary", date(2024, 6, 30)) == 1800000
    assert params.value("common.base_salary", date(2024, 7, 1)) == 2340000


def test_the_packaged_parameters_load_and_are_loaded_once():
    assert default_parameters() is default_parameters()
    assert load_parameters(PARAMETERS_DIR).names() == default_parameters().names()


BROKEN_FILES = {
    "an unknown top-level key": GOOD + "extra: 1\n",
    "an unknown key in a value": GOOD.replace("value: 2340000", "value: 2340000\n    valeu: 1"),
    "an unknown key in a reference": GOOD.replace("{document: Decree 73/2024/NĐ-CP}", "{document: X, page: 3}"),
    "a missing reference": GOOD.replace("    reference: {document: Decree 73/2024/NĐ-CP}\n", ""),
    "a reference without a document": GOOD.replace("{document: Decree 73/2024/NĐ-CP}", "{article: Art 3}"),
    "a missing unit": GOOD.replace("unit: VND\n", ""),
    "a unit not in the allowed list": GOOD.replace("unit: VND", "unit: dollars"),
    "a missing description": GOOD.replace("description: Base salary.\n", ""),
    "dates out of order": GOOD.replace("2024-07-01", "2023-01-01"),
    "an impossible date": GOOD.replace("2024-07-01", "2024-02-30"),
    "an impossible date written as text": GOOD.replace("2024-07-01", '"2024-13-01"'),
    "a key that is not a date": GOOD.replace("2024-07-01", "next_year"),
    "a timestamp instead of a date": GOOD.replace("2024-07-01", "2024-07-01 10:00:00"),
    "the same date twice": GOOD + "  2024-07-01:\n    value: 1\n    confidence: published\n    reference: X\n",
    "a confidence not in the list": GOOD.replace("confidence: published\n    reference: {document: Decree 73", "confidence: sure\n    reference: {document: Decree 73"),
    "a value not fitting the unit (text for VND)": GOOD.replace("value: 2340000", "value: lots"),
    "a value not fitting the unit (fraction for VND)": GOOD.replace("value: 2340000", "value: 2340000.5"),
    "a negative amount": GOOD.replace("value: 2340000", "value: -1"),
    "a boolean for an amount": GOOD.replace("value: 2340000", "value: true"),
    "a first value that is null": GOOD.replace("value: 1800000", "value: null"),
    "no values at all": GOOD.split("values:")[0] + "values: {}\n",
    "invalid YAML": GOOD + "  - : [\n",
    "a document that is not a mapping": "- just\n- a list\n",
}


@pytest.mark.parametrize("text", BROKEN_FILES.values(), ids=BROKEN_FILES.keys())
def test_a_broken_parameter_file_fails_loudly_at_load_time(tmp_path, text):
    with pytest.raises(ParameterError):
        load_one(tmp_path, text)


def test_a_percentage_above_100_is_refused(tmp_path):
    text = GOOD.replace("unit: VND", "unit: percent").replace("value: 2340000", "value: 104.5")
    with pytest.raises(ParameterError, match="at most 100"):
        load_one(tmp_path, text, "vsi/contribution_rate.yaml")


def test_decimals_are_read_as_decimal_never_float(tmp_path):
    text = GOOD.replace("unit: VND", "unit: percent").replace("value: 2340000", "value: 4.5")
    text = text.replace("value: 1800000", "value: 4")
    params = load_one(tmp_path, text, "household_hi/contribution_rate.yaml")
    value = params.value("household_hi.contribution_rate", date(2025, 1, 1))
    assert isinstance(value, Decimal) and value == Decimal("4.5")


def test_a_file_outside_a_namespace_folder_is_refused(tmp_path):
    with pytest.raises(ParameterError, match="folder"):
        load_one(tmp_path, GOOD, "base_salary.yaml")


def test_a_yml_file_is_refused_rather_than_ignored(tmp_path):
    with pytest.raises(ParameterError, match=".yaml"):
        load_one(tmp_path, GOOD, "common/base_salary.yml")


def test_an_unknown_special_file_is_refused(tmp_path):
    with pytest.raises(ParameterError, match="special"):
        load_one(tmp_path, GOOD, "common/_defaults.yaml")


def test_an_alias_to_a_missing_parameter_is_refused(tmp_path):
    write(tmp_path, "common/base_salary.yaml", GOOD)
    alias = GOOD.replace("unit: VND", "unit: alias").replace("value: 1800000", "value: common.base_salary")
    write(tmp_path, "vsi/income_ceiling_base.yaml", alias.replace("value: 2340000", "value: common.nothing"))
    with pytest.raises(ParameterError, match="unknown"):
        load_parameters(tmp_path)


def test_aliases_that_loop_are_refused(tmp_path):
    alias = GOOD.replace("unit: VND", "unit: alias")
    write(tmp_path, "a/one.yaml", alias.replace("value: 1800000", "value: a.two").replace("value: 2340000", "value: a.two"))
    write(tmp_path, "a/two.yaml", alias.replace("value: 1800000", "value: a.one").replace("value: 2340000", "value: a.one"))
    with pytest.raises(ParameterError, match="loop"):
        load_parameters(tmp_path)


def test_a_family_member_must_have_the_family_unit(tmp_path):
    write(tmp_path, "vsi/local_support/_family.yaml", """\
        label: Hỗ trợ địa phương
        description: Local support.
        unit: percent_by_group
        family_key: province_code
        """)
    with pytest.raises(ParameterError, match="family"):
        load_one(tmp_path, GOOD, "vsi/local_support/92.yaml")


def test_asking_before_the_first_value_raises_no_parameter_for_date():
    with pytest.raises(RuleError) as raised:
        default_parameters().get("common.rural_poverty_line", date(2015, 12, 31))
    assert raised.value.code == NO_PARAMETER_FOR_DATE
    assert raised.value.details["parameter"] == "common.rural_poverty_line"


def test_asking_after_a_null_end_raises_no_parameter_for_date():
    params = default_parameters()
    assert params.value("vsi.state_support_2018", date(2025, 6, 30))["poor"] == 30
    with pytest.raises(RuleError) as raised:
        params.get("vsi.state_support_2018", date(2025, 7, 1))
    assert raised.value.code == NO_PARAMETER_FOR_DATE


def test_an_unknown_parameter_name_is_a_parameter_error_not_a_zero():
    with pytest.raises(ParameterError):
        default_parameters().get("vsi.no_such_thing", date(2025, 1, 1))


def test_a_runtime_value_adds_a_dated_base_salary_that_quotes_then_use():
    params = default_parameters().with_extra_values(
        {"common.base_salary": [(date(2027, 7, 1), 2700000, {"document": "Decree 1/2027/NĐ-CP"}, "reported")]}
    )
    request = {"kind": "hi_household", "on": "2027-07-01", "members": 1, "months": 12}
    new = quote(request, params=params)
    old = quote(request)
    assert new["total"] > old["total"]
    line = new["breakdown"][0]
    assert any(p["origin"] == "runtime" and p["value"] == 2700000 for p in line["parameters"])
    assert line["confidence"] == "reported"


def test_a_runtime_value_on_an_existing_date_replaces_it_and_the_files_stay_untouched():
    base = default_parameters()
    params = base.with_extra_values(
        {"common.rural_poverty_line": [{"start": "2022-01-01", "value": 1600000, "reference": "X", "confidence": "reported",
                                        "change_reason": "thử thay giá trị (tăng hơn 50 %)"}]}
    )
    assert params.value("common.rural_poverty_line", date(2022, 1, 1)) == 1600000
    assert base.value("common.rural_poverty_line", date(2022, 1, 1)) != 1600000


BAD_RUNTIME_VALUES = {
    "no reference": (date(2027, 1, 1), 1, None, "reported"),
    "a wrong confidence": (date(2027, 1, 1), 1, "X", "guess"),
    "a float": (date(2027, 1, 1), 2.5, "X", "reported"),
    "an impossible date": ("2027-02-30", 1, "X", "reported"),
    "too few items": (date(2027, 1, 1), 1),
}


@pytest.mark.parametrize("item", BAD_RUNTIME_VALUES.values(), ids=BAD_RUNTIME_VALUES.keys())
def test_a_bad_runtime_value_is_refused_like_a_bad_file(item):
    with pytest.raises(ParameterError):
        default_parameters().with_extra_values({"common.base_salary": [item]})


def test_a_runtime_value_for_an_unknown_parameter_is_refused():
    with pytest.raises(ParameterError):
        default_parameters().with_extra_values({"common.nothing": [(date(2027, 1, 1), 1, "X", "reported")]})


def test_local_support_starts_empty_and_a_province_can_be_added_at_runtime():
    request = {"kind": "vsi_contribution", "on": "2025-09-01", "income": 1500000, "months": 1,
               "payment_mode": "monthly", "support_group": "poor", "province_code": "92"}
    without = quote(request)
    assert without["local_support"] == 0
    params = default_parameters().with_extra_values(
        {"vsi.local_support.92": [(date(2025, 7, 1), {"poor": 10, "other": 5}, "Nghị quyết HĐND", "reported")]}
    )
    added = quote(request, params=params)
    assert added["local_support"] > 0
    assert added["payable"] == without["payable"] - added["local_support"]
    assert "vsi.local_support.92" in params.names()


def test_the_history_lists_every_parameter_with_all_its_dated_values():
    history = {p["name"]: p for p in default_parameters().history()}
    base = history["common.base_salary"]
    assert base["unit"] == "VND" and base["label"]
    assert [v["start"] for v in base["values"]] == sorted(v["start"] for v in base["values"])
    assert all({"value", "reference", "confidence", "origin"} <= set(v) for v in base["values"])
    assert any(v["value"] is None for v in history["vsi.state_support_2018"]["values"])
    assert [f["name"] for f in default_parameters().families()] == ["social_pension.local_top_up", "vsi.local_support"]


def test_every_packaged_value_has_a_document_and_a_known_confidence():
    for parameter in default_parameters().history():
        for value in parameter["values"]:
            assert value["reference"]["document"]
            assert value["confidence"] in ("published", "second-hand", "reported")
