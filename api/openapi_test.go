package api_test

import (
	"encoding/json"
	"log/slog"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"policybot/api"
	"policybot/internal/apispec"
	"policybot/metrics"
)

// TestOpenAPIDocument checks that api/openapi.yaml is valid OpenAPI 3.1 and
// describes exactly the routes Handler registers, each with its method.
func TestOpenAPIDocument(t *testing.T) {
	spec := apispec.Must(t)
	if !strings.HasPrefix(spec.Model.Version, "3.1.") {
		t.Errorf("openapi: %s, want 3.1.x", spec.Model.Version)
	}
	for _, err := range spec.ValidateDocument() {
		t.Error(err)
	}

	gin.SetMode(gin.ReleaseMode)
	param := regexp.MustCompile(`:[^/]+|\{[^}]+\}`)
	routes := map[string]bool{}
	// The integrators' routes, mounted when --complaints is on, the
	// subscriptions', mounted when subscribe messages are configured, and
	// /metrics, served when metrics are counted, are routes of the service
	// too.
	srv := api.NewServer(api.Config{}, api.Deps{Metrics: metrics.New("dev", slog.New(slog.DiscardHandler))})
	// So are the admin listener's.
	engine := srv.Handler(api.IntegrationRoutes(api.Integrations{}), srv.SubscriptionRoutes(nil)).(*gin.Engine)
	admin := srv.AdminHandler().(*gin.Engine)
	for _, r := range append(engine.Routes(), admin.Routes()...) {
		routes[r.Method+" "+param.ReplaceAllString(r.Path, "{}")] = true
	}
	described := map[string]bool{}
	for path, item := range spec.Model.Paths.PathItems.FromOldest() {
		for method := range item.GetOperations().KeysFromOldest() {
			described[strings.ToUpper(method)+" "+param.ReplaceAllString(path, "{}")] = true
		}
	}
	for r := range routes {
		if !described[r] {
			t.Errorf("route %s is not in api/openapi.yaml", r)
		}
	}
	for d := range described {
		if !routes[d] {
			t.Errorf("api/openapi.yaml describes %s, which is no route", d)
		}
	}
}

// TestOpenAPIServed checks that /openapi.json is the YAML document as JSON.
func TestOpenAPIServed(t *testing.T) {
	ts := newTestServer(t)
	status, doc := ts.do(t, "GET", "/openapi.json", "")
	if status != 200 {
		t.Fatalf("status %d", status)
	}
	if doc["openapi"] != apispec.Must(t).Model.Version {
		t.Errorf("openapi = %v", doc["openapi"])
	}
}

// contractPath is the public contract, in the shared folder beside the repository.
const contractPath = "../../shared/spec/contract.md"

// TestOpenAPIHasContract checks that every fact of contract.md's table is a
// property of the profile, with the table's enum values, and that every
// field of its answers is a required property of the same answer here.
func TestOpenAPIHasContract(t *testing.T) {
	raw, err := os.ReadFile(contractPath)
	if os.IsNotExist(err) {
		t.Skip("no shared/spec/contract.md beside the repository")
	}
	if err != nil {
		t.Fatal(err)
	}
	contract := string(raw)
	ts := newTestServer(t)
	_, doc := ts.do(t, "GET", "/openapi.json", "")
	schemas := doc["components"].(map[string]any)["schemas"].(map[string]any)
	schema := func(name string) map[string]any { return schemas[name].(map[string]any) }

	profile := schema("Profile")["properties"].(map[string]any)
	row := regexp.MustCompile("(?m)^\\| ([a-z_0-9]+) \\| ([^|]+) \\|")
	facts := 0
	for _, m := range row.FindAllStringSubmatch(contract, -1) {
		key, typ := m[1], strings.TrimSpace(m[2])
		if key == "key" {
			continue
		}
		facts++
		p, ok := profile[key].(map[string]any)
		if !ok {
			t.Errorf("fact %s of contract.md is not in Profile", key)
			continue
		}
		if values, ok := strings.CutPrefix(typ, "enum: "); ok {
			got, _ := json.Marshal(p)
			for _, v := range strings.Split(values, ", ") {
				if !strings.Contains(string(got), `"`+v+`"`) {
					t.Errorf("fact %s: value %s of contract.md is not in %s", key, v, got)
				}
			}
		}
	}
	if facts < 30 {
		t.Fatalf("read %d facts from contract.md's table; has its form changed?", facts)
	}

	// The contract's example answers name the fields of each.
	var match struct {
		Results []map[string]any `json:"results"`
	}
	block := regexp.MustCompile("(?s)## POST /v1/match.*?```json\n(.*?)```").FindStringSubmatch(contract)
	if block == nil || json.Unmarshal([]byte(block[1]), &match) != nil || len(match.Results) == 0 {
		t.Fatal("cannot read the /v1/match example of contract.md")
	}
	var search struct {
		Hits []map[string]any `json:"hits"`
	}
	inline := regexp.MustCompile("(?s)## GET /v1/search.*?`(\\{\"hits\".*?)`").FindStringSubmatch(contract)
	if inline == nil || json.Unmarshal([]byte(inline[1]), &search) != nil || len(search.Hits) == 0 {
		t.Fatal("cannot read the /v1/search example of contract.md")
	}
	chat := regexp.MustCompile("(?s)## POST /v1/chat.*?```json\n(.*?)```").FindStringSubmatch(contract)
	if chat == nil {
		t.Fatal("cannot read the /v1/chat example of contract.md")
	}
	// The chat example is not JSON ("[ same items as /v1/match ]"): its
	// top-level keys are those indented by two spaces.
	var chatKeys []string
	for _, m := range regexp.MustCompile(`(?m)^  "([a-z_]+)":`).FindAllStringSubmatch(chat[1], -1) {
		chatKeys = append(chatKeys, m[1])
	}
	var question []string
	for _, m := range regexp.MustCompile(`"question": \{(.*)\}`).FindAllStringSubmatch(chat[1], -1) {
		for _, k := range regexp.MustCompile(`"([a-z_]+)":`).FindAllStringSubmatch(m[1], -1) {
			question = append(question, k[1])
		}
	}
	amount := keys(match.Results[0]["amount"].(map[string]any))
	for name, want := range map[string][]string{
		"MatchResponse": {"as_of", "results"},
		"Result":        keys(match.Results[0]),
		"Amount":        amount,
		"SearchHit":     keys(search.Hits[0]),
		"ChatRequest":   {"session_id", "message", "as_of"},
		"ChatReply":     chatKeys,
		"Question":      question,
		"Citation":      {"doc_id", "doc_no", "article"},
	} {
		s := schema(name)
		props, _ := s["properties"].(map[string]any)
		required, _ := s["required"].([]any)
		for _, k := range want {
			if _, ok := props[k]; !ok {
				t.Errorf("%s lacks %s of contract.md", name, k)
			} else if name != "ChatRequest" && !slices.Contains(required, any(k)) {
				t.Errorf("%s does not require %s of contract.md", name, k)
			}
		}
	}
	if !strings.Contains(contract, `"status": "eligible | undetermined | ineligible"`) {
		t.Error("contract.md's statuses have changed")
	}
	status, _ := json.Marshal(schema("Result")["properties"].(map[string]any)["status"].(map[string]any)["enum"])
	if string(status) != `["eligible","undetermined","ineligible"]` {
		t.Errorf("Result.status enum = %s, want contract.md's three", status)
	}
}

func keys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
