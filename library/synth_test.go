package library

import (
	"bytes"
	"flag"
	"fmt"
	"io/fs"
	"math/big"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"policybot/kb"
	"policybot/kb/gazetteer"
	"policybot/matcher"
)

// testDay is the day the tests ask which documents are in force.
var testDay = time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)

var synthOut = flag.String("synth-out", "", "also write the synthetic library of TestWriteSynthetic into this folder, for the binary to serve")

// seedID is the real document the synthetic ones are made from.
const seedID = "ganzhou-2014-26"

// synthDocs is the size of the synthetic library: 100 documents of about 30
// benefits each beside the seed.
const synthDocs = 100

// TestWriteSynthetic writes the seed library plus 100 synthetic documents
// and checks that it loads, that every case passes, and that no synthetic
// document's area holds 南康区, where the seed's questions are asked.
func TestWriteSynthetic(t *testing.T) {
	dir := *synthOut
	if dir == "" {
		dir = t.TempDir()
	}
	start := time.Now()
	l := openSynthetic(t, dir)
	defer l.Close()
	opened := time.Since(start)
	failed := l.Check()
	t.Logf("written and opened in %v, cases run in %v", opened, time.Since(start)-opened)
	if len(failed) > 0 {
		for _, r := range failed[:min(len(failed), 10)] {
			t.Errorf("%s: %s/%s: %s", r.Where(), r.Case.Benefit, r.Case.Name, strings.Join(r.Problems, "; "))
		}
		t.Fatalf("%d of %d cases fail", len(failed), len(l.Engine.RunCases()))
	}
	var docs []*kb.Document
	for _, d := range l.Documents() {
		if strings.HasPrefix(d.DocID, "synthetic-") {
			docs = append(docs, d)
		}
	}
	if len(docs) != synthDocs {
		t.Fatalf("%d synthetic documents, want %d", len(docs), synthDocs)
	}
	areas := map[string]bool{}
	for _, d := range docs {
		areas[d.Area.Code] = true
		raw, err := os.ReadFile(filepath.Join(dir, d.DocID, "source.txt"))
		if err != nil {
			t.Fatal(err)
		}
		// Every place name of the seed is replaced; these are its commonest.
		for _, name := range []string{"赣州", "南康", "赣市", "于都"} {
			if bytes.Contains(raw, []byte(name)) {
				t.Errorf("%s/source.txt still names %s", d.DocID, name)
			}
		}
	}
	if len(areas) < 50 {
		t.Errorf("the synthetic documents have %d jurisdictions, want at least 50", len(areas))
	}
	in, err := l.DocumentsIn("南康区", testDay)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(in, []string{seedID}) {
		t.Errorf("documents in force in 南康区: %v, want only the seed", in)
	}
	synthetic := 0
	for _, b := range l.Engine.Benefits() {
		if strings.HasPrefix(b.DocID, "synthetic-") {
			synthetic++
		}
	}
	if synthetic < 2900 || synthetic > 3200 {
		t.Errorf("%d synthetic benefits, want about 3,000", synthetic)
	}
	t.Logf("%d documents in %d jurisdictions, %d benefits, %d cases", len(docs), len(areas), len(l.Engine.Benefits()), len(l.Engine.RunCases()))
}

// openSynthetic writes the synthetic library into dir and opens it from
// memory, so dir may go once it returns.
func openSynthetic(tb testing.TB, dir string) *Library {
	tb.Helper()
	if err := writeSynthetic(dir, synthDocs); err != nil {
		tb.Fatal(err)
	}
	fsys, err := ReadDir(dir)
	if err != nil {
		tb.Fatal(err)
	}
	l, err := Open(fsys, dir)
	if err != nil {
		tb.Fatal(err)
	}
	return l
}

