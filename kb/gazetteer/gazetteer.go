// Package gazetteer knows China's administrative divisions: the provinces,
// prefectures and counties of GB/T 2260, embedded from a published data set
// (see README.md for its source and licence), and on top of them the
// development zones, former names and short forms that the policy officers
// keep in a YAML file (see ParseExtras).
//
// A Gazetteer is immutable once built, so one value can serve every request
// without locks; With returns a new one rather than changing its receiver.
// The *Division values it hands out are shared and must be treated as
// read-only.
//
// The package sits below kb and imports nothing of policybot.
package gazetteer

import (
	_ "embed"
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
)

// Level is the rank of a division.
type Level int8

// The levels, from the whole country down. A Zone (a development zone or new
// area) is no administrative division: it belongs to a prefecture or
// province and may span parts of several counties.
const (
	Country Level = iota
	Province
	Prefecture
	County
	Zone
)

var levelNames = [...]string{"country", "province", "prefecture", "county", "zone"}

func (l Level) String() string {
	if l < 0 || int(l) >= len(levelNames) {
		return fmt.Sprintf("Level(%d)", int8(l))
	}
	return levelNames[l]
}

// CountryCode is the code of the whole country. GB/T 2260 assigns it no
// code; 000000 is one it can never assign, so a profile or document can store
// "national" in the same field as a division's code.
const CountryCode = "000000"

// Division is a province, prefecture, county, zone or the whole country.
type Division struct {
	Code     string // 6-digit GB/T 2260 code, the zone's id, or CountryCode
	Name     string // 南康区
	FullName string // 江西省赣州市南康区; 中华人民共和国 for the country
	Level    Level
	Parent   *Division   // nil for the country; the country for a province
	Spans    []*Division // for a zone: the counties it spans, when known
	// Aliases are the other current names that Resolve and Find accept:
	// those the extras list, then the short form of Name when the rule in
	// Resolve's doc allows it.
	Aliases []string
	Former  []Former // names and codes the division had before
}

// Former is a name or code a division had before a change, such as 赣县
// (360721) before it became 赣县区 (360704). Either field may be empty.
type Former struct {
	Name string
	Code string
}

// String gives the full name and code, the form that tells apart divisions
// of one name: 江苏省南京市鼓楼区 (320106).
func (d *Division) String() string {
	if d == nil {
		return "<nil>"
	}
	return d.FullName + " (" + d.Code + ")"
}

// under reports whether d lies strictly below a by the chain of parents. It
// compares codes, not pointers, so divisions of different gazetteers (National
// and one built With extras) can be compared.
func (d *Division) under(a *Division) bool {
	for p := d.Parent; p != nil; p = p.Parent {
		if p.Code == a.Code {
			return true
		}
	}
	return false
}

// Gazetteer is a set of divisions with the indexes to look them up.
type Gazetteer struct {
	country *Division
	all     []*Division // every division but the country, by code
	byCode  map[string]*Division
	oldCode map[string]*Division // former codes to their successors
	// names maps every accepted name (Name, alias, former name) to the
	// divisions that bear it, by code; a shared name has several.
	names   map[string][]*Division
	derived map[string]bool // the names that are derived short forms
	// lens lists, for each first rune of a name, the byte lengths of the
	// names that begin with it, longest first, so Find tries few lengths.
	lens    map[rune][]int
	maxName int       // longest name in bytes, to bound Resolve's work
	extras  []*Extras // applied in order, so With can rebuild from the base
}

//go:embed gbt2260.tsv
var gbt2260 string

// National returns the GB/T 2260 divisions without extras, built on first
// use (in about 4 ms) and shared.
func National() *Gazetteer { return national() }

var national = sync.OnceValue(func() *Gazetteer {
	g, err := build(nil)
	if err != nil {
		// The embedded list is checked by the tests, so this is a broken build.
		panic(err)
	}
	return g
})

