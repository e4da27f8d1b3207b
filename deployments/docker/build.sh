#!/usr/bin/env bash
# build.sh builds the static policybot binary of the container image. The
# Dockerfile runs it too, so the build flags live here alone; with check it
# also tests that binary as the image runs it, since no container engine runs
# where make test does.
#
#   deployments/docker/build.sh build OUT    build OUT (what the Dockerfile runs)
#   deployments/docker/build.sh check [OUT]  build (to a temp file unless OUT is
#                                            given), then check the binary
#
# The check reads the build settings with `go version -m` and the ELF headers
# with readelf (no interpreter, no dynamic section, no symbols), then starts
# `policybot serve` under `env -i` in an empty directory, as the image's user
# when run as root, waits for 200 from /readyz on both listeners, and stops it
# with SIGTERM, which must end it with status 0.
set -euo pipefail

cd "$(dirname "$0")/../.."

# The image's user (Dockerfile USER); the check runs serve as it.
image_uid=65532

# version is what GET /version and the metrics name the build: POLICYBOT_VERSION
# when given (the Dockerfile's build argument, since the image's build context
# has no .git), else git describe of the checkout, else nothing, which serve
# calls dev.
version=${POLICYBOT_VERSION:-$(git describe --tags --always --dirty 2>/dev/null || true)}
case $version in
*[!A-Za-z0-9._+-]*) echo "build.sh: POLICYBOT_VERSION=$version: want letters, digits and . _ + -" >&2 && exit 2 ;;
esac

# go_build builds ./cmd/policybot into $1. GOFLAGS is emptied so that a
# machine's own (this one sets -buildvcs=false) cannot make this build differ
# from the image's. timetzdata embeds the zone database, so TZ=Asia/Shanghai
# works without /usr/share/zoneinfo; -s -w drop symbols and DWARF; -X stamps
# the version. VCS stamping is off, as the image's build has no .git.
go_build() {
	GOFLAGS= CGO_ENABLED=0 GOOS="${GOOS:-linux}" \
		go build -trimpath -buildvcs=false -tags timetzdata -ldflags "-s -w -X main.version=$version" -o "$1" ./cmd/policybot
}

usage() {
	echo "usage: $0 build OUT | check [OUT]" >&2
	exit 2
}

[ "$#" -ge 1 ] || usage
case "$1" in
build)
	[ "$#" -eq 2 ] || usage
	go_build "$2"
	exit 0
	;;
check) [ "$#" -le 2 ] || usage ;;
*) usage ;;
esac

fail() {
	echo "build.sh: $*" >&2
	exit 1
}

# install_tools installs what the check needs from Debian's packages when it
# is missing, as the test-*.sh scripts do; apt-get update only if needed.
install_tools() {
	local pkgs=()
	command -v readelf >/dev/null || pkgs+=(binutils)
	command -v curl >/dev/null || pkgs+=(curl)
	[ "$(id -u)" -ne 0 ] || command -v setpriv >/dev/null || pkgs+=(util-linux)
	[ "${#pkgs[@]}" -gt 0 ] || return 0
	[ "$(id -u)" -eq 0 ] || fail "missing ${pkgs[*]}; install Debian's packages"
	echo "build.sh: installing ${pkgs[*]} with apt-get" >&2
	export DEBIAN_FRONTEND=noninteractive
	if ! apt-get install -y -qq "${pkgs[@]}" >&2; then
		apt-get update -qq >&2
		apt-get install -y -qq "${pkgs[@]}" >&2
	fi
}
install_tools