// writeSynthetic writes into dir the built-in library as it is and n
// documents synthetic-001… made from the seed: each with its own
// jurisdiction outside 南康区, names of places built from it, every yuan
// figure times a factor k of 2 to 10, and three of the seed's benefits left
// out with their cases.
func writeSynthetic(dir string, n int) error {
	seed := kb.Embedded()
	if err := copyFS(dir, seed); err != nil {
		return err
	}
	base, err := kb.Load(seed)
	if err != nil {
		return err
	}
	g := base.Gazetteer()
	gz, _, err := g.Resolve("赣州市")
	if err != nil {
		return err
	}
	areas, err := synthAreas(g, gz, n)
	if err != nil {
		return err
	}
	money := map[string]bool{}
	for _, f := range base.Facts() {
		if f.Kind == "money" {
			money[f.Key] = true
		}
	}
	files := map[string][]byte{}
	for _, name := range []string{"document.yaml", "source.txt", "rules.yaml", "cases.yaml"} {
		if files[name], err = fs.ReadFile(seed, path.Join(seedID, name)); err != nil {
			return err
		}
	}
	for i, area := range areas {
		c := &copySpec{
			id:     fmt.Sprintf("synthetic-%03d", i+1),
			suffix: fmt.Sprintf("-s%03d", i+1),
			k:      int64(2 + i%9),
			area:   area,
			name:   matcher.RegionName(g, area),
			money:  money,
			drop:   i,
		}
		c.places(g, gz, i)
		if err := c.write(filepath.Join(dir, c.id), files); err != nil {
			return fmt.Errorf("%s: %w", c.id, err)
		}
	}
	return nil
}

// copyFS writes every file of fsys under dir.
func copyFS(dir string, fsys fs.FS) error {
	return fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		raw, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		out := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
			return err
		}
		return os.WriteFile(out, raw, 0o644)
	})
}

// synthAreas picks n prefectures and counties, province by province in
// turn so that they spread over the country, none of them holding 南康区:
// none of them in the seed's 赣州市 either, whose counties a copy's text
// would name as its neighbours. A prefecture is taken only if it has
// counties, for the cases' regions.
func synthAreas(g *gazetteer.Gazetteer, gz *gazetteer.Division, n int) ([]*gazetteer.Division, error) {
	nankang, _, err := g.Resolve("南康区")
	if err != nil {
		return nil, err
	}
	usable := func(d *gazetteer.Division) bool {
		if nankang.Within(d) != gazetteer.No || d.Within(gz) != gazetteer.No {
			return false
		}
		// The name the document gives must lead back to the division.
		got, _, err := g.Resolve(matcher.RegionName(g, d))
		return err == nil && got == d
	}
	type pools struct{ prefs, counties []*gazetteer.Division }
	var provinces []pools
	for _, p := range g.List(nil, gazetteer.Province) {
		var ps pools
		for _, d := range g.List(p, gazetteer.Prefecture) {
			if usable(d) && len(g.List(d, gazetteer.County)) > 0 {
				ps.prefs = append(ps.prefs, d)
			}
		}
		for _, d := range g.List(p, gazetteer.County) {
			if usable(d) {
				ps.counties = append(ps.counties, d)
			}
		}
		provinces = append(provinces, ps)
	}
	var out []*gazetteer.Division
	seen := map[string]bool{}
	for round := 0; len(out) < n && round < 100; round++ {
		for _, ps := range provinces {
			// Even rounds take a prefecture, odd ones a county further down
			// the list each time, so that counties of several prefectures
			// of a province come up.
			var d *gazetteer.Division
			switch {
			case round%2 == 0 && round/2 < len(ps.prefs):
				d = ps.prefs[round/2]
			case round%2 == 1 && len(ps.counties) > 0:
				d = ps.counties[(round/2*37)%len(ps.counties)]
			}
			if d != nil && !seen[d.Code] && len(out) < n {
				seen[d.Code] = true
				out = append(out, d)
			}
		}
	}
	if len(out) < n {
		return nil, fmt.Errorf("only %d jurisdictions found, want %d", len(out), n)
	}
	return out, nil
}

// copySpec is one synthetic document to write.
type copySpec struct {
	id     string // doc_id
	suffix string // appended to each benefit id, which must be unique
	k      int64  // factor of every yuan figure
	area   *gazetteer.Division
	name   string // the jurisdiction as the document writes it
	money  map[string]bool
	// rename replaces the seed's place names and issuing number.
	rename *strings.Replacer
	// regions maps the seed cases' regions to counties inside the area.
	regions map[string]string
	drop    int // which of the droppable benefits to leave out
}

