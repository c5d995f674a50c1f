"""`airflow dags test model_retraining`: the reference retraining DAG trains and registers a version,
and the performance gate runs the real loadtest-evaluate.jar (`evaluate`) against it, logs the verdict to the
candidate's MLflow run, and moves the `champion` alias only when the scenario's expectations passed."""
import subprocess
from pathlib import Path

import mlflow
import pytest
from conftest import REPO, airflow_bin, task_states

JAR = REPO / "loadtest-evaluate" / "target" / "loadtest-evaluate.jar"
SCENARIOS = Path(__file__).resolve().parent / "scenarios"
MODEL = "gate-model"


def run_retraining(env: dict, scenario: str, out: Path) -> subprocess.CompletedProcess:
    if not JAR.exists():
        pytest.fail(f"{JAR} is missing: run `make build` (make test does it)")
    env = dict(env,
               AIRFLOW_VAR_LEGITSCALER_LOADTEST_JAR=str(JAR),
               AIRFLOW_VAR_LEGITSCALER_GATE_SCENARIO=str(SCENARIOS / f"{scenario}.yaml"),
               AIRFLOW_VAR_LEGITSCALER_SCALED_OBJECT=str(REPO / "manifests" / "examples" / "scaledobject.yaml"),
               AIRFLOW_VAR_LEGITSCALER_GATE_OUT_DIR=str(out),
               AIRFLOW_VAR_LEGITSCALER_MODEL_NAME=MODEL)
    return subprocess.run([airflow_bin(), "dags", "test", "model_retraining"], env=env, capture_output=True,
                          text=True, timeout=900)


def latest_version(client):
    return max(client.search_model_versions(f"name='{MODEL}'"), key=lambda v: int(v.version))


def champion(client):
    try:
        return client.get_model_version_by_alias(MODEL, "champion").version
    except mlflow.exceptions.MlflowException:
        return None


def test_gate_promotes_a_passing_candidate_then_blocks_a_failing_one(airflow_env, mlflow_server, tmp_path):
    client = mlflow.MlflowClient(tracking_uri=mlflow_server)

    # 1. a candidate whose scenario passes: promoted
    result = run_retraining(airflow_env, "gate-pass", tmp_path / "pass")
    states = task_states(airflow_env, "model_retraining")
    assert states.get("performance_gate.promote") == "success", (states, result.stdout[-3000:], result.stderr[-3000:])
    passed = latest_version(client)
    assert champion(client) == passed.version
    assert client.get_model_version(MODEL, passed.version).tags["legitscaler.gate"] == "passed"
    run = client.get_run(passed.run_id)
    assert run.data.tags["legitscaler.gate"] == "passed"
    assert run.data.metrics["gate.expectationsPassed"] == 1.0
    assert run.data.metrics["gate.legit.wastedReplicaMinutes"] == 0.0
    assert "performance-gate/summary.json" in [a.path for a in client.list_artifacts(passed.run_id, "performance-gate")]

    # 2. a candidate whose scenario fails: the gate fails with the reason, the alias stays
    result = run_retraining(airflow_env, "gate-fail", tmp_path / "fail")
    states = task_states(airflow_env, "model_retraining")
    assert states.get("performance_gate.log_verdict") == "success", states
    assert states.get("performance_gate.promote") == "failed", states
    failed = latest_version(client)
    assert int(failed.version) == int(passed.version) + 1
    assert champion(client) == passed.version, "a failing candidate must not move the alias"
    assert client.get_model_version(MODEL, failed.version).tags["legitscaler.gate"] == "failed"
    assert client.get_run(failed.run_id).data.metrics["gate.expectations.replicas"] == 0.0
    assert "expectation replicas failed" in (result.stdout + result.stderr)
