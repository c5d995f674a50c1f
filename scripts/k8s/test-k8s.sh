#!/usr/bin/env bash
# make test-k8s: legit-scaler against the real KEDA (operator + metrics adapter) and a real control plane
# (etcd, kube-apiserver, kube-controller-manager with its HPA controller), a real Prometheus and the
# chart installed with Helm, all on 127.0.0.1 with free ports. No kubelet, no scheduler: pods stay
# Pending, but a Deployment's status.replicas follows spec.replicas, which is all the HPA reads.
#
# Nothing outside 127.0.0.0/8 is ever dialled: every trigger address is an IP literal (the chart's
# scaledObject.scalerAddress), and the aggregator reaches the adapter through an ExternalName Service
# pointing at localhost (the aggregator resolves it to https://localhost:<APIService port>).
#
# Each check prints PASS or FAIL; the last line is "N passed, N failed"; exit 1 when any failed.
# Everything started here is stopped on exit, on failure and on Ctrl-C (trap), by its PID.
set -uo pipefail
REPO="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$REPO"
OUT=${OUT:-out/test-k8s}
SCALER_JAR=${SCALER_JAR:-scaler/target/legit-scaler.jar}
LOADTEST_JAR=${LOADTEST_JAR:-loadtest/target/loadtest.jar}
HELM=${HELM:-helm}
GRPCURL=${GRPCURL:-grpcurl}
PROM_OPERATOR_VERSION=${PROM_OPERATOR_VERSION:-v0.85.0}
KUBE_VERSION=${K8S_VERSION:-1.36.3}   # helm template renders offline for this version (as the live server reports)
SYNC=5   # kube-controller-manager --horizontal-pod-autoscaler-sync-period (upstream default 15 s; 5 s keeps this fast)
T_START=$(date +%s)

log() { echo "test-k8s: $*"; }
die() { echo "test-k8s: $*" >&2; exit 1; }
for f in "$SCALER_JAR" "$LOADTEST_JAR"; do [ -f "$f" ] || die "$f missing (mvn -B -ntp -DskipTests package first)"; done
for t in "$HELM" "$GRPCURL" kubectl prometheus openssl jq curl python3 java; do command -v "$t" >/dev/null || die "$t not found"; done

# --- binaries (built once per version; see build-binaries.sh) -------------------------------------
BIN=${K8S_BIN:-$(scripts/k8s/build-binaries.sh | tail -1)} || die "build-binaries.sh failed"
CACHE=$(dirname "$BIN")
KEDA_CRDS=${KEDA_CRDS:-$CACHE/keda-crds}
command -v etcd >/dev/null || die "etcd not found (build-binaries.sh installs etcd-server)"
T_BUILT=$(date +%s)

rm -rf "$OUT" && mkdir -p "$OUT/logs"
OUT=$(cd "$OUT" && pwd)
W=$(mktemp -d /tmp/legit-scaler-k8s.XXXXXX)
RUN=$W/run; LOGS=$W/logs; PKI=$W/pki
mkdir -p "$RUN" "$LOGS"
export KUBECONFIG=$PKI/admin.kubeconfig
export HELM_CONFIG_HOME=$W/helm/config HELM_CACHE_HOME=$W/helm/cache HELM_DATA_HOME=$W/helm/data

