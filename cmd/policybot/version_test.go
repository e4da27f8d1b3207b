package main

import "testing"

// TestBuildVersion checks that a version stamped by build.sh wins over the
// build info, and that a build without either is "dev".
func TestBuildVersion(t *testing.T) {
	defer func(v string) { version = v }(version)
	version = "v1.2.3-4-gabcdef0"
	if v, _ := buildVersion(); v != version {
		t.Errorf("stamped: %q, want %q", v, version)
	}
	version = ""
	// A test binary's main module has no version: "(devel)".
	if v, _ := buildVersion(); v != "dev" {
		t.Errorf("unstamped: %q, want dev", v)
	}
}
