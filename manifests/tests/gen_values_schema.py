#!/usr/bin/env python3
"""Writes manifests/helm/legit-scaler/values.schema.json.

The schema is generated because JSON Schema cannot compare two fields: "minReplicaCount <=
maxReplicaCount" is spelt out as one if/then per possible value (MAX_REPLICAS of them). The test
suite checks that the committed file equals this script's output, so edit this file, then run
`python3 manifests/tests/gen_values_schema.py`.
"""
import json
import pathlib
import sys

MAX_REPLICAS = 100
OUT = pathlib.Path(__file__).resolve().parents[1] / "helm" / "legit-scaler" / "values.schema.json"


def obj(props, required=(), **extra):
    o = {"type": "object", "additionalProperties": False, "properties": props}
    if required:
        o["required"] = list(required)
    o.update(extra)
    return o


STR = {"type": "string"}
BOOL = {"type": "boolean"}
STRMAP = {"type": "object", "additionalProperties": {"type": "string"}}
ANYOBJ = {"type": "object"}
LIST_OF_OBJ = {"type": "array", "items": {"type": "object"}}
PORT = {"type": "integer", "minimum": 1, "maximum": 65535}
DURATION = {"type": "string", "pattern": r"^([0-9]+(ms|s|m|h))+$"}
QUANTITY = {"anyOf": [{"type": "string", "pattern": r"^[0-9.]+([eE][0-9]+|[mkMGTPE]i?|[KMGTPE]i)?$"},
                      {"type": "number", "minimum": 0}]}
INTORPCT = {"anyOf": [{"type": "integer", "minimum": 0}, {"type": "string", "pattern": r"^[0-9]+%$"}]}
NONNEG = {"type": "integer", "minimum": 0}
POS = {"type": "integer", "minimum": 1}


def probe():
    return obj({k: (NONNEG if k == "initialDelaySeconds" else POS)
                for k in ("initialDelaySeconds", "periodSeconds", "timeoutSeconds", "failureThreshold")})


PEERS = {"type": "array", "minItems": 1, "items": obj({
    "namespaceSelector": ANYOBJ, "podSelector": ANYOBJ, "ipBlock": ANYOBJ})}

SCALING_RULES = obj({
    "stabilizationWindowSeconds": {"type": "integer", "minimum": 0, "maximum": 3600},
    "selectPolicy": {"enum": ["Max", "Min", "Disabled"]},
    "policies": {"type": "array", "items": obj({
        "type": {"enum": ["Pods", "Percent"]},
        "value": POS,
        "periodSeconds": {"type": "integer", "minimum": 1, "maximum": 1800},
    }, required=("type", "value", "periodSeconds"))},
    # Kubernetes >= 1.33 (on by default from 1.35): this direction's tolerance, a non-negative quantity.
    # KEDA's CRD types it int-or-string (a number like 0.1 is refused by the API server): "0.1" or "100m".
    "tolerance": {"anyOf": [QUANTITY["anyOf"][0], {"type": "integer", "minimum": 0}]},
})

REPLICAS = {"type": "integer", "minimum": 1, "maximum": MAX_REPLICAS}

# min <= max, one implication per value: "min >= k" requires "max >= k".
MIN_LE_MAX = [
    {"if": {"properties": {"minReplicaCount": {"minimum": k}}, "required": ["minReplicaCount"]},
     "then": {"properties": {"maxReplicaCount": {"minimum": k}}}}
    for k in range(2, MAX_REPLICAS + 1)
]

METADATA = {
    "type": "object",
    "description": "Trigger metadata; KEDA passes only strings. scalerAddress, minReplicas and "
                   "maxReplicas are computed by the chart and may not be set here.",
    "properties": {"scalerAddress": False, "minReplicas": False, "maxReplicas": False,
                   "metricEncoding": {"enum": ["replicas", "load"]},
                   "legitimacySource": {"enum": ["kafka", "prometheus", "none"]},
                   "legitimacyMode": {"enum": ["enforce", "shadow"]}},
    "additionalProperties": {"type": "string"},
}

