#!/usr/bin/env python3
"""End to end, time-compressed: scaled rules in a real Prometheus -> the rewritten Alertmanager config
-> the local sinks, the way the local platform wires them.

Scales alerting/rules/*.yml by 0.1 (5 m -> 30 s) with alerting/scale-time, starts a Prometheus (1 s
scrape and evaluation) that scrapes the dashboard fixture exporter (four model instances at 0.6, 0.7,
0.8 and 0.9 saturation) and sends alerts to an Alertmanager started with the rewritten
alerting/alertmanager.yml. Asserts that the 0.9 instance's ModelInstanceSaturated warning reaches the
sysadmin chat webhook and mailbox no earlier than the scaled 30 s after its data appeared (and within
45 s), that the instances at or below 0.8 never do, and that the pager gets no warning.
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)
from amsinks import WebhookSink, SmtpSink, free_port, rewrite, serve, write_secrets  # noqa: E402

FOR_SCALED = 30  # s: 5 m x 0.1
failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def wait_for(predicate, timeout):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            if predicate():
                return True
        except OSError:
            pass
        time.sleep(0.25)
    return False


def main():
    tmp = tempfile.mkdtemp(prefix="pipeline-live-")
    procs = []
    http_port, smtp_port, am_port, prom_port, fx_port = (free_port() for _ in range(5))
    webhook, smtp = serve(WebhookSink(http_port)), serve(SmtpSink(smtp_port))
    try:
        subprocess.run([os.path.join(ROOT, "alerting", "scale-time"), "0.1", "--out-dir", f"{tmp}/rules"]
                       + [os.path.join(ROOT, "alerting", "rules", f) for f in sorted(os.listdir(os.path.join(ROOT, "alerting", "rules")))
                          if f.endswith(".yml")], check=True)
        write_secrets(f"{tmp}/secrets")
        with open(os.path.join(ROOT, "alerting", "alertmanager.yml"), encoding="utf-8") as f:
            am_config = rewrite(f.read(), tmp, http_port, smtp_port)
        with open(f"{tmp}/alertmanager.yml", "w") as f:
            f.write(am_config)
        with open(f"{tmp}/prometheus.yml", "w") as f:
            f.write(f"""global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files: ['{tmp}/rules/*.yml']
alerting:
  alertmanagers: [{{static_configs: [{{targets: ['127.0.0.1:{am_port}']}}]}}]
scrape_configs:
  - job_name: legit-scaler
    honor_labels: true
    metrics_path: /metrics/legit-scaler
    static_configs: [{{targets: ['127.0.0.1:{fx_port}'], labels: {{namespace: legit-scaler-system}}}}]
  - job_name: model
    honor_labels: true
    metrics_path: /metrics/model
    static_configs: [{{targets: ['127.0.0.1:{fx_port}'], labels: {{namespace: models}}}}]
  - job_name: kube-state-metrics
    honor_labels: true
    metrics_path: /metrics/kube-state-metrics
    static_configs: [{{targets: ['127.0.0.1:{fx_port}']}}]
""")
        log = open(f"{tmp}/processes.log", "w")
        am_bin = shutil.which("prometheus-alertmanager") or shutil.which("alertmanager")
        procs.append(subprocess.Popen([am_bin, f"--config.file={tmp}/alertmanager.yml", f"--storage.path={tmp}/am",
                                       f"--web.listen-address=127.0.0.1:{am_port}", "--cluster.listen-address="],
                                      stdout=log, stderr=subprocess.STDOUT))
        if not wait_for(lambda: urllib.request.urlopen(f"http://127.0.0.1:{am_port}/-/ready", timeout=1), 20):
            sys.exit("Alertmanager did not become ready")
        procs.append(subprocess.Popen([sys.executable, os.path.join(ROOT, "dashboards", "tests", "fixture_exporter.py"),
                                       "--docs", os.path.join(ROOT, "docs", "metrics.md"), "--port", str(fx_port)],
                                      stdout=log, stderr=subprocess.STDOUT))
        procs.append(subprocess.Popen(["prometheus", f"--config.file={tmp}/prometheus.yml", f"--storage.tsdb.path={tmp}/prom",
                                       f"--web.listen-address=127.0.0.1:{prom_port}"], stdout=log, stderr=subprocess.STDOUT))

        def has_data():
            q = urllib.parse.urlencode({"query": 'ml_model_saturation_ratio{instance="10.0.0.4:8080"} > 0.8'})
            with urllib.request.urlopen(f"http://127.0.0.1:{prom_port}/api/v1/query?{q}", timeout=2) as r:
                return bool(json.loads(r.read())["data"]["result"])
        if not wait_for(has_data, 60):
            sys.exit("Prometheus did not scrape the fixture exporter:\n" + open(f"{tmp}/processes.log").read())
        t0 = time.time()

        def chat(instance):
            with webhook.lock:
                return any(a["labels"].get("alertname") == "ModelInstanceSaturated" and a["labels"].get("instance") == instance
                           for p, _, body in webhook.received if p == "/chat/ml-platform" for a in body["alerts"])
        arrived = wait_for(lambda: chat("10.0.0.4:8080"), FOR_SCALED + 30)
        elapsed = time.time() - t0
        check(arrived, "ModelInstanceSaturated of the 0.9 instance reached the sysadmin chat webhook")
        if arrived:
            check(FOR_SCALED - 1 <= elapsed <= FOR_SCALED + 15,
                  f"...{elapsed:.1f} s after its data appeared (scaled for: {FOR_SCALED} s)")
        check(wait_for(lambda: any("ModelInstanceSaturated models sysadmin" in (m["Subject"] or "") and r == ["sysadmin@example.com"]
                                   for _, r, m in list(smtp.messages)), 10),
              "...and the sysadmin mailbox")
        time.sleep(3)
        check(not chat("10.0.0.3:8080") and not chat("10.0.0.1:8080"), "instances at 0.8 and below never alerted")
        with webhook.lock:
            pager = [a["labels"]["alertname"] for p, _, body in webhook.received if p == "/pager" for a in body["alerts"]]
        check(not any(n.startswith("ModelInstanceSaturated") for n in pager), f"the pager got no warning ({pager})")
    finally:
        for p in reversed(procs):
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for p in procs:
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
        webhook.shutdown()
        smtp.shutdown()
        if failures:
            print(f"logs kept in {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    if failures:
        print(f"pipeline-live-test: {len(failures)} FAILED")
        sys.exit(1)
    print("pipeline-live-test: scaled rules -> Prometheus -> Alertmanager -> sinks as expected")


if __name__ == "__main__":
    main()
