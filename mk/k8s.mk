# The scaler against the real KEDA (operator + metrics adapter v2.21.0) and a real control plane (etcd,
# kube-apiserver and kube-controller-manager v1.36.3) on 127.0.0.1, with a real Prometheus and the chart
# installed by Helm. The Kubernetes and KEDA binaries are built from their Go modules once per version
# (scripts/k8s/build-binaries.sh; about 30 CPU-minutes the first time, then cached under
# ~/.cache/legit-scaler-k8s); etcd comes from Debian. Checks and timings: scripts/k8s/test-k8s.sh.
.PHONY: test-k8s k8s-binaries

k8s-binaries:
	scripts/k8s/build-binaries.sh

test-k8s: build apt-tools helm-tools $(TOOLS_DIR)/bin/grpcurl
	HELM=$(HELM) GRPCURL=$(TOOLS_DIR)/bin/grpcurl scripts/k8s/test-k8s.sh
TEST_TARGETS += test-k8s
