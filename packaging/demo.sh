#!/usr/bin/env bash
# The main job (README): installs what it needs, builds, and diagnoses a host.
#   packaging/demo.sh                  -> starts a local lab host (a legacy TLS 1.0 server on
#                                         127.0.0.1), diagnoses it, then connects to it
#   packaging/demo.sh HOST [OPTIONS]   -> rdpdoctor diagnose HOST [OPTIONS]
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" -eq 0 ]; then bash packaging/install-deps.sh; else sudo bash packaging/install-deps.sh; fi
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
ninja -C build/release rdpdoctor rdpdoctor-lab >/dev/null
bin=build/release/client/app/rdpdoctor
lab=build/release/tests/lab/rdpdoctor-lab

if [ $# -gt 0 ]; then
  exec "$bin" diagnose "$@"
fi

out=$(mktemp)
"$lab" xrdp-tls10-ecdhe >"$out" 2>&1 &
labpid=$!
trap 'kill "$labpid" 2>/dev/null; wait "$labpid" 2>/dev/null; rm -f "$out"' EXIT
for _ in $(seq 1 150); do
  grep -q '^READY ' "$out" && break
  kill -0 "$labpid" 2>/dev/null || { cat "$out"; echo "demo: the lab host did not start" >&2; exit 1; }
  sleep 0.1
done
host=$(awk '/^READY /{print $2}' "$out")
[ -n "$host" ] || { cat "$out"; echo "demo: the lab host did not start in time" >&2; exit 1; }

echo "== lab host: xrdp at $host, TLS 1.0 only with an ECDHE cipher (a legacy Windows host)"
# the default path: nothing but the host. On a terminal rdpdoctor asks about the lab host's
# self-signed certificate when an attempt first meets it; without one nobody can answer, so the
# demo says which flag it adds instead
cert=()
if [ -t 0 ] && [ -t 1 ]; then
  echo "== rdpdoctor will ask whether to accept the lab host's self-signed certificate: answer o (once: the connection after the diagnosis asks again) or a (always: it does not)"
else
  cert=(--cert accept-once)
  echo "== no terminal to answer the certificate question: adding --cert accept-once (accept the lab host's self-signed certificate for this run only)"
fi
echo "== rdpdoctor diagnose $host ${cert[*]}"
"$bin" diagnose "$host" "${cert[@]}" || true
echo
echo "== rdpdoctor connect --headless $host ${cert[*]}"
"$bin" connect --headless "$host" "${cert[@]}"
