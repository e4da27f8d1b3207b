package check

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// composeFile is the part of the Compose specification compose.yaml uses.
// Decoding is strict, so a key outside it (a typo, say, that Compose would
// reject) fails here; add a field when compose.yaml needs a new key.
type composeFile struct {
	Name       string                    `json:"name"`
	XPolicybot composeService            `json:"x-policybot"`
	Services   map[string]composeService `json:"services"`
	Secrets    map[string]composeSecret  `json:"secrets"`
	Volumes    map[string]*struct{}      `json:"volumes"`
}

type composeService struct {
	Image string `json:"image"`
	Build *struct {
		Context    string `json:"context"`
		Dockerfile string `json:"dockerfile"`
	} `json:"build"`
	Command     []string                  `json:"command"`
	Environment map[string]string         `json:"environment"`
	Secrets     []string                  `json:"secrets"`
	Expose      []string                  `json:"expose"`
	Ports       []string                  `json:"ports"`
	Volumes     []string                  `json:"volumes"`
	DependsOn   map[string]composeDepends `json:"depends_on"`
	Healthcheck *struct {
		Test     []string `json:"test"`
		Interval string   `json:"interval"`
		Timeout  string   `json:"timeout"`
		Retries  int      `json:"retries"`
	} `json:"healthcheck"`
	ReadOnly        bool     `json:"read_only"`
	Tmpfs           []string `json:"tmpfs"`
	CapDrop         []string `json:"cap_drop"`
	SecurityOpt     []string `json:"security_opt"`
	Restart         string   `json:"restart"`
	StopGracePeriod string   `json:"stop_grace_period"`
}

type composeDepends struct {
	Condition string `json:"condition"`
}

type composeSecret struct {
	File string `json:"file"`
}

// interpolated matches a Compose variable such as ${POSTGRES_PASSWORD:?message}.
var interpolated = regexp.MustCompile(`^\$\{[A-Z_][A-Z0-9_]*(:?[?-][^}]*)?\}$`)

