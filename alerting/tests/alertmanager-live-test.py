#!/usr/bin/env python3
"""Inhibition, fan-out and secrets of alerting/alertmanager.yml, checked on a running Alertmanager.

Starts prometheus-alertmanager on 127.0.0.1 (free port, no clustering, own data dir) with a copy of
alerting/alertmanager.yml in which only what a deployment rewrites is rewritten, the way the local
platform does it: the placeholder URLs point at a local webhook sink, the SMTP relay at a local SMTP
sink (no TLS), the secret files at temporary files, and the grouping timers are shortened. Then it
posts alerts through /api/v2/alerts (labels taken from the rule files), asserts through /api/v2/alerts
that the lower tier is inhibited for the same instance / ScaledObject only, and that every receiver gets
exactly the expected notifications (with the secrets read from the files). Finally it resolves the
critical alert and checks that the warning it silenced comes back.
"""
import datetime
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
import zoneinfo

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import rulefacts  # noqa: E402
from amsinks import WebhookSink, SmtpSink, free_port, rewrite, serve, write_secrets  # noqa: E402

CONFIG = os.path.join(HERE, "..", "alertmanager.yml")
# the alerts of phase 1 that inhibit others (source_matchers of alertmanager.yml's inhibit_rules)
INHIBITION_SOURCES = {"ModelInstanceSaturatedCritical", "LegitScalerSignalsAllStale"}
failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


# ---------------------------------------------------------------- Alertmanager API
def api(port, path, payload=None):
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}",
                                 data=None if payload is None else json.dumps(payload).encode(),
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=5) as r:
        body = r.read()
        return json.loads(body) if body else None


def alert(name, facts, ends=None, **labels):
    now = datetime.datetime.now(datetime.timezone.utc)
    a = {"labels": {"alertname": name, **facts[name], **labels},
         "annotations": {"summary": f"{name} (alertmanager-live-test)"},
         "startsAt": (now - datetime.timedelta(minutes=1)).isoformat()}
    if ends is not None:
        a["endsAt"] = ends.isoformat()
    return a


def key(labels):
    return (labels["alertname"], labels.get("namespace", ""), labels.get("instance") or labels.get("scaled_object", ""))


