package main

import "runtime/debug"

// version is the build's version, stamped by deployments/docker/build.sh
// with -ldflags "-X main.version=…", whose builds record no VCS
// information (the image's build context has no .git); empty otherwise.
var version string

// buildVersion returns the version of this binary and the commit it was
// built from: the stamped version, else the module version the go command
// recorded (for a build in a checkout, a pseudo-version of its commit,
// +dirty when it had changes; for go install, the tag), else "dev"; and
// the VCS revision recorded, or "".
func buildVersion() (v, commit string) {
	info, ok := debug.ReadBuildInfo()
	if ok {
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" {
				commit = s.Value
			}
		}
	}
	switch {
	case version != "":
		return version, commit
	case ok && info.Main.Version != "" && info.Main.Version != "(devel)":
		return info.Main.Version, commit
	}
	return "dev", commit
}
