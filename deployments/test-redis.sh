#!/usr/bin/env bash
# test-redis.sh starts a throwaway redis-server, a Sentinel that watches it,
# and a throwaway Redis Cluster of three masters, on free loopback ports; runs
# the given command with POLICYBOT_TEST_REDIS_URL,
# POLICYBOT_TEST_REDIS_SENTINEL_URL (the same server, found through the
# Sentinel) and POLICYBOT_TEST_REDIS_CLUSTER_URL pointing at them; stops every
# server whatever happens, and exits with the command's status.
#
#   deployments/test-redis.sh go test -race -count=1 ./...
#   deployments/test-redis.sh bash        # a shell for development
#
# The servers keep nothing on disk: their working directories are under a
# temp dir that is removed afterwards, and RDB snapshots and the AOF are off.
set -euo pipefail

if [ "$#" -eq 0 ]; then
	echo "usage: $0 command [args...]" >&2
	exit 2
fi

# install_redis installs Debian's package when the binary is missing, so a new
# machine or CI needs nothing set up by hand. The package lists are refreshed
# only when the install fails without it, since apt-get update is slow.
install_redis() {
	command -v redis-server >/dev/null && command -v redis-cli >/dev/null && return
	if [ "$(id -u)" -ne 0 ]; then
		echo "test-redis: redis-server is missing; install Debian's redis-server package" >&2
		exit 1
	fi
	echo "test-redis: installing redis-server with apt-get" >&2
	export DEBIAN_FRONTEND=noninteractive
	if ! apt-get install -y -qq redis-server >&2; then
		apt-get update -qq >&2
		apt-get install -y -qq redis-server >&2
	fi
}

install_redis

workdir=$(mktemp -d "${TMPDIR:-/tmp}/policybot-redis.XXXXXX")
pids=()

# shellcheck disable=SC2317 # Called by the EXIT trap.
stop_redis() {
	local pid
	for pid in "${pids[@]}"; do
		kill "$pid" 2>/dev/null || true
	done
	for pid in "${pids[@]}"; do
		wait "$pid" 2>/dev/null || true
	done
	rm -rf "$workdir"
}
trap stop_redis EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# port_in_use reports whether something already listens on 127.0.0.1:$1.
port_in_use() {
	(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# start_redis NAME [redis-server options...] starts redis-server on a random
# free port, in a directory of its own with a configuration file holding
# $REDIS_CONF (a Sentinel needs a file it can rewrite), and waits until it
# answers PING; the port is left in REDIS_PORT. The port is below 55536 and its port+10000, a
# cluster node's bus port, is checked free too. Another process can take a
# port between the check and the bind, so a server that dies at start is
# retried on another port.
start_redis() {
	local name=$1 attempt port pid
	shift
	mkdir -p "$workdir/$name"
	printf '%s\n' "${REDIS_CONF:-}" >"$workdir/$name/redis.conf"
	for attempt in $(seq 1 10); do
		port=$((20000 + RANDOM % 30000))
		if port_in_use "$port" || port_in_use $((port + 10000)); then
			continue
		fi
		redis-server "$workdir/$name/redis.conf" --bind 127.0.0.1 --port "$port" --dir "$workdir/$name" \
			--save '' --appendonly no --daemonize no \
			--logfile "$workdir/$name/redis.log" "$@" &
		pid=$!
		pids+=("$pid")
		for _ in $(seq 1 100); do
			if ! kill -0 "$pid" 2>/dev/null; then
				break
			fi
			if [ "$(redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null)" = PONG ]; then
				REDIS_PORT=$port
				return
			fi
			sleep 0.05
		done
		echo "test-redis: redis-server $name did not start on port $port (attempt $attempt):" >&2
		tail -n 5 "$workdir/$name/redis.log" >&2 || true
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
	echo "test-redis: giving up on starting redis-server $name" >&2
	exit 1
}

# start_cluster starts three masters and joins them into one cluster that
# shares the 16384 slots, with no replicas: enough for keys to land on
# different nodes, which is what the tests of a cluster need. It waits until
# every node says the cluster is ok, and leaves the nodes in CLUSTER_ADDRS.
start_cluster() {
	local i node state ok
	CLUSTER_ADDRS=()
	for i in 1 2 3; do
		start_redis "cluster$i" --cluster-enabled yes --cluster-config-file nodes.conf \
			--cluster-node-timeout 5000
		CLUSTER_ADDRS+=("127.0.0.1:$REDIS_PORT")
	done
	if ! redis-cli --cluster create "${CLUSTER_ADDRS[@]}" --cluster-replicas 0 --cluster-yes \
		>"$workdir/cluster-create.log" 2>&1; then
		echo "test-redis: redis-cli --cluster create failed:" >&2
		tail -n 20 "$workdir/cluster-create.log" >&2
		exit 1
	fi
	for _ in $(seq 1 200); do
		ok=1
		for node in "${CLUSTER_ADDRS[@]}"; do
			state=$(redis-cli -h "${node%:*}" -p "${node#*:}" cluster info 2>/dev/null | tr -d '\r' | grep '^cluster_state:' || true)
			[ "$state" = cluster_state:ok ] || ok=
		done
		[ -n "$ok" ] && return
		sleep 0.05
	done
	echo "test-redis: the cluster of ${CLUSTER_ADDRS[*]} is not ok after 10s" >&2
	exit 1
}

start_redis single
single_port=$REDIS_PORT
# With no replica to promote the Sentinel never fails over; it only tells
# clients where the master is, which is what the tests of a Sentinel URL need.
REDIS_CONF="sentinel monitor policybot 127.0.0.1 $single_port 1" start_redis sentinel --sentinel
sentinel_port=$REDIS_PORT
start_cluster
echo "test-redis: redis-server $(redis-server --version | awk '{print $3}') on 127.0.0.1:$single_port (Sentinel on :$sentinel_port), and a cluster on ${CLUSTER_ADDRS[*]}" >&2

export POLICYBOT_TEST_REDIS_URL="redis://127.0.0.1:$single_port/0"
export POLICYBOT_TEST_REDIS_SENTINEL_URL="redis+sentinel://127.0.0.1:$sentinel_port/0?master_name=policybot"
export POLICYBOT_TEST_REDIS_CLUSTER_URL="redis+cluster://${CLUSTER_ADDRS[0]}?addr=${CLUSTER_ADDRS[1]}&addr=${CLUSTER_ADDRS[2]}"
export POLICYBOT_REQUIRE_REDIS=1
status=0
"$@" || status=$?
exit "$status"
