"""Fixtures that start real servers: MLflow (from the MLflow venv) and Prometheus loaded with
recorded series (promtool backfill). Nothing here is faked."""
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
AIRFLOW_DIR = HERE.parent
DAGS = AIRFLOW_DIR / "dags"
REPO = AIRFLOW_DIR.parent.parent
TOOLS = Path(os.environ.get("LEGITSCALER_TOOLS_DIR", REPO / ".tools"))
sys.path.insert(0, str(DAGS))
# The in-process DagBag must not touch ~/airflow: a throw-away home, our DAG folder, no examples.
_HOME = Path(os.environ.setdefault("AIRFLOW_HOME", str(Path(__import__("tempfile").mkdtemp(prefix="airflow-home-")))))
os.environ.setdefault("AIRFLOW__CORE__DAGS_FOLDER", str(DAGS))
os.environ.setdefault("AIRFLOW__CORE__LOAD_EXAMPLES", "False")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, proc: subprocess.Popen, log: Path, timeout: float = 240) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{proc.args[0]} exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{url} not ready after {timeout}s:\n{log.read_text()[-3000:]}")


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="session")
def mlflow_server(tmp_path_factory):
    binary = TOOLS / "venv-mlflow" / "bin" / "mlflow"
    if not binary.exists():
        pytest.fail(f"MLflow is not installed at {binary}: run `make venvs` (make test does it)")
    d = tmp_path_factory.mktemp("mlflow")
    port = free_port()
    log = d / "mlflow.log"
    proc = subprocess.Popen(
        [str(binary), "server", "--backend-store-uri", f"sqlite:///{d}/mlflow.db", "--artifacts-destination",
         str(d / "artifacts"), "--host", "127.0.0.1", "--port", str(port), "--workers", "1"],
        stdout=log.open("w"), stderr=subprocess.STDOUT, cwd=d)
    try:
        wait_http(f"http://127.0.0.1:{port}/health", proc, log)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(proc)


def write_openmetrics(path: Path, series: dict, start: int, end: int, step: int = 15) -> None:
    """series: {'name{labels}': (type, fn(t) -> value)}; counters must be monotonic."""
    lines = []
    by_family = {}
    for key, (kind, fn) in series.items():
        family = key.split("{")[0]
        if kind == "counter" and family.endswith("_bucket"):
            family = family[: -len("_bucket")]
        by_family.setdefault((family, kind), []).append((key, fn))
    for (family, kind), members in by_family.items():
        lines.append(f"# TYPE {family} {'histogram' if any(k.split('{')[0].endswith('_bucket') for k, _ in members) else kind}")
        for t in range(start, end + 1, step):
            for key, fn in members:
                lines.append(f"{key} {fn(t)} {t}")
    # OpenMetrics wants each family's samples grouped; timestamps ascending within a series
    lines.append("# EOF")
    path.write_text("\n".join(lines) + "\n")


@pytest.fixture()
def recorded_prometheus(tmp_path):
    """Returns start(series) -> base URL of a Prometheus whose TSDB holds the given recorded series
    for the last two hours."""
    procs = []

    def start(series: dict) -> str:
        for tool in ("prometheus", "promtool"):
            if shutil.which(tool) is None:
                pytest.fail(f"{tool} not found: run `make tools` (make test does it)")
        now = int(time.time())
        om = tmp_path / "recorded.om"
        write_openmetrics(om, series, now - 7200, now - 60)
        data = tmp_path / "tsdb"
        subprocess.run(["promtool", "tsdb", "create-blocks-from", "openmetrics", str(om), str(data)],
                       check=True, capture_output=True)
        cfg = tmp_path / "prometheus.yml"
        cfg.write_text("global:\n  scrape_interval: 15s\nscrape_configs: []\n")
        port = free_port()
        log = tmp_path / "prometheus.log"
        proc = subprocess.Popen(
            ["prometheus", f"--config.file={cfg}", f"--storage.tsdb.path={data}",
             f"--web.listen-address=127.0.0.1:{port}", "--storage.tsdb.retention.time=30d"],
            stdout=log.open("w"), stderr=subprocess.STDOUT)
        procs.append(proc)
        url = f"http://127.0.0.1:{port}"
        wait_http(url + "/-/ready", proc, log)
        return url

    yield start
    for p in procs:
        stop(p)


@pytest.fixture(scope="session")
def airflow_env(tmp_path_factory, mlflow_server):
    """Environment for `airflow dags test`: its own AIRFLOW_HOME and SQLite DB, our DAG folder,
    Variables as AIRFLOW_VAR_* pointing at the real servers."""
    home = tmp_path_factory.mktemp("airflow-home")
    env = dict(os.environ)
    env.update({
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(DAGS),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{home}/airflow.db",
        "AIRFLOW__CORE__UNIT_TEST_MODE": "False",
        "PYTHONPATH": str(DAGS),
        "AIRFLOW_VAR_LEGITSCALER_MLFLOW_URI": mlflow_server,
        "MLFLOW_TRACKING_URI": mlflow_server,
    })
    airflow = TOOLS / "venv-airflow" / "bin" / "airflow"
    subprocess.run([str(airflow), "db", "migrate"], env=env, check=True, capture_output=True, timeout=600)
    return env


def airflow_bin() -> str:
    return str(TOOLS / "venv-airflow" / "bin" / "airflow")


def task_states(env: dict, dag_id: str) -> dict:
    import sqlite3

    db = Path(env["AIRFLOW_HOME"]) / "airflow.db"
    with sqlite3.connect(db) as c:
        (run_id,) = c.execute("select run_id from dag_run where dag_id = ? order by id desc limit 1", (dag_id,)).fetchone()
        return {task: state for task, state in c.execute(
            "select task_id, state from task_instance where dag_id = ? and run_id = ?", (dag_id, run_id))}
