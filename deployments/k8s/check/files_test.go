package check

import (
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	sigsjson "sigs.k8s.io/json"
	"sigs.k8s.io/yaml"
)

// root is the repository's root, seen from this package's directory.
const root = "../../.."

// repoFile returns the file of the repository at rel.
func repoFile(rel string) string { return filepath.Join(root, filepath.FromSlash(rel)) }

// mustRead returns the file of the repository at rel.
func mustRead(tb testing.TB, rel string) []byte {
	tb.Helper()
	b, err := os.ReadFile(repoFile(rel))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// decodeStrict decodes YAML into v as the API server does with strict
// field validation: an unknown field, a field of the wrong case and a
// duplicate field all fail (sigs.k8s.io/yaml's UnmarshalStrict alone would
// take a field of the wrong case).
func decodeStrict(data []byte, v any) error {
	j, err := yaml.YAMLToJSONStrict(data)
	if err != nil {
		return err
	}
	strict, err := sigsjson.UnmarshalStrict(j, v, sigsjson.DisallowDuplicateFields, sigsjson.DisallowUnknownFields)
	if err != nil {
		return err
	}
	if len(strict) > 0 {
		return strict[0]
	}
	return nil
}

// servedEnv returns the environment variables policybot reads: those the
// command line of cmd/policybot names, and those of the Go runtime and the
// time package that the deployment files set.
func servedEnv(tb testing.TB) map[string]bool {
	tb.Helper()
	files, err := filepath.Glob(repoFile("cmd/policybot/*.go"))
	if err != nil {
		tb.Fatal(err)
	}
	names := map[string]bool{"TZ": true, "GOMEMLIMIT": true}
	re := regexp.MustCompile(`"((?:POLICYBOT|REDIS|DATABASE)_[A-Z0-9_]+)"`)
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(src), -1) {
			names[m[1]] = true
		}
	}
	if !names["POLICYBOT_ADDR"] || !names["DATABASE_URL"] || !names["REDIS_URL"] {
		tb.Fatalf("found no POLICYBOT_ADDR, DATABASE_URL or REDIS_URL in cmd/policybot; has config.go moved?")
	}
	return names
}

// secretLike reports whether an environment variable's name says it holds a
// secret, which must then come from a Secret, never from a value in the
// repository: the URLs, which may carry passwords, and names ending in
// _TOKEN, _SECRET, _PASSWORD or _KEY (not POLICYBOT_TOKEN_TTL, not a _FILE).
func secretLike(name string) bool {
	if name == "DATABASE_URL" || name == "REDIS_URL" {
		return true
	}
	for _, w := range []string{"_TOKEN", "_SECRET", "_PASSWORD", "_KEY"} {
		if strings.HasSuffix(name, w) {
			return true
		}
	}
	return false
}

// urlPassword returns the password of a URL's userinfo, if it has one; it
// does not use url.Parse, which a compose ${VAR:?message} does not survive.
func urlPassword(s string) (string, bool) {
	_, rest, ok := strings.Cut(s, "://")
	if !ok {
		return "", false
	}
	at := strings.LastIndex(rest, "@")
	if at < 0 {
		return "", false
	}
	_, pass, ok := strings.Cut(rest[:at], ":")
	return pass, ok && pass != ""
}

// urlHost returns the host of a URL without parsing its userinfo.
func urlHost(s string) string {
	_, rest, _ := strings.Cut(s, "://")
	if at := strings.LastIndex(rest, "@"); at >= 0 {
		rest = rest[at+1:]
	}
	host, _, _ := strings.Cut(rest, "/")
	if h, _, err := net.SplitHostPort(host); err == nil {
		return h
	}
	return host
}

// addrPort returns the port of a listen address such as ":8080".
func addrPort(tb testing.TB, addr string) int32 {
	tb.Helper()
	_, p, err := net.SplitHostPort(addr)
	if err != nil {
		tb.Fatalf("address %q: %v", addr, err)
	}
	n, err := strconv.ParseInt(p, 10, 32)
	if err != nil {
		tb.Fatalf("address %q: %v", addr, err)
	}
	return int32(n)
}

// dockerfile is what the tests read of deployments/docker/Dockerfile.
type dockerfile struct {
	// Args are the ARGs before the first FROM, with their defaults.
	Args   map[string]string
	Stages []stage
}

type stage struct {
	From, Name string
	Instrs     []instr
}

