#!/usr/bin/env bash
# vulncheck.sh runs govulncheck over the module, as make lint does.
#
# govulncheck reads the Go vulnerability database over the network. Where
# that database cannot be reached (this project's machines and CI reach
# only package registries), the check cannot be done: the script then says
# so loudly, as SKIPPED with govulncheck's own reason, and exits 0, so that
# a lint run does not pretend to have checked and CI is not failed by the
# network. Set POLICYBOT_VULNCHECK=require to make an unreachable database
# an error, on a machine that should reach it. Known vulnerabilities in
# code the module calls, and any other failure, fail the script.
set -uo pipefail

# The version is pinned so that every machine runs the same checker; go
# install fetches it through the module proxy once and caches it.
version=v1.9.0
bin="$(go env GOPATH)/bin/govulncheck"
if ! "$bin" -version 2>/dev/null | grep -q "govulncheck@$version"; then
	if ! go install "golang.org/x/vuln/cmd/govulncheck@$version"; then
		echo "vulncheck: cannot install govulncheck $version" >&2
		exit 1
	fi
fi

# unreachable reports whether govulncheck's output says it could not fetch
# the database.
unreachable() { grep -q "fetching vulnerabilities" <<<"$1"; }

# A small package first: loading the whole module takes a minute and more,
# and govulncheck fetches the database only after loading.
probe=$("$bin" ./internal/uscc 2>&1)
if unreachable "$probe"; then
	out=$probe
	status=1
else
	out=$("$bin" ./... 2>&1)
	status=$?
fi
case $status in
0)
	echo "$out"
	;;
3)
	echo "$out"
	echo "vulncheck: govulncheck found vulnerabilities in code this module calls" >&2
	;;
*)
	if unreachable "$out"; then
		echo "vulncheck: SKIPPED: the vulnerability database cannot be reached from this machine, so no check was made:" >&2
		grep "fetching vulnerabilities" <<<"$out" >&2
		if [ "${POLICYBOT_VULNCHECK:-}" = require ]; then
			echo "vulncheck: POLICYBOT_VULNCHECK=require: failing" >&2
			exit 1
		fi
		exit 0
	fi
	echo "$out" >&2
	;;
esac
exit $status
