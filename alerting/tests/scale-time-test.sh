#!/usr/bin/env bash
# alerting/scale-time: golden outputs for two factors, identity for factor 1, and the scaled copy of the
# real rule files passes promtool check rules and a promtool test pinning the scaled timing.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
for case in "0.1 expected-0.1.yml" "1/7 expected-1_7.yml"; do
  set -- $case
  if ./scale-time "$1" tests/scale-time/input.yml | diff -u "tests/scale-time/$2" -; then
    echo "ok   scale-time $1 matches tests/scale-time/$2"
  else
    echo "FAIL scale-time $1 differs from tests/scale-time/$2"; fail=1
  fi
done
for f in rules/*.yml; do
  if ./scale-time 1 "$f" | cmp -s "$f" -; then echo "ok   factor 1 leaves $f unchanged"
  else echo "FAIL factor 1 changed $f"; fail=1; fi
done
if ./scale-time 0 rules/model.yml >/dev/null 2>&1; then echo "FAIL factor 0 accepted"; fail=1; fi
./scale-time 0.1 --out-dir "$tmp" rules/*.yml
promtool check rules "$tmp"/*.yml
cp tests/scale-time/*.test.yml "$tmp"/
promtool test rules "$tmp"/*.test.yml || fail=1
if [ $fail -ne 0 ]; then echo "scale-time-test: FAILED"; exit 1; fi
echo "scale-time-test: scaled copies as expected"
