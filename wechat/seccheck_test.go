package wechat

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// TestCheckText checks the verdicts of msgSecCheck and its failures against
// the fake WeChat: pass is nil, risky and review are ErrContentRejected, a
// refused access_token is refreshed once, and a failing WeChat is an error
// that is not a verdict.
func TestCheckText(t *testing.T) {
	const stale = `{"errcode":40001,"errmsg":"invalid credential rid: 1"}`
	tests := []struct {
		name       string
		text       string
		script     []string
		wantErr    error // nil with wantFail false: passed
		wantFail   bool  // an error that is not a verdict
		wantChecks int
	}{
		{"Pass", "我们是南康区做家具的", nil, nil, false, 1},
		{"Risky", "哪里能买到枪", nil, ErrContentRejected, false, 1},
		{"Review", "这段话待审", nil, ErrContentRejected, false, 1},
		{"StaleToken", "你好", []string{stale}, nil, false, 2},
		{"StaleTokenTwice", "你好", []string{stale, stale}, nil, true, 2},
		{"Busy", "你好", []string{`{"errcode":-1,"errmsg":"system error"}`}, nil, true, 1},
		{"UnknownOpenID", "你好", []string{`{"errcode":40003,"errmsg":"invalid openid"}`}, nil, true, 1},
		{"HTTP500", "你好", []string{"500"}, nil, true, 1},
		{"NotJSON", "你好", []string{"<html>"}, nil, true, 1},
		{"NoSuggest", "你好", []string{`{"errcode":0,"errmsg":"ok"}`}, nil, true, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeAPI(t)
			client := newTestClient(f.URL)
			check := NewContentCheck(client, NewTokens(client, NewMemoryTokenCache(), time.Now))
			f.scriptChecks(tt.script...)
			err := check.CheckText(t.Context(), "o-user-1", tt.text)
			switch {
			case tt.wantErr != nil && !errors.Is(err, tt.wantErr):
				t.Errorf("CheckText = %v, want %v", err, tt.wantErr)
			case tt.wantFail && (err == nil || errors.Is(err, ErrContentRejected)):
				t.Errorf("CheckText = %v, want a failure that is no verdict", err)
			case tt.wantErr == nil && !tt.wantFail && err != nil:
				t.Errorf("CheckText = %v, want nil", err)
			}
			if err != nil && strings.Contains(err.Error(), "token-") {
				t.Errorf("error %q shows the access_token", err)
			}
			checks := f.checks()
			if len(checks) != tt.wantChecks {
				t.Fatalf("WeChat was asked %d times, want %d", len(checks), tt.wantChecks)
			}
			if c := checks[0]; c.OpenID != "o-user-1" || c.Content != tt.text || c.Version != 2 {
				t.Errorf("check sent %+v", c)
			}
		})
	}
}
