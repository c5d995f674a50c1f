#!/usr/bin/env python3
"""A tiny exporter serving every metric name of docs/metrics.md with plausible values.

Usage: fixture_exporter.py --docs docs/metrics.md --port PORT

Reads the metric tables (| name | type | labels | meaning |) of docs/metrics.md and serves them on
  /metrics/legit-scaler        legitscaler_*, jvm_*, process_*
  /metrics/model               ml_model_*
  /metrics/kube-state-metrics  everything else (kube_*, container_*, keda_*)
with the fixture's namespace "models", ScaledObject "model", Deployment "model-server" and four model
instances; enumerated labels (term=`load`|`lag`) get one series per value. Counters, histograms and
summaries grow with time so that rate() has data. Scrape with honor_labels: true.
"""
import argparse
import itertools
import re
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

START = time.time()
INSTANCES = [f"10.0.0.{i}:8080" for i in range(1, 5)]
DEFAULTS = {
    "namespace": "models", "scaled_object": "model", "deployment": "model-server",
    "horizontalpodautoscaler": "keda-hpa-model", "scaletargetref_name": "model-server",
    "replicaset": "model-server-5d9f", "container": "model", "scaledObject": "model",
    "metric": "s0-legit-scaler", "reason": "heavy-hitter", "cause": "timeout", "method": "GetMetrics",
    "code": "OK", "gc": "G1 Young Generation", "pod": "model-server-5d9f-aaaaa", "signal": "load",
    "source": "prometheus",
}
OWNER = {"kube_pod_owner": "model-server-5d9f", "kube_replicaset_owner": "model-server"}
GAUGES = [  # (name pattern, value)
    (r"ratio$", 0.6), (r"legitimacy.*score$", 0.95), (r"attack_suspected$", 0), (r"signal_stale$", 0),
    (r"signal_age_seconds$", 3), (r"lag.*messages$", 42), (r"_watches$", 1), (r"_active$", 1),
    (r"published_value$", 5), (r"demand_replicas$", 4.2), (r"spec_min_replicas$", 4),
    (r"spec_max_replicas$", 6), (r"replicas", 5), (r"_info$|_owner$", 1), (r"resource_limits$", 1),
    (r"resource_requests$", 0.5), (r"memory_used_bytes$", 1.2e8), (r"memory_max_bytes$", 5.0e8),
    (r"threads_current$", 30), (r"resident_memory_bytes$", 2.5e8),
]
BUCKETS = [0.005, 0.01, 0.05, 0.1, 0.5, 1.0]


def parse_docs(path):
    metrics = []
    for line in open(path, encoding="utf-8"):
        m = re.match(r"^\|\s*`([a-z_:][a-z0-9_:]*)`\s*\|\s*(gauge|counter|histogram|summary)\s*\|(.*?)\|", line.replace("\\|", "\x00"))
        if not m:
            continue
        name, mtype, labels_col = m.group(1), m.group(2), m.group(3).replace("\x00", "|").strip()
        labels = {}
        if "instance" in labels_col:
            labels["instance"] = INSTANCES
        for item in re.sub(r"\(.*?\)", "", labels_col).split(","):
            item = item.strip()
            if not item:
                continue
            if "=" in item:
                k, v = item.split("=", 1)
                labels[k.strip()] = re.findall(r"`([^`]*)`", v)
            elif item != "instance":
                labels[item] = [OWNER.get(name, DEFAULTS.get(item, "x"))] if item == "owner_name" else [DEFAULTS.get(item, "x")]
        metrics.append((name, mtype, labels))
    return metrics


def job_of(name):
    if name.startswith(("legitscaler_", "jvm_", "process_")):
        return "legit-scaler"
    if name.startswith("ml_model_"):
        return "model"
    return "kube-state-metrics"


def fmt(labels):
    if not labels:
        return ""
    return "{" + ",".join(f'{k}="{v}"' for k, v in labels.items()) + "}"


def render(metrics, job):
    elapsed = time.time() - START + 60
    out = []
    for name, mtype, labels in metrics:
        if job_of(name) != job:
            continue
        out.append(f"# TYPE {name} {mtype}")
        keys = list(labels)
        for i, combo in enumerate(itertools.product(*(labels[k] for k in keys))):
            ls = dict(zip(keys, combo))
            if mtype == "gauge":
                value = next((v for p, v in GAUGES if re.search(p, name)), 1)
                if name.endswith("ratio"):
                    value = round(value + 0.1 * (i % 4), 3)
                out.append(f"{name}{fmt(ls)} {value}")
            elif mtype == "counter":
                rate = 0.5 if "cpu_seconds" in name else 10
                out.append(f"{name}{fmt(ls)} {rate * elapsed:.3f}")
            else:
                count = 10 * elapsed
                if mtype == "histogram":
                    for le, share in zip(BUCKETS, (0.2, 0.4, 0.7, 0.9, 0.99, 1.0)):
                        out.append(f"{name}_bucket{fmt({**ls, 'le': str(le)})} {count * share:.3f}")
                    out.append(f"{name}_bucket{fmt({**ls, 'le': '+Inf'})} {count:.3f}")
                out.append(f"{name}_sum{fmt(ls)} {count * 0.02:.3f}")
                out.append(f"{name}_count{fmt(ls)} {count:.3f}")
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", required=True)
    ap.add_argument("--port", type=int, required=True)
    args = ap.parse_args()
    metrics = parse_docs(args.docs)
    if not metrics:
        raise SystemExit(f"no metric tables found in {args.docs}")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            job = self.path.rstrip("/").rsplit("/", 1)[-1]
            if not self.path.startswith("/metrics/") or job not in ("legit-scaler", "model", "kube-state-metrics"):
                self.send_error(404)
                return
            body = render(metrics, job).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; version=0.0.4")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *a):
            pass

    ThreadingHTTPServer(("127.0.0.1", args.port), Handler).serve_forever()


if __name__ == "__main__":
    main()
