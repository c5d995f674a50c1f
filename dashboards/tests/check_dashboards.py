#!/usr/bin/env python3
"""Checks Grafana dashboard JSON files: structure, and (with --prometheus) every panel query.

Usage:
  check_dashboards.py [--metrics-doc docs/metrics.md] DASHBOARD.json...
  check_dashboards.py --prometheus URL [--core FILE] [--var name=value]... DASHBOARD.json...

Structure (Grafana dashboard schema facts): title, uid (1-40 of [A-Za-z0-9_-]), schemaVersion >= 39,
id null (importable), time range; a `datasource` variable of type datasource for prometheus and a
`namespace` variable; query variables use the ${datasource} ref; panel ids unique positive integers;
gridPos with integer x, y, w, h inside the 24-column grid and no two panels overlapping; every panel
and every target has the datasource ref {"type": "prometheus", "uid": "${datasource}"}; every target
has a refId unique in its panel and a non-empty expr; every $variable used is defined (or a Grafana
global such as $__rate_interval); every metric name used is documented in docs/metrics.md.

Queries (--prometheus): each expression, with the variables substituted (--var, plus Grafana's
$__rate_interval/$__interval/$__range), is sent to /api/v1/query; any error (bad_data, execution)
fails; for the core panels (--core: lines "<dashboard file name>: <panel title>"), every target must
return a non-empty result.
"""
import argparse
import json
import os
import re
import sys
import urllib.parse
import urllib.request

DS_REF = {"type": "prometheus", "uid": "${datasource}"}
GRAFANA_GLOBALS = {"__rate_interval": "1m", "__interval": "15s", "__interval_ms": "15000", "__range": "1h",
                   "__range_s": "3600", "__range_ms": "3600000"}
PANEL_TYPES = {"timeseries", "stat", "table", "gauge", "bargauge", "text", "row", "state-timeline",
               "heatmap", "piechart", "alertlist"}
METRIC_PREFIXES = ("legitscaler_", "ml_model_", "kube_", "container_", "keda_", "jvm_", "process_")
VAR_RE = re.compile(r"\$\{(\w+)(?::\w+)?\}|\$(\w+)|\[\[(\w+)\]\]")

errors = []


def err(where, msg):
    errors.append(f"{where}: {msg}")


def flat_panels(panels):
    for p in panels:
        yield p
        for sub in p.get("panels", []) or []:
            yield sub


def documented_names(doc):
    text = open(doc, encoding="utf-8").read()
    return set(re.findall(r"`([a-z_:][a-z0-9_:]*)`", text))


def metric_names(expr):
    names = set()
    for name in re.findall(r"\b([a-z_:][a-z0-9_:]*)\b", expr):
        if name.startswith(METRIC_PREFIXES):
            names.add(re.sub(r"_(bucket|sum|count)$", "", name) if not name.endswith("_total") else name)
    return names


def check_structure(path, d, documented):
    f = os.path.basename(path)
    for key in ("title", "uid", "schemaVersion", "panels", "templating", "time"):
        if key not in d:
            err(f, f"missing top-level '{key}'")
    if not re.fullmatch(r"[A-Za-z0-9_-]{1,40}", str(d.get("uid", ""))):
        err(f, f"uid {d.get('uid')!r} is not 1-40 of [A-Za-z0-9_-]")
    if not isinstance(d.get("schemaVersion"), int) or d["schemaVersion"] < 39:
        err(f, f"schemaVersion {d.get('schemaVersion')!r} < 39")
    if d.get("id") is not None:
        err(f, "id must be null so the dashboard imports anywhere")
    variables = {v.get("name"): v for v in d.get("templating", {}).get("list", [])}
    if len(variables) != len(d.get("templating", {}).get("list", [])):
        err(f, "duplicate variable names")
    ds = variables.get("datasource")
    if not ds or ds.get("type") != "datasource" or ds.get("query") != "prometheus":
        err(f, "needs a 'datasource' variable of type datasource with query 'prometheus'")
    if "namespace" not in variables:
        err(f, "needs a 'namespace' variable")
    for name, v in variables.items():
        if v.get("type") == "query" and v.get("datasource") != DS_REF:
            err(f, f"variable {name}: datasource must be {DS_REF}")
    defined = set(variables) | set(GRAFANA_GLOBALS)

    ids, boxes = set(), []
    for p in flat_panels(d.get("panels", [])):
        where = f"{f} panel {p.get('id')} {p.get('title')!r}"
        pid = p.get("id")
        if not isinstance(pid, int) or isinstance(pid, bool) or pid < 1:
            err(where, "id must be a positive integer")
        elif pid in ids:
            err(where, "duplicate panel id")
        ids.add(pid)
        if p.get("type") not in PANEL_TYPES:
            err(where, f"unknown panel type {p.get('type')!r}")
        if not p.get("title"):
            err(where, "no title")
        g = p.get("gridPos", {})
        if not all(isinstance(g.get(k), int) and not isinstance(g.get(k), bool) for k in ("x", "y", "w", "h")):
            err(where, f"gridPos needs integer x, y, w, h: {g}")
            continue
        if not (1 <= g["w"] <= 24 and 0 <= g["x"] and g["x"] + g["w"] <= 24 and g["h"] >= 1 and g["y"] >= 0):
            err(where, f"gridPos outside the 24-column grid: {g}")
        for other, og in boxes:
            if g["x"] < og["x"] + og["w"] and og["x"] < g["x"] + g["w"] and g["y"] < og["y"] + og["h"] and og["y"] < g["y"] + g["h"]:
                err(where, f"overlaps panel {other}")
        boxes.append((pid, g))
        if p.get("type") in ("row", "text"):
            continue
        if p.get("datasource") != DS_REF:
            err(where, f"panel datasource must be {DS_REF}")
        targets = p.get("targets") or []
        if not targets:
            err(where, "no targets")
        refs = set()
        for t in targets:
            tw = f"{where} target {t.get('refId')}"
            if not t.get("refId"):
                err(tw, "no refId")
            elif t["refId"] in refs:
                err(tw, "duplicate refId")
            refs.add(t.get("refId"))
            if t.get("datasource") != DS_REF:
                err(tw, f"target datasource must be {DS_REF}")
            expr = t.get("expr")
            if not isinstance(expr, str) or not expr.strip():
                err(tw, "empty expr")
                continue
            for m in VAR_RE.finditer(expr):
                name = m.group(1) or m.group(2) or m.group(3)
                if not name.isdigit() and name not in defined:
                    err(tw, f"undefined variable ${name}")
            if documented is not None:
                for name in metric_names(expr):
                    if name not in documented:
                        err(tw, f"metric {name} is not in docs/metrics.md")
    return variables


