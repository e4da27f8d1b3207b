#!/usr/bin/env bash
# The throughput of POST /v1/match as a share of a bare Gin JSON echo's
# (deployments/load/echo) in the same run, as BENCHMARKS.md gives it. Run
# from the repository root:
#
#     deployments/load/match-ratio.sh [runs]
#
# It builds both servers, starts them on loopback, warms each up, then runs
# wrk -t2 -c32 -d10s with deployments/load/match.lua on one and the other in
# turn, runs times each (5 by default), and prints every run, the median of
# each side and their ratio. Any answer but 2xx fails the run.
# POLICYBOT_BIN names a policybot binary to measure instead of building one,
# to compare builds the same way; POLICYBOT_LOG_LEVEL sets its --log-level
# (info by default, so that every request is logged as in production).
set -euo pipefail

runs=${1:-5}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
pids=()
# shellcheck disable=SC2317 # Called by the EXIT trap.
stop() {
	for pid in "${pids[@]}"; do
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
	rm -rf "$work"
}
trap stop EXIT

command -v wrk >/dev/null || { echo "match-ratio: wrk is missing; install Debian's wrk package" >&2; exit 1; }
bin=${POLICYBOT_BIN:-$work/policybot}
[ -n "${POLICYBOT_BIN:-}" ] || go build -o "$bin" ./cmd/policybot
go build -o "$work/echo" ./deployments/load/echo

# free prints a TCP port nobody listens on.
free() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# start runs a server in the background, logging to $work/NAME.log, and
# waits until url answers 200.
start() {
	local name=$1 url=$2
	shift 2
	"$@" >"$work/$name.log" 2>&1 &
	pids+=($!)
	local pid=$!
	until [ "$(curl -s -o /dev/null -w '%{http_code}' "$url" || true)" = 200 ]; do
		kill -0 "$pid" 2>/dev/null || { cat "$work/$name.log" >&2; exit 1; }
		sleep 0.05
	done
}

# rate runs wrk once and prints its requests per second.
rate() {
	local out
	out=$(wrk -t2 -c32 -d"$1" -s "$here/match.lua" "$2")
	if grep -q 'Non-2xx\|Socket errors' <<<"$out"; then
		echo "$out" >&2
		exit 1
	fi
	awk '/^Requests\/sec:/ {print $2}' <<<"$out"
}

median() { sort -g | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }

echo_port=$(free)
start echo "http://127.0.0.1:$echo_port/healthz" "$work/echo" -addr "127.0.0.1:$echo_port"
match_port=$(free)
start match "http://127.0.0.1:$match_port/readyz" "$bin" serve --addr "127.0.0.1:$match_port" --data-dir "$work/data" --log-level "${POLICYBOT_LOG_LEVEL:-info}"
names=(echo match)
urls=("http://127.0.0.1:$echo_port" "http://127.0.0.1:$match_port")

echo "$(nproc) CPUs, $(lscpu | sed -n 's/^Model name: *//p'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
for i in 0 1; do
	rate 3s "${urls[$i]}" >/dev/null
done
for run in $(seq "$runs"); do
	for i in 0 1; do
		r=$(rate 10s "${urls[$i]}")
		echo "run $run ${names[$i]}: $r requests/s"
		echo "$r" >>"$work/rate.${names[$i]}"
	done
done
a=$(median <"$work/rate.echo")
b=$(median <"$work/rate.match")
echo "median echo $a, match $b requests/s: match/echo $(awk -v a="$a" -v b="$b" 'BEGIN {printf "%.2f", b / a}')"
echo "load average $(cut -d' ' -f1-3 /proc/loadavg)"
