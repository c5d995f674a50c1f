# Alerting rules, Alertmanager routing and Grafana dashboards: promtool/amtool checks, a live
# Alertmanager, and dashboard structure + queries against a live Prometheus (Debian binaries).
.PHONY: test-alerting

test-alerting: apt-tools
	alerting/tests/run.sh
	dashboards/tests/run.sh
TEST_TARGETS += test-alerting
