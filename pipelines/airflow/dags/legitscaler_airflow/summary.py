"""Reading a scenario run's summary.json (written by `loadtest run` / `loadtest evaluate`)."""
import json
import math
import os
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Verdict:
    passed: bool
    reasons: list = field(default_factory=list)
    metrics: dict = field(default_factory=dict)


def flatten_numbers(node, prefix=""):
    """Every number or boolean leaf as {"a.b.c": float}; expectations lists as one 0/1 per name."""
    out = {}
    if isinstance(node, bool):
        out[prefix] = 1.0 if node else 0.0
    elif isinstance(node, (int, float)):
        if math.isfinite(node):
            out[prefix] = float(node)
    elif isinstance(node, dict):
        for k, v in node.items():
            if k == "params":
                continue
            out.update(flatten_numbers(v, f"{prefix}.{k}" if prefix else k))
    elif isinstance(node, list):
        for item in node:
            if isinstance(item, dict) and "name" in item and "passed" in item:
                out[f"{prefix}.{item['name']}" if prefix else str(item["name"])] = 1.0 if item["passed"] else 0.0
    return out


def read_verdict(out_dir: str) -> Verdict:
    """The gate's verdict from a load run's folder: passed only if the runner succeeded and every
    expectation passed. Missing or malformed files fail the gate with the reason."""
    path = os.path.join(out_dir, "summary.json")
    exit_file = os.path.join(out_dir, "exit_code")
    exit_code = None
    if os.path.exists(exit_file):
        with open(exit_file, encoding="utf-8") as f:
            exit_code = int(f.read().strip() or "1")
    if not os.path.exists(path):
        return Verdict(False, [f"the load run wrote no summary.json in {out_dir} (exit code {exit_code})"])
    try:
        with open(path, encoding="utf-8") as f:
            summary = json.load(f)
    except json.JSONDecodeError as e:
        return Verdict(False, [f"{path} is not valid JSON: {e}"])
    reasons = []
    for item in summary.get("expectations", []):
        if isinstance(item, dict) and not item.get("passed", False):
            reasons.append(f"expectation {item.get('name', '?')} failed: {item.get('detail', '')}".rstrip(": "))
    if summary.get("expectationsPassed") is False and not reasons:
        reasons.append("the scenario's expectations did not pass")
    if exit_code not in (None, 0) and not reasons:
        reasons.append(f"the load run exited with code {exit_code}")
    if "expectations" not in summary and "expectationsPassed" not in summary:
        reasons.append(f"{path} has no expectations: nothing was checked")
    return Verdict(not reasons, reasons, flatten_numbers(summary))
