# Python virtual environments (separate: Airflow's and MLflow's pins conflict), installed with uv.
PY ?= python3
UV := $(TOOLS_DIR)/uv/bin/uv
AIRFLOW_VENV := $(TOOLS_DIR)/venv-airflow
MLFLOW_VENV := $(TOOLS_DIR)/venv-mlflow
AIRFLOW2_VENV := $(TOOLS_DIR)/venv-airflow2

.PHONY: venvs
venvs: $(AIRFLOW_VENV)/.installed $(MLFLOW_VENV)/.installed

$(UV):
	$(PY) -m venv $(TOOLS_DIR)/uv
	$(TOOLS_DIR)/uv/bin/pip install -q uv

$(AIRFLOW_VENV)/.installed: pipelines/airflow/requirements-airflow.txt | $(UV)
	$(UV) venv -q --allow-existing --python $(PY) $(AIRFLOW_VENV)
	$(UV) pip install -q --python $(AIRFLOW_VENV)/bin/python -r $<
	touch $@

$(AIRFLOW2_VENV)/.installed: pipelines/airflow/requirements-airflow2.txt | $(UV)
	$(UV) venv -q --allow-existing --python $(PY) $(AIRFLOW2_VENV)
	$(UV) pip install -q --python $(AIRFLOW2_VENV)/bin/python -r $<
	touch $@

$(MLFLOW_VENV)/.installed: pipelines/airflow/requirements-mlflow.txt | $(UV)
	$(UV) venv -q --allow-existing --python $(PY) $(MLFLOW_VENV)
	$(UV) pip install -q --python $(MLFLOW_VENV)/bin/python -r $<
	touch $@

# Airflow DAG tests: import checks, the gate's verdict, `airflow dags test` against real MLflow and
# Prometheus servers. JUnit XML lands where scripts/check-skips looks for skipped tests.
.PHONY: test-airflow
test-airflow: venvs apt-tools $(LOADTEST_EVALUATE_JAR)
	mkdir -p out/test-reports
	cd pipelines/airflow/tests && PYTHONPATH=../dags $(AIRFLOW_VENV)/bin/python -m pytest -q -p no:cacheprovider \
	  --junitxml=$(CURDIR)/out/test-reports/airflow.xml
TEST_TARGETS += test-airflow

# The same DAG folder on Airflow 2.x (latest 2.x release): import checks, structure, no cycles.
.PHONY: test-airflow2
test-airflow2: $(AIRFLOW2_VENV)/.installed
	mkdir -p out/test-reports
	cd pipelines/airflow/tests && AIRFLOW_HOME=$$(mktemp -d) PYTHONPATH=../dags $(AIRFLOW2_VENV)/bin/python -m pytest -q \
	  -p no:cacheprovider test_dag_integrity.py test_summary.py --junitxml=$(CURDIR)/out/test-reports/airflow2.xml
TEST_TARGETS += test-airflow2

# The MLflow tracking tests of the loadtest module start the MLflow venv's server.
test-java: venvs
