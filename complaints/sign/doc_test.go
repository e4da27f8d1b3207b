package sign_test

import (
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"policybot/complaints/sign"
)

// The worked example of ../SIGNATURES.md.
const (
	exampleSecret = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"
	exampleKeyID  = "pbk_5f3c9e1a7b2d4c6e8f0a1b2c"
	exampleNonce  = "Zm9yLWV4YW1wbGUtb25seQ"
	exampleTarget = "/v1/integrations/complaints?source=12345"
	exampleBody   = `{"ticket_id":"GZ12345-20260101-0001","text":"我公司2025年的十七.1奖励至今未兑现"}`
)

var exampleTime = time.Unix(1767225600, 0)

// TestSignaturesDoc checks that SIGNATURES.md shows the inputs of its
// worked example, and for each algorithm the canonical string and the
// signed request that the code computes from them, so that the document
// cannot drift from the code.
func TestSignaturesDoc(t *testing.T) {
	raw, err := os.ReadFile("../SIGNATURES.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(raw)
	for _, input := range []string{exampleSecret, exampleKeyID, exampleNonce, exampleTarget, exampleBody, "1767225600",
		fmt.Sprintf("this body of %d bytes", len(exampleBody))} {
		if !strings.Contains(doc, input) {
			t.Errorf("SIGNATURES.md does not show the example's input %q", input)
		}
	}
	for _, alg := range []sign.Algorithm{sign.HMACSHA256, sign.HMACSM3} {
		k := sign.Key{ID: exampleKeyID, Algorithm: alg, Secret: []byte(exampleSecret)}
		canonical, err := sign.StringToSign(alg, http.MethodPost, exampleTarget, "1767225600", exampleNonce, []byte(exampleBody))
		if err != nil {
			t.Fatal(err)
		}
		r, _ := http.NewRequest(http.MethodPost, "https://policybot.example"+exampleTarget, strings.NewReader(exampleBody))
		if err := sign.SignAt(r, []byte(exampleBody), k, exampleTime, exampleNonce); err != nil {
			t.Fatal(err)
		}
		request := strings.Join([]string{
			"POST " + exampleTarget + " HTTP/1.1",
			"Host: policybot.example",
			"Content-Type: application/json",
			sign.HeaderKeyID + ": " + exampleKeyID,
			sign.HeaderTimestamp + ": 1767225600",
			sign.HeaderNonce + ": " + exampleNonce,
			sign.HeaderSignature + ": " + r.Header.Get(sign.HeaderSignature),
			"",
			exampleBody,
		}, "\n")
		for what, block := range map[string]string{"canonical string": canonical, "signed request": request} {
			if fenced := "```text\n" + block + "\n```"; !strings.Contains(doc, fenced) {
				t.Errorf("SIGNATURES.md lacks the %s of %s; it should hold:\n%s", what, alg, fenced)
			}
		}
	}
}
