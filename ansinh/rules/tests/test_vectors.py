"""Every worked example of the shared vectors file is reproduced exactly (one case per vector id).

The numbers live only in ../shared/vectors/rules.json; this file reads them, never copies them.
"""

import json
from pathlib import Path

import pytest

from ansinh.rules.quote import quote, quote_cli
from ansinh.rules.errors import RuleError

REPO_ROOT = Path(__file__).resolve().parents[3]
VECTORS_FILE = REPO_ROOT.parent / "shared" / "vectors" / "rules.json"
VECTORS = json.loads(VECTORS_FILE.read_text(encoding="utf-8"))


def test_the_shared_vectors_file_is_found_and_not_empty():
    assert VECTORS_FILE.is_file()
    assert VECTORS and all({"id", "request", "expect"} <= set(v) for v in VECTORS)


@pytest.mark.parametrize("vector", VECTORS, ids=[v["id"] for v in VECTORS])
def test_the_quote_reproduces_every_expected_key_of_the_vector(vector):
    expect = vector["expect"]
    if "error" in expect:
        with pytest.raises(RuleError) as raised:
            quote(vector["request"])
        assert raised.value.code == expect["error"]
        return
    result = quote(vector["request"])
    for key, expected in expect.items():
        assert result[key] == expected, (vector["id"], key)


@pytest.mark.parametrize("vector", VECTORS, ids=[v["id"] for v in VECTORS])
def test_the_cli_prints_the_same_answer_with_the_right_exit_status(vector):
    status, text = quote_cli(json.dumps(vector["request"]))
    printed = json.loads(text)
    if "error" in vector["expect"]:
        assert status == 2
        assert printed["error"] == vector["expect"]["error"]
        assert printed["message"]
    else:
        assert status == 0
        assert {k: printed[k] for k in vector["expect"]} == vector["expect"]
        assert printed["breakdown"]
