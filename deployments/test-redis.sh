#!/usr/bin/env bash
# test-redis.sh starts a throwaway redis-server on a free loopback port, runs
# the given command with POLICYBOT_TEST_REDIS_URL pointing at it, stops the
# server whatever happens, and exits with the command's status.
#
#   deployments/test-redis.sh go test -race -count=1 ./...
#   deployments/test-redis.sh bash        # a shell for development
#
# The server keeps nothing on disk: its working directory is a temp dir that is
# removed afterwards, and RDB snapshots and the AOF are both off.
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
redis_pid=

# shellcheck disable=SC2317 # Called by the EXIT trap.
stop_redis() {
	if [ -n "$redis_pid" ] && kill -0 "$redis_pid" 2>/dev/null; then
		kill "$redis_pid" 2>/dev/null || true
		wait "$redis_pid" 2>/dev/null || true
	fi
	rm -rf "$workdir"
}
trap stop_redis EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# port_in_use reports whether something already listens on 127.0.0.1:$1.
port_in_use() {
	(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# start_redis starts redis-server on a random free port and waits until it
# answers PING. Another process can take the port between the check and the
# bind, so a server that dies at start is retried on another port.
start_redis() {
	local attempt port
	for attempt in $(seq 1 10); do
		port=$((20000 + RANDOM % 40000))
		port_in_use "$port" && continue
		redis-server --bind 127.0.0.1 --port "$port" --dir "$workdir" \
			--save '' --appendonly no --daemonize no \
			--logfile "$workdir/redis.log" &
		redis_pid=$!
		for _ in $(seq 1 100); do
			if ! kill -0 "$redis_pid" 2>/dev/null; then
				break
			fi
			if [ "$(redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null)" = PONG ]; then
				REDIS_PORT=$port
				return
			fi
			sleep 0.05
		done
		echo "test-redis: redis-server did not start on port $port (attempt $attempt):" >&2
		tail -n 5 "$workdir/redis.log" >&2 || true
		kill "$redis_pid" 2>/dev/null || true
		wait "$redis_pid" 2>/dev/null || true
		redis_pid=
	done
	echo "test-redis: giving up on starting redis-server" >&2
	exit 1
}

start_redis
echo "test-redis: redis-server $(redis-server --version | awk '{print $3}') on 127.0.0.1:$REDIS_PORT" >&2

export POLICYBOT_TEST_REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
export POLICYBOT_REQUIRE_REDIS=1
status=0
"$@" || status=$?
exit "$status"
