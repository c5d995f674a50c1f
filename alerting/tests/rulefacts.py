#!/usr/bin/env python3
"""Routing labels of every alert in alerting/rules/*.yml, read with the standard library only.

Prints one line per alert: `alertname severity=.. tier=.. escalation=.. team=..`, or, imported,
gives alerts() -> {alertname: {label: value}}. Fails when an alert lacks one of the routing labels.
"""
import glob
import os
import re
import sys

ROUTING_LABELS = ("severity", "tier", "escalation", "team")
RULES_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "rules")


def alerts(rules_dir=RULES_DIR):
    found = {}
    for path in sorted(glob.glob(os.path.join(rules_dir, "*.yml"))):
        text = open(path, encoding="utf-8").read()
        # one block per rule: from "- alert:"/"- record:" to the next one
        blocks = re.split(r"(?m)^\s*- (?=alert:|record:)", text)
        for block in blocks:
            m = re.match(r"alert:\s*(\S+)", block)
            if not m:
                continue
            name = m.group(1)
            labels_part = re.search(r"(?ms)^\s*labels:\s*\n(.*?)(^\s*annotations:|\Z)", block)
            if not labels_part:
                sys.exit(f"{path}: alert {name} has no labels block")
            labels = dict(re.findall(r'(?m)^\s+(\w+):\s*"?([^"\n]+?)"?\s*$', labels_part.group(1)))
            missing = [l for l in ROUTING_LABELS if l not in labels]
            if missing:
                sys.exit(f"{path}: alert {name} lacks routing label(s) {missing}")
            if name in found:
                sys.exit(f"{path}: alert {name} defined twice")
            found[name] = labels
    if not found:
        sys.exit(f"no alerts found under {rules_dir}")
    return found


if __name__ == "__main__":
    for name, labels in alerts().items():
        print(name, " ".join(f"{k}={labels[k]}" for k in ROUTING_LABELS))