// places builds the copy's names: the seed's city, province, counties and
// issuing number become those of the copy's area, and the cases' regions
// counties inside it.
func (c *copySpec) places(g *gazetteer.Gazetteer, gz *gazetteer.Division, i int) {
	// A prefecture's own counties stand in for Ganzhou's; a county's text
	// names its neighbours (those of its prefecture, or its municipality),
	// but its cases are all in the county itself.
	pool, prov := g.List(c.area, gazetteer.County), c.area.Parent
	if c.area.Level == gazetteer.County {
		pool = g.List(c.area.Parent, gazetteer.County)
	}
	for prov.Level != gazetteer.Province {
		prov = prov.Parent
	}
	abbr := firstRune(c.area.Name) + lastRune(c.area.Name)
	pairs := []string{
		"赣市府发〔2014〕26号", fmt.Sprintf("%s府发〔2014〕%d号", abbr, 100+i),
		"赣州市人民政府", c.area.FullName + "人民政府",
		"赣市", abbr,
		"赣州市", c.area.Name,
		"赣州", short(c.area.Name),
		"赣南", short(c.area.Name),
		"江西", short(prov.Name),
	}
	for j, d := range g.List(gz, gazetteer.County) {
		to := pool[j%len(pool)]
		pairs = append(pairs, d.Name, to.Name)
		if s := short(d.Name); s != d.Name {
			pairs = append(pairs, s, short(to.Name))
		}
	}
	c.rename = longestFirst(pairs)
	c.regions = map[string]string{}
	for j, r := range []string{"南康区", "于都县", "信丰县"} {
		if c.area.Level == gazetteer.County {
			c.regions[r] = c.name
		} else {
			c.regions[r] = matcher.RegionName(g, pool[j%len(pool)])
		}
	}
}

// longestFirst returns a replacer of the old/new pairs that tries longer
// names first, so that 南康区 is not taken for 南康 and a 区 left over.
func longestFirst(pairs []string) *strings.Replacer {
	type pair struct{ old, new string }
	var ps []pair
	for i := 0; i < len(pairs); i += 2 {
		ps = append(ps, pair{pairs[i], pairs[i+1]})
	}
	sort.SliceStable(ps, func(a, b int) bool { return len(ps[a].old) > len(ps[b].old) })
	flat := make([]string, 0, len(pairs))
	for _, p := range ps {
		flat = append(flat, p.old, p.new)
	}
	return strings.NewReplacer(flat...)
}

func firstRune(s string) string { r, _ := utf8.DecodeRuneInString(s); return string(r) }
func lastRune(s string) string  { r, _ := utf8.DecodeLastRuneInString(s); return string(r) }

// short drops the suffix of a division's name (长沙市 → 长沙) when two
// characters or more are left.
func short(name string) string {
	for _, suf := range []string{"自治州", "自治县", "地区", "市", "区", "县", "盟", "旗"} {
		if s, ok := strings.CutSuffix(name, suf); ok && utf8.RuneCountInString(s) >= 2 {
			return s
		}
	}
	return name
}

// yuanFigures are runs of figures in yuan, such as 5万元, 1.2万亿元 and
// 1000亿、200亿元, where the unit 元 closes the run.
var (
	yuanFigures = regexp.MustCompile(`\d+(?:\.\d+)?(?:万亿|亿|万)?(?:、\d+(?:\.\d+)?(?:万亿|亿|万)?)*元`)
	figure      = regexp.MustCompile(`\d+(?:\.\d+)?`)
)

// text renames places and multiplies every figure in yuan by k, the same
// way in source.txt and in every text that quotes it.
func (c *copySpec) text(s string) string {
	s = c.rename.Replace(s)
	return yuanFigures.ReplaceAllStringFunc(s, func(run string) string {
		return figure.ReplaceAllStringFunc(run, func(num string) string { return times(num, c.k) })
	})
}

// times multiplies a decimal figure exactly: 1.2 × 3 is 3.6.
func times(num string, k int64) string {
	r, ok := new(big.Rat).SetString(num)
	if !ok {
		panic("not a decimal: " + num)
	}
	r.Mul(r, big.NewRat(k, 1))
	if r.IsInt() {
		return r.Num().String()
	}
	decimals := 0
	if i := strings.IndexByte(num, '.'); i >= 0 {
		decimals = len(num) - i - 1
	}
	return r.FloatString(decimals)
}

