#!/usr/bin/env bash
# PKI for make test-k8s, plain openssl, into DIR (argument). Every name and address is loopback.
#   ca            cluster CA: kube-apiserver serving cert, admin client (O=system:masters), KEDA's
#                 operator gRPC + metrics adapter cert (serverAuth+clientAuth; copied to keda-certs/)
#   front-proxy   the aggregator's client CA and client cert
#   sa.key/.pub   service-account token signing
#   scaler-ca     legit-scaler's TLS: its server cert (127.0.0.1, localhost and the chart's Service name,
#                 which the NOTES' grpcurl -authority uses) and the client cert KEDA (and grpcurl) present
#   wrong-ca      a CA that signed nothing the scaler serves (a TriggerAuthentication with it must fail)
set -euo pipefail
D=${1:?usage: mkpki.sh DIR [SCALER_DNS_NAME]}
SCALER_DNS=${2:-legit-scaler.legit-scaler.svc.cluster.local}
mkdir -p "$D" && cd "$D"
ca() { openssl req -x509 -newkey rsa:2048 -nodes -keyout "$1.key" -out "$1.crt" -days 2 -subj "/CN=$2" 2>/dev/null; }
# sign NAME SUBJECT SANS EKU [CA]
sign() {
  local n=$1 subj=$2 sans=$3 eku=$4 issuer=${5:-ca}
  openssl req -new -newkey rsa:2048 -nodes -keyout "$n.key" -subj "$subj" -out "$n.csr" 2>/dev/null
  { echo "basicConstraints=CA:FALSE"; echo "keyUsage=digitalSignature,keyEncipherment"; echo "extendedKeyUsage=$eku"
    [ -z "$sans" ] || echo "subjectAltName=$sans"; } > "$n.ext"
  openssl x509 -req -in "$n.csr" -CA "$issuer.crt" -CAkey "$issuer.key" -CAcreateserial -days 2 -extfile "$n.ext" -out "$n.crt" 2>/dev/null
  rm -f "$n.csr" "$n.ext"
}
ca ca legit-scaler-test-k8s-ca
ca front-proxy-ca legit-scaler-test-k8s-front-proxy-ca
ca scaler-ca legit-scaler-test-k8s-scaler-ca
ca wrong-ca legit-scaler-test-k8s-wrong-ca
sign apiserver /CN=kube-apiserver "IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local" serverAuth
sign admin "/O=system:masters/CN=admin" "" clientAuth
# The aggregator verifies the adapter's certificate for the APIService's Service name (it only dials localhost).
sign keda /CN=keda "IP:127.0.0.1,DNS:localhost,DNS:keda-metrics-apiserver.keda.svc" serverAuth,clientAuth
sign front-proxy-client /CN=front-proxy-client "" clientAuth front-proxy-ca
sign scaler /CN=legit-scaler "IP:127.0.0.1,DNS:localhost,DNS:$SCALER_DNS" serverAuth scaler-ca
sign keda-client /CN=keda-operator "" clientAuth scaler-ca
openssl genrsa -out sa.key 2048 2>/dev/null && openssl rsa -in sa.key -pubout -out sa.pub 2>/dev/null
mkdir -p keda-certs && cp ca.crt keda-certs/ca.crt && cp keda.crt keda-certs/tls.crt && cp keda.key keda-certs/tls.key
# The file names the chart's NOTES use for grpcurl (-cacert ca.crt -cert client.crt -key client.key).
mkdir -p grpcurl && cp scaler-ca.crt grpcurl/ca.crt && cp keda-client.crt grpcurl/client.crt && cp keda-client.key grpcurl/client.key
