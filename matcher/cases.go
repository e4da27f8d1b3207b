package matcher

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// Case is a policy test case written beside the rules: a profile, a date,
// and what one benefit must come to.
type Case struct {
	Name    string
	Benefit string
	AsOf    time.Time
	Profile *Profile
	Status  Status
	// Amount is checked when AmountSet: nil means the answer must carry no
	// figure.
	Amount    *int64
	AmountSet bool
	Missing   []string
	// OnThreshold marks a case that sits exactly on a threshold of the rule.
	OnThreshold bool

	file string
	line int
}

type caseSpec struct {
	Name        string    `yaml:"name"`
	Benefit     string    `yaml:"benefit"`
	AsOf        string    `yaml:"as_of"`
	Profile     yaml.Node `yaml:"profile"`
	Status      string    `yaml:"status"`
	Amount      yaml.Node `yaml:"amount"`
	Missing     []string  `yaml:"missing"`
	OnThreshold bool      `yaml:"on_threshold"`
}

// defaultCaseDate is the as_of of a case that gives none: fixed, so that a
// case means the same thing every day it runs.
var defaultCaseDate = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func loadCases(fsys fs.FS, e *Engine) ([]*Case, error) {
	files, err := fs.Glob(fsys, "*/cases.yaml")
	if err != nil {
		return nil, fmt.Errorf("matcher: %w", err)
	}
	var cases []*Case
	for _, file := range files {
		raw, err := fs.ReadFile(fsys, file)
		if err != nil {
			return nil, fmt.Errorf("matcher: %w", err)
		}
		var root yaml.Node
		if err := yaml.Unmarshal(raw, &root); err != nil {
			return nil, fmt.Errorf("matcher: %s: %w", file, err)
		}
		dec := yaml.NewDecoder(bytes.NewReader(raw))
		dec.KnownFields(true)
		var specs []caseSpec
		if err := dec.Decode(&specs); err != nil && !errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("matcher: %s: %w", file, err)
		}
		for i, s := range specs {
			line := 0
			if len(root.Content) > 0 && i < len(root.Content[0].Content) {
				line = root.Content[0].Content[i].Line
			}
			c, err := compileCase(s, e)
			if err != nil {
				return nil, fmt.Errorf("matcher: %s:%d: case %q: %w", file, line, s.Name, err)
			}
			c.file, c.line = file, line
			cases = append(cases, c)
		}
	}
	// Every benefit needs at least three cases, one of them with a missing
	// fact, and one on a threshold when the rule compares a figure.
	for _, b := range e.benefits {
		var n, withMissing, onThreshold int
		for _, c := range cases {
			if c.Benefit != b.ID {
				continue
			}
			n++
			if len(c.Missing) > 0 {
				withMissing++
			}
			if c.OnThreshold {
				onThreshold++
			}
		}
		switch {
		case n < 3:
			return nil, fmt.Errorf("matcher: benefit %s: %d test cases, want at least 3", b.ID, n)
		case withMissing == 0:
			return nil, fmt.Errorf("matcher: benefit %s: no test case with a missing fact", b.ID)
		case onThreshold == 0 && b.comparesFigures():
			return nil, fmt.Errorf("matcher: benefit %s: no test case marked on_threshold", b.ID)
		}
	}
	return cases, nil
}

// comparesFigures reports whether a condition of b reads money or a
// quantity: then a case must sit on its threshold. A figure only the sum is
// computed from has none.
func (b *Benefit) comparesFigures() bool {
	for _, c := range b.Conditions {
		for _, i := range c.facts {
			if k := b.cat.facts[i].Kind; k == KindMoney || k == KindNumber {
				return true
			}
		}
	}
	return false
}

