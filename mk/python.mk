# Python virtual environments (separate: Airflow's and MLflow's pins conflict), installed with uv.
PY ?= python3
UV := $(TOOLS_DIR)/uv/bin/uv
AIRFLOW_VENV := $(TOOLS_DIR)/venv-airflow
MLFLOW_VENV := $(TOOLS_DIR)/venv-mlflow

.PHONY: venvs
venvs: $(AIRFLOW_VENV)/.installed $(MLFLOW_VENV)/.installed

$(UV):
	$(PY) -m venv $(TOOLS_DIR)/uv
	$(TOOLS_DIR)/uv/bin/pip install -q uv

$(AIRFLOW_VENV)/.installed: pipelines/airflow/requirements-airflow.txt | $(UV)
	$(UV) venv -q --allow-existing --python $(PY) $(AIRFLOW_VENV)
	$(UV) pip install -q --python $(AIRFLOW_VENV)/bin/python -r $<
	touch $@

$(MLFLOW_VENV)/.installed: pipelines/airflow/requirements-mlflow.txt | $(UV)
	$(UV) venv -q --allow-existing --python $(PY) $(MLFLOW_VENV)
	$(UV) pip install -q --python $(MLFLOW_VENV)/bin/python -r $<
	touch $@
