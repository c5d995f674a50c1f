"""Settings read from Airflow Variables (or AIRFLOW_VAR_* environment variables), with defaults.

| Variable                              | default                                   | meaning |
|---------------------------------------|-------------------------------------------|---------|
| legitscaler_mlflow_uri                | http://127.0.0.1:5000                     | MLflow tracking server |
| legitscaler_prometheus_url            | http://127.0.0.1:9090                     | Prometheus with the model's and scaler's series |
| legitscaler_loadtest_jar              | /opt/legit-scaler/loadtest-evaluate.jar   | jar the performance gate runs (loadtest-evaluate.jar; loadtest.jar also has `evaluate`) |
| legitscaler_gate_scenario             | flash-crowd-3x                            | built-in scenario name or a scenario file path |
| legitscaler_scaled_object             | /opt/legit-scaler/scaledobject.yaml       | the model's ScaledObject manifest the scenario runs against |
| legitscaler_gate_command              | (see DEFAULT_GATE_COMMAND)                | shell command of the load run; {placeholders} filled in |
| legitscaler_gate_out_dir              | /tmp/legitscaler-gate                     | where the load run writes summary.json |
| legitscaler_model_name                | legit-model                               | registered model name |
| legitscaler_promote_alias             | champion                                  | alias moved to a version that passes the gate |
| legitscaler_monitor_experiment        | production-performance                    | experiment of the monitor's runs |
| legitscaler_monitor_namespace         | (empty: all)                              | namespace label filter for the monitor's queries |
| legitscaler_degradation_max_load      | 0.8                                       | max per-instance load above which serving is degraded |
| legitscaler_degradation_p95_seconds   | 0.5                                       | p95 latency above which serving is degraded |
| legitscaler_degradation_min_legitimacy| 0.0                                       | legitimacy below which the interval is ignored (attack, not model) |
| legitscaler_retrain_dag_id            | model_retraining                          | DAG the monitor triggers on degradation |
"""
import os

DEFAULT_GATE_COMMAND = (
    "java -jar {jar} evaluate {scenario} --out {out} --scaled-object {scaled_object}"
    " --model-name {model_name} --model-version {model_version}"
)

DEFAULTS = {
    "legitscaler_mlflow_uri": "http://127.0.0.1:5000",
    "legitscaler_prometheus_url": "http://127.0.0.1:9090",
    "legitscaler_loadtest_jar": "/opt/legit-scaler/loadtest-evaluate.jar",
    "legitscaler_gate_scenario": "flash-crowd-3x",
    "legitscaler_scaled_object": "/opt/legit-scaler/scaledobject.yaml",
    "legitscaler_gate_command": DEFAULT_GATE_COMMAND,
    "legitscaler_gate_out_dir": "/tmp/legitscaler-gate",
    "legitscaler_model_name": "legit-model",
    "legitscaler_promote_alias": "champion",
    "legitscaler_monitor_experiment": "production-performance",
    "legitscaler_monitor_namespace": "",
    "legitscaler_degradation_max_load": "0.8",
    "legitscaler_degradation_p95_seconds": "0.5",
    "legitscaler_degradation_min_legitimacy": "0.0",
    "legitscaler_retrain_dag_id": "model_retraining",
}


def get(name: str) -> str:
    """A setting: Airflow Variable, else AIRFLOW_VAR_<NAME> in the environment, else the default."""
    if name not in DEFAULTS:
        raise KeyError(f"unknown legit-scaler setting {name!r}; known: {', '.join(sorted(DEFAULTS))}")
    from legitscaler_airflow.compat import Variable

    try:
        value = Variable.get(name, default=None)
    except Exception:  # noqa: BLE001 - no metadata DB at parse time (DAG import checks)
        value = None
    if value is None:
        value = os.environ.get("AIRFLOW_VAR_" + name.upper())
    return DEFAULTS[name] if value is None else value


def get_float(name: str) -> float:
    raw = get(name)
    try:
        return float(raw)
    except ValueError:
        raise ValueError(f"Airflow Variable {name} = {raw!r}: expected a decimal number") from None
