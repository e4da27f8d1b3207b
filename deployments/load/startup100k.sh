#!/usr/bin/env bash
# Start-up to ready and memory of `policybot serve --kb DIR` on a library of
# 100,000 clauses (the built-in library plus the synthetic clauses of
# kb.TestWriteLarge), before and after the search index moved to disk, side
# by side in one run, as BENCHMARKS.md gives them. Run from the repository
# root:
#
#     deployments/load/startup100k.sh [BEFORE_REV] [runs]
#
# BEFORE_REV (default 44b4719, the last commit that built the index in
# memory at every start) is built from `git archive`, the working tree as
# it is. The library is written once; `policybot kb build` builds the index
# for the new binary, timed. Then each run starts the old binary and the
# new one in turn, polls /readyz every 10 ms, reads the CPU time the
# process used and VmHWM and VmRSS from /proc at ready, sends 100 searches
# (half of them with region 南康区) and 100 matches, reads VmHWM and VmRSS
# again, and stops the server.
set -euo pipefail

before_rev=${1:-44b4719}
runs=${2:-1}
clauses=100000
work=$(mktemp -d)
pid=
cleanup() {
	[ -z "$pid" ] || kill "$pid" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT

go build -o "$work/after" ./cmd/policybot
mkdir "$work/before-src"
git archive "$before_rev" | tar -x -C "$work/before-src"
(cd "$work/before-src" && go build -o "$work/before" ./cmd/policybot)
go test ./kb -run '^TestWriteLarge$' -count 1 -large-out "$work/kb" -large-clauses "$clauses" >/dev/null
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "library: $(find "$work/kb" -name document.yaml | wc -l) documents, $clauses clauses, $(du -sm "$work/kb" | cut -f1) MB"

/usr/bin/time -f '%e s wall, %U s user, %S s system, %M KiB peak RSS' -o "$work/build-time" \
	"$work/after" kb build --kb "$work/kb" --data-dir "$work/data-after" >/dev/null
echo "kb build: $(cat "$work/build-time"), index $(du -sm "$work/data-after/index" | cut -f1) MB"

port=18490
base="http://127.0.0.1:$port"
match='{"profile": {"applicant_type":"enterprise","region":"南康区","industry":"modern_light_textile","is_industrial":true,"main_revenue_cny":1100000000,"prior_max_revenue_cny":990000000,"profitable":true,"bond_financing_cny":300000000}, "as_of": "2026-11-27"}'
status() { awk -v k="$2" '$1 == k":" {printf "%.0f", $2/1024}' "/proc/$1/status"; }
cpu() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.1f", ($14+$15)/hz}' "/proc/$1/stat"; }

for run in $(seq "$runs"); do
	for which in before after; do
		start=$(date +%s%N)
		"$work/$which" serve --kb "$work/kb" --addr "127.0.0.1:$port" --data-dir "$work/data-$which" --log-level warn >"$work/log" 2>&1 &
		pid=$!
		until [ "$(curl -s -o /dev/null -w '%{http_code}' "$base/readyz" || true)" = 200 ]; do
			kill -0 "$pid" 2>/dev/null || { cat "$work/log"; exit 1; }
			sleep 0.01
		done
		ready=$(( ($(date +%s%N) - start) / 1000000 ))
		line="run $run $which: ready in $ready ms, $(cpu "$pid") s CPU; VmHWM $(status "$pid" VmHWM) MiB, VmRSS $(status "$pid" VmRSS) MiB at ready"
		failed=0
		for i in $(seq 50); do
			for code in \
				"$(curl -s -o /dev/null -w '%{http_code}' -G "$base/v1/search" --data-urlencode 'q=企业债券融资有奖励吗' --data-urlencode "size=$((i % 10 + 1))")" \
				"$(curl -s -o /dev/null -w '%{http_code}' -G "$base/v1/search" --data-urlencode 'q=主营业务收入首次突破台阶奖励' --data-urlencode 'region=南康区')" \
				"$(curl -s -o /dev/null -w '%{http_code}' "$base/v1/match" -H 'Content-Type: application/json' -d "$match")" \
				"$(curl -s -o /dev/null -w '%{http_code}' "$base/v1/match" -H 'Content-Type: application/json' -d "$match")"; do
				[ "$code" = 200 ] || failed=$((failed + 1))
			done
		done
		echo "$line; VmHWM $(status "$pid" VmHWM) MiB, VmRSS $(status "$pid" VmRSS) MiB after 200 requests ($failed not 200)"
		kill "$pid"
		wait "$pid" || true
		pid=
	done
done
