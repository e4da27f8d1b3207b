package api

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/google/go-cmp/cmp"
)

// FuzzDecodeLikeEncodingJSON checks that decodeJSON reads a match request
// as encoding/json reads it, on what sonic takes and on what it leaves to
// encoding/json: the same request, or an error for the same input.
func FuzzDecodeLikeEncodingJSON(f *testing.F) {
	for _, body := range []string{
		`{"profile": {"profitable": true, "main_revenue_cny": 1100000000}, "as_of": "2026-11-27"}`,
		`{"profile": {"main_revenue_cny": 500000000.00000001, "energy_saving_tce": 1e3}}`,
		`{"profile": {"name": "赣州\u67d0\u516c\u53f8", "region": "南康区"}}`,
		`{"profile": {"name": "\ud800公司"}}`,
		`{"profile": {"name": "a\u0000b"}}`,
		"{\"profile\": {\"name\": \"a\tb\"}}",
		`{"Profile": {"profitable": true}, "AS_OF": "2026-01-01"}`,
		`{"profile": {"profitable": true}, "profile": {"is_industrial": true}}`,
		`{"profile": {"profitable": true}, "profile": null}`,
		`{"profile": {"x": [1, {"y": null}]}}`,
		`{"profile": null}`,
		`{"profile": [1]}`,
		`{"profile": {}, "asof": "2026-01-01"}`,
		`{"profile": {}} {}`,
		`{"profile": {}}  `,
		`{"profile": `,
		``,
		`{"as_of": 20260101}`,
	} {
		f.Add(body)
	}
	f.Fuzz(func(t *testing.T, body string) {
		var want matchRequest
		wantErr := stdDecode(body, &want)
		c, _ := gin.CreateTestContext(httptest.NewRecorder())
		c.Request = httptest.NewRequest(http.MethodPost, "/v1/match", strings.NewReader(body))
		c.Request.Header.Set("Content-Type", "application/json")
		var got matchRequest
		err := decodeJSON(c, &got)
		if (err != nil) != (wantErr != nil) {
			t.Fatalf("error %v, encoding/json's %v", err, wantErr)
		}
		if err != nil {
			return
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("-encoding/json +decodeJSON:\n%s", diff)
		}
	})
}

// stdDecode is how encoding/json alone reads a request.
func stdDecode(body string, v any) error {
	dec := json.NewDecoder(bytes.NewReader([]byte(body)))
	dec.DisallowUnknownFields()
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return io.ErrUnexpectedEOF
	}
	return nil
}
