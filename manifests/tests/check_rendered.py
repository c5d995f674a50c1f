#!/usr/bin/env python3
"""Checks on rendered chart output and on manifests/examples that JSON schemas cannot make.

  check_rendered.py chart RENDERED.yaml VALUES_SET.yaml --chart DIR --rules DIR --dashboards DIR --alertmanager FILE
  check_rendered.py examples EXAMPLES_DIR --rendered RENDERED.yaml [--rendered-tls RENDERED_TLS.yaml]

Prints one line per check and exits 1 when any check failed.
"""
import argparse
import copy
import glob
import json
import os
import sys

import yaml

RESULTS = []  # (name, ok, detail)


def check(name, ok, detail=""):
    RESULTS.append((name, bool(ok), detail))


def load_docs(path):
    with open(path) as f:
        return [d for d in yaml.safe_load_all(f) if d]


def deep_merge(base, over):
    out = copy.deepcopy(base)
    for k, v in (over or {}).items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = deep_merge(out[k], v)
        else:
            out[k] = copy.deepcopy(v)
    return out


def by_kind(docs, kind):
    return [d for d in docs if d.get("kind") == kind]


def one(docs, kind):
    found = by_kind(docs, kind)
    return found[0] if len(found) == 1 else None


def labels(d):
    return (d.get("metadata") or {}).get("labels") or {}


def selects(selector, target_labels):
    """matchLabels-style selector (non-empty) is a subset of the target labels."""
    return bool(selector) and all(target_labels.get(k) == v for k, v in selector.items())


def container_ports(container):
    return {p.get("name"): p["containerPort"] for p in container.get("ports", [])}


def port_exists(port, ports_by_name):
    if isinstance(port, int):
        return port in ports_by_name.values()
    return port in ports_by_name


def all_strings(mapping):
    return isinstance(mapping, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in mapping.items())


