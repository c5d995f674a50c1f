# Tools the tests and the demo need, installed once and idempotently.
# Debian packages: Prometheus 2.42 + promtool, Alertmanager 0.25 + amtool, etcd 3.4 (test-k8s).
# Go tools into .tools/bin: grpcurl (README's diagnostics commands), kubeconform (manifest schemas).
GRPCURL_VERSION := v1.9.3
KUBECONFORM_VERSION := v0.7.0
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: tools apt-tools go-tools
tools: apt-tools go-tools

apt-tools:
	@need=""; \
	command -v prometheus >/dev/null || need="$$need prometheus"; \
	command -v prometheus-alertmanager >/dev/null || need="$$need prometheus-alertmanager"; \
	command -v etcd >/dev/null || need="$$need etcd-server"; \
	if [ -n "$$need" ]; then \
	  echo "installing Debian packages:$$need"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$need >/dev/null; \
	fi

go-tools: $(TOOLS_DIR)/bin/grpcurl $(TOOLS_DIR)/bin/kubeconform

$(TOOLS_DIR)/bin/grpcurl:
	go install github.com/fullstorydev/grpcurl/cmd/grpcurl@$(GRPCURL_VERSION)

$(TOOLS_DIR)/bin/kubeconform:
	go install github.com/yannh/kubeconform/cmd/kubeconform@$(KUBECONFORM_VERSION)
