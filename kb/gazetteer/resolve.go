package gazetteer

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The errors of Resolve, wrapped with what was asked.
var (
	ErrUnknown   = errors.New("gazetteer: no such division")
	ErrAmbiguous = errors.New("gazetteer: several divisions have this name")
)

// Resolve reads a division as a user or a profile gives it:
//   - a 6-digit code, current or former (360721 gives 赣县区), a zone's id, or
//     CountryCode;
//   - 全国, 中国 or 中华人民共和国 for the whole country;
//   - a name, alias, short form or former name (南康区, 南康, 南康市);
//   - a chain of names from the top, whole or in part, of any of those
//     forms (广东省广州市南沙区, 广州市南沙区, 广东南沙区, 赣州南康).
//
// A short form drops the suffix of a name (南康 for 南康区, 广西 for
// 广西壮族自治区). It is accepted when the extras list it, or when it is at
// least two characters, no other division's name gives the same form, and it
// is no name, alias or former name of any division; so 柳河 and 江西 are
// found, but not 吉林 (吉林省, 吉林市) or 南昌 (南昌市, 南昌县) until the extras
// list them.
//
// Spaces are ignored. A name several divisions share, such as 鼓楼区, gives
// ErrAmbiguous and the candidates by code; the error's text lists their full
// names so the chat can ask which is meant. Nothing found gives ErrUnknown.
func (g *Gazetteer) Resolve(s string) (*Division, []*Division, error) {
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
	if isCode(s) {
		if d, ok := g.byCode[s]; ok {
			return d, nil, nil
		}
		if d, ok := g.oldCode[s]; ok {
			return d, nil, nil
		}
		return nil, nil, fmt.Errorf("%w: code %s", ErrUnknown, s)
	}
	if d, ok := g.byCode[s]; ok && d.Level == Zone {
		return d, nil, nil
	}
	if s == g.country.Name || slices.Contains(g.country.Aliases, s) {
		return g.country, nil, nil
	}
	ds := g.match(s, nil)
	switch len(ds) {
	case 0:
		return nil, nil, fmt.Errorf("%w: %q", ErrUnknown, s)
	case 1:
		return ds[0], nil, nil
	}
	return nil, ds, fmt.Errorf("%w: %s is %s", ErrAmbiguous, s, fullNames(ds))
}

// match returns, by code, the divisions below scope (anywhere when scope is
// nil) that s names, alone or as a chain of names each below the one before.
func (g *Gazetteer) match(s string, scope *Division) []*Division {
	// A chain has at most one name for each level, so anything longer
	// than four names is no name; the bound keeps fuzzed input cheap.
	if s == "" || len(s) > 4*g.maxName {
		return nil
	}
	var out []*Division
	add := func(d *Division) {
		if !slices.Contains(out, d) {
			out = append(out, d)
		}
	}
	for _, d := range g.names[s] {
		if scope == nil || d.under(scope) {
			add(d)
		}
	}
	for i := range s {
		if i == 0 {
			continue
		}
		if i > g.maxName {
			break
		}
		for _, p := range g.names[s[:i]] {
			if (p.Level == Province || p.Level == Prefecture) && (scope == nil || p.under(scope)) {
				for _, d := range g.match(s[i:], p) {
					add(d)
				}
			}
		}
	}
	slices.SortFunc(out, byCode)
	return out
}

// fullNames lists the divisions' full names for an error message.
func fullNames(ds []*Division) string {
	names := make([]string, len(ds))
	for i, d := range ds {
		names[i] = d.FullName
	}
	return strings.Join(names, ", ")
}

// Mention is a division named in a text.
type Mention struct {
	Start, End int // byte offsets of the words in the text
	// Divisions are what the words name: one, or several by code when the
	// name is shared (鼓楼区 alone).
	Divisions []*Division
	// Derived marks words that are a derived short form alone (振兴 for
	// 振兴区), neither a name, nor an alias the extras list, nor part of a
	// chain: the likeliest false hits, for the caller's guards to weigh.
	Derived bool
}