work=$(mktemp -d "${TMPDIR:-/tmp}/policybot-image.XXXXXX")
server_pid=
# shellcheck disable=SC2317 # Called by the EXIT trap.
cleanup() {
	if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
		kill -KILL "$server_pid" 2>/dev/null || true
		wait "$server_pid" 2>/dev/null || true
	fi
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
# The image's user must reach the binary and the run directory below.
chmod 0755 "$work"

bin=$work/policybot
if [ "$#" -eq 2 ]; then
	go_build "$2"
	cp "$2" "$bin"
else
	go_build "$bin"
fi

# The image is built with the Dockerfile's Go; say so when this one differs.
image_go=$(sed -n 's/^ARG GO_VERSION=//p' deployments/docker/Dockerfile)
local_go=$(go env GOVERSION)
[ "go$image_go" = "$local_go" ] ||
	echo "build.sh: note: built with $local_go here; the image builds with Go $image_go" >&2

# Build settings, as the binary records them. -ldflags is not recorded under
# -trimpath (it could hold paths), so readelf checks -s -w below.
go version -m "$bin" >"$work/buildinfo"
for want in CGO_ENABLED=0 -trimpath=true -tags=timetzdata GOOS=linux; do
	grep -qF "$(printf '\tbuild\t%s' "$want")" "$work/buildinfo" ||
		fail "go version -m does not show build $want:$(printf '\n')$(cat "$work/buildinfo")"
done
if grep -q "$(printf '\tbuild\tvcs')" "$work/buildinfo"; then
	fail "the binary records VCS settings, which the image's build cannot"
fi

# Static: no program interpreter and no dynamic section, so it runs on
# scratch with no libc; stripped: no symbol table and no DWARF.
readelf -hW "$bin" | grep -qE 'Type:[[:space:]]+EXEC' || fail "not a static executable (ELF type is not EXEC)"
if readelf -lW "$bin" | grep -q INTERP; then fail "the binary names a program interpreter (dynamically linked)"; fi
readelf -dW "$bin" | grep -q 'no dynamic section' || fail "the binary has a dynamic section"
if readelf -SW "$bin" | grep -qE '\.(symtab|debug_)'; then fail "the binary keeps its symbols or DWARF (-s -w not applied)"; fi
echo "build.sh: the binary is static and stripped, built with CGO_ENABLED=0 -trimpath -tags=timetzdata" >&2

# Run it as the image does: the image's user, no environment but the image's
# TZ, an empty working directory, loopback addresses on free ports.
run_dir=$work/run
mkdir "$run_dir"
as_image_user=()
if [ "$(id -u)" -eq 0 ]; then
	chown "$image_uid:$image_uid" "$run_dir"
	as_image_user=(setpriv --reuid="$image_uid" --regid="$image_uid" --clear-groups --)
else
	echo "build.sh: not root; serve runs as $(id -un), not as uid $image_uid" >&2
fi
log=$work/serve.log
errlog=$work/serve.err
# Created here, so that the wait below can read them before the background
# shell has opened them.
: >"$log"
: >"$errlog"
(cd "$run_dir" && exec "${as_image_user[@]}" env -i TZ=Asia/Shanghai "$bin" serve \
	--addr 127.0.0.1:0 --internal-addr 127.0.0.1:0) >"$log" 2>"$errlog" &
server_pid=$!

show_logs() {
	echo "--- serve stdout" >&2
	tail -n 20 "$log" >&2 || true
	echo "--- serve stderr" >&2
	tail -n 20 "$errlog" >&2 || true
}

# serve logs each listener's bound address; 60 s covers a cold, busy machine
# (the built-in library loads in well under a second).
addrs=()
for _ in $(seq 1 600); do
	mapfile -t addrs < <(sed -n 's/.*"msg":"listening","addr":"\([^"]*\)".*/\1/p' "$log")
	[ "${#addrs[@]}" -lt 2 ] || break
	kill -0 "$server_pid" 2>/dev/null || {
		show_logs
		fail "serve exited before listening"
	}
	sleep 0.1
done
[ "${#addrs[@]}" -eq 2 ] || {
	show_logs
	fail "serve did not log two listening addresses within 60 s"
}

for addr in "${addrs[@]}"; do
	code=
	for _ in $(seq 1 100); do
		code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://$addr/readyz" || true)
		[ "$code" != 200 ] || break
		sleep 0.1
	done
	[ "$code" = 200 ] || {
		show_logs
		fail "GET http://$addr/readyz answered ${code:-nothing}, not 200, within 10 s"
	}
done
# /version names the version stamped.
want_version=${version:-dev}
got_version=$(curl -s --max-time 2 "http://${addrs[0]}/version" | sed -n 's/.*"version":"\([^"]*\)".*/\1/p')
[ "$got_version" = "$want_version" ] || {
	show_logs
	fail "GET /version names version ${got_version:-nothing}, want $want_version"
}

# The image sets TZ=Asia/Shanghai for the console's dates; the log's times
# show whether the zone was found.
grep -q '"time":"[^"]*+08:00"' "$log" || {
	show_logs
	fail "the log's times are not in +08:00 under TZ=Asia/Shanghai"
}

kill -TERM "$server_pid"
for _ in $(seq 1 200); do
	kill -0 "$server_pid" 2>/dev/null || break
	sleep 0.1
done
if kill -0 "$server_pid" 2>/dev/null; then
	show_logs
	fail "serve did not stop within 20 s of SIGTERM"
fi
status=0
wait "$server_pid" || status=$?
server_pid=
[ "$status" -eq 0 ] || {
	show_logs
	fail "serve exited with status $status after SIGTERM, not 0"
}
grep -q '"msg":"stopped"' "$log" || {
	show_logs
	fail "serve did not log that it stopped"
}
[ ! -s "$errlog" ] || {
	show_logs
	fail "serve wrote to stderr"
}

# What serve wrote where it ran: the image must give it a writable place for
# these (with DATABASE_URL set it writes nothing).
written=$(cd "$run_dir" && find . -mindepth 1 | sort | tr '\n' ' ')
echo "build.sh: serve $want_version answered /readyz on ${addrs[*]} and stopped on SIGTERM with status 0; it wrote: ${written:-nothing}" >&2