# ---------------------------------------------------------------------------------------------------
def check_chart(rendered, values, rules_dir, dashboards_dir, alertmanager_file, set_name):
    docs = load_docs(rendered)
    p = set_name + ": "
    check(p + "every document has apiVersion, kind, metadata.name",
          all(d.get("apiVersion") and d.get("kind") and (d.get("metadata") or {}).get("name") for d in docs))
    keys = [(d["kind"], d["metadata"].get("namespace"), d["metadata"]["name"]) for d in docs]
    check(p + "no two objects share kind/namespace/name", len(keys) == len(set(keys)),
          str([k for k in keys if keys.count(k) > 1]))

    # --- scaler Deployment -------------------------------------------------------------------------
    dep = one(docs, "Deployment")
    check(p + "exactly one Deployment", dep is not None)
    if dep is None:
        return
    spec = dep["spec"]
    pod = spec["template"]
    pod_labels = labels(pod)
    pod_spec = pod["spec"]
    c = pod_spec["containers"][0]
    cports = container_ports(c)
    check(p + "scaler replicas >= 2", spec.get("replicas", 1) >= 2, str(spec.get("replicas")))
    check(p + "Deployment selector matches its pod labels", selects(spec["selector"]["matchLabels"], pod_labels))
    check(p + "container ports grpc and metrics exist with the values' numbers",
          cports.get("grpc") == values["ports"]["grpc"] and cports.get("metrics") == values["ports"]["metrics"],
          str(cports))
    psc, csc = pod_spec.get("securityContext", {}), c.get("securityContext", {})
    check(p + "non-root (pod and container)", psc.get("runAsNonRoot") is True and csc.get("runAsNonRoot") is True
          and psc.get("runAsUser", 1) != 0)
    check(p + "read-only root filesystem", csc.get("readOnlyRootFilesystem") is True)
    check(p + "no privilege escalation, not privileged",
          csc.get("allowPrivilegeEscalation") is False and not csc.get("privileged"))
    check(p + "all capabilities dropped", "ALL" in (csc.get("capabilities") or {}).get("drop", []))
    check(p + "seccomp RuntimeDefault",
          (psc.get("seccompProfile") or {}).get("type") == "RuntimeDefault"
          or (csc.get("seccompProfile") or {}).get("type") == "RuntimeDefault")
    res = c.get("resources") or {}
    check(p + "resources: cpu and memory requests and limits",
          all(k in (res.get(s) or {}) for s in ("requests", "limits") for k in ("cpu", "memory")), str(res))
    vols = {v["name"]: v for v in pod_spec.get("volumes", [])}
    mounts = {m["mountPath"]: m for m in c.get("volumeMounts", [])}
    tmp = mounts.get("/tmp")
    check(p + "/tmp is an emptyDir", tmp is not None and "emptyDir" in vols.get(tmp["name"], {}))
    check(p + "every volumeMount names a volume", all(m["name"] in vols for m in mounts.values()))
    env = {e["name"]: e.get("value") for e in c.get("env", [])}
    check(p + "LEGITSCALER_GRPC_PORT/METRICS_PORT equal the container ports",
          env.get("LEGITSCALER_GRPC_PORT") == str(cports.get("grpc"))
          and env.get("LEGITSCALER_METRICS_PORT") == str(cports.get("metrics")), str(env))
    tls_on = values["tls"]["enabled"]
    for probe_name in ("livenessProbe", "readinessProbe", "startupProbe"):
        pr = c.get(probe_name)
        check(p + f"{probe_name} present", pr is not None)
        if not pr:
            continue
        if "grpc" in pr:
            check(p + f"{probe_name}: native gRPC probe on the gRPC container port, health service ''",
                  pr["grpc"]["port"] == cports.get("grpc") and pr["grpc"].get("service", "") == "")
            check(p + f"{probe_name}: gRPC probe only without TLS (the kubelet probes in plaintext)", not tls_on)
        elif "httpGet" in pr or "tcpSocket" in pr:
            handler = pr.get("httpGet") or pr.get("tcpSocket")
            check(p + f"{probe_name}: probe port exists on the container", port_exists(handler["port"], cports))
            check(p + f"{probe_name}: non-gRPC probe only with TLS on", tls_on)
            if probe_name == "readinessProbe":
                check(p + "TLS: readiness follows the gRPC listener", port_exists(handler["port"], {"grpc": cports.get("grpc")}))
        else:
            check(p + f"{probe_name}: grpc, httpGet or tcpSocket", False, str(pr))
    if not tls_on:
        check(p + "native gRPC liveness and readiness probes without TLS",
              "grpc" in c.get("livenessProbe", {}) and "grpc" in c.get("readinessProbe", {}))
    if tls_on:
        tls_mount = next((m for m in c.get("volumeMounts", []) if m["name"] == "tls"), None)
        check(p + "TLS: Secret volume mounted", tls_mount is not None
              and (vols.get("tls", {}).get("secret") or {}).get("secretName") == values["tls"]["secretName"])
        base = tls_mount["mountPath"] if tls_mount else "?"
        check(p + "TLS: cert/key env point into the mounted Secret",
              env.get("LEGITSCALER_TLS_CERT_FILE") == base + "/tls.crt"
              and env.get("LEGITSCALER_TLS_KEY_FILE") == base + "/tls.key")
        check(p + "mTLS: client CA env set exactly when clientAuth",
              (env.get("LEGITSCALER_TLS_CLIENT_CA_FILE") == base + "/ca.crt") == bool(values["tls"]["clientAuth"]))
    else:
        check(p + "TLS off: no TLS env", not any(k.startswith("LEGITSCALER_TLS_") for k in env))
    backends = values["config"].get("backendsSecret")
    b_mount = next((m for m in c.get("volumeMounts", []) if m["name"] == "backends"), None)
    check(p + "backends: file env set exactly when backendsSecret, pointing into the mounted Secret",
          (env.get("LEGITSCALER_BACKENDS_FILE") is not None) == bool(backends)
          and (not backends or (b_mount is not None
                                and env["LEGITSCALER_BACKENDS_FILE"] == b_mount["mountPath"] + "/backends.yaml"
                                and (vols.get("backends", {}).get("secret") or {}).get("secretName") == backends)))
    check(p + "undeclared backends refused unless the values opt in",
          env.get("LEGITSCALER_ALLOW_UNDECLARED_BACKENDS") == str(values["config"].get("allowUndeclaredBackends")).lower())

    # --- Service, PDB, NetworkPolicy, ServiceAccount -----------------------------------------------
    svc = one(docs, "Service")
    check(p + "exactly one Service", svc is not None)
    if svc:
        check(p + "Service selector matches the scaler pods", selects(svc["spec"]["selector"], pod_labels))
        sports = {sp["name"]: sp for sp in svc["spec"]["ports"]}
        check(p + "Service has grpc and metrics ports", set(sports) >= {"grpc", "metrics"})
        check(p + "Service targetPorts exist on the container",
              all(port_exists(sp["targetPort"], cports) for sp in sports.values()))
        check(p + "headless exactly when service.headless",
              (svc["spec"].get("clusterIP") == "None") == bool(values["service"]["headless"]))
    pdb = one(docs, "PodDisruptionBudget")
    check(p + "PDB present exactly when pdb.enabled", (pdb is not None) == values["pdb"]["enabled"])
    if pdb:
        check(p + "PDB selector matches the scaler pods", selects(pdb["spec"]["selector"]["matchLabels"], pod_labels))
        ma = pdb["spec"].get("minAvailable")
        check(p + "PDB minAvailable below replicas (a node drain can proceed)",
              not isinstance(ma, int) or ma < spec["replicas"], str(ma))
    np_ = one(docs, "NetworkPolicy")
    check(p + "NetworkPolicy present exactly when networkPolicy.enabled", (np_ is not None) == values["networkPolicy"]["enabled"])
    if np_:
        check(p + "NetworkPolicy selects the scaler pods", selects(np_["spec"]["podSelector"]["matchLabels"], pod_labels))
        rules = np_["spec"].get("ingress", [])
        check(p + "NetworkPolicy: every ingress rule names its peers (no allow-all rule)",
              all(r.get("from") and all(any(peer.get(k) for k in ("namespaceSelector", "podSelector", "ipBlock"))
                                         for peer in r["from"]) for r in rules))
        check(p + "NetworkPolicy: every rule's ports exist on the container",
              all(r.get("ports") and all(port_exists(pp["port"], cports) for pp in r["ports"]) for r in rules))
        grpc_rules = [r for r in rules if any(pp["port"] in ("grpc", cports["grpc"]) for pp in r["ports"])]
        met_rules = [r for r in rules if any(pp["port"] in ("metrics", cports["metrics"]) for pp in r["ports"])]
        check(p + "NetworkPolicy: gRPC only from the configured KEDA peers",
              len(grpc_rules) == 1 and grpc_rules[0]["from"] == values["networkPolicy"]["grpcFrom"])
        check(p + "NetworkPolicy: metrics only from the configured Prometheus peers",
              len(met_rules) == 1 and met_rules[0]["from"] == values["networkPolicy"]["metricsFrom"])
        check(p + "NetworkPolicy: gRPC and metrics rules are separate", not any(r in met_rules for r in grpc_rules))
    sa = one(docs, "ServiceAccount")
    check(p + "ServiceAccount present exactly when serviceAccount.create", (sa is not None) == values["serviceAccount"]["create"])
    if sa:
        check(p + "pods use the chart's ServiceAccount", pod_spec.get("serviceAccountName") == sa["metadata"]["name"])

    # --- monitoring ---------------------------------------------------------------------------------
    mon = values["monitoring"]
    release = mon["prometheusRelease"]
    sms = [d for d in by_kind(docs, "ServiceMonitor") if labels(d).get("app.kubernetes.io/component") == "scaler"]
    check(p + "scaler ServiceMonitor present exactly when enabled", len(sms) == (1 if mon["serviceMonitor"]["enabled"] else 0))
    for sm in sms:
        check(p + "ServiceMonitor pickup label release=" + release, labels(sm).get("release") == release)
        check(p + "ServiceMonitor selects the Service", svc is not None and selects(sm["spec"]["selector"]["matchLabels"], labels(svc)))
        check(p + "ServiceMonitor looks in the Service's namespace",
              svc is not None and svc["metadata"]["namespace"] in sm["spec"]["namespaceSelector"]["matchNames"])
        check(p + "ServiceMonitor endpoint ports exist on the Service",
              svc is not None and all(ep["port"] in {sp["name"] for sp in svc["spec"]["ports"]} for ep in sm["spec"]["endpoints"]))
    model_mons = [d for d in docs if labels(d).get("app.kubernetes.io/component") == "model-monitor"]
    check(p + "model monitor present exactly when enabled", len(model_mons) == (1 if mon["model"]["enabled"] else 0))
    for mm in model_mons:
        check(p + "model monitor kind as configured", mm["kind"] == mon["model"]["kind"])
        check(p + "model monitor pickup label", labels(mm).get("release") == release)
        check(p + "model monitor selector equals monitoring.model.selector", mm["spec"]["selector"]["matchLabels"] == mon["model"]["selector"])
        eps = mm["spec"].get("podMetricsEndpoints") or mm["spec"].get("endpoints") or []
        check(p + "model monitor scrapes the configured port", eps and all(ep["port"] == mon["model"]["port"] for ep in eps))

    prs = by_kind(docs, "PrometheusRule")
    rule_files = sorted(glob.glob(os.path.join(rules_dir, "*.yml")) + glob.glob(os.path.join(rules_dir, "*.yaml")))
    if mon["prometheusRule"]["enabled"]:
        check(p + f"one PrometheusRule per rule file ({len(rule_files)})", len(prs) == len(rule_files),
              f"{len(prs)} rendered")
        by_src = {(pr["metadata"].get("annotations") or {}).get("legit-scaler.dev/source"): pr for pr in prs}
        for f in rule_files:
            src = "alerting/rules/" + os.path.basename(f)
            pr = by_src.get(src)
            with open(f) as fh:
                parsed = yaml.safe_load(fh)
            check(p + f"PrometheusRule groups equal {src}", pr is not None and pr["spec"]["groups"] == parsed["groups"])
        for pr in prs:
            check(p + f"PrometheusRule {pr['metadata']['name']} pickup label release={release}", labels(pr).get("release") == release)
    else:
        check(p + "no PrometheusRule when disabled", not prs)

    cms = [d for d in by_kind(docs, "ConfigMap") if labels(d).get("app.kubernetes.io/component") == "dashboard"]
    dash_files = sorted(glob.glob(os.path.join(dashboards_dir, "*.json")))
    if mon["dashboards"]["enabled"]:
        check(p + f"one dashboard ConfigMap per dashboards/*.json ({len(dash_files)})", len(cms) == len(dash_files))
        data = {}
        for cm in cms:
            check(p + f"ConfigMap {cm['metadata']['name']} has {mon['dashboards']['label']}={mon['dashboards']['labelValue']!r}",
                  labels(cm).get(mon["dashboards"]["label"]) == mon["dashboards"]["labelValue"])
            data.update(cm.get("data") or {})
        for f in dash_files:
            with open(f) as fh:
                raw = fh.read()
            got = data.get(os.path.basename(f))
            check(p + f"dashboard {os.path.basename(f)} shipped byte for byte",
                  got is not None and got == raw.rstrip("\n") and json.loads(got) == json.loads(raw))
        if set_name == "default":
            check(p + 'defaults follow the Grafana sidecar convention grafana_dashboard: "1"',
                  cms and all(labels(cm).get("grafana_dashboard") == "1" for cm in cms))
    else:
        check(p + "no dashboard ConfigMap when disabled", not cms)

    ams = [d for d in by_kind(docs, "Secret") if labels(d).get("app.kubernetes.io/component") == "alertmanager-config"]
    if mon["alertmanagerConfig"]["enabled"]:
        check(p + "one Alertmanager config Secret", len(ams) == 1)
        if ams:
            with open(alertmanager_file) as fh:
                raw = fh.read()
            got = (ams[0].get("stringData") or {}).get("alertmanager.yaml")
            check(p + "Alertmanager Secret equals alerting/alertmanager.yml",
                  got is not None and got == raw.rstrip("\n") and yaml.safe_load(got) == yaml.safe_load(raw))
    else:
        check(p + "no Alertmanager Secret when disabled", not ams)

    # --- ScaledObject ------------------------------------------------------------------------------
    so_v = values["scaledObject"]
    sos = by_kind(docs, "ScaledObject")
    tas = by_kind(docs, "TriggerAuthentication")
    check(p + "ScaledObject present exactly when scaledObject.enabled", len(sos) == (1 if so_v["enabled"] else 0))
    check(p + "TriggerAuthentication exactly when ScaledObject and TLS",
          len(tas) == (1 if so_v["enabled"] and tls_on else 0))
    for so in sos:
        check_scaled_object(p, so, svc, tas, so_v.get("scalerAddress", ""))
        s = so["spec"]
        check(p + "ScaledObject min/max/fallback as in values",
              s["minReplicaCount"] == so_v["minReplicaCount"] and s["maxReplicaCount"] == so_v["maxReplicaCount"]
              and s["fallback"]["replicas"] == so_v["fallback"]["replicas"])
        check(p + "ScaledObject targets scaledObject.scaleTargetRef", s["scaleTargetRef"]["name"] == so_v["scaleTargetRef"]["name"])
        md = s["triggers"][0]["metadata"]
        check(p + "trigger metadata carries every scaledObject.metadata key unchanged",
              all(md.get(k) == str(v) for k, v in so_v["metadata"].items()))
        if tls_on:
            ref = (s["triggers"][0].get("authenticationRef") or {}).get("name")
            ta = next((t for t in tas if t["metadata"]["name"] == ref
                       and t["metadata"].get("namespace") == so["metadata"].get("namespace")), None)
            check(p + "TLS: authenticationRef names the rendered TriggerAuthentication in the same namespace", ta is not None)
            if ta:
                params = {r["parameter"]: r for r in ta["spec"]["secretTargetRef"]}
                want = {"caCert"} | ({"tlsClientCert", "tlsClientKey"} if values["tls"]["clientAuth"] else set())
                check(p + "TLS: TriggerAuthentication gives KEDA " + ", ".join(sorted(want)), set(params) == want)
                check(p + "TLS: TriggerAuthentication reads scaledObject.tlsClientSecret",
                      all(r["name"] == so_v["tlsClientSecret"] for r in params.values()))
        else:
            check(p + "TLS off: no authenticationRef", "authenticationRef" not in s["triggers"][0])

    # --- labels and annotations everywhere -----------------------------------------------------------
    for k, v in (values.get("commonLabels") or {}).items():
        check(p + f"commonLabels {k}={v} on every object", all(labels(d).get(k) == v for d in docs),
              str([d["metadata"]["name"] for d in docs if labels(d).get(k) != v]))
        check(p + f"commonLabels {k}={v} on the scaler pods", pod_labels.get(k) == v)
    for k, v in (values.get("commonAnnotations") or {}).items():
        check(p + f"commonAnnotations {k} on every object",
              all(((d["metadata"].get("annotations") or {}).get(k)) == v for d in docs))
    for k, v in (mon.get("labels") or {}).items():
        mon_docs = [d for d in docs if d["kind"] in ("ServiceMonitor", "PodMonitor", "PrometheusRule")]
        check(p + f"monitoring.labels {k} on every monitoring object", all(labels(d).get(k) == v for d in mon_docs))


