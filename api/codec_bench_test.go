package api_test

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/bytedance/sonic"
	ginjson "github.com/gin-gonic/gin/codec/json"
	gojson "github.com/goccy/go-json"
	jsoniter "github.com/json-iterator/go"

	"policybot/matcher"
)

// matchAnswer is the answer to the load test's profile, with the
// ineligible results when all is set.
func matchAnswer(tb testing.TB, all bool) any {
	tb.Helper()
	f, err := world()
	if err != nil {
		tb.Fatal(err)
	}
	var req struct{ Profile json.RawMessage }
	if err := json.Unmarshal([]byte(matchBody), &req); err != nil {
		tb.Fatal(err)
	}
	p := f.NewProfile()
	if err := p.UnmarshalJSON(req.Profile); err != nil {
		tb.Fatal(err)
	}
	o := f.Match(p, matcher.Options{AsOf: time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC), IncludeIneligible: all})
	return struct {
		*matcher.Outcome
		LibraryVersion string `json:"library_version"`
	}{o, f.LibraryVersion()}
}

// BenchmarkCodec encodes a match answer with each JSON encoder that could
// serve Gin's answers; sonic's default configuration, which neither escapes
// HTML nor sorts map keys, shows what encoding/json's rules cost.
func BenchmarkCodec(b *testing.B) {
	v := matchAnswer(b, false)
	for _, c := range []struct {
		name string
		m    func(any) ([]byte, error)
	}{
		{"encoding-json", json.Marshal},
		{"go-json", gojson.Marshal},
		{"jsoniter-std", jsoniter.ConfigCompatibleWithStandardLibrary.Marshal},
		{"sonic-std", sonic.ConfigStd.Marshal},
		{"sonic-default", sonic.ConfigDefault.Marshal},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				out, err := c.m(v)
				if err != nil {
					b.Fatal(err)
				}
				b.SetBytes(int64(len(out)))
			}
		})
	}
}

// TestCodecLikeEncodingJSON checks that Gin's codec writes a match answer,
// with text that needs escaping, byte for byte as encoding/json does.
func TestCodecLikeEncodingJSON(t *testing.T) {
	type answer struct {
		Answer any               `json:"answer"`
		Text   string            `json:"text"`
		Map    map[string]string `json:"map"`
	}
	v := answer{matchAnswer(t, true), "<b>A&B</b>\u2028\xff 公司", map[string]string{"z": "1", "a": "<2>"}}
	want, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	got, err := ginjson.API.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("Gin's codec (%T) writes\n%s\nencoding/json\n%s", ginjson.API, got, want)
	}
}
