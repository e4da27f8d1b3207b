#!/usr/bin/env bash
# test-browser.sh makes sure headless Chromium, a Chinese font and poppler's
# PDF tools are installed (from Debian's packages when missing), then runs
# the given command with POLICYBOT_TEST_CHROMIUM naming the browser, so the
# console's browser tests run instead of skipping.
#
#   deployments/test-browser.sh go test ./console/
#
# Without a CJK font Chinese prints as boxes, and the notice's PDF text
# could not be checked.
set -euo pipefail

if [ "$#" -eq 0 ]; then
	echo "usage: $0 command [args...]" >&2
	exit 2
fi

have() {
	command -v chromium >/dev/null && command -v pdftotext >/dev/null && command -v pdfinfo >/dev/null &&
		# grep -c reads all of fc-list's output: grep -q would stop early and,
		# under pipefail, fc-list's SIGPIPE would fail the check.
		[ "$(fc-list 2>/dev/null | grep -ci 'wqy\|noto sans cjk\|noto serif cjk')" -gt 0 ]
}

if ! have; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "test-browser: install Debian's chromium, fonts-wqy-zenhei and poppler-utils packages" >&2
		exit 1
	fi
	echo "test-browser: installing chromium, fonts-wqy-zenhei and poppler-utils with apt-get" >&2
	export DEBIAN_FRONTEND=noninteractive
	pkgs="chromium fonts-wqy-zenhei poppler-utils"
	# shellcheck disable=SC2086 # The package list is split on purpose.
	if ! apt-get install -y -qq $pkgs >&2; then
		apt-get update -qq >&2
		apt-get install -y -qq $pkgs >&2
	fi
fi

export POLICYBOT_TEST_CHROMIUM
POLICYBOT_TEST_CHROMIUM=$(command -v chromium)
export POLICYBOT_REQUIRE_BROWSER=1
echo "test-browser: $("$POLICYBOT_TEST_CHROMIUM" --version 2>/dev/null || echo chromium)" >&2
exec "$@"