type instr struct{ Cmd, Args string }

// all returns the arguments of every instruction cmd of the stage.
func (s stage) all(cmd string) []string {
	var out []string
	for _, in := range s.Instrs {
		if in.Cmd == cmd {
			out = append(out, in.Args)
		}
	}
	return out
}

// env returns the ENV settings of the stage (KEY=VALUE forms, unquoted).
func (s stage) env() map[string]string {
	env := map[string]string{}
	for _, a := range s.all("ENV") {
		for _, kv := range strings.Fields(a) {
			k, v, _ := strings.Cut(kv, "=")
			env[k] = v
		}
	}
	return env
}

// exposed returns the ports the stage EXPOSEs.
func (s stage) exposed(tb testing.TB) []int32 {
	tb.Helper()
	var ports []int32
	for _, a := range s.all("EXPOSE") {
		for _, p := range strings.Fields(a) {
			n, err := strconv.ParseInt(strings.TrimSuffix(p, "/tcp"), 10, 32)
			if err != nil {
				tb.Fatalf("EXPOSE %s: %v", p, err)
			}
			ports = append(ports, int32(n))
		}
	}
	slices.Sort(ports)
	return ports
}

// exec returns the exec form (a JSON array) of ENTRYPOINT or CMD.
func (s stage) exec(tb testing.TB, cmd string) []string {
	tb.Helper()
	all := s.all(cmd)
	if len(all) != 1 {
		tb.Fatalf("the final stage has %d %s instructions, want 1", len(all), cmd)
	}
	var argv []string
	if err := json.Unmarshal([]byte(all[0]), &argv); err != nil {
		tb.Fatalf("%s %s: not the exec form: %v", cmd, all[0], err)
	}
	return argv
}

// readDockerfile parses the Dockerfile: comments dropped, continued lines
// joined, one instruction a line.
func readDockerfile(tb testing.TB) dockerfile {
	tb.Helper()
	df := dockerfile{Args: map[string]string{}}
	var line string
	for raw := range strings.SplitSeq(string(mustRead(tb, "deployments/docker/Dockerfile")), "\n") {
		t := strings.TrimSpace(raw)
		if strings.HasPrefix(t, "#") || (t == "" && line == "") {
			continue
		}
		if cont, ok := strings.CutSuffix(t, `\`); ok {
			line += cont + " "
			continue
		}
		line += t
		cmd, args, _ := strings.Cut(strings.TrimSpace(line), " ")
		line = ""
		cmd, args = strings.ToUpper(cmd), strings.Join(strings.Fields(args), " ")
		switch {
		case cmd == "FROM":
			f := strings.Fields(args)
			f = slices.DeleteFunc(f, func(s string) bool { return strings.HasPrefix(s, "--platform=") })
			s := stage{From: f[0]}
			if len(f) == 3 && strings.EqualFold(f[1], "AS") {
				s.Name = f[2]
			}
			df.Stages = append(df.Stages, s)
		case len(df.Stages) == 0 && cmd == "ARG":
			k, v, _ := strings.Cut(args, "=")
			df.Args[k] = v
		case len(df.Stages) == 0:
			tb.Fatalf("Dockerfile: %s before the first FROM", cmd)
		default:
			last := &df.Stages[len(df.Stages)-1]
			last.Instrs = append(last.Instrs, instr{cmd, args})
		}
	}
	if len(df.Stages) < 2 {
		tb.Fatalf("Dockerfile has %d stages, want a build stage and a final one", len(df.Stages))
	}
	return df
}

// final returns the image's stage, the last.
func (df dockerfile) final() stage { return df.Stages[len(df.Stages)-1] }

// imageUser returns the numeric uid and gid of the final stage's USER.
func (df dockerfile) imageUser(tb testing.TB) (uid, gid int64) {
	tb.Helper()
	users := df.final().all("USER")
	if len(users) != 1 {
		tb.Fatalf("the final stage has %d USER instructions, want 1", len(users))
	}
	u, g, ok := strings.Cut(users[0], ":")
	var err1, err2 error
	uid, err1 = strconv.ParseInt(u, 10, 64)
	gid, err2 = strconv.ParseInt(g, 10, 64)
	if !ok || err1 != nil || err2 != nil {
		tb.Fatalf("USER %s: want numeric UID:GID, which runAsNonRoot can verify", users[0])
	}
	return uid, gid
}
