#!/bin/bash
# wrk-cpu.sh BIN CONNS SECS: one session's control URL under `wrk -t2 -cCONNS -dSECS`, and
# the CPU time per request of the supervisor and of its worker processes (/proc/PID/stat).
set -u
BIN=$1; C=$2; S=$3
. "$(dirname "$0")/common.sh"
start_session
ticks() { for p in "$@"; do awk '{print $14+$15}' "/proc/$p/stat"; done | paste -sd+ | bc; }
W=$(pgrep -P "$SP" | paste -sd' ')
s0=$(ticks "$SP"); w0=$(ticks $W)
n=$(wrk -t2 -c"$C" -d"${S}s" "$URL" | awk '/requests in/{print $1}')
s1=$(ticks "$SP"); w1=$(ticks $W)
hz=$(getconf CLK_TCK)
echo "$BIN c=$C: $((n / S)) req/s, supervisor $(echo "scale=2; ($s1-$s0)*1000000/$hz/$n" | bc) us/req, workers $(echo "scale=2; ($w1-$w0)*1000000/$hz/$n" | bc) us/req"
stop_server