def wait_for(what, predicate, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return True
        time.sleep(0.3)
    print(f"timed out waiting for: {what}")
    return False


def in_business_hours(config_text):
    """Whether the config's business-hours interval is active now (monday:friday, start-end, location)."""
    block = config_text[config_text.index("name: business-hours"):]
    assert "weekdays: ['monday:friday']" in block, "business-hours changed shape; update this test"
    start = re.search(r"start_time: '(\d\d):(\d\d)'", block).groups()
    end = re.search(r"end_time: '(\d\d):(\d\d)'", block).groups()
    now = datetime.datetime.now(zoneinfo.ZoneInfo(re.search(r"location: (\S+)", block).group(1)))
    minute = now.hour * 60 + now.minute
    lo, hi = int(start[0]) * 60 + int(start[1]), int(end[0]) * 60 + int(end[1])
    near_edge = min(abs(minute - lo), abs(minute - hi)) < 2
    return now.weekday() < 5 and lo <= minute < hi, near_edge


def main():
    am_bin = shutil.which("prometheus-alertmanager") or shutil.which("alertmanager")
    if not am_bin:
        sys.exit("prometheus-alertmanager not found (make apt-tools)")
    facts = rulefacts.alerts()
    tmp = tempfile.mkdtemp(prefix="am-live-")
    proc = None
    http_port, smtp_port, am_port = free_port(), free_port(), free_port()
    webhook, smtp = WebhookSink(http_port), SmtpSink(smtp_port)
    serve(webhook), serve(smtp)
    try:
        write_secrets(tmp + "/secrets")
        original = open(CONFIG, encoding="utf-8").read()
        with open(f"{tmp}/alertmanager.yml", "w") as f:
            f.write(rewrite(original, tmp, http_port, smtp_port))
        log = open(f"{tmp}/alertmanager.log", "w")
        proc = subprocess.Popen([am_bin, f"--config.file={tmp}/alertmanager.yml", f"--storage.path={tmp}/data",
                                 f"--web.listen-address=127.0.0.1:{am_port}", "--cluster.listen-address=",
                                 "--log.level=debug"], stdout=log, stderr=subprocess.STDOUT)

        def ready():
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{am_port}/-/ready", timeout=1)
                return True
            except OSError:
                return proc.poll() is not None
        wait_for("Alertmanager ready", ready, 20)
        if proc.poll() is not None:
            sys.exit("Alertmanager exited:\n" + open(f"{tmp}/alertmanager.log").read())

        # ---- phase 1: a warning and its critical for the same instance, plus unrelated alerts
        ns, a, b = "models", "10.0.0.1:8080", "10.0.0.2:8080"
        posted = [
            alert("ModelInstanceSaturated", facts, namespace=ns, instance=a),            # inhibited
            alert("ModelInstanceSaturatedCritical", facts, namespace=ns, instance=a),
            alert("ModelInstanceSaturated", facts, namespace=ns, instance=b),            # other instance
            alert("ModelInstanceSaturated", facts, namespace="other", instance=a),       # other namespace
            alert("LegitScalerSignalStale", facts, namespace=ns, scaled_object="model", signal="lag"),  # inhibited
            alert("LegitScalerSignalsAllStale", facts, namespace=ns, scaled_object="model"),
            alert("LegitScalerSignalStale", facts, namespace=ns, scaled_object="other", signal="lag"),
            alert("LegitScalerAttackSuspected", facts, namespace=ns, scaled_object="model"),
        ]
        inhibited = {("ModelInstanceSaturated", ns, a), ("LegitScalerSignalStale", ns, "model")}
        sources = [p for p in posted if p["labels"]["alertname"] in INHIBITION_SOURCES]

        def states():
            return {key(x["labels"]): (x["status"]["state"], x["status"]["inhibitedBy"])
                    for x in api(am_port, "/api/v2/alerts")}
        # Inhibition sources first, the rest only once Alertmanager holds them: posted together, a target
        # can reach its notification before the inhibitor has seen its source (a race a busy machine loses).
        api(am_port, "/api/v2/alerts", sources)
        check(wait_for("inhibition sources held by Alertmanager",
                       lambda: all(states().get(key(p["labels"]), ("",))[0] == "active" for p in sources)),
              f"Alertmanager holds the {len(sources)} inhibition sources before the targets are posted")
        api(am_port, "/api/v2/alerts", [p for p in posted if p not in sources])
        wait_for("all alerts known to Alertmanager", lambda: len(states()) == len(posted))
        st = states()
        for p in posted:
            k = key(p["labels"])
            state, by = st.get(k, ("missing", []))
            if k in inhibited:
                check(state == "suppressed" and len(by) == 1, f"API: {k} suppressed by inhibition ({state}, {by})")
            else:
                check(state == "active" and not by, f"API: {k} active ({state})")

        firing_sysadmin = {("ModelInstanceSaturatedCritical", ns, a), ("ModelInstanceSaturated", ns, b),
                           ("ModelInstanceSaturated", "other", a), ("LegitScalerSignalsAllStale", ns, "model"),
                           ("LegitScalerSignalStale", ns, "other")}
        firing_pager = {("ModelInstanceSaturatedCritical", ns, a), ("LegitScalerSignalsAllStale", ns, "model")}
        firing_security = {("LegitScalerAttackSuspected", ns, "model")}
        expected = {"/chat/ml-platform": firing_sysadmin, "/pager": firing_pager, "/chat/ml-security": firing_security}

        def webhook_alerts(path, status="firing"):
            with webhook.lock:
                return {key(x["labels"]) for p, _, body in webhook.received if p == path
                        for x in body["alerts"] if x["status"] == status}
        wait_for("webhook notifications", lambda: all(webhook_alerts(p) >= want for p, want in expected.items()))
        bh, near_edge = in_business_hours(original)
        # the team lead's mails come with the criticals when in business hours
        wait_for("e-mails", lambda: len(smtp.messages) >= 4 + (2 if bh else 0))
        time.sleep(5)  # two more group intervals: nothing else may arrive
        for path, want in expected.items():
            got = webhook_alerts(path)
            check(got == want, f"webhook {path} got exactly {sorted(want)}" + ("" if got == want else f" (got {sorted(got)})"))
        with webhook.lock:
            auths = {(p, h) for p, h, _ in webhook.received}
        check(auths == {("/chat/ml-platform", "Bearer chat-secret"), ("/chat/ml-security", "Bearer chat-secret"),
                        ("/pager", "Bearer pager-secret")}, f"webhook bearer tokens read from the secret files ({auths})")

        with smtp.lock:
            mails = [(auth, rcpts, m["Subject"]) for auth, rcpts, m in smtp.messages]
        check(all(auth == ["alertmanager@example.com", "smtp-secret"] for auth, _, _ in mails),
              f"SMTP AUTH with the password from smtp_auth_password_file ({sorted({repr(a) for a, _, _ in mails})})")
        to_sysadmin = sorted(s for _, r, s in mails if r == ["sysadmin@example.com"])
        to_lead = sorted(s for _, r, s in mails if r == ["teamlead@example.com"])
        want_sysadmin_prefixes = ["[FIRING:1] LegitScalerAttackSuspected models model",
                                  "[FIRING:1] LegitScalerSignalStale models sysadmin",
                                  "[FIRING:1] LegitScalerSignalsAllStale models oncall",
                                  "[FIRING:1] ModelInstanceSaturated models sysadmin",   # b only: a is inhibited
                                  "[FIRING:1] ModelInstanceSaturated other sysadmin",
                                  "[FIRING:1] ModelInstanceSaturatedCritical models oncall"]
        check(len(to_sysadmin) == len(want_sysadmin_prefixes) and
              all(s.startswith(w) for s, w in zip(to_sysadmin, want_sysadmin_prefixes)),
              f"sysadmin e-mails: {to_sysadmin}")
        check(len(mails) == len(to_sysadmin) + len(to_lead), "e-mails only to the sysadmin and the team lead")
        if near_edge:
            print(f"skip team-lead check: within 2 minutes of a business-hours edge ({len(to_lead)} mails)")
        elif bh:
            check(len(to_lead) == 2 and all(s.startswith(("[FIRING:1] LegitScalerSignalsAllStale",
                                                          "[FIRING:1] ModelInstanceSaturatedCritical")) for s in to_lead),
                  f"in business hours the team lead gets the criticals: {to_lead}")
        else:
            check(to_lead == [], f"outside business hours the team lead gets nothing: {to_lead}")

        # ---- phase 2: the critical resolves; the warning it silenced comes back
        past = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(seconds=1)
        api(am_port, "/api/v2/alerts", [alert("ModelInstanceSaturatedCritical", facts, ends=past, namespace=ns, instance=a)])
        back = wait_for("warning of instance a active again",
                        lambda: states().get(("ModelInstanceSaturated", ns, a), ("", ""))[0] == "active")
        check(back, "API: the silenced warning is active once the critical resolved")
        check(wait_for("warning of a notified", lambda: ("ModelInstanceSaturated", ns, a) in webhook_alerts("/chat/ml-platform")),
              "sysadmin chat notified of the warning once the critical resolved")
        check(wait_for("critical resolved on the pager",
                       lambda: ("ModelInstanceSaturatedCritical", ns, a) in webhook_alerts("/pager", "resolved")),
              "pager told that the critical resolved")
        check(firing_pager >= webhook_alerts("/pager"), "the pager never saw a warning")
    finally:
        if proc is not None and proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
        webhook.shutdown()
        smtp.shutdown()
        if failures:
            print(f"Alertmanager log kept in {tmp}/alertmanager.log")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    if failures:
        print(f"alertmanager-live-test: {len(failures)} FAILED")
        sys.exit(1)
    print("alertmanager-live-test: inhibition, fan-out and secrets as expected")


if __name__ == "__main__":
    main()
