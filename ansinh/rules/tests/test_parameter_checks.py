"""The parameter loader refuses a 0 where it would zero every price, and a change of more than 50 % from
the value before unless the value says why (change_reason), in the files and in runtime additions."""

from datetime import date
from decimal import Decimal

import pytest

from ansinh.rules.errors import ParameterError
from ansinh.rules.parameters import MAX_CHANGE_PCT, default_parameters, load_parameters, value_change_pct

REF = {"document": "Nghị định (thử)"}


def _add(name, value, **extra):
    return default_parameters().with_extra_values(
        {name: [{"start": date(2030, 1, 1), "value": value, "reference": REF, "confidence": "reported", **extra}]})


def test_a_zero_base_salary_is_refused_by_the_loader():
    with pytest.raises(ParameterError) as refused:
        _add("common.base_salary", 0)
    assert str(refused.value) == ("runtime value of common.base_salary 2030-01-01: a value of 0 is refused "
                                  "(end a parameter with null)")


def test_a_90_percent_drop_needs_a_reason_and_is_kept_with_it():
    last = default_parameters().parameter("common.base_salary").values[-1].value
    with pytest.raises(ParameterError) as refused:
        _add("common.base_salary", last // 10)
    assert "changes by 90.0% from the one before (more than 50%)" in str(refused.value)
    params = _add("common.base_salary", last // 10, change_reason="Nghị định mới (thử)")
    dated = params.parameter("common.base_salary").values[-1]
    assert (dated.value, dated.change_reason) == (last // 10, "Nghị định mới (thử)")
    assert dated.to_dict()["change_reason"] == "Nghị định mới (thử)"


def test_a_change_of_exactly_the_share_passes_and_one_more_dong_does_not():
    last = default_parameters().parameter("common.base_salary").values[-1].value
    assert MAX_CHANGE_PCT == 50
    _add("common.base_salary", last * 3 // 2)
    with pytest.raises(ParameterError):
        _add("common.base_salary", last * 3 // 2 + 1)


def test_a_group_that_moves_too_much_counts_and_the_files_carry_their_reasons():
    assert value_change_pct({"poor": Decimal(30), "other": Decimal(10)},
                            {"poor": Decimal(50), "other": Decimal(10)}) == Decimal(200) / 3
    assert value_change_pct("law_58_2014", "law_41_2024") is None
    with pytest.raises(ParameterError):
        _add("vsi.state_support_2025", {"poor": 50, "near_poor": 40, "ethnic_minority": 30, "island_commune": 50,
                                        "other": 5})
    load_parameters()  # the packaged files: every large change there has its change_reason


def test_a_yaml_file_with_a_zero_or_an_unexplained_jump_is_refused(tmp_path):
    folder = tmp_path / "common"
    folder.mkdir()
    text = ("label: Lương cơ sở\ndescription: test\nunit: VND\nvalues:\n"
            "  2024-07-01:\n    value: 2340000\n    confidence: published\n    reference: {document: NĐ 73}\n"
            "  2026-07-01:\n    value: {value}\n    confidence: reported\n    reference: {document: NĐ x}\n")
    (folder / "base_salary.yaml").write_text(text.replace("{value}", "0"), encoding="utf-8")
    with pytest.raises(ParameterError, match="a value of 0 is refused"):
        load_parameters(tmp_path)
    (folder / "base_salary.yaml").write_text(text.replace("{value}", "234000"), encoding="utf-8")
    with pytest.raises(ParameterError, match="changes by 90.0%"):
        load_parameters(tmp_path)


def test_every_shipped_parameter_is_described_in_vietnamese_and_every_code_value_named():
    params = default_parameters()
    for name in params.names():
        parameter = params.parameter(name)
        assert parameter.description_vi, f"{name} has no description_vi"
        if parameter.unit == "code":
            for dated in parameter.values:
                assert dated.value in (parameter.value_labels or {}), f"{name}: {dated.value} has no label"
    for family in params.families():
        assert family["description_vi"], f"{family['name']} has no description_vi"


def test_value_labels_are_refused_on_a_unit_other_than_code(tmp_path):
    folder = tmp_path / "vsi"
    folder.mkdir()
    (folder / "x.yaml").write_text(
        "label: X\ndescription: x\nunit: months\nvalue_labels: {a: b}\nvalues:\n"
        "  2020-01-01: {value: 3, confidence: published, reference: {document: D}}\n", encoding="utf-8")
    with pytest.raises(ParameterError, match="value_labels is a mapping, and only for the unit 'code'"):
        load_parameters(tmp_path)