def check_scaled_object(p, so, svc, tas, scaler_address=""):
    s = so["spec"]
    check(p + "ScaledObject minReplicaCount <= maxReplicaCount", s["minReplicaCount"] <= s["maxReplicaCount"],
          f"{s['minReplicaCount']} > {s['maxReplicaCount']}")
    fb = s.get("fallback") or {}
    check(p + "ScaledObject fallback set, replicas within [min, max]",
          fb.get("failureThreshold", 0) >= 1 and s["minReplicaCount"] <= fb.get("replicas", -1) <= s["maxReplicaCount"])
    beh = (((s.get("advanced") or {}).get("horizontalPodAutoscalerConfig") or {}).get("behavior") or {})
    check(p + "HPA behavior for scale-up and scale-down", "scaleUp" in beh and "scaleDown" in beh)
    su = beh.get("scaleUp") or {}
    check(p + "HPA scale-up is rate-limited (slow-starting pods)",
          su.get("policies") and all(pol["type"] == "Pods" and pol["value"] <= 2 and pol["periodSeconds"] >= 30
                                     for pol in su["policies"]))
    check(p + "HPA scale-down waits >= 300 s", (beh.get("scaleDown") or {}).get("stabilizationWindowSeconds", 0) >= 300)
    trig = s.get("triggers") or []
    check(p + "exactly one external trigger", len(trig) == 1 and trig[0].get("type") == "external")
    if not trig:
        return
    t = trig[0]
    md = t.get("metadata") or {}
    check(p + "trigger metadata values are all strings", all_strings(md),
          str({k: type(v).__name__ for k, v in md.items() if not isinstance(v, str)}))
    check(p + "metadata minReplicas/maxReplicas equal the ScaledObject's counts",
          md.get("minReplicas") == str(s["minReplicaCount"]) and md.get("maxReplicas") == str(s["maxReplicaCount"]))
    for key in ("scalerAddress", "loadQuery", "targetLoad", "bootstrapServers", "consumerGroup", "topic",
                "lagThreshold", "legitimacySource", "legitimacyMode", "metricEncoding"):
        check(p + f"metadata has {key}", bool(md.get(key)))
    if md.get("metricEncoding", "replicas") == "replicas":
        check(p + "replica encoding uses metricType AverageValue", t.get("metricType", "AverageValue") == "AverageValue")
    check(p + "loadQuery groups per instance (by pod/instance)",
          "by (pod)" in md.get("loadQuery", "") or "by (instance)" in md.get("loadQuery", ""))
    host, _, port = md.get("scalerAddress", "").rpartition(":")
    if scaler_address:
        check(p + "scalerAddress is scaledObject.scalerAddress", md.get("scalerAddress") == scaler_address,
              f"{md.get('scalerAddress')} vs {scaler_address}")
    elif svc is not None:
        want_host = f"{svc['metadata']['name']}.{svc['metadata']['namespace']}.svc.cluster.local"
        grpc_port = next(sp["port"] for sp in svc["spec"]["ports"] if sp["name"] == "grpc")
        check(p + "scalerAddress points at the chart's Service gRPC port",
              host == want_host and port == str(grpc_port), f"{md.get('scalerAddress')} vs {want_host}:{grpc_port}")
    else:
        check(p + "scalerAddress is host:port", bool(host) and port.isdigit())