// build makes a gazetteer of the embedded list and the extras, in order.
func build(xs []*Extras) (*Gazetteer, error) {
	g := &Gazetteer{
		country: &Division{Code: CountryCode, Name: "全国", FullName: "中华人民共和国", Level: Country,
			Aliases: []string{"中国", "中华人民共和国"}},
		byCode:  make(map[string]*Division, 3300),
		oldCode: make(map[string]*Division),
		names:   make(map[string][]*Division, 7000),
		extras:  xs,
	}
	g.byCode[CountryCode] = g.country
	if err := g.load(gbt2260); err != nil {
		return nil, err
	}
	for _, d := range g.all {
		g.addName(d.Name, d)
	}
	for _, x := range xs {
		if err := g.apply(x); err != nil {
			return nil, err
		}
	}
	g.deriveShortForms()
	g.index()
	return g, nil
}

// load reads lines of "code<TAB>name", sorted by code so that each parent
// comes before its children.
func (g *Gazetteer) load(data string) error {
	g.all = make([]*Division, 0, strings.Count(data, "\n"))
	for n, line := range strings.Split(strings.TrimSuffix(data, "\n"), "\n") {
		code, name, ok := strings.Cut(line, "\t")
		if !ok || !isCode(code) || name == "" {
			return fmt.Errorf("gazetteer: gbt2260.tsv line %d: want code<TAB>name, got %q", n+1, line)
		}
		d := &Division{Code: code, Name: name}
		switch {
		case code[2:] == "0000":
			d.Level, d.Parent = Province, g.country
		case code[4:] == "00":
			d.Level, d.Parent = Prefecture, g.byCode[code[:2]+"0000"]
		default:
			// Counties that a province governs directly (仙桃市 429004) and
			// those of the municipalities (东城区 110101) have no prefecture.
			d.Level, d.Parent = County, g.byCode[code[:4]+"00"]
			if d.Parent == nil {
				d.Parent = g.byCode[code[:2]+"0000"]
			}
		}
		if d.Parent == nil {
			return fmt.Errorf("gazetteer: gbt2260.tsv line %d: %s has no parent", n+1, code)
		}
		if g.byCode[code] != nil {
			return fmt.Errorf("gazetteer: gbt2260.tsv line %d: code %s twice", n+1, code)
		}
		d.FullName = d.Name
		if d.Level != Province {
			d.FullName = d.Parent.FullName + d.Name
		}
		g.byCode[code] = d
		g.all = append(g.all, d)
	}
	return nil
}

// addName indexes name for d, once.
func (g *Gazetteer) addName(name string, d *Division) {
	ds := g.names[name]
	if slices.Contains(ds, d) {
		return
	}
	g.names[name] = append(ds, d)
	g.maxName = max(g.maxName, len(name))
}

// index puts the divisions of each name in order of code, since zones were
// added after the counties, and fills lens.
func (g *Gazetteer) index() {
	g.lens = make(map[rune][]int)
	for name, ds := range g.names {
		slices.SortFunc(ds, byCode)
		r, _ := utf8.DecodeRuneInString(name)
		if !slices.Contains(g.lens[r], len(name)) {
			g.lens[r] = append(g.lens[r], len(name))
		}
	}
	for _, ls := range g.lens {
		slices.SortFunc(ls, func(a, b int) int { return b - a })
	}
}

// Country returns the division that stands for the whole country.
func (g *Gazetteer) Country() *Division { return g.country }

// ByCode returns the division of a current 6-digit code, a zone's id or
// CountryCode. Former codes are not looked up here, since a caller that
// stores a code wants to know it is no longer current; Resolve maps them.
func (g *Gazetteer) ByCode(code string) (*Division, bool) {
	d, ok := g.byCode[code]
	return d, ok
}

// List returns the divisions of one level that lie below area (the whole
// country when area is nil), by code: the prefectures of a province, the
// counties of a prefecture or province, the zones of a prefecture.
// Municipalities such as 北京市 have no prefectures, only counties.
func (g *Gazetteer) List(area *Division, level Level) []*Division {
	var out []*Division
	for _, d := range g.all {
		if d.Level == level && (area == nil || area.Level == Country || d.under(area)) {
			out = append(out, d)
		}
	}
	return out
}

func byCode(a, b *Division) int { return strings.Compare(a.Code, b.Code) }

// isCode reports whether s is six ASCII digits.
func isCode(s string) bool {
	if len(s) != 6 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