// write writes the copy's four files into dir.
func (c *copySpec) write(dir string, seed map[string][]byte) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	doc, err := c.document(seed["document.yaml"])
	if err != nil {
		return err
	}
	rules, dropped, rates, err := c.rules(seed["rules.yaml"])
	if err != nil {
		return err
	}
	cases, err := c.cases(seed["cases.yaml"], dropped, rates)
	if err != nil {
		return err
	}
	for name, raw := range map[string][]byte{
		"document.yaml": doc, "rules.yaml": rules, "cases.yaml": cases,
		"source.txt": []byte(c.text(string(seed["source.txt"]))),
	} {
		if err := os.WriteFile(filepath.Join(dir, name), raw, 0o644); err != nil {
			return err
		}
	}
	return nil
}

func (c *copySpec) header() string {
	return fmt.Sprintf("Synthetic copy of %s for benchmarks, written by library/synth_test.go:\nplaces of %s, yuan figures times %d.", seedID, c.area.FullName, c.k)
}

func (c *copySpec) document(raw []byte) ([]byte, error) {
	root, err := parseYAML(raw)
	if err != nil {
		return nil, err
	}
	eachString(root, c.text)
	m := root.Content[0]
	setValue(m, "jurisdiction", c.name)
	return encodeYAML(root, c.header())
}

// rate is what a case of a rate benefit needs to recompute its amount.
type rate struct {
	base     string // the money fact
	perMille int64
}

// rules scales every cny parameter by k, renames places and benefit ids,
// and leaves out three benefits that read no parameter (so no parameter is
// left unused). It returns the dropped ids and the rate benefits by new id.
func (c *copySpec) rules(raw []byte) ([]byte, map[string]bool, map[string]rate, error) {
	root, err := parseYAML(raw)
	if err != nil {
		return nil, nil, nil, err
	}
	m := root.Content[0]
	params, benefits := value(m, "parameters"), value(m, "benefits")
	if params == nil || benefits == nil {
		return nil, nil, nil, fmt.Errorf("rules.yaml: no parameters or benefits")
	}
	names := map[string]bool{}
	perMille := map[string]int64{}
	for i := 0; i+1 < len(params.Content); i += 2 {
		name, p := params.Content[i].Value, params.Content[i+1]
		names[name] = true
		if v := value(p, "cny"); v != nil {
			n, err := strconv.ParseInt(v.Value, 10, 64)
			if err != nil {
				return nil, nil, nil, fmt.Errorf("parameter %s: %w", name, err)
			}
			v.Value = strconv.FormatInt(n*c.k, 10)
		}
		if v := value(p, "per_mille"); v != nil {
			perMille[name], _ = strconv.ParseInt(v.Value, 10, 64)
		}
	}
	var droppable []string
	for _, b := range benefits.Content {
		if !readsAny(b, names) {
			droppable = append(droppable, value(b, "id").Value)
		}
	}
	if len(droppable) < 3 {
		return nil, nil, nil, fmt.Errorf("rules.yaml: only %d benefits read no parameter", len(droppable))
	}
	dropped := map[string]bool{}
	for j := range 3 {
		dropped[droppable[(c.drop+j*len(droppable)/3)%len(droppable)]] = true
	}
	rates := map[string]rate{}
	kept := benefits.Content[:0]
	for _, b := range benefits.Content {
		id := value(b, "id")
		if dropped[id.Value] {
			continue
		}
		id.Value += c.suffix
		if r := value(value(b, "amount"), "rate"); r != nil {
			rates[id.Value] = rate{value(r, "base").Value, perMille[value(r, "per_mille").Value]}
		}
		kept = append(kept, b)
	}
	benefits.Content = kept
	eachString(root, c.text)
	out, err := encodeYAML(root, c.header())
	return out, dropped, rates, err
}

