# Local platform: a short time-scaled scenario run with every process real (Kafka, Prometheus,
# Alertmanager and its sinks, legit-scaler, model replicas, the KEDA + HPA emulator), the alerts and
# notifications it must produce, the dashboards' queries against its live Prometheus.
.PHONY: test-platform

test-platform: build apt-tools
	scripts/test-platform
TEST_TARGETS += test-platform

# Live vs offline agreement on the demo scenario (scripts/check-agreement.py): the demo must also pass
# its own expectations (detection <= 30 s, at most 10 % of the naive policy's attack waste).
.PHONY: test-demo-agreement
test-demo-agreement: build apt-tools
	scripts/test-demo-agreement
TEST_TARGETS += test-demo-agreement

# The same agreement check on a flash crowd and an attack (not in `make test`: about 9 more minutes).
.PHONY: test-agreement-scenarios
test-agreement-scenarios: build apt-tools
	scripts/test-agreement-scenarios
