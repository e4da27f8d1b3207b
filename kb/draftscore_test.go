package kb

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// scoreRules is what DraftScore reads of a rules.yaml.
type scoreRules struct {
	Parameters map[string]struct {
		CNY      *int64   `yaml:"cny"`
		TCE      *float64 `yaml:"tce"`
		Years    *float64 `yaml:"years"`
		PerMille *int64   `yaml:"per_mille"`
		Percent  *int64   `yaml:"percent"`
		Number   *float64 `yaml:"number"`
		Unit     string   `yaml:"unit"`
		List     []string `yaml:"list"`
		Article  string   `yaml:"article"`
		Quote    string   `yaml:"quote"`
	} `yaml:"parameters"`
	Benefits []struct {
		Conditions []struct {
			When string `yaml:"when"`
		} `yaml:"conditions"`
		Amount any `yaml:"amount"`
	} `yaml:"benefits"`
}

// Score is how many parameters of a final rules.yaml a draft had.
type Score struct {
	Total, Matched int
	Missed         []string // the final's parameters the draft lacks
}

func (s Score) String() string {
	return fmt.Sprintf("%d/%d parameters (%.0f%%)", s.Matched, s.Total, 100*float64(s.Matched)/float64(max(s.Total, 1)))
}

// scoreParam is a parameter as DraftScore compares it.
type scoreParam struct {
	name, article, value, quote string
	cmps                        map[byte]string // direction ('>' or '<') → comparison
}

var compareRE = regexp.MustCompile(`([A-Za-z_][A-Za-z0-9_]*)\s*(>=|<=|>|<)\s*([A-Za-z_][A-Za-z0-9_]*)`)

// DraftScore counts the parameters of final and how many of them draft had:
// one of the same article and value, the same comparison where the final
// compares it (a condition's operator, a band's from_included or
// to_included, a step's crossing), and a quote holding one of the figure
// words of the final's quote. Each draft parameter matches at most once.
func DraftScore(draft, final []byte) (Score, error) {
	d, err := scoreParams(draft)
	if err != nil {
		return Score{}, fmt.Errorf("draft: %w", err)
	}
	f, err := scoreParams(final)
	if err != nil {
		return Score{}, fmt.Errorf("final: %w", err)
	}
	var s Score
	used := map[string]bool{}
	for _, fp := range f {
		s.Total++
		found := false
		for _, dp := range d {
			if !used[dp.name] && dp.article == fp.article && dp.value == fp.value && sameComparison(dp.cmps, fp.cmps) && quoteOverlaps(dp.quote, fp.quote) {
				used[dp.name], found = true, true
				break
			}
		}
		if found {
			s.Matched++
		} else {
			s.Missed = append(s.Missed, fp.name)
		}
	}
	return s, nil
}

// scoreParams reads the parameters of a rules.yaml, sorted by name, with the
// comparisons its benefits make of them.
func scoreParams(raw []byte) ([]*scoreParam, error) {
	var rf scoreRules
	if err := yaml.Unmarshal(raw, &rf); err != nil {
		return nil, err
	}
	byName := map[string]*scoreParam{}
	var names []string
	for name, p := range rf.Parameters {
		sp := &scoreParam{name: name, article: p.Article, quote: p.Quote, cmps: map[byte]string{}}
		switch {
		case p.CNY != nil:
			sp.value = fmt.Sprintf("cny %d", *p.CNY)
		case p.TCE != nil:
			sp.value = fmt.Sprintf("tce %g", *p.TCE)
		case p.Years != nil:
			sp.value = fmt.Sprintf("years %g", *p.Years)
		case p.PerMille != nil:
			sp.value = fmt.Sprintf("per_mille %d", *p.PerMille)
		case p.Percent != nil:
			sp.value = fmt.Sprintf("per_mille %d", *p.Percent*10)
		case p.Number != nil:
			sp.value = fmt.Sprintf("number %g %s", *p.Number, p.Unit)
		default:
			sp.value = "list " + strings.Join(p.List, ",")
		}
		byName[name] = sp
		names = append(names, name)
	}
	note := func(name, op string) {
		if p, ok := byName[name]; ok {
			p.cmps[op[0]] = op
		}
	}
	for _, b := range rf.Benefits {
		for _, c := range b.Conditions {
			for _, m := range compareRE.FindAllStringSubmatch(c.When, -1) {
				note(m[3], m[2])
				note(m[1], strings.NewReplacer(">", "<", "<", ">").Replace(m[2]))
			}
		}
		walkBounds(b.Amount, note)
	}
	slices.Sort(names)
	out := make([]*scoreParam, len(names))
	for i, n := range names {
		out[i] = byName[n]
	}
	return out, nil
}

