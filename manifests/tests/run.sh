#!/usr/bin/env bash
# Chart tests (make test-helm): lint, render every value set, validate each rendered document against
# the offline schemas kept in manifests/tests/schemas, run the checks schemas cannot do, prove that invalid values
# are rejected, and check manifests/examples. Needs helm, kubeconform and a python3 with PyYAML
# (the Makefile passes HELM, KUBECONFORM and PYTHON).
set -euo pipefail

REPO="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$REPO"
HELM="${HELM:-helm}"
KUBECONFORM="${KUBECONFORM:-kubeconform}"
PYTHON="${PYTHON:-python3}"
SCHEMAS="${SCHEMAS:-manifests/tests/schemas}"
KUBE_VERSION=1.33.6
TESTS=manifests/tests
OUT="${OUT:-out/helm-test}"

[ -d "$SCHEMAS/kubernetes" ] && [ -d "$SCHEMAS/crds" ] || { echo "schemas not found at $SCHEMAS (expected manifests/tests/schemas)"; exit 1; }
rm -rf "$OUT" && mkdir -p "$OUT"

passed=0; failed=0
ok()   { passed=$((passed + 1)); echo "ok   $*"; }
bad()  { failed=$((failed + 1)); echo "FAIL $*"; }

# --- 0. the schema files are the upstream bytes their README names ---------------------------------
if [ -f "$SCHEMAS/SHA256SUMS" ] && (cd "$SCHEMAS" && sha256sum --quiet -c SHA256SUMS) >"$OUT/schemas.sha256" 2>&1; then
  ok "schemas: $(wc -l <"$SCHEMAS/SHA256SUMS") files match SHA256SUMS"
else
  bad "schemas: SHA256SUMS missing or a file differs"; cat "$OUT/schemas.sha256"
fi