// Find returns the divisions named in text, in order. At each position it
// takes the longest name that begins there; names that follow one another as
// a chain (广州市南沙区, 福州市鼓楼区) make one mention of the last, narrowed to
// those below the one before. Names of the whole country are not reported,
// since 全国 and 中国 in a sentence rarely name where an enterprise is.
//
// Find is plain matching: 振兴 (振兴区 of 丹东市) in 振兴国家 is reported, as
// is 兴国 in 中兴国际, and telling such false hits apart is left to the caller.
func (g *Gazetteer) Find(text string) []Mention {
	var out []Mention
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		n := 0
		for _, l := range g.lens[r] {
			if i+l <= len(text) && g.names[text[i:i+l]] != nil {
				n = l
				break
			}
		}
		if n == 0 {
			i += size
			continue
		}
		ds := g.names[text[i:i+n]]
		if k := len(out) - 1; k >= 0 && out[k].End == i {
			if below := belowAny(ds, out[k].Divisions); len(below) > 0 {
				out[k].End, out[k].Divisions, out[k].Derived = i+n, below, false
				i += n
				continue
			}
		}
		out = append(out, Mention{Start: i, End: i + n, Divisions: slices.Clone(ds), Derived: g.derived[text[i:i+n]]})
		i += n
	}
	return out
}

// belowAny returns those of ds that lie below one of the parents.
func belowAny(ds, parents []*Division) []*Division {
	var out []*Division
	for _, d := range ds {
		if slices.ContainsFunc(parents, d.under) {
			out = append(out, d)
		}
	}
	return out
}

// The suffixes that shortForm drops: 南康区 → 南康, 广西壮族自治区 → 广西,
// 延边朝鲜族自治州 → 延边, 浦东新区 → 浦东. A shared short form is refused (see
// Resolve) because 朝阳 (朝阳区 of 北京市 and of 长春市, 朝阳市, 朝阳县) would
// otherwise pick one of them silently.
var (
	autonomySuffixes = []string{"自治区", "自治州", "自治县", "自治旗"}
	suffixes         = []string{"特别行政区", "地区", "林区", "新区", "省", "市", "区", "县", "盟", "旗"}
	// ethnicGroups are the 56 nationalities, which autonomous divisions name
	// before their suffix, with 族 or (维吾尔, 蒙古, 哈萨克) without.
	ethnicGroups = func() []string {
		gs := strings.Fields(`汉 蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎
			傈僳 佤 畲 高山 拉祜 水 东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯
			阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺`)
		var out []string
		for _, g := range gs {
			out = append(out, g+"族", g)
		}
		// Longest first, so 土家族 goes before 土 and 家 is not left behind.
		slices.SortStableFunc(out, func(a, b string) int { return len(b) - len(a) })
		return out
	}()
)

// shortForm returns name without its suffix, or "" when what is left would
// be shorter than two characters.
func shortForm(name string) string {
	long := func(s string) bool { return utf8.RuneCountInString(s) >= 2 }
	for _, suf := range autonomySuffixes {
		s, ok := strings.CutSuffix(name, suf)
		if !ok {
			continue
		}
		for stripped := true; stripped; {
			stripped = false
			for _, e := range ethnicGroups {
				if t, ok := strings.CutSuffix(s, e); ok && long(t) {
					s, stripped = t, true
					break
				}
			}
		}
		if long(s) {
			return s
		}
		return ""
	}
	for _, suf := range suffixes {
		if s, ok := strings.CutSuffix(name, suf); ok {
			if long(s) {
				return s
			}
			return ""
		}
	}
	return ""
}

// deriveShortForms adds the short forms that the rule of shortForm accepts.
// It runs after the extras, whose names take precedence.
func (g *Gazetteer) deriveShortForms() {
	g.derived = make(map[string]bool)
	by := make(map[string][]*Division)
	for _, d := range g.all {
		if d.Level == Zone {
			continue
		}
		if s := shortForm(d.Name); s != "" {
			by[s] = append(by[s], d)
		}
	}
	for s, ds := range by {
		if len(ds) == 1 && g.names[s] == nil {
			ds[0].Aliases = append(ds[0].Aliases, s)
			g.addName(s, ds[0])
			g.derived[s] = true
		}
	}
}
