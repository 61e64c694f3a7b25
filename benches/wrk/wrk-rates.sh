#!/bin/bash
# wrk-rates.sh BIN CONNS SECS: req/s of a hyper hello-world, one session's control URL, and
# the hello-world again, each with `wrk -t2 -cCONNS -dSECS`. BIN is a release voxrun; the
# hello-world is `examples/load hello-process` beside it (target/release/examples/load).
set -u
BIN=$1; C=$2; S=$3
. "$(dirname "$0")/common.sh"
start_session
HF=$(mktemp)
"$(dirname "$BIN")/examples/load" hello-process >"$HF" &
HP=$!
for _ in $(seq 100); do [ -s "$HF" ] && break; sleep 0.1; done
H=http://$(cat "$HF")/
rate() { wrk -t2 -c"$C" -d"${S}s" "$1" | awk '/Requests\/sec/{printf "%d", $2}'; }
echo "$BIN c=$C: hello $(rate "$H")  control $(rate "$URL")  hello $(rate "$H")"
kill "$HP"; rm -f "$HF"
stop_server
