#!/usr/bin/env bash
# test-postgres.sh starts a throwaway PostgreSQL on a free loopback port, runs
# the given command with POLICYBOT_TEST_POSTGRES_URL pointing at an empty
# database on it, stops the server and removes its files whatever happens, and
# exits with the command's status.
#
#   deployments/test-postgres.sh go test -race -count=1 ./...
#   deployments/test-redis.sh deployments/test-postgres.sh go test ./...
#   deployments/test-postgres.sh bash      # a shell for development
#
# The cluster lives in a temp dir, with fsync off: it is for tests only.
# PostgreSQL refuses to run as root, so when this script runs as root (as CI
# does) the server runs as the postgres user, or nobody if there is none.
set -euo pipefail

if [ "$#" -eq 0 ]; then
	echo "usage: $0 command [args...]" >&2
	exit 2
fi

# find_bindir prints the directory of the first pg_ctl found: on the PATH,
# else under /usr/lib/postgresql, where Debian's packages put it off the PATH
# (the newest version first).
find_bindir() {
	local pg_ctl dir
	if pg_ctl=$(command -v pg_ctl) && dir=$(dirname "$(readlink -f "$pg_ctl")") &&
		[ -x "$dir/initdb" ] && [ -x "$dir/postgres" ]; then
		echo "$dir"
		return
	fi
	for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
		if [ -x "$dir/pg_ctl" ] && [ -x "$dir/initdb" ] && [ -x "$dir/postgres" ]; then
			echo "$dir"
			return
		fi
	done
	return 1
}

# install_postgres installs Debian's package when no server is found, so a new
# machine or CI needs nothing set up by hand. The package lists are refreshed
# only when the install fails without them, since apt-get update is slow.
install_postgres() {
	if [ "$(id -u)" -ne 0 ]; then
		echo "test-postgres: PostgreSQL is missing; install Debian's postgresql package" >&2
		exit 1
	fi
	echo "test-postgres: installing postgresql with apt-get" >&2
	export DEBIAN_FRONTEND=noninteractive
	if ! apt-get install -y -qq postgresql >&2; then
		apt-get update -qq >&2
		apt-get install -y -qq postgresql >&2
	fi
}

if ! bindir=$(find_bindir); then
	install_postgres
	if ! bindir=$(find_bindir); then
		echo "test-postgres: installed postgresql, but found no pg_ctl, initdb and postgres" >&2
		exit 1
	fi
fi

# as_server runs a command as the user the server runs as.
server_user=$(id -un)
if [ "$(id -u)" -eq 0 ]; then
	server_user=nobody
	id postgres >/dev/null 2>&1 && server_user=postgres
fi
as_server() {
	if [ "$server_user" = "$(id -un)" ]; then
		"$@"
	elif command -v runuser >/dev/null; then
		runuser -u "$server_user" -- "$@"
	else
		su -s /bin/sh -c "$(printf '%q ' "$@")" "$server_user"
	fi
}

workdir=
datadir=
started=

# shellcheck disable=SC2317 # Called by the EXIT trap.
stop_postgres() {
	if [ -n "$started" ]; then
		if ! as_server "$bindir/pg_ctl" stop -D "$datadir" -m immediate -w >/dev/null 2>&1; then
			# pg_ctl could not stop it; the postmaster's pid is the first line.
			if [ -r "$datadir/postmaster.pid" ]; then
				kill -9 "$(head -n 1 "$datadir/postmaster.pid")" 2>/dev/null || true
			fi
		fi
	fi
	[ -z "$workdir" ] || rm -rf "$workdir"
}
trap stop_postgres EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The server's user must reach its directory: a TMPDIR private to root would
# not do, so the directory is made under /tmp when the user cannot.
workdir=$(mktemp -d "${TMPDIR:-/tmp}/policybot-postgres.XXXXXX")
chown "$server_user" "$workdir"
if ! as_server test -w "$workdir"; then
	rmdir "$workdir"
	workdir=$(mktemp -d /tmp/policybot-postgres.XXXXXX)
	chown "$server_user" "$workdir"
fi
datadir=$workdir/data

if ! as_server "$bindir/initdb" -D "$datadir" -U postgres --auth=trust --no-locale -E UTF8 \
	>"$workdir/initdb.log" 2>&1; then
	echo "test-postgres: initdb failed:" >&2
	tail -n 20 "$workdir/initdb.log" >&2
	exit 1
fi

# port_in_use reports whether something already listens on 127.0.0.1:$1.
port_in_use() {
	(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# start_postgres starts the server on a random free port and waits until it
# accepts connections. Another process can take the port between the check
# and the bind, so a server that fails to start is retried on another port.
start_postgres() {
	local attempt port
	for attempt in $(seq 1 10); do
		port=$((20000 + RANDOM % 40000))
		port_in_use "$port" && continue
		started=1
		if as_server "$bindir/pg_ctl" start -D "$datadir" -w -t 60 -l "$workdir/postgres.log" \
			-o "-p $port -c listen_addresses=127.0.0.1 -k $workdir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
			>/dev/null; then
			PG_PORT=$port
			return
		fi
		echo "test-postgres: postgres did not start on port $port (attempt $attempt):" >&2
		tail -n 5 "$workdir/postgres.log" >&2 || true
		as_server "$bindir/pg_ctl" stop -D "$datadir" -m immediate -w >/dev/null 2>&1 || true
		started=
	done
	echo "test-postgres: giving up on starting postgres" >&2
	exit 1
}

start_postgres
psql=$bindir/psql
[ -x "$psql" ] || psql=$(command -v psql)
as_server "$psql" -h "$workdir" -p "$PG_PORT" -U postgres -d postgres -q -v ON_ERROR_STOP=1 \
	-c 'CREATE DATABASE policybot_test' >/dev/null
echo "test-postgres: postgres $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT" >&2

export POLICYBOT_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$PG_PORT/policybot_test?sslmode=disable"
export POLICYBOT_REQUIRE_POSTGRES=1
status=0
"$@" || status=$?
exit "$status"
