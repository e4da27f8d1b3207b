#!/usr/bin/env bash
# Start-up to ready and resident memory of `policybot serve --kb DIR` on the
# synthetic library of 100 documents (library/synth_test.go), as
# BENCHMARKS.md gives them. Run from the repository root:
#
#     deployments/load/startup.sh [runs]
#
# Each run execs the server, polls /readyz every 10 ms until it answers 200,
# reads VmRSS from /proc, sends 200 matches and 200 searches with region
# 南康区, reads VmRSS again and stops the server it started.
set -euo pipefail

runs=${1:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/policybot" ./cmd/policybot
go test ./library -run '^TestWriteSynthetic$' -count 1 -synth-out "$work/kb" >/dev/null
port=18480
base="http://127.0.0.1:$port"
match='{"profile": {"applicant_type":"enterprise","region":"南康区","industry":"modern_light_textile","is_industrial":true,"enterprise_scale":"medium","main_revenue_cny":1100000000,"prior_max_revenue_cny":990000000,"profitable":true,"bond_financing_cny":300000000,"project_investment_cny":250000000,"pays_social_insurance":true,"informatization_demo":"provincial","energy_saving_tce":800,"indicators_grew_yoy":true,"energy_product_certified":true}, "as_of": "2026-11-27"}'

rss() { awk '/^VmRSS/ {printf "%.0f", $2/1024}' "/proc/$1/status"; }

for run in $(seq "$runs"); do
	start=$(date +%s%N)
	"$work/policybot" serve --kb "$work/kb" --addr "127.0.0.1:$port" --log-level warn >"$work/log" 2>&1 &
	pid=$!
	until [ "$(curl -s -o /dev/null -w '%{http_code}' "$base/readyz" || true)" = 200 ]; do
		kill -0 "$pid" 2>/dev/null || { cat "$work/log"; exit 1; }
		sleep 0.01
	done
	ready=$(( ($(date +%s%N) - start) / 1000000 ))
	rss_ready=$(rss "$pid")
	failed=0
	for i in $(seq 200); do
		for code in \
			"$(curl -s -o /dev/null -w '%{http_code}' "$base/v1/match" -H 'Content-Type: application/json' -d "$match")" \
			"$(curl -s -o /dev/null -w '%{http_code}' -G "$base/v1/search" --data-urlencode 'q=企业债券融资有奖励吗' --data-urlencode 'region=南康区' --data-urlencode "size=$((i % 10 + 1))")"; do
			[ "$code" = 200 ] || failed=$((failed + 1))
		done
	done
	rss_after=$(rss "$pid")
	kill "$pid"
	wait "$pid" || true
	echo "run $run: ready in $ready ms, VmRSS $rss_ready MiB at ready, $rss_after MiB after 400 requests ($failed not 200)"
done
