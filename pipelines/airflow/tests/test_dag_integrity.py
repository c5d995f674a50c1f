"""The DAG folder imports cleanly, holds the expected DAGs and tasks, and has no cycles."""
import pytest
from conftest import DAGS


@pytest.fixture(scope="module")
def dagbag():
    from airflow.models import DagBag

    return DagBag(dag_folder=str(DAGS))


def test_no_import_errors(dagbag):
    assert dagbag.import_errors == {}


@pytest.mark.parametrize("dag_id, tasks", [
    ("model_retraining", {"train_and_register", "performance_gate.prepare", "performance_gate.run_load_scenario",
                          "performance_gate.log_verdict", "performance_gate.promote"}),
    ("production_performance_monitor", {"snapshot", "log_to_mlflow", "degraded", "trigger_retraining"}),
])
def test_dag_has_its_tasks(dagbag, dag_id, tasks):
    assert dag_id in dagbag.dags, f"{dag_id} not found; DAGs: {sorted(dagbag.dag_ids)}"
    dag = dagbag.dags[dag_id]
    assert {t.task_id for t in dag.tasks} == tasks


@pytest.mark.parametrize("dag_id", ["model_retraining", "production_performance_monitor"])
def test_no_cycles(dagbag, dag_id):
    dag = dagbag.dags[dag_id]
    indegree = {t.task_id: len(t.upstream_task_ids) for t in dag.tasks}
    ready = [t for t, n in indegree.items() if n == 0]
    seen = 0
    while ready:
        tid = ready.pop()
        seen += 1
        for d in dag.get_task(tid).downstream_task_ids:
            indegree[d] -= 1
            if indegree[d] == 0:
                ready.append(d)
    assert seen == len(dag.tasks), "cycle among " + ", ".join(t for t, n in indegree.items() if n > 0)


def test_gate_promotes_only_after_the_verdict(dagbag):
    dag = dagbag.dags["model_retraining"]
    assert "performance_gate.log_verdict" in dag.get_task("performance_gate.promote").upstream_task_ids
    assert "performance_gate.run_load_scenario" in dag.get_task("performance_gate.log_verdict").upstream_task_ids
