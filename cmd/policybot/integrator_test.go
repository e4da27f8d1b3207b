package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"policybot/complaints"
	"policybot/complaints/sign"
	"policybot/internal/secretbox"
	"policybot/store"
)

// runCmd runs the program with args and the environment vars, and returns
// its exit code and what it printed.
func runCmd(t *testing.T, vars map[string]string, args ...string) (int, string) {
	t.Helper()
	var out, errOut strings.Builder
	code := run(context.Background(), args, strings.NewReader(""), &out, &errOut, env(vars))
	return code, out.String() + errOut.String()
}

func masterKey(t *testing.T) string {
	t.Helper()
	key := make([]byte, secretbox.KeySize)
	rand.Read(key)
	return base64.StdEncoding.EncodeToString(key)
}

var issuedRe = regexp.MustCompile(`key id: +(pbk_[0-9a-f]{24})\n(?s:.*)secret: +([A-Za-z0-9_-]{43})\n`)

// addKey runs `policybot integrator add-key` and returns the key id and
// secret it printed.
func addKey(t *testing.T, vars map[string]string, args ...string) (keyID, secret string) {
	t.Helper()
	code, out := runCmd(t, vars, append([]string{"integrator", "add-key"}, args...)...)
	m := issuedRe.FindStringSubmatch(out)
	if code != 0 || m == nil {
		t.Fatalf("integrator add-key %v: %d\n%s", args, code, out)
	}
	return m[1], m[2]
}

