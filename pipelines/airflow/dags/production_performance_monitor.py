"""Production performance monitor: every hour, a Prometheus snapshot of how the serving model
version behaves (load per instance, replicas, legitimacy, alerts, latency), logged to MLflow against
that version; triggers retraining when the degradation rules hold.

Degradation (all thresholds are Airflow Variables, see legitscaler_airflow/settings.py): the p95
latency is above ``legitscaler_degradation_p95_seconds`` or the highest instance load is above
``legitscaler_degradation_max_load`` — unless the interval's lowest legitimacy score is below
``legitscaler_degradation_min_legitimacy``: an attack explains the load, not the model.
"""
from datetime import datetime, timedelta

from legitscaler_airflow.compat import TriggerDagRunOperator, dag, task
from legitscaler_airflow.monitor import collect_snapshot, degradation_reasons, log_snapshot


@dag(
    dag_id="production_performance_monitor",
    schedule=timedelta(hours=1),
    start_date=datetime(2024, 1, 1),
    catchup=False,
    tags=["legit-scaler", "mlops", "monitoring"],
    doc_md=__doc__,
)
def production_performance_monitor():
    @task
    def snapshot(data_interval_start=None, data_interval_end=None) -> dict:
        return collect_snapshot(data_interval_start, data_interval_end)

    @task
    def log_to_mlflow(snap: dict) -> dict:
        return log_snapshot(snap)

    @task.short_circuit
    def degraded(snap: dict) -> bool:
        reasons = degradation_reasons(snap)
        print("degradation: " + ("; ".join(reasons) if reasons else "none"))
        return bool(reasons)

    snap = snapshot()
    logged = log_to_mlflow(snap)
    trigger = TriggerDagRunOperator(
        task_id="trigger_retraining",
        trigger_dag_id="{{ var.value.get('legitscaler_retrain_dag_id', 'model_retraining') }}",
        wait_for_completion=False,
    )
    logged >> degraded(snap) >> trigger


production_performance_monitor()
