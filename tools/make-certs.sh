#!/usr/bin/env bash
# Makes the certificates the services serve HTTPS with (docs/decisions.md, "HTTPS only, TLS 1.2 and 1.3"):
#   a private CA       ca.crt, ca.key        (ca.key never leaves this folder; nothing mounts it)
#   one server cert    server.crt, server.key (EC P-256, signed by the CA) whose subjectAltName covers the
#                      docker-compose.yml service names, localhost and 127.0.0.1, plus any --name given
# Everything that talks to a service (the services themselves, Prometheus, the agents, ./tlsrollout) trusts ca.crt
# and nothing else.
#
#   tools/make-certs.sh [--out DIR] [--name DNS-OR-IP]... [--days N] [--force]
#     --out DIR    where to write (default: certs/ at the repository's top; .gitignored)
#     --name NAME  one more name the services are reached by (a host name, or an IPv4/IPv6 address); repeatable
#     --days N     validity of the server certificate (default 397); the CA's is 10 years
#     --force      make a new CA and server certificate even when valid ones exist
# Idempotent: an existing CA is kept; an existing server certificate is kept while it is signed by that CA,
# covers every name and is valid for 30 more days. Prints what it made and what it kept. Needs openssl.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$root/certs"
days=397
force=0
names=(collector-service rules-service remediation-service ui localhost 127.0.0.1)

usage() { sed -n '2,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
while (($#)); do
  case $1 in
    --out) out=${2:?--out needs a folder}; shift 2 ;;
    --name) names+=("${2:?--name needs a host name or an address}"); shift 2 ;;
    --days) days=${2:?--days needs a number}; shift 2 ;;
    --force) force=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "make-certs.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
[[ $days =~ ^[0-9]+$ && $days -ge 1 ]] || { echo "make-certs.sh: --days must be a positive number" >&2; exit 2; }
command -v openssl >/dev/null || { echo "make-certs.sh: openssl is needed (apt-get install openssl)" >&2; exit 1; }

umask 077
mkdir -p "$out"
chmod 700 "$out"
out="$(cd "$out" && pwd)"

san=""
for n in "${names[@]}"; do
  if [[ $n =~ ^[0-9.]+$ || $n == *:* ]]; then san+="${san:+,}IP:$n"; else san+="${san:+,}DNS:$n"; fi
done

# --- the CA
if ((force)) || [[ ! -s $out/ca.key || ! -s $out/ca.crt ]]; then
  openssl ecparam -name prime256v1 -genkey -noout -out "$out/ca.key.tmp" 2>/dev/null
  openssl pkcs8 -topk8 -nocrypt -in "$out/ca.key.tmp" -out "$out/ca.key"
  rm -f "$out/ca.key.tmp"
  openssl req -new -x509 -sha256 -days 3650 -key "$out/ca.key" -out "$out/ca.crt" \
    -subj "/O=tlsrollout/CN=tlsrollout private CA" \
    -addext "basicConstraints=critical,CA:TRUE,pathlen:0" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -addext "subjectKeyIdentifier=hash"
  chmod 600 "$out/ca.key"
  chmod 644 "$out/ca.crt"
  echo "made     $out/ca.crt (private CA, EC P-256, 10 years) and its key $out/ca.key"
  rm -f "$out/server.crt"   # signed by the old CA, if any
else
  echo "kept     $out/ca.crt (the existing private CA)"
fi

# --- the server certificate: kept while it is the CA's, names everything asked and lasts 30 more days
server_ok() {
  [[ -s $out/server.crt && -s $out/server.key ]] || return 1
  openssl verify -CAfile "$out/ca.crt" "$out/server.crt" >/dev/null 2>&1 || return 1
  openssl x509 -in "$out/server.crt" -noout -checkend $((30 * 86400)) >/dev/null 2>&1 || return 1
  local have
  have=$(openssl x509 -in "$out/server.crt" -noout -ext subjectAltName 2>/dev/null | tail -n +2 | tr -d ' ')
  local want
  IFS=, read -r -a want <<<"$san"
  for w in "${want[@]}"; do
    [[ ",$have," == *",${w/IP:/IPAddress:},"* ]] || return 1
  done
}

if ((force)) || ! server_ok; then
  openssl ecparam -name prime256v1 -genkey -noout -out "$out/server.key.tmp" 2>/dev/null
  openssl pkcs8 -topk8 -nocrypt -in "$out/server.key.tmp" -out "$out/server.key"
  rm -f "$out/server.key.tmp"
  openssl req -new -sha256 -key "$out/server.key" -out "$out/server.csr" -subj "/O=tlsrollout/CN=tlsrollout services"
  cat >"$out/server.ext" <<EOF
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=serverAuth
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid
subjectAltName=$san
EOF
  openssl x509 -req -sha256 -days "$days" -in "$out/server.csr" -CA "$out/ca.crt" -CAkey "$out/ca.key" \
    -CAcreateserial -extfile "$out/server.ext" -out "$out/server.crt" 2>/dev/null
  rm -f "$out/server.csr" "$out/server.ext" "$out/ca.srl"
  chmod 644 "$out/server.crt"
  # The containers run as uid 185, not as the owner of these files: the key must be readable by others. The
  # folder itself (700) keeps other users of this machine out; compose mounts the file, not the folder.
  chmod 644 "$out/server.key"
  echo "made     $out/server.crt (EC P-256, $days days) and its key $out/server.key for ${san//,/, }"
else
  echo "kept     $out/server.crt (signed by the CA, valid for 30 days or more, for ${san//,/, })"
fi