started=()   # names, in start order
start() {    # start NAME CMD... : in the background, in a process group of its own; log in $LOGS/NAME.log
  local name=$1; shift
  setsid "$@" >"$LOGS/$name.log" 2>&1 &
  echo $! >"$RUN/$name.pid"
  started+=("$name")
}
stop() {     # stop NAME : SIGTERM to the group started as NAME, SIGKILL after 10 s
  local name=$1 pid
  [ -f "$RUN/$name.pid" ] || return 0
  pid=$(cat "$RUN/$name.pid"); rm -f "$RUN/$name.pid"
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
}
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  for ((i=${#started[@]}-1; i>=0; i--)); do stop "${started[$i]}"; done
  cp -r "$LOGS/." "$OUT/logs/" 2>/dev/null || true
  rm -rf "$W"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_ports() { # free_ports N : N distinct free loopback ports
  python3 - "$1" <<'PY'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
PY
}
read -r P_ETCD P_ETCD_PEER P_ETCD_METRICS P_API P_KCM P_KEDA_GRPC P_KEDA_METRICS P_KEDA_HEALTH P_ADAPTER P_ADAPTER_METRICS \
  P_PROM P_SCALER P_SCALER_METRICS < <(free_ports 13)

passed=0; failed=0
pass() { passed=$((passed + 1)); echo "PASS $*"; }
fail() { failed=$((failed + 1)); echo "FAIL $*"; }
check() { local name=$1; shift; if "$@"; then pass "$name"; else fail "$name"; fi; }
# wait_until SECONDS CMD... : true as soon as CMD succeeds, false after SECONDS
wait_until() {
  local deadline=$(( $(date +%s) + $1 )); shift
  while :; do "$@" >/dev/null 2>&1 && return 0; [ "$(date +%s)" -ge "$deadline" ] && return 1; sleep 1; done
}
k() { kubectl "$@" 2>>"$LOGS/kubectl-warnings.log"; }
jp() { k get "$@" 2>/dev/null; }   # jp KIND NAME -n NS -o jsonpath=...
cond() { jp "$1" "$2" ${3:+-n "$3"} -o "jsonpath={.status.conditions[?(@.type==\"$4\")].status}"; }
cond_is() { [ "$(cond "$@")" = "${5}" ]; }   # cond_is KIND NAME NS TYPE STATUS

# --- PKI, etcd, kube-apiserver, kube-controller-manager -------------------------------------------
scripts/k8s/mkpki.sh "$PKI" >/dev/null || die "PKI"
cat >"$KUBECONFIG" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: test-k8s
  cluster: {server: "https://127.0.0.1:$P_API", certificate-authority: $PKI/ca.crt}
users:
- name: admin
  user: {client-certificate: $PKI/admin.crt, client-key: $PKI/admin.key}
contexts:
- name: test-k8s
  context: {cluster: test-k8s, user: admin}
current-context: test-k8s
EOF
start etcd etcd --name test-k8s --data-dir "$W/etcd" \
  --listen-client-urls "http://127.0.0.1:$P_ETCD" --advertise-client-urls "http://127.0.0.1:$P_ETCD" \
  --listen-peer-urls "http://127.0.0.1:$P_ETCD_PEER" --initial-advertise-peer-urls "http://127.0.0.1:$P_ETCD_PEER" \
  --initial-cluster "test-k8s=http://127.0.0.1:$P_ETCD_PEER" --listen-metrics-urls "http://127.0.0.1:$P_ETCD_METRICS"
wait_until 30 curl -sf "http://127.0.0.1:$P_ETCD/health" || die "etcd did not start (logs in $OUT/logs)"
start kube-apiserver "$BIN/kube-apiserver" \
  --etcd-servers="http://127.0.0.1:$P_ETCD" \
  --bind-address=127.0.0.1 --secure-port="$P_API" --advertise-address=127.0.0.1 \
  --endpoint-reconciler-type=none --service-cluster-ip-range=10.0.0.0/24 \
  --tls-cert-file="$PKI/apiserver.crt" --tls-private-key-file="$PKI/apiserver.key" --client-ca-file="$PKI/ca.crt" \
  --service-account-issuer=https://kubernetes.default.svc.cluster.local \
  --service-account-key-file="$PKI/sa.pub" --service-account-signing-key-file="$PKI/sa.key" \
  --authorization-mode=RBAC \
  --requestheader-client-ca-file="$PKI/front-proxy-ca.crt" --requestheader-allowed-names=front-proxy-client \
  --requestheader-username-headers=X-Remote-User --requestheader-group-headers=X-Remote-Group \
  --requestheader-extra-headers-prefix=X-Remote-Extra- \
  --proxy-client-cert-file="$PKI/front-proxy-client.crt" --proxy-client-key-file="$PKI/front-proxy-client.key"
wait_until 120 kubectl get --raw /readyz || die "kube-apiserver not ready (logs in $OUT/logs)"
start kube-controller-manager "$BIN/kube-controller-manager" \
  --kubeconfig="$KUBECONFIG" --authentication-kubeconfig="$KUBECONFIG" --authorization-kubeconfig="$KUBECONFIG" \
  --bind-address=127.0.0.1 --secure-port="$P_KCM" --leader-elect=false \
  --controllers=deployment,replicaset,horizontalpodautoscaling,namespace,garbagecollector,serviceaccount,serviceaccount-token \
  --service-account-private-key-file="$PKI/sa.key" --root-ca-file="$PKI/ca.crt" \
  --horizontal-pod-autoscaler-sync-period=${SYNC}s
T_CP=$(date +%s)
log "control plane up in $((T_CP - T_BUILT)) s (apiserver https://127.0.0.1:$P_API, HPA sync ${SYNC}s)"

# --- CRDs the way a user installs them ---------------------------------------------------------------
k apply --server-side -f "$KEDA_CRDS" >/dev/null || die "KEDA CRDs"
PO_DIR=$(cd "$W" && go mod download -json "github.com/prometheus-operator/prometheus-operator@$PROM_OPERATOR_VERSION" | jq -r .Dir) \
  || die "go mod download prometheus-operator $PROM_OPERATOR_VERSION"
for c in servicemonitors podmonitors prometheusrules; do
  k apply --server-side -f "$PO_DIR/example/prometheus-operator-crd/monitoring.coreos.com_$c.yaml" >/dev/null || die "CRD $c"
done
k wait --for=condition=Established --timeout=60s crd --all >/dev/null || die "CRDs not established"

# --- KEDA: namespace, the adapter's APIService, operator and adapter out of cluster -----------------
k apply -f - >/dev/null <<EOF || die "KEDA APIService"
apiVersion: v1
kind: Namespace
metadata: {name: keda}
---
apiVersion: v1
kind: Service
metadata: {name: keda-metrics-apiserver, namespace: keda}
spec: {type: ExternalName, externalName: localhost}
---
apiVersion: apiregistration.k8s.io/v1
kind: APIService
metadata: {name: v1beta1.external.metrics.k8s.io}
spec:
  group: external.metrics.k8s.io
  version: v1beta1
  groupPriorityMinimum: 100
  versionPriority: 100
  service: {namespace: keda, name: keda-metrics-apiserver, port: $P_ADAPTER}
  caBundle: $(base64 -w0 "$PKI/ca.crt")
EOF
keda_env=(env KUBECONFIG="$KUBECONFIG" WATCH_NAMESPACE="" POD_NAMESPACE=keda KEDA_CLUSTER_OBJECT_NAMESPACE=keda)
start keda-operator "${keda_env[@]}" "$BIN/keda-operator" \
  --metrics-bind-address="127.0.0.1:$P_KEDA_METRICS" --health-probe-bind-address="127.0.0.1:$P_KEDA_HEALTH" \
  --metrics-service-bind-address="127.0.0.1:$P_KEDA_GRPC" \
  --cert-dir="$PKI/keda-certs" --enable-cert-rotation=false --leader-elect=false --zap-encoder=console
start keda-adapter "${keda_env[@]}" "$BIN/keda-adapter" \
  --secure-port="$P_ADAPTER" --bind-address=127.0.0.1 --port="$P_ADAPTER_METRICS" \
  --cert-dir="$PKI/keda-certs" --tls-cert-file="$PKI/keda-certs/tls.crt" --tls-private-key-file="$PKI/keda-certs/tls.key" \
  --client-ca-file="$PKI/keda-certs/ca.crt" \
  --authentication-kubeconfig="$KUBECONFIG" --authorization-kubeconfig="$KUBECONFIG" --lister-kubeconfig="$KUBECONFIG" \
  --metrics-service-address="127.0.0.1:$P_KEDA_GRPC"

# --- Prometheus: the model's load as recording rules whose value the test rewrites -----------------
# The scaler queries a real Prometheus; the value of ml_model_saturation_ratio is a rule (vector(x))
# that the test rewrites and reloads, so no exporter has to run.
mkdir -p "$W/prom"
write_rules() { # write_rules MODEL_LOAD PUSH_LOAD
  cat >"$W/prom/rules.yml" <<EOF
groups:
  - name: test-k8s
    interval: 1s
    rules:
      - record: ml_model_saturation_ratio
        expr: vector($LOAD)
        labels: {namespace: ml, pod: ml-model-0}
      - record: push_model_saturation_ratio
        expr: vector($PUSH_LOAD)
        labels: {namespace: ml, pod: push-model-0}
EOF
}
set_load() { # set_load MODEL_LOAD [PUSH_LOAD] : rewrite the rules, reload, wait until Prometheus answers them
  LOAD=$1; PUSH_LOAD=${2:-${PUSH_LOAD:-0}}
  write_rules "$LOAD" "$PUSH_LOAD"
  curl -sf -X POST "http://127.0.0.1:$P_PROM/-/reload" >/dev/null 2>&1 || true
  wait_until 30 prom_has ml_model_saturation_ratio "$LOAD" && wait_until 30 prom_has push_model_saturation_ratio "$PUSH_LOAD"
}
prom_has() { # prom_has SERIES VALUE
  local v; v=$(curl -sf "http://127.0.0.1:$P_PROM/api/v1/query" --data-urlencode "query=$1" | jq -r '.data.result[0].value[1] // empty')
  [ -n "$v" ] && python3 -c "import sys; sys.exit(0 if float('$v') == float('$2') else 1)"
}
cat >"$W/prom/prometheus.yml" <<EOF
global: {scrape_interval: 5s, evaluation_interval: 1s}
rule_files: [$W/prom/rules.yml]
EOF
LOAD=2.8; PUSH_LOAD=0
write_rules "$LOAD" "$PUSH_LOAD"
start_prometheus() {
  start prometheus prometheus --config.file="$W/prom/prometheus.yml" --storage.tsdb.path="$W/prom/data" \
    --web.listen-address="127.0.0.1:$P_PROM" --web.enable-lifecycle
}
start_prometheus
wait_until 60 prom_has ml_model_saturation_ratio 2.8 || die "Prometheus did not start (logs in $OUT/logs)"

# --- legit-scaler ---------------------------------------------------------------------------------------
start_scaler() { # start_scaler [extra flags] : on the same ports every time (KEDA keeps dialling them)
  start legit-scaler java -jar "$SCALER_JAR" --grpc-port "$P_SCALER" --metrics-port "$P_SCALER_METRICS" \
    --prometheus-url "http://127.0.0.1:$P_PROM" --refresh-interval 1s "$@"
  wait_until 60 bash -c "exec 3<>/dev/tcp/127.0.0.1/$P_SCALER" || die "legit-scaler did not listen (logs in $OUT/logs)"
}
start_scaler
wait_until 60 cond_is apiservice v1beta1.external.metrics.k8s.io "" Available True \
  || die "APIService v1beta1.external.metrics.k8s.io not Available (keda-adapter log in $OUT/logs)"
T_UP=$(date +%s)
log "KEDA, Prometheus and legit-scaler up; everything ready $((T_UP - T_BUILT)) s after the build step"

# --- the model Deployments (no kubelet: pods stay Pending; status.replicas follows spec) ---------------
deployment() { # deployment NAME REPLICAS
  cat <<EOF
apiVersion: apps/v1
kind: Deployment
metadata: {name: $1, namespace: ml}
spec:
  replicas: $2
  selector: {matchLabels: {app.kubernetes.io/name: $1}}
  template:
    metadata: {labels: {app.kubernetes.io/name: $1}}
    spec:
      containers: [{name: model, image: example.invalid/never-pulled:0}]
EOF
}
k create namespace ml >/dev/null; k create namespace legit-scaler >/dev/null
deployment ml-model 4 | k apply -f - >/dev/null
replicas() { jp deploy "$1" -n ml -o jsonpath='{.spec.replicas} {.status.replicas}'; }
replicas_are() { [ "$(replicas "$1")" = "$2 $2" ]; }
desired_is() { [ "$(jp hpa keda-hpa-ml-model -n ml -o jsonpath='{.status.desiredReplicas}')" = "$1" ]; }

# --- Helm: values a test on loopback needs, on top of the chart's defaults ------------------------------
CHART=manifests/helm/legit-scaler
REL=legit-scaler
cat >"$W/values-loopback.yaml" <<EOF
# Loopback addresses instead of cluster DNS names; the scaler's own ports, so that the NOTES'
# grpcurl/curl lines (localhost:<ports.grpc>, localhost:<ports.metrics>) reach the running scaler.
ports: {grpc: $P_SCALER, metrics: $P_SCALER_METRICS}
scaledObject:
  namespace: ml
  scalerAddress: "127.0.0.1:$P_SCALER"
  metadata:
    serverAddress: "http://127.0.0.1:$P_PROM"
    # load only (no Kafka here): lag and the Kafka-fed legitimacy score are tested by make test-platform
    bootstrapServers: null
    consumerGroup: null
    topic: null
    lagThreshold: null
    legitimacySource: "none"
    refreshInterval: "1s"
    staleAfter: "5s"
EOF
cat >"$W/values-fast.yaml" <<EOF
# Short windows and rate limits so that a 4 -> 6 -> 4 round trip takes a minute, not ten; the chart's
# own behavior (30 s / 300 s windows) is checked on the HPA right after the install.
scaledObject:
  pollingInterval: 5
  behavior:
    scaleUp:
      stabilizationWindowSeconds: 0
      selectPolicy: Max
      policies: [{type: Pods, value: 1, periodSeconds: 10}]
      tolerance: "100m"   # KEDA's CRD types it int-or-string: a decimal goes in quotes
    scaleDown:
      stabilizationWindowSeconds: 10
      selectPolicy: Min
      policies: [{type: Pods, value: 1, periodSeconds: 10}]
      tolerance: "0.1"
EOF
cat >"$W/values-tls.yaml" <<EOF
tls: {enabled: true, secretName: legit-scaler-server-tls, clientAuth: false}
scaledObject: {tlsClientSecret: keda-legit-scaler-client-tls}
EOF
cat >"$W/values-mtls.yaml" <<EOF
tls: {enabled: true, secretName: legit-scaler-server-tls, clientAuth: true}
scaledObject: {tlsClientSecret: keda-legit-scaler-client-tls}
EOF
helm_args=(-n "$REL" "$CHART" -f "$W/values-loopback.yaml")

echo "== Helm install"
helm_do() { # helm_do LOGNAME helm-args... : helm, output to a log (shown on failure)
  local name=$1; shift
  "$HELM" "$@" >"$LOGS/$name.log" 2>&1 || { grep -v '^walk.go' "$LOGS/$name.log" | sed 's/^/  /' | tail -20; return 1; }
}
server_dry_run() {
  "$HELM" template $REL "${helm_args[@]}" --kube-version "$KUBE_VERSION" "$@" >"$W/rendered.yaml" 2>"$LOGS/helm-template.log" \
    && kubectl apply --dry-run=server --validate=strict -f "$W/rendered.yaml" >"$LOGS/dry-run.log" 2>&1 \
    || { tail -20 "$LOGS/dry-run.log"; return 1; }
}
check "helm template | kubectl apply --dry-run=server --validate=strict: every object accepted by the API server and the CRDs" server_dry_run
check "helm install (scaledObject.scalerAddress=127.0.0.1:$P_SCALER)" helm_do helm-install install $REL "${helm_args[@]}"
objects_exist() { # every object of the release's manifest exists in the API server
  local missing=0 kind name ns
  while read -r kind name ns; do
    k get "$kind" "$name" ${ns:+-n "$ns"} >/dev/null 2>&1 || { echo "missing $kind $name $ns"; missing=1; }
  done < <("$HELM" get manifest $REL -n $REL | python3 -c '
import sys, yaml
for d in yaml.safe_load_all(sys.stdin):
    if d: print(d["kind"], d["metadata"]["name"], d["metadata"].get("namespace", ""))')
  [ $missing -eq 0 ]
}
check "every object of the release exists ($("$HELM" get manifest $REL -n $REL 2>/dev/null | grep -c '^kind:') objects)" objects_exist

echo "== KEDA reconciles the chart's ScaledObject"
check "ScaledObject ml-model Ready=True" wait_until 90 cond_is scaledobject ml-model ml Ready True
check "ScaledObject ml-model Active=True" wait_until 60 cond_is scaledobject ml-model ml Active True
check "HPA keda-hpa-ml-model created by KEDA" wait_until 30 k get hpa keda-hpa-ml-model -n ml
check "HPA minReplicas 4, maxReplicas 6" \
  test "$(jp hpa keda-hpa-ml-model -n ml -o jsonpath='{.spec.minReplicas} {.spec.maxReplicas}')" = "4 6"
so_ref() { k get scaledobject ml-model -n ml -o json | jq -c '{name: .metadata.name, namespace: .metadata.namespace, scalerMetadata: .spec.triggers[0].metadata}'; }
SPEC_JSON=$("$GRPCURL" -plaintext -d "$(so_ref)" "127.0.0.1:$P_SCALER" externalscaler.ExternalScaler/GetMetricSpec 2>>"$LOGS/grpcurl.log")
OUR_METRIC=$(jq -r '.metricSpecs[0].metricName' <<<"$SPEC_JSON")
OUR_TARGET=$(jq -r '.metricSpecs[0].targetSize // .metricSpecs[0].targetSizeFloat' <<<"$SPEC_JSON")
HPA_METRIC=$(jp hpa keda-hpa-ml-model -n ml -o jsonpath='{.spec.metrics[0].external.metric.name}')
check "HPA metric is s0-<GetMetricSpec metricName> ($HPA_METRIC, ours: $OUR_METRIC)" test "$HPA_METRIC" = "s0-$OUR_METRIC"
check "HPA target AverageValue = GetMetricSpec targetSize ($OUR_TARGET)" \
  test "$(jp hpa keda-hpa-ml-model -n ml -o jsonpath='{.spec.metrics[0].external.target.type} {.spec.metrics[0].external.target.averageValue}')" = "AverageValue $OUR_TARGET"
behavior_matches() { # the HPA's behavior is the chart values' behavior (window, selectPolicy, policies per direction)
  local want got
  local norm='def q: if . == null then null elif (tostring | endswith("m")) then (tostring | rtrimstr("m") | tonumber / 1000) else tonumber end;
    map_values({stabilizationWindowSeconds, selectPolicy, policies, tolerance: (.tolerance | q)})'
  want=$("$HELM" get values $REL -n $REL --all -o json | jq -S ".scaledObject.behavior | $norm")
  got=$(k get hpa keda-hpa-ml-model -n ml -o json | jq -S ".spec.behavior | $norm")
  [ "$want" = "$got" ] || { echo "want $want"; echo "got  $got"; return 1; }
}
check "HPA behavior is the chart's (scale-up 30 s window, 1 pod / 60 s; scale-down 300 s, 1 pod / 120 s)" behavior_matches
metric_path="/apis/external.metrics.k8s.io/v1beta1/namespaces/ml/$HPA_METRIC?labelSelector=scaledobject.keda.sh%2Fname%3Dml-model"
adapter_value() { k get --raw "$metric_path" | jq -r '.items[0].value'; }
adapter_value_is() { [ "$(adapter_value)" = "$1" ]; }
check "the metrics adapter serves our value (load 2.8 / target 0.7 -> 4)" wait_until 30 adapter_value_is 4
scaling_active_at_4() { wait_until 60 cond_is hpa keda-hpa-ml-model ml ScalingActive True && replicas_are ml-model 4; }
check "HPA ScalingActive=True (ValidMetricFound), Deployment at 4" scaling_active_at_4

echo "== the chart's NOTES, as printed"
"$HELM" get notes $REL -n $REL >"$W/notes.txt"
notes_commands() { # the command lines of NOTES (joined at trailing backslashes), minus comments
  sed -e 's/[[:space:]]\{2,\}#.*$//' -e 's/^[[:space:]]*#.*$//' "$W/notes.txt" | awk '/\\$/ {sub(/\\$/, ""); buf = buf $0; next} {print buf $0; buf = ""}' \
    | sed -n 's/^ *\(kubectl .*\|grpcurl .*\|curl .*\)$/\1/p' | sed 's/ *$//'
}
run_notes() { # run_notes FILTER : every NOTES command matching FILTER, in $PKI/grpcurl (ca.crt, client.crt, client.key)
  local n=0 c
  while IFS= read -r c; do
    case "$c" in
      *"rollout status"*|*port-forward*) echo "  not run (needs a kubelet and a running pod): $c"; continue ;;
    esac
    n=$((n + 1))
    echo "  \$ $c"
    if ! (cd "$PKI/grpcurl" && PATH="$(dirname "$(command -v "$GRPCURL")"):$PATH" timeout 30 bash -o pipefail -c "$c") >"$W/notes-cmd.out" 2>&1; then
      sed 's/^/    /' "$W/notes-cmd.out"; return 1
    fi
    sed 's/^/    /' "$W/notes-cmd.out" | head -8
  done < <(notes_commands | grep -E "$1")
  [ $n -gt 0 ]
}
check "NOTES: kubectl get scaledobject,hpa / describe / get pods,svc,... / get servicemonitor,... work as printed" run_notes '^kubectl'
check "NOTES: grpcurl Health/Check, Diagnostics/List and Explain work as printed (plaintext)" run_notes '^grpcurl'
check "NOTES: curl .../metrics | grep legitscaler_published_value works as printed" run_notes '^curl'

echo "== the HPA follows the scaler: 4 -> 6 -> 4 (helm upgrade with short windows), and the emulator beside it"
check "helm template (short windows, per-direction tolerance) accepted server-side by KEDA's CRD" server_dry_run -f "$W/values-fast.yaml"
check "helm upgrade with short stabilization windows and rate limits (tolerance 0.1 per direction)" \
  helm_do helm-upgrade-fast upgrade $REL "${helm_args[@]}" -f "$W/values-fast.yaml"
check "HPA took the new behavior (scale-up window 0, per-direction tolerance)" wait_until 30 behavior_matches
wait_until 60 replicas_are ml-model 4; sleep 12   # settled at 4 for longer than the 10 s scale-down window
"$HELM" template $REL "${helm_args[@]}" --kube-version "$KUBE_VERSION" -f "$W/values-fast.yaml" --show-only templates/scaledobject.yaml >"$W/scaledobject-fast.yaml" 2>>"$LOGS/helm-template.log"
# Timestamped changes of the real Deployment's spec.replicas, from a watch (no sampling delay).
start watch-deploy bash -c 'kubectl get deploy ml-model -n ml -w -o jsonpath="{.spec.replicas}{\"\\n\"}" 2>/dev/null | while IFS= read -r l; do echo "$(date +%s.%N) $l"; done'
TIMELINE=(0:2.8 8:4.2 40:3.5 65:2.8)
DURATION=100
# The emulator starts first (a JVM takes seconds on a busy machine); t = 0 is once it has reconciled.
start emulator java -jar "$LOADTEST_JAR" hpa emulate "$W/scaledobject-fast.yaml" --duration $((DURATION + 60)) --sync-period $SYNC --initial-replicas 4
emulator_syncing() { grep -q '"desiredReplicas":4' "$LOGS/emulator.log"; }
wait_until 60 emulator_syncing || echo "  the emulator has not reconciled yet (log: $OUT/logs/emulator.log)"
T0=$(date +%s.%N)
echo "  timeline of the scaler's answer (load / 0.7): ${TIMELINE[*]} (s:load), $DURATION s"
for step in "${TIMELINE[@]}"; do
  at=${step%%:*}; v=${step#*:}
  python3 -c "import time; time.sleep(max(0, $T0 + $at - time.time()))"
  set_load "$v" || echo "  Prometheus did not take load $v"
  echo "  t=$(python3 -c "import time; print(round(time.time() - $T0, 1))") s load=$v"
done
python3 -c "import time; time.sleep(max(0, $T0 + $DURATION + 2 - time.time()))"
stop watch-deploy; stop emulator
cp "$LOGS/emulator.log" "$OUT/emulator.jsonl"; cp "$LOGS/watch-deploy.log" "$OUT/real-deployment.log"
python3 scripts/k8s/compare_timelines.py --t0 "$T0" --sync "$SYNC" --real "$OUT/real-deployment.log" \
  --emulator "$OUT/emulator.jsonl" --timeline "${TIMELINE[*]}" --out "$OUT/emulator-comparison.md" >"$W/compare.out" 2>&1
cmp_rc=$?
sed 's/^/  /' "$W/compare.out"
check "real Deployment went 4 -> 6 -> 4 following the scaler" grep -q '^real path: 4 5 6 5 4$' "$W/compare.out"
check "KedaHpaEmulator made the same decisions, each within one HPA sync period (${SYNC} s) of the real one" test $cmp_rc -eq 0

# Every signal stale (Prometheus stopped; staleAfter 5 s) -> GetMetrics UNAVAILABLE while GetMetricSpec
# still answers. (A scaler that is down altogether gets no fallback from KEDA 2.21: its metrics path asks
# GetMetricSpec first and fails with "got empty metric spec" before the fallback is consulted.)
echo "== fallback: every signal stale, KEDA holds fallback.replicas (6); fresh again, the HPA follows it back to 4"
stop prometheus
check "signals stale -> ScaledObject Fallback=True" wait_until 90 cond_is scaledobject ml-model ml Fallback True
at_fallback() { desired_is 6 && replicas_are ml-model 6; }
check "fallback -> HPA desired 6, Deployment 6" wait_until 60 at_fallback
start_prometheus
check "signals fresh -> Fallback=False" wait_until 90 cond_is scaledobject ml-model ml Fallback False
check "scaler back -> Deployment back at 4" wait_until 90 replicas_are ml-model 4

echo "== external-push: StreamIsActive carries a change of activity to KEDA"
deployment push-model 0 | k apply -f - >/dev/null
k apply -f - >/dev/null <<EOF
apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata: {name: push-model, namespace: ml}
spec:
  scaleTargetRef: {name: push-model}
  minReplicaCount: 0
  maxReplicaCount: 2
  pollingInterval: 300   # KEDA's own IsActive poll would take 5 minutes: only the stream can be fast
  cooldownPeriod: 300
  triggers:
    - type: external-push
      metadata:
        scalerAddress: "127.0.0.1:$P_SCALER"
        serverAddress: "http://127.0.0.1:$P_PROM"
        loadQuery: 'max by (pod) (push_model_saturation_ratio{namespace="\$namespace"})'
        targetLoad: "0.7"
        minReplicas: "0"
        maxReplicas: "2"
        refreshInterval: "1s"
EOF
# Before the rise Active is not True (False, or Unknown while the scaler's first refresh is pending).
push_not_active() { [ "$(cond scaledobject push-model ml Active)" != True ] && [ "$(jp deploy push-model -n ml -o jsonpath='{.spec.replicas}')" = 0 ]; }
push_ready_inactive() { wait_until 60 cond_is scaledobject push-model ml Ready True && sleep 3 && push_not_active; }
push_active() { cond_is scaledobject push-model ml Active True && [ "$(jp deploy push-model -n ml -o jsonpath='{.spec.replicas}')" -ge 1 ]; }
check "push-model Ready=True, not Active and at 0 replicas while its load is 0" push_ready_inactive
t_push=$(date +%s)
set_load "$LOAD" 1.4
check "load rises -> StreamIsActive -> Active=True and push-model scaled 0 -> 1+ within 30 s (poll interval 300 s)" wait_until 30 push_active
log "external-push: activity reached KEDA $(( $(date +%s) - t_push )) s after the load changed"
# Back to inactive is not checked: KEDA keeps Active (and 1 replica) until cooldownPeriod has passed.
set_load "$LOAD" 0
k delete scaledobject push-model -n ml --wait=true >/dev/null

echo "== TLS and mTLS from KEDA's own client (TriggerAuthentication caCert, tlsClientCert, tlsClientKey)"
k create secret generic legit-scaler-server-tls -n legit-scaler --type=kubernetes.io/tls \
  --from-file=tls.crt="$PKI/scaler.crt" --from-file=tls.key="$PKI/scaler.key" --from-file=ca.crt="$PKI/scaler-ca.crt" >/dev/null
k create secret generic keda-legit-scaler-client-tls -n ml \
  --from-file=ca.crt="$PKI/scaler-ca.crt" --from-file=tls.crt="$PKI/keda-client.crt" --from-file=tls.key="$PKI/keda-client.key" >/dev/null
fresh_value() { # the adapter serves VALUE from a live call (fallback would serve 6) and Fallback is False
  adapter_value_is "$1" && cond_is scaledobject ml-model ml Fallback False
}
stop legit-scaler; start_scaler --tls-cert-file "$PKI/scaler.crt" --tls-key-file "$PKI/scaler.key"
set_load 3.5
check "helm upgrade with tls.enabled=true (server TLS, TriggerAuthentication caCert)" \
  helm_do helm-upgrade-tls upgrade $REL "${helm_args[@]}" -f "$W/values-fast.yaml" -f "$W/values-tls.yaml"
check "TLS: KEDA reads the scaler's live value (load 3.5 -> 5) over TLS, Fallback=False" wait_until 90 fresh_value 5
check "TLS: the Deployment follows (5)" wait_until 60 replicas_are ml-model 5
stop legit-scaler; start_scaler --tls-cert-file "$PKI/scaler.crt" --tls-key-file "$PKI/scaler.key" --tls-client-ca-file "$PKI/scaler-ca.crt"
set_load 2.8
check "helm upgrade with tls.clientAuth=true (mTLS, TriggerAuthentication tlsClientCert/tlsClientKey)" \
  helm_do helm-upgrade-mtls upgrade $REL "${helm_args[@]}" -f "$W/values-fast.yaml" -f "$W/values-mtls.yaml"
check "mTLS: KEDA reads the scaler's live value (load 2.8 -> 4) with its client certificate, Fallback=False" wait_until 90 fresh_value 4
"$HELM" get notes $REL -n $REL >"$W/notes.txt"
check "NOTES (mTLS): grpcurl -cacert/-cert/-key/-authority lines work as printed" run_notes '^grpcurl'
no_cert_refused() {
  ! (cd "$PKI/grpcurl" && "$GRPCURL" -cacert ca.crt -authority $REL.$REL.svc.cluster.local "localhost:$P_SCALER" grpc.health.v1.Health/Check) \
    >"$LOGS/grpcurl-nocert.log" 2>&1
}
check "mTLS: a client without a certificate is refused" no_cert_refused
k create secret generic wrong-ca-tls -n ml \
  --from-file=ca.crt="$PKI/wrong-ca.crt" --from-file=tls.crt="$PKI/keda-client.crt" --from-file=tls.key="$PKI/keda-client.key" >/dev/null
deployment wrong-ca-model 4 | k apply -f - >/dev/null
k apply -f - >/dev/null <<EOF
apiVersion: keda.sh/v1alpha1
kind: TriggerAuthentication
metadata: {name: wrong-ca, namespace: ml}
spec:
  secretTargetRef:
    - {parameter: caCert, name: wrong-ca-tls, key: ca.crt}
    - {parameter: tlsClientCert, name: wrong-ca-tls, key: tls.crt}
    - {parameter: tlsClientKey, name: wrong-ca-tls, key: tls.key}
---
apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata: {name: wrong-ca-model, namespace: ml}
spec:
  scaleTargetRef: {name: wrong-ca-model}
  minReplicaCount: 4
  maxReplicaCount: 6
  pollingInterval: 5
  triggers:
    - type: external
      metricType: AverageValue
      authenticationRef: {name: wrong-ca}
      metadata:
        scalerAddress: "127.0.0.1:$P_SCALER"
        serverAddress: "http://127.0.0.1:$P_PROM"
        loadQuery: 'max by (pod) (ml_model_saturation_ratio{namespace="\$namespace"})'
        targetLoad: "0.7"
EOF
check "wrong CA: KEDA refuses the scaler's certificate (ScaledObject wrong-ca-model Ready=False)" \
  wait_until 60 cond_is scaledobject wrong-ca-model ml Ready False
check "wrong CA: the operator logs the certificate error" \
  wait_until 30 grep -qiE 'x509|certificate signed by unknown authority|authentication handshake failed' "$LOGS/keda-operator.log"
check "wrong CA: the good ScaledObject keeps its live value meanwhile (4)" fresh_value 4
k delete scaledobject wrong-ca-model -n ml --wait=true >/dev/null

echo "== helm uninstall"
check "helm uninstall" helm_do helm-uninstall uninstall $REL -n $REL --wait
leftovers() { # objects carrying the release's instance label, the ScaledObject, its HPA and TriggerAuthentication
  local kinds=deployments,services,serviceaccounts,configmaps,secrets,poddisruptionbudgets,networkpolicies,servicemonitors,podmonitors,prometheusrules,scaledobjects,triggerauthentications,horizontalpodautoscalers
  { k get "$kinds" -A -l app.kubernetes.io/instance=$REL -o name
    k get scaledobject ml-model -n ml -o name; k get hpa keda-hpa-ml-model -n ml -o name
    k get triggerauthentication $REL-tls -n ml -o name; } 2>/dev/null
}
no_leftovers() { [ -z "$(leftovers)" ]; }
check "helm uninstall leaves nothing of ours (KEDA removed its HPA too)" wait_until 60 no_leftovers
leftovers | sed 's/^/  left: /'

T_END=$(date +%s)
log "timings: build step $((T_BUILT - T_START)) s, bring-up $((T_UP - T_BUILT)) s, checks $((T_END - T_UP)) s, total $((T_END - T_START)) s"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