func TestCompose(t *testing.T) {
	var cf composeFile
	if err := decodeStrict(mustRead(t, "deployments/compose.yaml"), &cf); err != nil {
		t.Fatalf("compose.yaml: %v", err)
	}
	df := readDockerfile(t)
	env := df.final().env()
	public, internal := addrPort(t, env["POLICYBOT_ADDR"]), addrPort(t, env["POLICYBOT_INTERNAL_ADDR"])
	known := servedEnv(t)

	var replicas []string
	for name, s := range cf.Services {
		if strings.HasPrefix(s.Image, "policybot:") {
			replicas = append(replicas, name)
		}
	}
	slices.Sort(replicas)
	if len(replicas) != 2 {
		t.Fatalf("services of the policybot image: %v, want two replicas", replicas)
	}
	first := cf.Services[replicas[0]]
	for _, name := range replicas {
		s := cf.Services[name]
		if s.Image != first.Image || s.Build == nil || *s.Build != *first.Build {
			t.Errorf("%s: the replicas must share one image and build", name)
		}
		if s.Build != nil {
			dockerfile := filepath.Join(filepath.Dir(repoFile("deployments/compose.yaml")), s.Build.Context, s.Build.Dockerfile)
			if _, err := os.Stat(dockerfile); err != nil {
				t.Errorf("%s: build: %v", name, err)
			}
		}
		for _, dep := range []string{"redis", "postgres"} {
			if s.DependsOn[dep].Condition != "service_healthy" {
				t.Errorf("%s: want depends_on %s with condition service_healthy", name, dep)
			}
		}
		// Published: the public listener on loopback; never the internal one.
		for _, p := range s.Ports {
			parts := strings.Split(p, ":")
			container, err := strconv.ParseInt(parts[len(parts)-1], 10, 32)
			if err != nil {
				t.Errorf("%s: ports %q: %v", name, p, err)
			}
			if int32(container) != public {
				t.Errorf("%s: ports %q publishes %d; only the public listener %d may be", name, p, container, public)
			}
			if len(parts) != 3 || parts[0] != "127.0.0.1" {
				t.Errorf("%s: ports %q: publish on 127.0.0.1 only", name, p)
			}
		}
		if !slices.Contains(s.Expose, strconv.Itoa(int(internal))) {
			t.Errorf("%s: want the internal listener %d exposed to the compose network", name, internal)
		}
		if !s.ReadOnly || !slices.Equal(s.CapDrop, []string{"ALL"}) {
			t.Errorf("%s: want read_only and cap_drop ALL", name)
		}

		for k, v := range s.Environment {
			if !known[k] {
				t.Errorf("%s: environment %s: policybot reads no such variable", name, k)
			}
			if pass, ok := urlPassword(v); ok && !interpolated.MatchString(pass) {
				t.Errorf("%s: environment %s has a password in the file; take it from a variable", name, k)
			}
			if secretLike(k) && !strings.Contains(v, "://") && !interpolated.MatchString(v) {
				t.Errorf("%s: environment %s has a secret in the file; take it from a variable or a secret", name, k)
			}
		}
		// The database URL holds a password: a Docker secret's file.
		if _, ok := s.Environment["DATABASE_URL"]; ok || s.Environment["DATABASE_URL_FILE"] != "/run/secrets/database_url" ||
			!slices.Contains(s.Secrets, "database_url") {
			t.Errorf("%s: want the secret database_url as DATABASE_URL_FILE=/run/secrets/database_url, and no DATABASE_URL", name)
		}
		if h := urlHost(s.Environment["REDIS_URL"]); h != "redis" {
			t.Errorf("%s: REDIS_URL's host is %q, want the redis service", name, h)
		}
		// The master key is a Docker secret, mounted under /run/secrets.
		if !slices.Contains(s.Secrets, "master_key") || s.Environment["POLICYBOT_MASTER_KEY_FILE"] != "/run/secrets/master_key" {
			t.Errorf("%s: want the secret master_key and POLICYBOT_MASTER_KEY_FILE=/run/secrets/master_key", name)
		}
	}
	for _, name := range []string{"master_key", "database_url", "postgres_password"} {
		if sec, ok := cf.Secrets[name]; !ok || sec.File == "" {
			t.Errorf("want the top-level secret %s, from a file", name)
		} else if ignore := mustRead(t, "deployments/.gitignore"); !strings.Contains(string(ignore), "/"+strings.Split(strings.TrimPrefix(sec.File, "./"), "/")[0]+"/") {
			t.Errorf("deployments/.gitignore does not keep %s out of the repository", sec.File)
		}
	}

	for _, name := range []string{"redis", "postgres"} {
		s, ok := cf.Services[name]
		if !ok {
			t.Errorf("no %s service", name)
			continue
		}
		if s.Healthcheck == nil || len(s.Healthcheck.Test) < 2 || s.Healthcheck.Test[0] != "CMD" {
			t.Errorf("%s: want a healthcheck in the exec form", name)
		}
		if len(s.Ports) > 0 {
			t.Errorf("%s: publishes %v; only policybot needs it", name, s.Ports)
		}
	}
	pg := cf.Services["postgres"]
	var persisted bool
	for _, v := range pg.Volumes {
		vol, target, _ := strings.Cut(v, ":")
		_, declared := cf.Volumes[vol]
		persisted = persisted || (declared && target == "/var/lib/postgresql/data")
	}
	if !persisted {
		t.Error("postgres: want a named volume at /var/lib/postgresql/data")
	}
	if _, ok := pg.Environment["POSTGRES_PASSWORD"]; ok || pg.Environment["POSTGRES_PASSWORD_FILE"] != "/run/secrets/postgres_password" ||
		!slices.Contains(pg.Secrets, "postgres_password") {
		t.Error("postgres: want the secret postgres_password as POSTGRES_PASSWORD_FILE=/run/secrets/postgres_password, and no POSTGRES_PASSWORD")
	}
}
