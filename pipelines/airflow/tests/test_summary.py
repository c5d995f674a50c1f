"""The gate's verdict from summary.json, table-driven."""
import json

import pytest
from legitscaler_airflow.summary import flatten_numbers, read_verdict


@pytest.mark.parametrize("summary, exit_code, passed, reason_part", [
    ({"expectationsPassed": True, "expectations": [{"name": "a", "passed": True}]}, 0, True, None),
    ({"expectationsPassed": False, "expectations": [{"name": "p95", "passed": False, "detail": "0.9s > 0.5s"}]}, 1,
     False, "expectation p95 failed: 0.9s > 0.5s"),
    ({"expectationsPassed": False}, 1, False, "expectations did not pass"),
    ({"expectations": [{"name": "a", "passed": True}]}, 3, False, "exited with code 3"),
    ({"replicas": {"min": 4}}, 0, False, "has no expectations"),
    (None, 1, False, "wrote no summary.json"),
])
def test_verdict(tmp_path, summary, exit_code, passed, reason_part):
    if summary is not None:
        (tmp_path / "summary.json").write_text(json.dumps(summary))
    (tmp_path / "exit_code").write_text(f"{exit_code}\n")
    v = read_verdict(str(tmp_path))
    assert v.passed is passed
    if reason_part:
        assert any(reason_part in r for r in v.reasons), v.reasons
    else:
        assert v.reasons == []


def test_malformed_summary_fails_the_gate(tmp_path):
    (tmp_path / "summary.json").write_text("{not json")
    v = read_verdict(str(tmp_path))
    assert not v.passed and "not valid JSON" in v.reasons[0]


def test_flatten_numbers():
    flat = flatten_numbers({"params": {"seed": 1}, "a": {"b": 2, "c": True, "d": "x"},
                            "expectations": [{"name": "e1", "passed": False}], "nan": float("nan")})
    assert flat == {"a.b": 2.0, "a.c": 1.0, "expectations.e1": 0.0}
