package api

import (
	"io"

	"github.com/bytedance/sonic"
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
