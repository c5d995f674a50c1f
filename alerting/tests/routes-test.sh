#!/usr/bin/env bash
# amtool check-config + `amtool config routes test --verify.receivers` for every tier and for every
# alert of alerting/rules/*.yml (its routing labels read from the rule files), plus the tier/severity/
# escalation pairing the routing tree relies on. amtool checks routing only; inhibition and time
# intervals are checked against a running Alertmanager (alertmanager-live-test.py).
set -euo pipefail
cd "$(dirname "$0")/.."
CONFIG=alertmanager.yml
fail=0

amtool check-config "$CONFIG"

# Expected receivers per tier, in routing order.
declare -A EXPECTED=(
  [sysadmin]="sysadmin"
  [oncall]="sysadmin,oncall-pager,teamlead"
  [ddos]="ddos"
)
# Expected severity and escalation level per tier.
declare -A SEVERITY=([sysadmin]=warning [oncall]=critical [ddos]=warning)
declare -A LEVEL=([sysadmin]=1 [oncall]=2 [ddos]=1)

verify() { # verify <expected receivers> <label=value>...
  local want=$1; shift
  if out=$(amtool config routes test --config.file="$CONFIG" --verify.receivers="$want" "$@" 2>/dev/null); then
    echo "ok   $* -> $out"
  else
    echo "FAIL $* -> $out (expected $want)"; fail=1
  fi
}

echo "--- every tier"
for tier in "${!EXPECTED[@]}"; do
  verify "${EXPECTED[$tier]}" alertname=AnyAlert tier="$tier" severity="${SEVERITY[$tier]}" \
    escalation="${LEVEL[$tier]}" team=ml-platform namespace=models instance=10.0.0.1:8080
done
echo "--- an alert without a tier (e.g. from another rule set) falls back to the sysadmin"
verify sysadmin alertname=Watchdog severity=none

echo "--- every alert of the rule files"
tiers_seen=" "
while read -r name severity tier escalation team; do
  tier=${tier#tier=}; severity=${severity#severity=}; escalation=${escalation#escalation=}
  if [ -z "${EXPECTED[$tier]+x}" ]; then echo "FAIL $name: unknown tier '$tier'"; fail=1; continue; fi
  if [ "$severity" != "${SEVERITY[$tier]}" ] || [ "$escalation" != "${LEVEL[$tier]}" ]; then
    echo "FAIL $name: tier $tier needs severity ${SEVERITY[$tier]}, escalation ${LEVEL[$tier]}"; fail=1
  fi
  tiers_seen+="$tier "
  verify "${EXPECTED[$tier]}" alertname="$name" severity="$severity" tier="$tier" \
    escalation="$escalation" "$team" namespace=models instance=10.0.0.1:8080 scaled_object=model
done < <(python3 tests/rulefacts.py)
for tier in "${!EXPECTED[@]}"; do
  case "$tiers_seen" in *" $tier "*) ;; *) echo "FAIL no alert uses tier $tier"; fail=1 ;; esac
done

if [ $fail -ne 0 ]; then echo "routes-test: FAILED"; exit 1; fi
echo "routes-test: all routes as expected"
