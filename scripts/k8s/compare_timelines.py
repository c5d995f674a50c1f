#!/usr/bin/env python3
"""Compares the replica timeline of the real KEDA + kube-controller-manager with KedaHpaEmulator's.

  compare_timelines.py --t0 EPOCH --sync SECONDS --real WATCH.log --emulator EMULATOR.jsonl
                       --timeline "0:2.8 10:4.2 ..." --out TABLE.md

WATCH.log: "<epoch seconds> <spec.replicas>" per line (a kubectl watch of the Deployment, stamped).
EMULATOR.jsonl: the output of `loadtest hpa emulate` ({"scale": {"at": ms, "from", "to", ...}}).
Both paths (the successive replica counts) must be equal, and each change must happen within one HPA
sync period of its counterpart plus ALLOWANCE seconds (the watch, the adapter and the emulator's call
latency). Prints both paths and the table, writes the table as Markdown, exits 1 on a mismatch.
"""
import argparse
import json
import sys

ALLOWANCE = 1.0


def real_changes(path, t0):
    changes, last = [], None
    with open(path) as f:
        for line in f:
            parts = line.split()
            if len(parts) != 2 or not parts[1].isdigit():
                continue
            t, n = float(parts[0]) - t0, int(parts[1])
            if n != last:
                changes.append((t, n))
                last = n
    return changes


def emulator_changes(path, t0, initial):
    changes = [(0.0, initial)]
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line.startswith("{"):
                continue
            d = json.loads(line)
            if "scale" in d and d["scale"]["to"] != changes[-1][1]:
                changes.append((d["scale"]["at"] / 1000.0 - t0, d["scale"]["to"]))
    return changes


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--t0", type=float, required=True)
    ap.add_argument("--sync", type=float, required=True)
    ap.add_argument("--real", required=True)
    ap.add_argument("--emulator", required=True)
    ap.add_argument("--timeline", required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()

    real = real_changes(a.real, a.t0)
    if not real:
        print("real path: (no observation)")
        return 1
    emu = emulator_changes(a.emulator, a.t0, real[0][1])
    print("real path: " + " ".join(str(n) for _, n in real))
    print("emulator path: " + " ".join(str(n) for _, n in emu))
    ok = [n for _, n in real] == [n for _, n in emu]
    bound = a.sync + ALLOWANCE
    rows = []
    for i, ((tr, nr), (te, ne)) in enumerate(zip(real[1:], emu[1:]), 1):
        delta = te - tr
        within = abs(delta) <= bound
        ok = ok and within
        rows.append(f"| {real[i - 1][1]} → {nr} | {tr:.1f} | {te:.1f} | {delta:+.1f} | {'yes' if within else 'NO'} |")
    answers = ", ".join(f"t={s.split(':')[0]} s: load {s.split(':')[1]} → {round(float(s.split(':')[1]) / 0.7 + 1e-9, 2)}"
                        for s in a.timeline.split())
    deltas = [abs(float(r.split("|")[4])) for r in rows]
    table = "\n".join([
        f"Scaler answers (load / targetLoad 0.7, published as replicas, min 4, max 6): {answers}.",
        "",
        f"| change | real KEDA + HPA (s) | KedaHpaEmulator (s) | Δ (s) | within {a.sync:g} s sync + {ALLOWANCE:g} s |",
        "|---|---:|---:|---:|---|",
        *rows,
        "",
        f"Same decisions: {'yes' if [n for _, n in real] == [n for _, n in emu] else 'NO'} "
        f"(real {' '.join(str(n) for _, n in real)}; emulator {' '.join(str(n) for _, n in emu)}); "
        f"largest |Δ| {max(deltas, default=0):.1f} s.",
    ])
    print(table)
    with open(a.out, "w") as f:
        f.write(table + "\n")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
