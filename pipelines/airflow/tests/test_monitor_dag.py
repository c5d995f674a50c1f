"""`airflow dags test` of the production monitor against a real MLflow server and a real
Prometheus holding recorded series: what lands in MLflow, and whether retraining is triggered."""
import math
import subprocess
from datetime import datetime, timedelta, timezone

import mlflow
import pytest
from conftest import airflow_bin, task_states

MODEL = "legit-model"


def series(load: float, p95_slow: bool, legit: float):
    """Four instances at `load`; latency histogram whose p95 is ~0.05 s or ~0.9 s."""
    out = {}
    for i in range(4):
        out[f'ml_model_saturation_ratio{{namespace="ml",instance="model-{i}"}}'] = (
            "gauge", lambda t, i=i: round(load - 0.01 * i + 0.005 * math.sin(t / 300), 4))
    out['legitscaler_legitimacy_score{namespace="ml",scaled_object="model"}'] = ("gauge", lambda t: legit)
    out['legitscaler_attack_suspected{namespace="ml",scaled_object="model"}'] = ("gauge", lambda t: 0)
    rate = 100  # requests per second
    fast_share = 0.2 if p95_slow else 0.99
    for le, share in (("0.1", fast_share), ("0.5", fast_share + 0.005), ("1.0", 1.0), ("+Inf", 1.0)):
        out[f'ml_model_request_duration_seconds_bucket{{namespace="ml",le="{le}"}}'] = (
            "counter", lambda t, share=share: int(rate * share * (t - 1_700_000_000)))
    out['ml_model_requests_total{namespace="ml",outcome="ok"}'] = ("counter", lambda t: rate * (t - 1_700_000_000))
    return out


def register_champion(uri: str) -> str:
    client = mlflow.MlflowClient(tracking_uri=uri)
    try:
        client.create_registered_model(MODEL)
    except mlflow.exceptions.MlflowException:
        pass
    exp = client.get_experiment_by_name("serving") or client.get_experiment(client.create_experiment("serving"))
    run = client.create_run(exp.experiment_id)
    v = client.create_model_version(MODEL, f"runs:/{run.info.run_id}/model", run_id=run.info.run_id)
    client.set_registered_model_alias(MODEL, "champion", v.version)
    return v.version


def run_monitor(env: dict, prom: str) -> subprocess.CompletedProcess:
    env = dict(env, AIRFLOW_VAR_LEGITSCALER_PROMETHEUS_URL=prom, AIRFLOW_VAR_LEGITSCALER_MONITOR_NAMESPACE="ml")
    logical = (datetime.now(timezone.utc) - timedelta(minutes=2)).replace(microsecond=0).isoformat()
    return subprocess.run([airflow_bin(), "dags", "test", "production_performance_monitor", logical],
                          env=env, capture_output=True, text=True, timeout=600)


def monitor_runs(uri: str):
    client = mlflow.MlflowClient(tracking_uri=uri)
    exp = client.get_experiment_by_name("production-performance")
    assert exp is not None, "the monitor created no experiment"
    return client.search_runs([exp.experiment_id], order_by=["attributes.start_time DESC"])


@pytest.mark.parametrize("load, slow, expect_trigger", [
    (0.55, False, False),   # healthy: logged, no retraining
    (0.92, True, True),     # saturated and slow: retraining triggered
])
def test_monitor_logs_snapshot_and_triggers_on_degradation(airflow_env, recorded_prometheus, mlflow_server,
                                                           load, slow, expect_trigger):
    version = register_champion(mlflow_server)
    prom = recorded_prometheus(series(load, slow, legit=0.99))
    result = run_monitor(airflow_env, prom)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]

    run = monitor_runs(mlflow_server)[0]
    assert run.data.tags["legitscaler.model_version"] == str(version)
    m = run.data.metrics
    assert m["max_instance_load"] == pytest.approx(load + 0.005, abs=0.01)
    assert m["avg_replicas"] == pytest.approx(4, abs=0.01)
    assert m["min_legitimacy_score"] == pytest.approx(0.99)
    assert (m["latency_p95_seconds"] > 0.5) is slow
    assert m["request_rate"] == pytest.approx(100, rel=0.01)

    states = task_states(airflow_env, "production_performance_monitor")
    assert states["log_to_mlflow"] == "success"
    assert states["trigger_retraining"] == ("success" if expect_trigger else "skipped"), states