// readsAny reports whether any scalar of n names one of the parameters, as
// an identifier in a condition, a {placeholder} or an amount's value.
func readsAny(n *yaml.Node, names map[string]bool) bool {
	if n.Kind == yaml.ScalarNode {
		for _, w := range identifier.FindAllString(n.Value, -1) {
			if names[w] {
				return true
			}
		}
		return false
	}
	return slices.ContainsFunc(n.Content, func(c *yaml.Node) bool { return readsAny(c, names) })
}

var identifier = regexp.MustCompile(`[a-z][a-z0-9_]*`)

// cases keeps the cases of the benefits kept, renames them, moves their
// regions into the area and multiplies every money fact and amount by k.
// Fixed, table and step amounts scale exactly: every threshold and award
// is k times the seed's, so the same steps are crossed. A rate rounds down
// to the yuan, which k times a figure need not do as the seed did
// (1,234,567 × 1‰ is 1,234, but × 2 it is 2,469, not 2,468), so a rate
// benefit's amount is recomputed from its scaled base.
func (c *copySpec) cases(raw []byte, dropped map[string]bool, rates map[string]rate) ([]byte, error) {
	root, err := parseYAML(raw)
	if err != nil {
		return nil, err
	}
	list := root.Content[0]
	kept := list.Content[:0]
	for _, cs := range list.Content {
		b := value(cs, "benefit")
		if dropped[b.Value] {
			continue
		}
		b.Value += c.suffix
		if n := value(cs, "name"); n != nil {
			n.Value = c.text(n.Value)
		}
		profile := value(cs, "profile")
		for i := 0; profile != nil && i+1 < len(profile.Content); i += 2 {
			key, v := profile.Content[i].Value, profile.Content[i+1]
			switch {
			case key == "region":
				to, ok := c.regions[v.Value]
				if !ok {
					return nil, fmt.Errorf("cases.yaml: line %d: region %s has no county of the copy", v.Line, v.Value)
				}
				v.Value = to
			case c.money[key] && v.Tag == "!!int":
				if err := scaleInt(v, c.k); err != nil {
					return nil, err
				}
			}
		}
		if amt := value(cs, "amount"); amt != nil && amt.Tag == "!!int" {
			if r, ok := rates[b.Value]; ok {
				base := value(profile, r.base)
				n, err := strconv.ParseInt(base.Value, 10, 64)
				if err != nil {
					return nil, err
				}
				amt.Value = strconv.FormatInt(n*r.perMille/1000, 10)
			} else if err := scaleInt(amt, c.k); err != nil {
				return nil, err
			}
		}
		kept = append(kept, cs)
	}
	list.Content = kept
	return encodeYAML(root, c.header())
}

func scaleInt(v *yaml.Node, k int64) error {
	n, err := strconv.ParseInt(v.Value, 10, 64)
	if err != nil {
		return fmt.Errorf("line %d: %w", v.Line, err)
	}
	v.Value = strconv.FormatInt(n*k, 10)
	return nil
}

func parseYAML(raw []byte) (*yaml.Node, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(raw, &root); err != nil {
		return nil, err
	}
	if root.Kind != yaml.DocumentNode || len(root.Content) != 1 {
		return nil, fmt.Errorf("not one YAML document")
	}
	return &root, nil
}

// encodeYAML writes root with header as its only top comment: the seed's
// own would describe the seed.
func encodeYAML(root *yaml.Node, header string) ([]byte, error) {
	root.HeadComment = header
	top := root.Content[0]
	top.HeadComment = ""
	if len(top.Content) > 0 {
		top.Content[0].HeadComment = ""
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(root); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// value returns the value of key in the mapping m, or nil.
func value(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

func setValue(m *yaml.Node, key, v string) {
	if n := value(m, key); n != nil {
		n.Value = v
	}
}

// eachString applies f to every string value (not key) under n.
func eachString(n *yaml.Node, f func(string) string) {
	switch n.Kind {
	case yaml.DocumentNode, yaml.SequenceNode:
		for _, c := range n.Content {
			eachString(c, f)
		}
	case yaml.MappingNode:
		for i := 1; i < len(n.Content); i += 2 {
			eachString(n.Content[i], f)
		}
	case yaml.ScalarNode:
		if n.Tag == "!!str" {
			n.Value = f(n.Value)
		}
	}
}