// The keys the command issues sign calls that the server's verifier,
// reading the same database with the same master key, accepts.
func TestIntegratorAddKey(t *testing.T) {
	dir := t.TempDir()
	vars := map[string]string{"POLICYBOT_MASTER_KEY": masterKey(t), "POLICYBOT_DATA_DIR": dir}
	sha, shaSecret := addKey(t, vars, "--integrator", "gz12345")
	sm3, sm3Secret := addKey(t, vars, "--integrator", "gz12345", "--algorithm", "hmac-sm3")

	db, err := store.OpenSQLite(t.Context(), dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	box, err := secretbox.Load("", vars["POLICYBOT_MASTER_KEY"])
	if err != nil {
		t.Fatal(err)
	}
	v := sign.NewVerifier(complaints.NewKeys(db, box, time.Now), sign.NewMemoryNonces(time.Now), time.Now)
	for _, k := range []sign.Key{
		{ID: sha, Algorithm: sign.HMACSHA256, Secret: []byte(shaSecret)},
		{ID: sm3, Algorithm: sign.HMACSM3, Secret: []byte(sm3Secret)},
	} {
		body := []byte(`{"ticket_id":"GZ-0001"}`)
		r := httptest.NewRequest(http.MethodPost, "/v1/integrations/complaints", bytes.NewReader(body))
		if err := sign.Sign(r, body, k); err != nil {
			t.Fatal(err)
		}
		if c, err := v.Verify(t.Context(), r, body); err != nil || c.Integrator != "gz12345" {
			t.Errorf("a call signed with %s's secret: %+v, %v; want it verified as gz12345's", k.ID, c, err)
		}
	}

	// A third key is refused until one is revoked.
	if code, out := runCmd(t, vars, "integrator", "add-key", "--integrator", "gz12345"); code == 0 || !strings.Contains(out, "已有2个有效密钥") {
		t.Errorf("a third key: %d\n%s\nwant a refusal", code, out)
	}
	if code, out := runCmd(t, vars, "integrator", "revoke-key", sha); code != 0 || !strings.Contains(out, "revoked "+sha+" of gz12345") {
		t.Errorf("integrator revoke-key: %d\n%s", code, out)
	}
	addKey(t, vars, "--integrator", "gz12345")
}

func TestIntegratorList(t *testing.T) {
	dir := t.TempDir()
	vars := map[string]string{"POLICYBOT_MASTER_KEY": masterKey(t)}
	old, oldSecret := addKey(t, vars, "--integrator", "gz12345", "--data-dir", dir)
	live, liveSecret := addKey(t, vars, "--integrator", "gz12345", "--data-dir", dir, "--algorithm", "hmac-sm3")
	// Flags after the key id are taken too.
	if code, out := runCmd(t, nil, "integrator", "revoke-key", old, "--data-dir", dir); code != 0 {
		t.Fatalf("integrator revoke-key: %d\n%s", code, out)
	}
	code, out := runCmd(t, nil, "integrator", "list", "--data-dir", dir, "GZ12345")
	if code != 0 {
		t.Fatalf("integrator list: %d\n%s", code, out)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "KEY ID") ||
		!regexp.MustCompile(`^`+old+` +hmac-sha256 +\S+ +revoked \S+$`).MatchString(lines[1]) ||
		!regexp.MustCompile(`^`+live+` +hmac-sm3 +\S+ +active$`).MatchString(lines[2]) {
		t.Errorf("integrator list:\n%s\nwant a header, the revoked key, then the active one", out)
	}
	if strings.Contains(out, oldSecret) || strings.Contains(out, liveSecret) {
		t.Errorf("integrator list shows a secret:\n%s", out)
	}
	if code, out := runCmd(t, nil, "integrator", "list", "--data-dir", dir, "nobody"); code != 0 || !strings.Contains(out, "no keys for nobody") {
		t.Errorf("integrator list of an integrator without keys: %d\n%s", code, out)
	}
	// The audit log has the adds and the revocation, made by the command line.
	if code, out := runCmd(t, nil, "audit", "verify", "--data-dir", dir); code != 0 || !strings.Contains(out, "intact: 3 rows") {
		t.Errorf("audit verify: %d\n%s", code, out)
	}
}

func TestIntegratorMasterKeyFile(t *testing.T) {
	dir := t.TempDir()
	keyFile := filepath.Join(t.TempDir(), "master.key")
	if err := os.WriteFile(keyFile, []byte(masterKey(t)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	addKey(t, nil, "--integrator", "gz12345", "--data-dir", dir, "--master-key-file", keyFile)
	addKey(t, map[string]string{"POLICYBOT_MASTER_KEY_FILE": keyFile}, "--integrator", "gz12345", "--data-dir", dir)
}

func TestIntegratorRefuses(t *testing.T) {
	dir := t.TempDir()
	key := masterKey(t)
	badFile := filepath.Join(t.TempDir(), "bad.key")
	if err := os.WriteFile(badFile, []byte("not a key\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	withKey := map[string]string{"POLICYBOT_MASTER_KEY": key}
	tests := []struct {
		name string
		vars map[string]string
		args []string
		want string
	}{
		{"NoMasterKey", nil, []string{"integrator", "add-key", "--integrator", "gz12345", "--data-dir", dir}, "no master key"},
		{"BadMasterKeyFile", nil, []string{"integrator", "add-key", "--integrator", "gz12345", "--data-dir", dir, "--master-key-file", badFile},
			"master key file " + badFile + " holds 10 bytes, not base64"},
		{"ShortMasterKey", map[string]string{"POLICYBOT_MASTER_KEY": key[:20]}, []string{"integrator", "add-key", "--integrator", "gz12345", "--data-dir", dir},
			"master key value is"},
		{"BothMasterKeys", withKey, []string{"integrator", "add-key", "--integrator", "gz12345", "--data-dir", dir, "--master-key-file", badFile}, "set one"},
		{"NoIntegrator", withKey, []string{"integrator", "add-key", "--data-dir", dir}, "--integrator is required"},
		{"BadIntegrator", withKey, []string{"integrator", "add-key", "--integrator", "投诉平台", "--data-dir", dir}, "对接方名称"},
		{"BadAlgorithm", withKey, []string{"integrator", "add-key", "--integrator", "gz12345", "--algorithm", "hmac-md5", "--data-dir", dir}, "unknown algorithm"},
		{"RevokeUnknown", nil, []string{"integrator", "revoke-key", "pbk_nobody", "--data-dir", dir}, "no key pbk_nobody"},
		{"RevokeNoKeyID", nil, []string{"integrator", "revoke-key", "--data-dir", dir}, "give the key id"},
		{"RevokeTwoKeyIDs", nil, []string{"integrator", "revoke-key", "pbk_a", "pbk_b", "--data-dir", dir}, `unexpected argument "pbk_b"`},
		{"ListNoName", nil, []string{"integrator", "list", "--data-dir", dir}, "give the integrator's name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out := runCmd(t, tt.vars, tt.args...)
			if code == 0 || !strings.Contains(out, tt.want) {
				t.Errorf("exit %d\n%s\nwant a failure saying %q", code, out, tt.want)
			}
			if strings.Contains(out, key) || strings.Contains(out, key[:20]) {
				t.Errorf("the output shows the master key:\n%s", out)
			}
		})
	}
}
