package api

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"

	"github.com/gin-gonic/gin"

	"policybot/complaints/sign"
)

// SignatureVerifier checks a signed call and says who signed it;
// *sign.Verifier is one.
type SignatureVerifier interface {
	Verify(ctx context.Context, r *http.Request, body []byte) (sign.Caller, error)
}

// SignedRequests returns the middleware of the routes integrators call. It
// reads the body, at most maxBody bytes, checks the signature over it, gives
// the body back to the handler to read again (and as signedBody), and puts
// who signed in the request's context (sign.FromContext). A refusal is 401
// unauthorized whose message says why and whose field names the header at
// fault; a key ring or nonce store that cannot answer is 503.
func SignedRequests(v SignatureVerifier, maxBody int64) gin.HandlerFunc {
	return func(c *gin.Context) {
		body, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, maxBody))
		if err != nil {
			var mbe *http.MaxBytesError
			if !errors.As(err, &mbe) {
				err = invalid("body", "请求体读取失败")
			}
			_ = c.Error(err)
			c.Abort()
			return
		}
		caller, err := v.Verify(c.Request.Context(), c.Request, body)
		if err != nil {
			_ = c.Error(signatureError(err))
			c.Abort()
			return
		}
		c.Request.Body = io.NopCloser(bytes.NewReader(body))
		c.Request = c.Request.WithContext(sign.NewContext(c.Request.Context(), caller))
		c.Set(signedBodyKey, body)
		c.Next()
	}
}

// signedBodyKey is where SignedRequests keeps the body it verified.
const signedBodyKey = "policybot.signed-body"

// signedBody returns the bytes of a verified call's body, as signed.
func signedBody(c *gin.Context) []byte { return c.MustGet(signedBodyKey).([]byte) }

// headerForms say what each signature header holds, for the message of a
// malformed one.
var headerForms = map[string]string{
	sign.HeaderKeyID:     "应为1至64位字母、数字、_ 或 -",
	sign.HeaderTimestamp: "应为以秒计的 Unix 时间戳",
	sign.HeaderNonce:     "应为16至64位字母、数字、_ 或 -",
	sign.HeaderSignature: "应为64位十六进制的 HMAC",
}

func signatureError(err error) error {
	var se *sign.Error
	if !errors.As(err, &se) {
		if errors.Is(err, sign.ErrUnavailable) {
			return &Error{Code: CodeUnavailable, Message: "签名校验暂时不可用,请稍后再试"}
		}
		return err
	}
	var msg string
	switch se.Kind {
	case sign.ErrMissingHeader:
		msg = "缺少请求头 " + se.Header
	case sign.ErrMalformedHeader:
		msg = "请求头 " + se.Header + " 格式不正确或重复出现:" + headerForms[se.Header]
	case sign.ErrUnknownKey:
		msg = "没有这个密钥"
	case sign.ErrRevokedKey:
		msg = "该密钥已吊销,请改用新密钥"
	case sign.ErrStale:
		msg = "时间戳与服务器时间相差超过5分钟(服务器时间见响应头 Date)"
	case sign.ErrBadSignature:
		msg = "签名不正确:请按方法、路径(含查询串)、时间戳、随机数和请求体的哈希重新计算"
	case sign.ErrReplayed:
		msg = "该随机数已用过:每次请求须用新的随机数"
	}
	return &Error{Code: CodeUnauthorized, Message: msg, Field: se.Header}
}