# ---------------------------------------------------------------------------------------------------
def check_examples(examples_dir, rendered, rendered_tls=None):
    docs = []
    for f in sorted(glob.glob(os.path.join(examples_dir, "*.yaml"))):
        docs += load_docs(f)
    p = "examples: "
    so = one(docs, "ScaledObject")
    dep = one(docs, "Deployment")
    topic = one(docs, "KafkaTopic")
    check(p + "one ScaledObject, one model Deployment, one KafkaTopic", so and dep and topic)
    if not (so and dep and topic):
        return
    check_scaled_object(p, so, None, [])
    s = so["spec"]
    check(p + "ScaledObject keeps the model between 4 and 6", s["minReplicaCount"] == 4 and s["maxReplicaCount"] == 6)
    check(p + "ScaledObject targets the example Deployment in its namespace",
          s["scaleTargetRef"]["name"] == dep["metadata"]["name"]
          and so["metadata"].get("namespace") == dep["metadata"].get("namespace"))
    # The example is what the chart renders for release "legit-scaler" in namespace "legit-scaler" with the
    # model in "ml" (rendered by the test runner): the two must not drift apart.
    rso = one(load_docs(rendered), "ScaledObject")
    check(p + "example ScaledObject spec equals the chart's rendering", rso is not None and rso["spec"] == s,
          "differs" if rso else "not rendered")
    if rendered_tls:
        ta = one(load_docs(os.path.join(examples_dir, "tls", "triggerauthentication.yaml")), "TriggerAuthentication")
        rta = one(load_docs(rendered_tls), "TriggerAuthentication")
        rso_tls = one(load_docs(rendered_tls), "ScaledObject")
        check(p + "tls/triggerauthentication.yaml equals the chart's rendering (name, namespace, spec)",
              ta is not None and rta is not None and ta["spec"] == rta["spec"]
              and ta["metadata"]["name"] == rta["metadata"]["name"]
              and ta["metadata"].get("namespace") == rta["metadata"].get("namespace"))
        check(p + "with TLS the chart's ScaledObject differs from the example only by authenticationRef",
              rso_tls is not None and ta is not None
              and rso_tls["spec"]["triggers"][0].pop("authenticationRef", None) == {"name": ta["metadata"]["name"]}
              and rso_tls["spec"] == s)
    pod = dep["spec"]["template"]
    check(p + "model Deployment selector matches its pod labels", selects(dep["spec"]["selector"]["matchLabels"], labels(pod)))
    for c in pod["spec"]["containers"]:
        res = c.get("resources") or {}
        check(p + f"model container {c['name']} has cpu/memory requests and limits",
              all(k in (res.get(x) or {}) for x in ("requests", "limits") for k in ("cpu", "memory")))
    cports = {pp.get("name"): pp["containerPort"] for c in pod["spec"]["containers"] for pp in c.get("ports", [])}
    check(p + "model exposes a port named metrics (what the PodMonitor scrapes)", "metrics" in cports)
    for c in pod["spec"]["containers"]:
        for probe_name in ("readinessProbe", "livenessProbe", "startupProbe"):
            pr = c.get(probe_name)
            if pr:
                port = (pr.get("httpGet") or pr.get("tcpSocket") or pr.get("grpc") or {}).get("port")
                check(p + f"model {probe_name} port exists", port is None or port_exists(port, cports))
    check(p + "model pods carry the default PodMonitor selector label app.kubernetes.io/name=ml-model",
          labels(pod).get("app.kubernetes.io/name") == "ml-model")
    md = s["triggers"][0]["metadata"]
    tname = topic["spec"].get("topicName") or topic["metadata"]["name"]
    check(p + "KafkaTopic is the ScaledObject's topic", tname == md.get("topic"), f"{tname} vs {md.get('topic')}")
    check(p + "KafkaTopic has >= 6 partitions (one consumer per replica at max)",
          topic["spec"].get("partitions", 0) >= max(6, s["maxReplicaCount"]))
    check(p + "KafkaTopic names its Strimzi cluster", bool(labels(topic).get("strimzi.io/cluster")))


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    a = sub.add_parser("chart")
    a.add_argument("rendered")
    a.add_argument("values_set")
    a.add_argument("--chart", required=True)
    a.add_argument("--rules", required=True)
    a.add_argument("--dashboards", required=True)
    a.add_argument("--alertmanager", required=True)
    a.add_argument("--name", required=True)
    e = sub.add_parser("examples")
    e.add_argument("examples_dir")
    e.add_argument("--rendered", required=True)
    e.add_argument("--rendered-tls")
    args = ap.parse_args()
    if args.cmd == "chart":
        with open(os.path.join(args.chart, "values.yaml")) as f:
            values = yaml.safe_load(f)
        over = {}
        if args.values_set != "-":
            with open(args.values_set) as f:
                over = yaml.safe_load(f) or {}
        values = deep_merge(values, over)
        check_chart(args.rendered, values, args.rules, args.dashboards, args.alertmanager, args.name)
    else:
        check_examples(args.examples_dir, args.rendered, args.rendered_tls)
    failed = [r for r in RESULTS if not r[1]]
    for name, ok, detail in RESULTS:
        if not ok:
            print(f"  FAIL {name}" + (f" ({detail})" if detail else ""))
    print(f"  {len(RESULTS) - len(failed)} checks passed, {len(failed)} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
