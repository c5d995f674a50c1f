# Helm chart (manifests/helm/legit-scaler) and examples (manifests/examples).
# Helm is built from its Go module into .tools/bin (a few minutes the first time, then cached).
# The chart tests need PyYAML: a venv under .tools that reuses the system's PyYAML when it has one.
HELM_VERSION := v3.22.0
PYYAML_VERSION := 6.0.2
HELM := $(TOOLS_DIR)/bin/helm
KUBECONFORM := $(TOOLS_DIR)/bin/kubeconform
HELM_PY_VENV := $(TOOLS_DIR)/helm-test-venv
HELM_PY := $(HELM_PY_VENV)/bin/python3
CHART_DIR := manifests/helm/legit-scaler

.PHONY: helm-tools test-helm helm-schema helm-package

helm-tools: $(HELM) $(KUBECONFORM) $(HELM_PY_VENV)/.ready

$(HELM):
	go install helm.sh/helm/v3/cmd/helm@$(HELM_VERSION)

$(HELM_PY_VENV)/.ready:
	python3 -m venv --system-site-packages $(HELM_PY_VENV)
	$(HELM_PY) -c 'import yaml' 2>/dev/null || $(HELM_PY) -m pip install -q pyyaml==$(PYYAML_VERSION)
	touch $@

# Lint and render the chart with every value set in manifests/tests/values, validate against
# manifests/tests/schemas (kept in the repository), semantic checks, invalid value sets must fail, examples.
test-helm: helm-tools
	HELM=$(HELM) KUBECONFORM=$(KUBECONFORM) PYTHON=$(HELM_PY) manifests/tests/run.sh
TEST_TARGETS += test-helm

# Regenerate values.schema.json after editing manifests/tests/gen_values_schema.py.
helm-schema: $(HELM_PY_VENV)/.ready
	$(HELM_PY) manifests/tests/gen_values_schema.py

# out/legit-scaler-<version>.tgz with the rule files, dashboards and Alertmanager config inside.
helm-package: $(HELM)
	$(HELM) package $(CHART_DIR) -d out
