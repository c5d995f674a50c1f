# Local platform: a short time-scaled scenario run with every process real (Kafka, Prometheus,
# Alertmanager and its sinks, legit-scaler, model replicas, the KEDA + HPA emulator), the alerts and
# notifications it must produce, the dashboards' queries against its live Prometheus.
.PHONY: test-platform

test-platform: build apt-tools
	scripts/test-platform
TEST_TARGETS += test-platform

# Live vs offline agreement on the demo scenario (scripts/check-agreement.py). Not in TEST_TARGETS while
# the live run does not yet meet the demo's own detection and attack-waste bounds (scripts/test-demo-agreement).
.PHONY: test-demo-agreement
test-demo-agreement: build apt-tools
	scripts/test-demo-agreement
