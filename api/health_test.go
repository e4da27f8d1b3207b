package api_test

import (
	"context"
	"errors"
	"testing"

	"policybot/api"
)

type pinger struct{ err error }

func (p pinger) Ping(context.Context) error { return p.err }

// TestReadyz checks that /readyz is ready only while every backing service
// answers, and says why not in the error shape.
func TestReadyz(t *testing.T) {
	for _, tc := range []struct {
		name   string
		ping   error
		status int
	}{
		{"every service answers", nil, 200},
		{"the session store does not", errors.New("dial tcp: connection refused"), 503},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ts := newTestServer(t, func(_ *api.Config, d *api.Deps) { d.Ready = []api.Pinger{pinger{tc.ping}} })
			status, body := ts.do(t, "GET", "/readyz", "")
			if status != tc.status {
				t.Fatalf("readyz = %d %v, want %d", status, body, tc.status)
			}
			if tc.status != 200 {
				if code, _, _ := errorOf(t, body); code != "unavailable" {
					t.Errorf("code %q, want unavailable", code)
				}
			}
		})
	}
}

type reloader struct {
	version string
	err     error
	by      []string
}

func (r *reloader) Reload(who string) (string, error) {
	r.by = append(r.by, who)
	return r.version, r.err
}

type refusal struct{}

func (refusal) Error() string               { return "refused" }
func (refusal) Refusal() (string, []string) { return "测试用例未通过", []string{"case-1"} }

// TestAdminReload checks the admin reload's answers: the token is required
// and compared, a library that fails its cases is refused with 409 and the
// failed cases, and a good one answers its version.
func TestAdminReload(t *testing.T) {
	for _, tc := range []struct {
		name    string
		token   string
		reload  *reloader
		auth    string
		status  int
		reloads int
	}{
		{"no admin token configured", "", &reloader{version: "v2"}, "Bearer s3cret", 503, 0},
		{"no bearer token sent", "s3cret", &reloader{version: "v2"}, "", 401, 0},
		{"a wrong token", "s3cret", &reloader{version: "v2"}, "Bearer s3creT", 401, 0},
		{"a library that passes", "s3cret", &reloader{version: "v2"}, "Bearer s3cret", 200, 1},
		{"a library that fails its cases", "s3cret", &reloader{version: "v1", err: refusal{}}, "Bearer s3cret", 409, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ts := newTestServer(t, func(c *api.Config, d *api.Deps) {
				c.AdminToken = tc.token
				d.Reloader = tc.reload
			})
			status, body := ts.do(t, "POST", "/v1/admin/reload", `{"by":"值班员"}`, "Authorization", tc.auth)
			if status != tc.status {
				t.Fatalf("reload = %d %v, want %d", status, body, tc.status)
			}
			if len(tc.reload.by) != tc.reloads {
				t.Errorf("reloaded %d times, want %d", len(tc.reload.by), tc.reloads)
			}
			if status == 200 && body["library_version"] != "v2" {
				t.Errorf("library_version = %v", body["library_version"])
			}
			if status == 409 && body["library_version"] != "v1" {
				t.Errorf("a refused reload names version %v, want the old v1", body["library_version"])
			}
		})
	}
}
