package api

import (
	"io"
	"net/http"
	"strconv"

	"github.com/bytedance/sonic"
	"github.com/gin-gonic/gin"
	ginjson "github.com/gin-gonic/gin/codec/json"
)

// Gin writes every JSON answer through ginjson.API. Sonic's standard
// configuration writes the same bytes as encoding/json (HTML escaped, map
// keys sorted, invalid UTF-8 replaced) in under half the time on a match
// answer (BENCHMARKS.md, "Speed of /v1/match"); on a Go release or a CPU it
// does not support it falls back to encoding/json itself. Requests are
// still decoded by encoding/json (decodeJSON), whose errors name the field.
func init() { ginjson.API = sonicStd{} }

// sonicStd is sonic.ConfigStd as Gin's codec.
type sonicStd struct{}

func (sonicStd) Marshal(v any) ([]byte, error) { return sonic.ConfigStd.Marshal(v) }

func (sonicStd) Unmarshal(data []byte, v any) error { return sonic.ConfigStd.Unmarshal(data, v) }

func (sonicStd) MarshalIndent(v any, prefix, indent string) ([]byte, error) {
	return sonic.ConfigStd.MarshalIndent(v, prefix, indent)
}

func (sonicStd) NewEncoder(w io.Writer) ginjson.Encoder { return sonic.ConfigStd.NewEncoder(w) }

func (sonicStd) NewDecoder(r io.Reader) ginjson.Decoder { return sonic.ConfigStd.NewDecoder(r) }

// writeJSON answers v as c.JSON does, with a Content-Length: without one,
// an answer larger than net/http's 2 KB response buffer goes out chunked,
// and a match answer took three write calls instead of two. The routes whose
// answers can be that large use it.
func writeJSON(c *gin.Context, code int, v any) { c.Render(code, sizedJSON{v}) }

type sizedJSON struct{ v any }

var jsonContentType = []string{"application/json; charset=utf-8"}

func (r sizedJSON) Render(w http.ResponseWriter) error {
	b, err := ginjson.API.Marshal(r.v)
	if err != nil {
		return err
	}
	h := w.Header()
	h["Content-Type"] = jsonContentType
	h["Content-Length"] = []string{strconv.Itoa(len(b))}
	_, err = w.Write(b)
	return err
}

func (sizedJSON) WriteContentType(w http.ResponseWriter) {
	w.Header()["Content-Type"] = jsonContentType
}