# --- the chart's sources: alerting/rules, alerting/alertmanager.yml, dashboards ------------------------
# The chart reads them through symlinks (files/rules, files/dashboards, files/alertmanager.yml). Where a
# checkout lacks one of them, the chart is tested in a staged copy of the repository layout whose missing
# parts come from manifests/tests/fixtures; the symlinks are the same either way.
CHART_SRC=manifests/helm/legit-scaler
ROOT="$REPO"
missing=()
[ -d alerting/rules ] || missing+=(alerting/rules)
[ -f alerting/alertmanager.yml ] || missing+=(alerting/alertmanager.yml)
[ -d dashboards ] || missing+=(dashboards)
if [ ${#missing[@]} -gt 0 ]; then
  ROOT="$(mktemp -d)"; trap 'rm -rf "$ROOT"' EXIT
  mkdir -p "$ROOT/manifests/helm" "$ROOT/alerting"
  cp -a "$CHART_SRC" "$ROOT/manifests/helm/"
  for m in alerting/rules alerting/alertmanager.yml dashboards; do
    if [[ " ${missing[*]} " == *" $m "* ]]; then src="$TESTS/fixtures/$m"; else src="$m"; fi
    cp -a "$src" "$ROOT/$m"
  done
  echo "NOTE: not in this checkout: ${missing[*]} -> testing with manifests/tests/fixtures in their place"
fi
CHART="$ROOT/$CHART_SRC"
RULES="$ROOT/alerting/rules"; DASHBOARDS="$ROOT/dashboards"; AMCONFIG="$ROOT/alerting/alertmanager.yml"
echo "chart sources: rules=${RULES#"$ROOT"/} ($(ls "$RULES" | grep -cE '\.ya?ml$' || true) files), dashboards=${DASHBOARDS#"$ROOT"/} ($(ls "$DASHBOARDS" | grep -c '\.json$' || true) files)"

kubeconform_check() {
  "$KUBECONFORM" -strict -summary -kubernetes-version "$KUBE_VERSION" \
    -schema-location "$SCHEMAS/kubernetes/{{.NormalizedKubernetesVersion}}-standalone{{.StrictSuffix}}/{{.ResourceKind}}{{.KindSuffix}}.json" \
    -schema-location "$SCHEMAS/crds/{{.Group}}/{{.ResourceKind}}_{{.ResourceAPIVersion}}.json" \
    "$@"
}

# Copy of the chart (links resolved) plus a test-only template exposing NOTES.txt's text.
NOTES_CHART="$OUT/notes-chart/legit-scaler"
mkdir -p "$OUT/notes-chart" && cp -aL "$CHART" "$NOTES_CHART"
cat >"$NOTES_CHART/templates/zz-notes-test.yaml" <<'EOF'
apiVersion: v1
kind: ConfigMap
metadata:
  name: notes-test
data:
  notes: {{ include "legit-scaler.notes" . | toJson }}
EOF

# --- 1. values.schema.json is what its generator writes ---------------------------------------------
if "$PYTHON" "$TESTS/gen_values_schema.py" --check; then ok "values.schema.json up to date"; else bad "values.schema.json out of date"; fi

# --- 2. every value set: lint, render, schemas, semantic checks -------------------------------------
for vf in "$TESTS"/values/*.yaml; do
  set_name="$(basename "$vf" .yaml)"
  read -r rel ns < <(sed -n 's/^# release: \(.*\)$/\1/p' "$vf" | head -1; echo)
  rel="${rel:-demo}"; ns="${ns:-legit}"
  if "$HELM" lint --strict --kube-version "$KUBE_VERSION" -n "$ns" -f "$vf" "$CHART" >"$OUT/$set_name.lint" 2>&1; then
    ok "$set_name: helm lint --strict"
  else
    bad "$set_name: helm lint --strict"; cat "$OUT/$set_name.lint"
  fi
  if ! "$HELM" template "$rel" "$CHART" -n "$ns" --kube-version "$KUBE_VERSION" -f "$vf" \
        >"$OUT/$set_name.yaml" 2>"$OUT/$set_name.err"; then
    bad "$set_name: helm template"; cat "$OUT/$set_name.err"; continue
  fi
  ok "$set_name: helm template ($(grep -c '^kind:' "$OUT/$set_name.yaml") objects)"
  if kubeconform_check "$OUT/$set_name.yaml" >"$OUT/$set_name.kubeconform" 2>&1 \
     && ! grep -qiE 'skipped: [1-9]|could not find schema' "$OUT/$set_name.kubeconform"; then
    ok "$set_name: kubeconform: $(tail -1 "$OUT/$set_name.kubeconform")"
  else
    bad "$set_name: kubeconform"; cat "$OUT/$set_name.kubeconform"
  fi
  if "$PYTHON" "$TESTS/check_rendered.py" chart "$OUT/$set_name.yaml" "$vf" --chart "$CHART" \
       --rules "$RULES" --dashboards "$DASHBOARDS" --alertmanager "$AMCONFIG" --name "$set_name" >"$OUT/$set_name.checks" 2>&1; then
    ok "$set_name: semantic checks ($(tail -1 "$OUT/$set_name.checks" | sed 's/^ *//'))"
  else
    bad "$set_name: semantic checks"; cat "$OUT/$set_name.checks"
  fi
  # NOTES.txt renders and names the verification commands. `helm install --dry-run` needs a cluster, so
  # a copy of the chart gets one extra template that puts the NOTES text into a ConfigMap.
  if "$HELM" template "$rel" "$NOTES_CHART" -n "$ns" --kube-version "$KUBE_VERSION" -f "$vf" \
       --show-only templates/zz-notes-test.yaml >"$OUT/$set_name.notes.yaml" 2>"$OUT/$set_name.notes.err" \
     && "$PYTHON" -c 'import sys,yaml; print(yaml.safe_load(open(sys.argv[1]))["data"]["notes"])' \
          "$OUT/$set_name.notes.yaml" >"$OUT/$set_name.notes" \
     && grep -q 'get scaledobject,hpa\|No ScaledObject was rendered' "$OUT/$set_name.notes" \
     && grep -q 'grpc.health.v1.Health/Check' "$OUT/$set_name.notes" \
     && grep -q 'Diagnostics/Explain' "$OUT/$set_name.notes" \
     && grep -q "port-forward svc/" "$OUT/$set_name.notes"; then
    ok "$set_name: NOTES.txt (scaledobject/hpa, port-forward, grpcurl health and Explain)"
  else
    bad "$set_name: NOTES.txt"; cat "$OUT/$set_name.notes.err" "$OUT/$set_name.notes" 2>/dev/null | tail -30
  fi
done

# --- 3. invalid values are rejected (schema or template checks), with a message naming the culprit ---
for vf in "$TESTS"/values-invalid/*.yaml; do
  name="$(basename "$vf" .yaml)"
  expect="$(sed -n 's/^# expect: //p' "$vf" | head -1)"
  if "$HELM" template demo "$CHART" -n legit --kube-version "$KUBE_VERSION" -f "$vf" >"$OUT/invalid-$name.out" 2>&1; then
    bad "invalid/$name: accepted, should be rejected"
  elif grep -qF -- "$expect" "$OUT/invalid-$name.out"; then
    ok "invalid/$name: rejected ($expect)"
  else
    bad "invalid/$name: rejected, but the message does not name '$expect'"; cat "$OUT/invalid-$name.out"
  fi
done

# --- 4. the packaged chart carries the linked files (helm package resolves the symlinks) ------------
pkgdir="$OUT/package"; mkdir -p "$pkgdir"
if "$HELM" package "$CHART" -d "$pkgdir" >"$OUT/package.log" 2>&1; then
  tgz="$(ls "$pkgdir"/*.tgz)"
  "$HELM" template demo "$tgz" -n legit --kube-version "$KUBE_VERSION" >"$OUT/package.yaml" 2>/dev/null || true
  "$HELM" template demo "$CHART" -n legit --kube-version "$KUBE_VERSION" >"$OUT/dir.yaml" 2>/dev/null || true
  n_links=$(tar -tzf "$tgz" | grep -cE 'files/(rules/.+\.ya?ml|dashboards/.+\.json|alertmanager\.yml)$' || true)
  n_src=$(( $(ls "$RULES" | grep -cE '\.ya?ml$' || true) + $(ls "$DASHBOARDS" | grep -c '\.json$' || true) + 1 ))
  if [ -s "$OUT/package.yaml" ] && cmp -s "$OUT/package.yaml" "$OUT/dir.yaml" && [ "$n_links" -eq "$n_src" ]; then
    ok "helm package: $n_links linked files inside, renders the same as the chart folder"
  else
    bad "helm package: $n_links linked files (want $n_src) or output differs"; cat "$OUT/package.log"
  fi
else
  bad "helm package"; cat "$OUT/package.log"
fi

# --- 5. manifests/examples ------------------------------------------------------------------------
if kubeconform_check manifests/examples >"$OUT/examples.kubeconform" 2>&1 \
   && ! grep -qiE 'skipped: [1-9]|could not find schema' "$OUT/examples.kubeconform"; then
  ok "examples: kubeconform: $(tail -1 "$OUT/examples.kubeconform")"
else
  bad "examples: kubeconform"; cat "$OUT/examples.kubeconform"
fi
if "$PYTHON" "$TESTS/check_rendered.py" examples manifests/examples --rendered "$OUT/examples.yaml" \
     --rendered-tls "$OUT/examples-tls.yaml" >"$OUT/examples.checks" 2>&1; then
  ok "examples: semantic checks ($(tail -1 "$OUT/examples.checks" | sed 's/^ *//'))"
else
  bad "examples: semantic checks"; cat "$OUT/examples.checks"
fi

echo "test-helm: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
