package main

import "testing"

// A URL logged at start-up never shows a password, in its user part or in
// its query.
func TestMaskURL(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"", ""},
		{"redis://127.0.0.1:6379/0", "redis://127.0.0.1:6379/0"},
		{"postgres://pb:s3cret@db:5432/pb?sslmode=disable", "postgres://pb:%2A%2A%2A@db:5432/pb?sslmode=disable"},
		{"redis://:s3cret@r1:26379/0?master_name=m&addr=r2:26379&sentinel_password=x&password=y",
			"redis://:%2A%2A%2A@r1:26379/0?addr=r2%3A26379&master_name=m&password=%2A%2A%2A&sentinel_password=%2A%2A%2A"},
		{"postgres://db/pb?user=pb&Password=z", "postgres://db/pb?Password=%2A%2A%2A&user=pb"},
		{"://bad", "***"},
	} {
		if got := maskURL(tt.in); got != tt.want {
			t.Errorf("maskURL(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}
