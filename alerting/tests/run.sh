#!/usr/bin/env bash
# Every alerting check: rule syntax, rule timing (promtool), scaled copies, routing (amtool) and
# inhibition/fan-out on a running Alertmanager, and the whole chain with time-scaled rules.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "== promtool check rules"
promtool check rules rules/*.yml
echo "== promtool test rules"
promtool test rules tests/rules/*.test.yml
echo "== scale-time"
tests/scale-time-test.sh
echo "== amtool: config and routes"
tests/routes-test.sh
echo "== running Alertmanager: inhibition, fan-out, secrets"
python3 tests/alertmanager-live-test.py
echo "== end to end, time-compressed: scaled rules -> Prometheus -> Alertmanager -> sinks"
python3 tests/pipeline-live-test.py
echo "alerting tests: all passed"
