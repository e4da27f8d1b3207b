// Package apispec checks the service's answers against its own OpenAPI
// description, api/openapi.yaml. Only tests use it: the service itself never
// pays for validation.
package apispec

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
	verrors "github.com/pb33f/libopenapi-validator/errors"
	"github.com/pb33f/libopenapi-validator/helpers"
	"github.com/pb33f/libopenapi-validator/paths"
	"github.com/pb33f/libopenapi-validator/schema_validation"
	v3 "github.com/pb33f/libopenapi/datamodel/high/v3"

	"policybot/api"
)

// Spec is the loaded description with a validator of answers.
type Spec struct {
	Model *v3.Document
	doc   libopenapi.Document
	// mu serialises checks: handlers of one test server answer concurrently,
	// and the validator's caches are not documented as safe for that.
	mu        sync.Mutex
	validator validator.Validator
	// checked holds the operations whose answers were checked, as
	// "GET /v1/clauses/{id}", so that a test can tell which it never saw.
	checked map[string]bool
}

// Load parses the description the service serves; building the model and
// the validator takes a while, so the tests of one binary share one Spec.
var Load = sync.OnceValues(func() (*Spec, error) {
	doc, err := libopenapi.NewDocument(api.OpenAPI())
	if err != nil {
		return nil, fmt.Errorf("api/openapi.yaml: %w", err)
	}
	m, err := doc.BuildV3Model()
	if err != nil {
		return nil, fmt.Errorf("api/openapi.yaml: %w", err)
	}
	v, errs := validator.NewValidator(doc)
	if len(errs) > 0 {
		return nil, fmt.Errorf("api/openapi.yaml: %v", errs)
	}
	return &Spec{Model: &m.Model, doc: doc, validator: v, checked: map[string]bool{}}, nil
})

// Must returns the shared Spec or stops the test.
func Must(t testing.TB) *Spec {
	t.Helper()
	s, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// ValidateDocument checks the description against the OpenAPI schema of its
// version.
func (s *Spec) ValidateDocument() []error {
	s.mu.Lock()
	defer s.mu.Unlock()
	ok, errs := s.validator.ValidateDocument()
	if ok {
		return nil
	}
	out := make([]error, 0, len(errs))
	for _, e := range errs {
		out = append(out, fmt.Errorf("%s", describe(e)))
	}
	return out
}

// Check validates one answer to req: that its status is described for the
// route, and its content type and body fit the schema of that route and
// status. An answer to a request of no route must be the error of a 404 or
// 405. The error names the route, the status and what does not fit.
func (s *Spec) Check(req *http.Request, status int, header http.Header, body []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	// The validator forgives a trailing slash, the server does not: it
	// answers such a path as no route, rather than redirect in HTML.
	if p := req.URL.Path; len(p) > 1 && strings.HasSuffix(p, "/") && s.Model.Paths.PathItems.GetOrZero(p) == nil {
		return s.checkUnrouted(req, status, header, body)
	}
	if s.Model.Paths.PathItems.GetOrZero(req.URL.Path) != nil {
		s.checked[req.Method+" "+req.URL.Path] = true
	} else if _, errs, path := paths.FindPath(req, s.Model, nil); len(errs) == 0 && path != "" {
		s.checked[req.Method+" "+path] = true
	}
	resp := &http.Response{StatusCode: status, Header: header, Body: io.NopCloser(bytes.NewReader(body)), Request: req}
	ok, errs := s.validator.ValidateHttpResponse(req, resp)
	if ok {
		return nil
	}
	if unrouted(errs) {
		return s.checkUnrouted(req, status, header, body)
	}
	route := req.URL.Path
	if errs[0].SpecPath != "" {
		route = errs[0].SpecPath
	}
	msgs := make([]string, 0, len(errs))
	for _, e := range errs {
		msgs = append(msgs, describe(e))
	}
	return fmt.Errorf("%s %s (route %s) answered %d, which does not fit api/openapi.yaml: %s\nbody: %.600s",
		req.Method, req.URL.Path, route, status, strings.Join(msgs, "; "), body)
}

// Unchecked returns the operations of the description, as "GET
// /v1/clauses/{id}", of which no answer has been checked so far.
func (s *Spec) Unchecked() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for path, item := range s.Model.Paths.PathItems.FromOldest() {
		for method := range item.GetOperations().KeysFromOldest() {
			if op := strings.ToUpper(method) + " " + path; !s.checked[op] {
				out = append(out, op)
			}
		}
	}
	return out
}

// unrouted tells whether the validator found no operation for the request.
func unrouted(errs []*verrors.ValidationError) bool {
	return len(errs) > 0 && errs[0].ValidationType == helpers.PathValidation
}

// checkUnrouted checks the answer gin gives a request of no route: 404, or
// 405 for a path without that method, or the 400 and 431 that any request
// may get before routing, in the one error shape; or the empty 204 of a
// CORS preflight.
func (s *Spec) checkUnrouted(req *http.Request, status int, header http.Header, body []byte) error {
	if req.Method == http.MethodOptions && status == http.StatusNoContent && header.Get("Access-Control-Allow-Origin") != "" {
		if len(body) > 0 {
			return fmt.Errorf("OPTIONS %s (a CORS preflight) answered 204 with a body: %.200q", req.URL.Path, body)
		}
		return nil
	}
	name := map[int]string{
		http.StatusBadRequest:                  "ErrorInvalid",
		http.StatusNotFound:                    "ErrorNotFound",
		http.StatusMethodNotAllowed:            "ErrorMethodNotAllowed",
		http.StatusRequestHeaderFieldsTooLarge: "ErrorHeaderTooLarge",
	}[status]
	if name == "" {
		return fmt.Errorf("%s %s is no route of api/openapi.yaml, yet answered %d", req.Method, req.URL.Path, status)
	}
	if ct := header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		return fmt.Errorf("%s %s (no route) answered %d with content type %q, want application/json", req.Method, req.URL.Path, status, ct)
	}
	schema := s.Model.Components.Schemas.GetOrZero(name).Schema()
	if ok, errs := schema_validation.NewSchemaValidator().ValidateSchemaBytes(schema, body); !ok {
		msgs := make([]string, 0, len(errs))
		for _, e := range errs {
			msgs = append(msgs, describe(e))
		}
		return fmt.Errorf("%s %s (no route) answered %d, which does not fit %s: %s\nbody: %.600s",
			req.Method, req.URL.Path, status, name, strings.Join(msgs, "; "), body)
	}
	return nil
}

// describe says what a validation error found, with each schema failure
// at its place in the body.
func describe(e *verrors.ValidationError) string {
	var b strings.Builder
	b.WriteString(e.Message)
	if e.Reason != "" && e.Reason != e.Message {
		b.WriteString(": " + e.Reason)
	}
	for _, f := range e.SchemaValidationErrors {
		fmt.Fprintf(&b, " [%s: %s]", f.FieldPath, f.Reason)
	}
	return b.String()
}

// Handler wraps h so that every answer is checked before it reaches the
// client; a misfit fails t. Checking first means the client cannot go on, and
// the test end, before the check has run.
func (s *Spec) Handler(t testing.TB, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		if err := s.Check(r, rec.Code, rec.Header(), rec.Body.Bytes()); err != nil {
			t.Error(err)
		}
		for k, v := range rec.Header() {
			w.Header()[k] = slices.Clone(v)
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
	})
}