SCHEMA = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "title": "legit-scaler chart values",
    **obj({
        "nameOverride": STR,
        "fullnameOverride": STR,
        "commonLabels": STRMAP,
        "commonAnnotations": STRMAP,
        "replicaCount": {"type": "integer", "minimum": 2,
                         "description": "at least 2, so KEDA keeps a scaler to call during a restart"},
        "image": obj({"repository": {"type": "string", "minLength": 1}, "tag": STR,
                      "pullPolicy": {"enum": ["Always", "IfNotPresent", "Never"]}},
                     required=("repository",)),
        "imagePullSecrets": LIST_OF_OBJ,
        "serviceAccount": obj({"create": BOOL, "name": STR, "annotations": STRMAP, "automountToken": BOOL}),
        "podLabels": STRMAP,
        "podAnnotations": STRMAP,
        "priorityClassName": STR,
        "podSecurityContext": ANYOBJ,
        "securityContext": ANYOBJ,
        "resources": obj({"requests": obj({"cpu": QUANTITY, "memory": QUANTITY}),
                          "limits": obj({"cpu": QUANTITY, "memory": QUANTITY})},
                         required=("requests", "limits")),
        "tmpSizeLimit": QUANTITY,
        "javaOpts": STR,
        "nodeSelector": STRMAP,
        "tolerations": LIST_OF_OBJ,
        "affinity": ANYOBJ,
        "topologySpreadConstraints": LIST_OF_OBJ,
        "ports": obj({"grpc": PORT, "metrics": PORT}, required=("grpc", "metrics")),
        "config": obj({
            "prometheusUrl": STR,
            "prometheusBearerTokenSecret": STR,
            "kafkaBootstrapServers": STR,
            "kafkaClientPropertiesSecret": STR,
            "backendsSecret": STR,
            "allowUndeclaredBackends": BOOL,
            "logFormat": {"enum": ["text", "json"]},
            "logLevel": {"enum": ["TRACE", "DEBUG", "INFO", "WARN", "ERROR"]},
            "extraEnv": LIST_OF_OBJ,
        }),
        "probes": obj({"liveness": probe(), "readiness": probe(), "startup": probe(),
                       "tlsHttpPath": {"type": "string", "pattern": "^/"}}),
        "service": obj({"headless": BOOL, "annotations": STRMAP, "labels": STRMAP}),
        "pdb": obj({"enabled": BOOL, "minAvailable": INTORPCT}),
        "networkPolicy": obj({"enabled": BOOL, "grpcFrom": PEERS, "metricsFrom": PEERS}),
        "tls": obj({"enabled": BOOL, "secretName": STR, "clientAuth": BOOL},
                   **{"if": {"properties": {"enabled": {"const": True}}},
                      "then": {"properties": {"secretName": {"minLength": 1}}}}),
        "monitoring": obj({
            "prometheusRelease": {"type": "string", "minLength": 1},
            "labels": STRMAP,
            "annotations": STRMAP,
            "serviceMonitor": obj({"enabled": BOOL, "interval": DURATION, "scrapeTimeout": DURATION,
                                   "labels": STRMAP, "annotations": STRMAP}),
            "model": obj({"enabled": BOOL, "kind": {"enum": ["PodMonitor", "ServiceMonitor"]},
                          "namespace": STR, "selector": {**STRMAP, "minProperties": 1},
                          "port": {"type": "string", "minLength": 1}, "path": {"type": "string", "pattern": "^/"},
                          "interval": DURATION, "labels": STRMAP, "annotations": STRMAP}),
            "prometheusRule": obj({"enabled": BOOL, "labels": STRMAP, "annotations": STRMAP}),
            "dashboards": obj({"enabled": BOOL, "namespace": STR, "label": {"type": "string", "minLength": 1},
                               "labelValue": STR, "folder": STR, "labels": STRMAP, "annotations": STRMAP}),
            "alertmanagerConfig": obj({"enabled": BOOL, "secretName": STR, "namespace": STR,
                                       "labels": STRMAP, "annotations": STRMAP}),
        }),
        "scaledObject": obj({
            "enabled": BOOL,
            "name": STR,
            "namespace": STR,
            "labels": STRMAP,
            "annotations": STRMAP,
            "scaleTargetRef": obj({"apiVersion": STR, "kind": STR, "name": {"type": "string", "minLength": 1}},
                                  required=("name",)),
            "minReplicaCount": REPLICAS,
            "maxReplicaCount": REPLICAS,
            "pollingInterval": POS,
            "cooldownPeriod": NONNEG,
            "fallback": obj({"failureThreshold": POS, "replicas": REPLICAS,
                             "behavior": {"enum": ["", "static", "currentReplicas", "currentReplicasIfHigher",
                                                   "currentReplicasIfLower"]}},
                            required=("failureThreshold", "replicas")),
            "behavior": obj({"scaleUp": SCALING_RULES, "scaleDown": SCALING_RULES}),
            "metadata": METADATA,
            "tlsClientSecret": STR,
            "scalerAddress": {"type": "string", "pattern": "^$|^[^\\s:/]+:[0-9]{1,5}$|^\\[[0-9a-fA-F:.]+\\]:[0-9]{1,5}$"},
        }, required=("minReplicaCount", "maxReplicaCount"), allOf=MIN_LE_MAX),
    }),
}


def render():
    return json.dumps(SCHEMA, indent=2) + "\n"


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--check":
        if OUT.read_text() != render():
            sys.exit(f"{OUT.name} differs from gen_values_schema.py's output: run the script")
        print(f"{OUT.name} matches its generator")
    else:
        OUT.write_text(render())
        print(f"wrote {OUT}")
