package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"policybot/store/storetest"
)

// secretFile writes content to a file of the test, as a mounted secret.
func secretFile(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "secret")
	if err := os.WriteFile(path, []byte(content), 0o400); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestSecretFiles(t *testing.T) {
	url := "postgres://policybot:p%40ss@db:5432/policybot"
	tests := []struct {
		name    string
		env     map[string]string
		want    map[string]string
		wantErr []string
	}{
		{"value", map[string]string{"DATABASE_URL": url}, map[string]string{"DATABASE_URL": url}, nil},
		{"file", map[string]string{"DATABASE_URL_FILE": secretFile(t, url)}, map[string]string{"DATABASE_URL": url}, nil},
		{"file with a line end", map[string]string{"REDIS_URL_FILE": secretFile(t, "redis://:pw@r:6379/0\r\n")},
			map[string]string{"REDIS_URL": "redis://:pw@r:6379/0"}, nil},
		{"every secret", map[string]string{
			"POLICYBOT_ADMIN_TOKEN_FILE":   secretFile(t, "tok\n"),
			"POLICYBOT_WECHAT_SECRET_FILE": secretFile(t, "wx"),
			"POLICYBOT_ADDR":               ":9090",
		}, map[string]string{"POLICYBOT_ADMIN_TOKEN": "tok", "POLICYBOT_WECHAT_SECRET": "wx", "POLICYBOT_ADDR": ":9090", "DATABASE_URL": ""}, nil},
		{"both", map[string]string{"REDIS_URL": "redis://a:6379", "REDIS_URL_FILE": secretFile(t, "redis://b:6379")}, nil,
			[]string{"REDIS_URL ", "REDIS_URL_FILE"}},
		{"missing file", map[string]string{"DATABASE_URL_FILE": "/nonexistent/database-url"}, nil, []string{"DATABASE_URL_FILE", "no such file"}},
		{"empty file", map[string]string{"DATABASE_URL_FILE": secretFile(t, "\n")}, nil, []string{"DATABASE_URL_FILE", "empty"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			getenv, err := secretFiles(env(tt.env))
			if tt.wantErr != nil {
				if err == nil {
					t.Fatal("no error")
				}
				for _, w := range tt.wantErr {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error %q does not name %q", err, w)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for k, want := range tt.want {
				if got := getenv(k); got != want {
					t.Errorf("%s = %q, want %q", k, got, want)
				}
			}
		})
	}
}

// TestSecretFilesReachCommands checks that the commands read the _FILE
// forms: serve takes its Redis URL from REDIS_URL_FILE, audit verify its
// database from DATABASE_URL_FILE, and a variable set both ways stops the
// program naming both.
func TestSecretFilesReachCommands(t *testing.T) {
	ctx := context.Background()
	t.Run("both", func(t *testing.T) {
		var out, errOut strings.Builder
		code := run(ctx, []string{"serve"}, strings.NewReader(""), &out, &errOut,
			env(map[string]string{"DATABASE_URL": "postgres://a", "DATABASE_URL_FILE": secretFile(t, "postgres://b")}))
		if code != 2 || !strings.Contains(errOut.String(), "both DATABASE_URL and DATABASE_URL_FILE are set") {
			t.Errorf("exit %d, stderr %q; want 2 naming both variables", code, errOut.String())
		}
	})
	t.Run("serve", func(t *testing.T) {
		var out, errOut strings.Builder
		code := run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--data-dir", t.TempDir()}, strings.NewReader(""), &out, &errOut,
			env(map[string]string{"REDIS_URL_FILE": secretFile(t, "memcached://cache:11211\n")}))
		if code != 1 || !strings.Contains(errOut.String(), "memcached") {
			t.Errorf("exit %d, stderr %q; want serve to refuse the Redis URL of the file", code, errOut.String())
		}
	})
	t.Run("audit verify", func(t *testing.T) {
		db := storetest.Postgres(t)
		var out, errOut strings.Builder
		code := run(ctx, []string{"audit", "verify"}, strings.NewReader(""), &out, &errOut,
			env(map[string]string{"DATABASE_URL_FILE": secretFile(t, db.URL+"\n")}))
		if code != 0 || !strings.Contains(out.String(), "audit log intact") {
			t.Fatalf("exit %d, stdout %q, stderr %q", code, out.String(), errOut.String())
		}
		// The command migrated the PostgreSQL schema of the file's URL.
		var n int
		if err := db.Raw(t).QueryRow(`SELECT count(*) FROM audit_log`).Scan(&n); err != nil {
			t.Errorf("the database of DATABASE_URL_FILE was not opened: %v", err)
		}
	})
}