def substitute(expr, values):
    def repl(m):
        name = m.group(1) or m.group(2) or m.group(3)
        if name.isdigit():
            return m.group(0)
        return values.get(name, m.group(0))
    return VAR_RE.sub(repl, expr)


def query(url, expr):
    data = urllib.parse.urlencode({"query": expr}).encode()
    req = urllib.request.Request(url.rstrip("/") + "/api/v1/query", data=data)
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return json.loads(r.read())
    except urllib.error.HTTPError as e:  # 400 bad_data, 422 execution
        return json.loads(e.read())


def check_queries(path, d, url, values, core):
    f = os.path.basename(path)
    titles = {p.get("title") for p in flat_panels(d.get("panels", []))}
    for title in core:
        if title not in titles:
            err(f, f"core panel {title!r} does not exist")
    n = 0
    for p in flat_panels(d.get("panels", [])):
        for t in p.get("targets") or []:
            expr = substitute(t.get("expr", ""), values)
            res = query(url, expr)
            n += 1
            where = f"{f} panel {p.get('id')} {p.get('title')!r} target {t.get('refId')}"
            if res.get("status") != "success":
                err(where, f"{res.get('errorType')}: {res.get('error')} in {expr}")
            elif p.get("title") in core and not res["data"]["result"]:
                err(where, f"core panel query returned nothing: {expr}")
    return n


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("dashboards", nargs="+")
    ap.add_argument("--metrics-doc", help="docs/metrics.md: every metric name used must be documented there")
    ap.add_argument("--prometheus", help="Prometheus base URL; when given, every query is run")
    ap.add_argument("--core", help='file of "<dashboard file>: <panel title>" lines that must return data')
    ap.add_argument("--var", action="append", default=[], help="name=value for a dashboard variable")
    args = ap.parse_args()
    documented = documented_names(args.metrics_doc) if args.metrics_doc else None
    values = dict(GRAFANA_GLOBALS)
    values.update(v.split("=", 1) for v in args.var)
    core = {}
    if args.core:
        for line in open(args.core, encoding="utf-8"):
            line = line.strip()
            if line and not line.startswith("#"):
                fname, title = line.split(":", 1)
                core.setdefault(fname.strip(), set()).add(title.strip())
    total = 0
    for path in args.dashboards:
        try:
            d = json.load(open(path, encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as e:
            err(path, f"not readable JSON: {e}")
            continue
        check_structure(path, d, documented)
        if args.prometheus:
            total += check_queries(path, d, args.prometheus, values, core.get(os.path.basename(path), set()))
    unknown = set(core) - {os.path.basename(p) for p in args.dashboards}
    for fname in unknown:
        err(args.core, f"names a dashboard that was not checked: {fname}")
    for e in errors:
        print("FAIL " + e)
    if errors:
        print(f"check_dashboards: {len(errors)} problem(s)")
        sys.exit(1)
    print(f"check_dashboards: {len(args.dashboards)} dashboard(s) fine"
          + (f", {total} queries ran against {args.prometheus}" if args.prometheus else ""))


if __name__ == "__main__":
    main()
