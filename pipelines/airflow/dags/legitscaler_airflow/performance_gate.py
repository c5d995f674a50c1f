"""The performance gate: a reusable task group that load-tests a candidate model version before
promotion.

Add it to an existing retraining DAG after the task that registers the new version::

    from legitscaler_airflow.performance_gate import performance_gate

    candidate = train_and_register()      # returns {"model_name", "model_version", "run_id"}
    performance_gate(candidate)

It runs a load scenario against the candidate (``loadtest-evaluate.jar evaluate`` by default, any shell
command through the ``legitscaler_gate_command`` Variable), logs the scenario's summary to the
candidate's MLflow run, and moves the alias (``champion``) to the version only when every expectation
passed; otherwise the gate fails with the reasons and the alias stays where it was.
"""
import os
import shlex

from legitscaler_airflow import settings
from legitscaler_airflow.compat import AirflowFailException, BashOperator, task, task_group


def gate_command(candidate: dict, out_dir: str) -> str:
    """The shell command of the load run, with the outcome kept for the verdict: the command's own
    exit code is recorded, and the task fails only when no summary was written at all."""
    template = settings.get("legitscaler_gate_command")
    try:
        cmd = template.format(
            jar=shlex.quote(settings.get("legitscaler_loadtest_jar")),
            scenario=shlex.quote(settings.get("legitscaler_gate_scenario")),
            out=shlex.quote(out_dir),
            model_name=shlex.quote(str(candidate["model_name"])),
            model_version=shlex.quote(str(candidate["model_version"])),
            mlflow_uri=shlex.quote(settings.get("legitscaler_mlflow_uri")),
            scaled_object=shlex.quote(settings.get("legitscaler_scaled_object")),
        )
    except KeyError as e:
        raise AirflowFailException(
            f"Variable legitscaler_gate_command has an unknown placeholder {e}; accepted: "
            "{jar} {scenario} {out} {scaled_object} {model_name} {model_version} {mlflow_uri}"
        ) from None
    q = shlex.quote(out_dir)
    return (
        f"rm -rf {q} && mkdir -p {q} && set +e; {cmd}; rc=$?; echo $rc > {q}/exit_code; "
        f"test -f {q}/summary.json || {{ echo 'the load run wrote no summary.json' >&2; exit 1; }}"
    )


def performance_gate(candidate, group_id: str = "performance_gate"):
    """Builds the gate's tasks. ``candidate`` is the XCom of a task returning
    {"model_name", "model_version", "run_id"}."""

    @task_group(group_id=group_id)
    def gate(candidate):
        @task
        def prepare(candidate: dict) -> str:
            out_dir = os.path.join(
                settings.get("legitscaler_gate_out_dir"), f"{candidate['model_name']}-v{candidate['model_version']}"
            )
            return gate_command(candidate, out_dir)

        run_load = BashOperator(task_id="run_load_scenario", bash_command=prepare(candidate))

        @task
        def log_verdict(candidate: dict) -> dict:
            import mlflow
            from legitscaler_airflow.summary import read_verdict

            out_dir = os.path.join(
                settings.get("legitscaler_gate_out_dir"), f"{candidate['model_name']}-v{candidate['model_version']}"
            )
            verdict = read_verdict(out_dir)
            client = mlflow.MlflowClient(tracking_uri=settings.get("legitscaler_mlflow_uri"))
            run_id = candidate["run_id"]
            for key, value in sorted(verdict.metrics.items()):
                client.log_metric(run_id, f"gate.{key}"[:250], value)
            for name in ("summary.json", "report.html", "timeseries.csv"):
                if os.path.exists(os.path.join(out_dir, name)):
                    client.log_artifact(run_id, os.path.join(out_dir, name), artifact_path="performance-gate")
            client.set_tag(run_id, "legitscaler.gate", "passed" if verdict.passed else "failed")
            return {"passed": verdict.passed, "reasons": verdict.reasons}

        @task
        def promote(candidate: dict, verdict: dict) -> str:
            import mlflow

            client = mlflow.MlflowClient(tracking_uri=settings.get("legitscaler_mlflow_uri"))
            name, version = candidate["model_name"], str(candidate["model_version"])
            client.set_model_version_tag(name, version, "legitscaler.gate", "passed" if verdict["passed"] else "failed")
            if not verdict["passed"]:
                raise AirflowFailException(
                    f"performance gate failed for {name} v{version}: " + "; ".join(verdict["reasons"])
                )
            alias = settings.get("legitscaler_promote_alias")
            client.set_registered_model_alias(name, alias, version)
            return f"{name} v{version} is now '{alias}'"

        verdict = log_verdict(candidate)
        run_load >> verdict
        return promote(candidate, verdict)

    return gate(candidate)
