package check

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/moby/patternmatcher"
	"github.com/moby/patternmatcher/ignorefile"
)

// TestDockerfile checks what make test cannot run: the Dockerfile builds
// with build.sh (whose check make test runs), on the go.mod's Go, into a
// scratch image run by a numeric non-root user.
func TestDockerfile(t *testing.T) {
	df := readDockerfile(t)

	goVersion := df.Args["GO_VERSION"]
	modGo := goModVersion(t)
	if !sameMinor(goVersion, modGo) || compareVersions(goVersion, modGo) < 0 {
		t.Errorf("ARG GO_VERSION=%s: want the Go of go.mod's go %s: the same major.minor, at least as new", goVersion, modGo)
	}

	build := df.Stages[0]
	if build.From != "golang:${GO_VERSION}" {
		t.Errorf("the build stage is FROM %s, want golang:${GO_VERSION}", build.From)
	}
	var viaScript bool
	for _, run := range build.all("RUN") {
		if strings.Contains(run, "go build") {
			t.Errorf("RUN %s: the build flags live in build.sh; call it instead", run)
		}
		viaScript = viaScript || strings.Contains(run, "deployments/docker/build.sh build /rootfs/policybot")
	}
	if !viaScript {
		t.Error("no RUN calls deployments/docker/build.sh build /rootfs/policybot")
	}

	final := df.final()
	if final.From != "scratch" {
		t.Errorf("the final stage is FROM %s, want scratch", final.From)
	}
	if uid, _ := df.imageUser(t); uid == 0 {
		t.Error("USER is root")
	}
	if got, want := final.exec(t, "ENTRYPOINT"), []string{"/policybot", "serve"}; !slices.Equal(got, want) {
		t.Errorf("ENTRYPOINT %q, want %q", got, want)
	}
	env := final.env()
	if env["TZ"] != "Asia/Shanghai" {
		t.Errorf("ENV TZ=%q, want Asia/Shanghai", env["TZ"])
	}
	exposed := final.exposed(t)
	for _, name := range []string{"POLICYBOT_ADDR", "POLICYBOT_INTERNAL_ADDR"} {
		if p := addrPort(t, env[name]); !slices.Contains(exposed, p) {
			t.Errorf("ENV %s=%s: port %d is not EXPOSEd (%v)", name, env[name], p, exposed)
		}
	}
	known := servedEnv(t)
	for name := range env {
		if !known[name] {
			t.Errorf("ENV %s: policybot reads no such variable", name)
		}
	}
	var certs bool
	for _, run := range build.all("RUN") {
		certs = certs || strings.Contains(run, "/etc/ssl/certs/ca-certificates.crt /rootfs/etc/ssl/certs/")
	}
	if !certs {
		t.Error("the build stage does not copy the CA certificates into the image")
	}
}

// TestDockerignoreKeepsTheBuild checks that .dockerignore leaves in the
// build context every file the build reads: the Go files and embedded files
// of the main module's packages that cmd/policybot needs, go.mod, go.sum and
// build.sh. Without it a pattern could drop kb/data and no test here would see.
func TestDockerignoreKeepsTheBuild(t *testing.T) {
	f, err := os.Open(repoFile(".dockerignore"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	patterns, err := ignorefile.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	pm, err := patternmatcher.New(patterns)
	if err != nil {
		t.Fatal(err)
	}

	need := []string{"go.mod", "go.sum", "deployments/docker/build.sh"}
	cmd := exec.Command("go", "list", "-deps", "-tags", "timetzdata", "-json=Dir,Module,GoFiles,EmbedFiles", "./cmd/policybot")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOFLAGS=")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.Bytes())
	}
	abs, err := filepath.Abs(root)
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p struct {
			Dir                 string
			Module              *struct{ Main bool }
			GoFiles, EmbedFiles []string
		}
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		if p.Module == nil || !p.Module.Main {
			continue
		}
		for _, name := range slices.Concat(p.GoFiles, p.EmbedFiles) {
			rel, err := filepath.Rel(abs, filepath.Join(p.Dir, name))
			if err != nil {
				t.Fatal(err)
			}
			need = append(need, filepath.ToSlash(rel))
		}
	}
	if len(need) < 50 || !slices.ContainsFunc(need, func(s string) bool { return strings.HasPrefix(s, "kb/data/") }) {
		t.Fatalf("go list named %d files and none under kb/data/: not the build's files", len(need))
	}
	for _, name := range need {
		excluded, err := pm.MatchesOrParentMatches(name)
		if err != nil {
			t.Fatal(err)
		}
		if excluded {
			t.Errorf(".dockerignore leaves out %s, which the image's build reads", name)
		}
	}
}

// goModVersion returns the go line of the service's go.mod.
func goModVersion(tb testing.TB) string {
	tb.Helper()
	m := regexp.MustCompile(`(?m)^go (\S+)$`).FindSubmatch(mustRead(tb, "go.mod"))
	if m == nil {
		tb.Fatal("go.mod has no go line")
	}
	return string(m[1])
}

// sameMinor reports whether two Go versions share major.minor.
func sameMinor(a, b string) bool {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	return len(pa) >= 2 && len(pb) >= 2 && pa[0] == pb[0] && pa[1] == pb[1]
}

// compareVersions compares dotted release versions such as 1.26.8.
func compareVersions(a, b string) int {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	for i := range max(len(pa), len(pb)) {
		var x, y int
		if i < len(pa) {
			x, _ = strconv.Atoi(pa[i])
		}
		if i < len(pb) {
			y, _ = strconv.Atoi(pb[i])
		}
		if x != y {
			return x - y
		}
	}
	return 0
}