// walkBounds notes the comparison of every band bound and step threshold of
// an amount; a bound whose inclusion is not given compares as "?".
func walkBounds(v any, note func(name, op string)) {
	switch v := v.(type) {
	case map[string]any:
		bound := func(key, incl, in, out string) {
			name, ok := v[key].(string)
			if !ok {
				return
			}
			switch v[incl] {
			case true:
				note(name, in)
			case false:
				note(name, out)
			default:
				note(name, in[:1]+"?")
			}
		}
		bound("from", "from_included", ">=", ">")
		bound("to", "to_included", "<=", "<")
		if op := map[any]string{"exceed": ">", "reach": ">="}[v["crossing"]]; op != "" {
			if at, ok := v["at"].(string); ok {
				note(at, op)
			}
		}
		for _, x := range v {
			walkBounds(x, note)
		}
	case []any:
		for _, x := range v {
			walkBounds(x, note)
		}
	}
}

// sameComparison reports whether a draft compares a parameter as the final
// does: unknown where the final does not compare it, else agreeing in every
// direction both compare, with one at least.
func sameComparison(draft, final map[byte]string) bool {
	if len(final) == 0 {
		return true
	}
	shared := false
	for dir, op := range final {
		if d, ok := draft[dir]; ok {
			if d != op || strings.HasSuffix(op, "?") {
				return false
			}
			shared = true
		}
	}
	return shared
}

// quoteOverlaps reports whether the draft's quote holds a figure word of the
// final's quote, or, where that quote has none, either quote holds the other.
func quoteOverlaps(draft, final string) bool {
	figs := FindFigures(final)
	if len(figs) == 0 {
		return strings.Contains(draft, final) || strings.Contains(final, draft)
	}
	for _, f := range figs {
		if strings.Contains(draft, final[f.Start:f.End]) {
			return true
		}
	}
	return false
}

// TestDraftScore drafts the rules of every document of data/ that has
// final ones and prints how many of their parameters the draft proposed.
func TestDraftScore(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("data", "*", "rules.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no rules.yaml under data/: %v", err)
	}
	for _, file := range files {
		dir := filepath.Dir(file)
		t.Run(filepath.Base(dir), func(t *testing.T) {
			src, err := os.Open(filepath.Join(dir, "source.txt"))
			if err != nil {
				t.Fatal(err)
			}
			defer src.Close()
			sk, err := Parse(src)
			if err != nil {
				t.Fatal(err)
			}
			sk.DocID = filepath.Base(dir)
			var buf bytes.Buffer
			if err := WriteDraft(&buf, sk); err != nil {
				t.Fatal(err)
			}
			final, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			s, err := DraftScore(buf.Bytes(), final)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: %s; missed: %s", sk.DocID, s, strings.Join(s.Missed, " "))
			if s.Matched == 0 {
				t.Errorf("the draft has none of the %d parameters", s.Total)
			}
		})
	}
}

// TestDraftScoreCounts checks the helper on a final of two parameters.
func TestDraftScoreCounts(t *testing.T) {
	final := []byte(`parameters:
  a: {cny: 300000, article: 一, quote: "每家给予30万元奖励"}
  t: {cny: 5000000, article: 一, quote: "收入500万元以上"}
benefits:
  - conditions: [{when: revenue_cny >= t}]
    amount: {fixed: a}
`)
	tests := []struct {
		name  string
		draft string
		want  int
	}{
		{"both", strings.ReplaceAll(string(final), "revenue_cny", "TODO_fact_x"), 2},
		{"wrong comparison", strings.ReplaceAll(string(final), ">=", ">"), 1},
		{"wrong article", strings.ReplaceAll(string(final), "一", "二"), 0},
		{"other figure quoted", strings.ReplaceAll(string(final), `"每家给予30万元奖励"`, `"奖励"`), 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := DraftScore([]byte(tt.draft), final)
			if err != nil {
				t.Fatal(err)
			}
			if s.Total != 2 || s.Matched != tt.want {
				t.Errorf("score %s; want %d/2", s, tt.want)
			}
		})
	}
}

// TestWriteDraftGolden keeps the drafts of the real texts; rerun with
// -update after a change to the grammar and read the diff.
func TestWriteDraftGolden(t *testing.T) {
	for _, name := range []string{"ganzhou-2014-26", "doc-nansha-tech", "doc-nansha-talent", "doc-nansha-hq", "doc-liuhe-industry"} {
		t.Run(name, func(t *testing.T) {
			sk, _ := mustParseFile(t, name+".txt")
			sk.DocID = strings.TrimPrefix(name, "doc-")
			var buf bytes.Buffer
			if err := WriteDraft(&buf, sk); err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", name+".draft.yaml")
			if *update {
				if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if string(want) != buf.String() {
				t.Errorf("WriteDraft differs from %s; rerun with -update if intended", golden)
			}
			var back scoreRules
			if err := yaml.Unmarshal(buf.Bytes(), &back); err != nil {
				t.Errorf("the draft is no YAML: %v", err)
			}
		})
	}
}
