"""The production monitor's steps, kept out of the DAG file so they can be read and tested alone."""
import math
from datetime import datetime, timezone

import requests

from legitscaler_airflow import settings

# name -> PromQL over the interval; {r} is the interval as a range, {sel} the namespace selector.
QUERIES = {
    "max_instance_load": "max(max_over_time(ml_model_saturation_ratio{sel}[{r}]))",
    "avg_instance_load": "avg(avg_over_time(ml_model_saturation_ratio{sel}[{r}]))",
    "avg_replicas": "avg_over_time(count(ml_model_saturation_ratio{sel})[{r}:1m])",
    "min_legitimacy_score": "min(min_over_time(legitscaler_legitimacy_score{sel}[{r}]))",
    "attack_seconds": "sum(sum_over_time(legitscaler_attack_suspected{sel}[{r}]))",
    "alerts_fired": 'count(count_over_time(ALERTS{{alertstate="firing"}}[{r}]))',
    "latency_p95_seconds": "histogram_quantile(0.95, sum by (le) (rate(ml_model_request_duration_seconds_bucket{sel}[{r}])))",
    "request_rate": "sum(rate(ml_model_requests_total{sel}[{r}]))",
    "invalid_request_rate": 'sum(rate(ml_model_requests_total{{outcome="invalid"{ns}}}[{r}]))',
}


def _as_datetime(value) -> datetime:
    if value is None:
        return datetime.now(timezone.utc)
    if isinstance(value, str):
        return datetime.fromisoformat(value)
    return value


def collect_snapshot(start, end) -> dict:
    """Runs every query at the end of the interval over the interval's length. A query with no data
    yields no metric (absent, not zero)."""
    end_dt = _as_datetime(end)
    start_dt = _as_datetime(start) if start is not None else None
    seconds = int((end_dt - start_dt).total_seconds()) if start_dt else 0
    if seconds <= 0:  # a manual run has an empty interval: look back one schedule period
        seconds = 3600
    namespace = settings.get("legitscaler_monitor_namespace")
    sel = f'{{namespace="{namespace}"}}' if namespace else ""
    ns = f',namespace="{namespace}"' if namespace else ""
    url = settings.get("legitscaler_prometheus_url").rstrip("/") + "/api/v1/query"
    values = {}
    for name, template in QUERIES.items():
        query = template.format(sel=sel, ns=ns, r=f"{seconds}s")
        resp = requests.get(url, params={"query": query, "time": end_dt.timestamp()}, timeout=30)
        body = resp.json()
        if body.get("status") != "success":
            raise RuntimeError(f"Prometheus rejected {name} ({query}): {body.get('error', resp.text[:200])}")
        result = body["data"]["result"]
        if result:
            v = float(result[0]["value"][1])
            if math.isfinite(v):
                values[name] = v
    return {"interval_end": end_dt.isoformat(), "interval_seconds": seconds, "metrics": values}


def log_snapshot(snap: dict) -> dict:
    """Logs the snapshot as an MLflow run tagged with the serving model version (the alias)."""
    import mlflow

    client = mlflow.MlflowClient(tracking_uri=settings.get("legitscaler_mlflow_uri"))
    name = settings.get("legitscaler_model_name")
    alias = settings.get("legitscaler_promote_alias")
    try:
        version = client.get_model_version_by_alias(name, alias).version
    except Exception as e:  # noqa: BLE001 - no serving version yet: still record the snapshot
        print(f"no version of {name} carries alias {alias!r} ({e}); logging without a version")
        version = ""
    exp_name = settings.get("legitscaler_monitor_experiment")
    exp = client.get_experiment_by_name(exp_name)
    exp_id = exp.experiment_id if exp else client.create_experiment(exp_name)
    tags = {"legitscaler.model_name": name, "legitscaler.model_version": str(version), "legitscaler.kind": "production-monitor"}
    run = client.create_run(exp_id, tags=tags, run_name=f"{name}-v{version}-{snap['interval_end']}")
    for key, value in sorted(snap["metrics"].items()):
        client.log_metric(run.info.run_id, key, value)
    client.log_param(run.info.run_id, "interval_seconds", snap["interval_seconds"])
    client.set_terminated(run.info.run_id)
    return {"run_id": run.info.run_id, "model_version": str(version)}


def degradation_reasons(snap: dict) -> list:
    m = snap["metrics"]
    reasons = []
    floor = settings.get_float("legitscaler_degradation_min_legitimacy")
    if m.get("min_legitimacy_score", 1.0) < floor:
        return []  # an attack explains the interval; retraining would not help
    p95 = settings.get_float("legitscaler_degradation_p95_seconds")
    if m.get("latency_p95_seconds", 0.0) > p95:
        reasons.append(f"p95 latency {m['latency_p95_seconds']:.3f}s > {p95}s")
    max_load = settings.get_float("legitscaler_degradation_max_load")
    if m.get("max_instance_load", 0.0) > max_load:
        reasons.append(f"max instance load {m['max_instance_load']:.2f} > {max_load}")
    return reasons