func compileCase(s caseSpec, e *Engine) (*Case, error) {
	if strings.TrimSpace(s.Name) == "" {
		return nil, errors.New("name: empty")
	}
	if _, ok := e.Benefit(s.Benefit); !ok {
		return nil, fmt.Errorf("benefit: unknown id %q", s.Benefit)
	}
	c := &Case{Name: s.Name, Benefit: s.Benefit, Status: Status(s.Status), Missing: s.Missing, OnThreshold: s.OnThreshold, AsOf: defaultCaseDate}
	if !slices.Contains([]Status{Eligible, Undetermined, Ineligible}, c.Status) {
		return nil, fmt.Errorf("status: %q is not eligible, undetermined or ineligible", s.Status)
	}
	if s.AsOf != "" {
		t, err := time.Parse(time.DateOnly, s.AsOf)
		if err != nil {
			return nil, fmt.Errorf("as_of: %w", err)
		}
		c.AsOf = t
	}
	// The profile goes through the same strict JSON reading as a request.
	var m map[string]any
	if err := s.Profile.Decode(&m); err != nil {
		return nil, fmt.Errorf("profile: %w", err)
	}
	raw, err := json.Marshal(m)
	if err != nil {
		return nil, fmt.Errorf("profile: %w", err)
	}
	c.Profile = e.cat.NewProfile()
	if err := c.Profile.UnmarshalJSON(raw); err != nil {
		return nil, fmt.Errorf("profile: %w", err)
	}
	if s.Amount.Kind != 0 {
		c.AmountSet = true
		if s.Amount.Tag != "!!null" {
			var n int64
			if err := s.Amount.Decode(&n); err != nil {
				return nil, fmt.Errorf("amount: %w", err)
			}
			c.Amount = &n
		}
	}
	for _, k := range c.Missing {
		if _, ok := e.cat.index[k]; !ok {
			return nil, fmt.Errorf("missing: unknown fact %q", k)
		}
	}
	if len(c.Missing) > 0 && c.Status != Undetermined {
		return nil, errors.New("missing: only an undetermined case has missing facts")
	}
	return c, nil
}

// CaseResult is the outcome of one test case.
type CaseResult struct {
	Case     *Case
	Got      *Result
	Problems []string
}

// Where names the file and line of the case.
func (r CaseResult) Where() string { return fmt.Sprintf("%s:%d", r.Case.file, r.Case.line) }

// RunCases runs every test case and reports each. A case is decided on its
// own benefit alone, as a match with ineligible and untouched results would
// decide it, so that running the cases costs one evaluation each, not one
// per benefit of the library.
func (e *Engine) RunCases() []CaseResult {
	byID := make(map[string]*Benefit, len(e.benefits))
	for _, b := range e.benefits {
		byID[b.ID] = b
	}
	out := make([]CaseResult, 0, len(e.cases))
	for _, c := range e.cases {
		opts := Options{AsOf: c.AsOf, IncludeIneligible: true, IncludeUntouched: true}
		b, applicant := byID[c.Benefit], c.Profile.ApplicantType()
		var got Result
		if slices.Contains(b.Applicants, applicant) {
			got, _ = e.evaluate(b, c.Profile, e.activation(c.Profile), opts)
		} else {
			got = e.notForApplicant(b, applicant, opts)
		}
		out = append(out, CaseResult{Case: c, Got: &got, Problems: c.check(&got)})
	}
	return out
}

func (c *Case) check(got *Result) []string {
	var p []string
	if got.Status != c.Status {
		p = append(p, fmt.Sprintf("status %s, want %s", got.Status, c.Status))
	}
	if c.AmountSet && c.Status == Eligible {
		switch {
		case c.Amount == nil && got.Amount != nil:
			p = append(p, fmt.Sprintf("amount %d, want none", got.Amount.CNY))
		case c.Amount != nil && got.Amount == nil:
			p = append(p, fmt.Sprintf("no amount, want %d", *c.Amount))
		case c.Amount != nil && got.Amount.CNY != *c.Amount:
			p = append(p, fmt.Sprintf("amount %d, want %d", got.Amount.CNY, *c.Amount))
		}
	}
	for _, k := range c.Missing {
		if !slices.Contains(got.MissingFacts, k) {
			p = append(p, fmt.Sprintf("missing_facts %v lack %s", got.MissingFacts, k))
		}
	}
	return p
}
