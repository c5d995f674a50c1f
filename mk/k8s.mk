# The scaler against the real KEDA (operator + metrics adapter v2.21.0) and a real control plane (etcd,
# kube-apiserver and kube-controller-manager v1.36.3) on 127.0.0.1, with a real Prometheus and the chart
# installed by Helm. The Kubernetes and KEDA binaries are built from their Go modules once per version
# (scripts/k8s/build-binaries.sh; about 30 CPU-minutes the first time, then cached under
# ~/.cache/legit-scaler-k8s); etcd comes from Debian. Checks and timings: scripts/k8s/test-k8s.sh.
.PHONY: test-k8s k8s-binaries k8s-binaries-background

k8s-binaries:
	scripts/k8s/build-binaries.sh

test-k8s: build apt-tools helm-tools $(TOOLS_DIR)/bin/grpcurl
	HELM=$(HELM) GRPCURL=$(TOOLS_DIR)/bin/grpcurl scripts/k8s/test-k8s.sh
TEST_TARGETS += test-k8s

# `make test` starts the binaries' build first, in the background at the lowest CPU priority, so that a
# cold build uses the cores the earlier tests leave idle (they wait on brokers, Prometheus and scaled
# time much of the time) instead of adding its whole length at test-k8s. build-binaries.sh serialises
# on a lock, so test-k8s's own call waits for this one. Nothing starts when every binary is cached.
K8S_BUILD_LOG := out/k8s-binaries-build.log
k8s-binaries-background:
	@if scripts/k8s/build-binaries.sh --check >/dev/null 2>&1; then exit 0; fi; \
	mkdir -p out; echo "k8s-binaries: building in the background (log: $(K8S_BUILD_LOG))"; \
	LEGITSCALER_K8S_NO_APT=1 setsid nice -n 19 scripts/k8s/build-binaries.sh >$(K8S_BUILD_LOG) 2>&1 </dev/null &
