#!/usr/bin/env python3
"""Checks a `loadtest run` folder: live and offline agree (summary.json "agreement") and the verdict
lines were really tested. Usage: check-agreement.py RUN_DIR"""
import json, os, sys

d = sys.argv[1]
s = json.load(open(os.path.join(d, "summary.json")))
failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


check(s.get("rateUnit") == "scenario requests/s", "rates in scenario requests/s (%s)" % s.get("rateUnit"))
g = s.get("agreement")
check(g is not None, "live vs offline agreement computed")
if g:
    check(g["replicasAgree"], "replicas within ±1 of offline for %.1f %% of the scenario (need >= 90 %%)"
          % (100 * g["replicasWithinOneShare"]))
    w, u, det = g["wastedReplicaMinutes"], g["underProvisionedReplicaMinutes"], g["detectionDelaySeconds"]
    check(g["wastedAgree"], "wasted replica-minutes live %s vs offline %s (within 20 %% or 1)" % (w["live"], w["offline"]))
    check(g["underAgree"], "under-provisioned replica-minutes live %s vs offline %s (within 20 %% or 1)"
          % (u["live"], u["offline"]))
    check(g["detectionAgree"], "detection live %s s vs offline %s s (within one refresh + 10 s)" % (det["live"], det["offline"]))
for e in s["expectations"]:
    check(e["passed"], "expectation %s: %s" % (e["name"], e["detail"]))
sys.exit(1 if failures else 0)
