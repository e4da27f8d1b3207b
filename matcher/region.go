package matcher

import (
	"fmt"
	"sort"
	"strings"
)

// Region is a county-level division or development zone of Ganzhou.
type Region struct {
	Name string
	// Aliases are other names people use: short forms, and names before a
	// county became a district or city (赣县 became 赣县区 in 2016, 龙南县
	// became 龙南市 in 2020, 南康市 became 南康区 in 2013).
	Aliases []string
	// Zone marks a development zone or new district rather than a county.
	Zone bool
}

// Regions is the gazetteer of contract.md.
var Regions = []Region{
	{Name: "章贡区", Aliases: []string{"章贡"}},
	{Name: "南康区", Aliases: []string{"南康", "南康市"}},
	{Name: "赣县区", Aliases: []string{"赣县"}},
	{Name: "信丰县", Aliases: []string{"信丰"}},
	{Name: "大余县", Aliases: []string{"大余"}},
	{Name: "上犹县", Aliases: []string{"上犹"}},
	{Name: "崇义县", Aliases: []string{"崇义"}},
	{Name: "安远县", Aliases: []string{"安远"}},
	{Name: "龙南市", Aliases: []string{"龙南县", "龙南"}},
	{Name: "定南县", Aliases: []string{"定南"}},
	{Name: "全南县", Aliases: []string{"全南"}},
	{Name: "宁都县", Aliases: []string{"宁都"}},
	{Name: "于都县", Aliases: []string{"于都"}},
	{Name: "兴国县", Aliases: []string{"兴国"}},
	{Name: "会昌县", Aliases: []string{"会昌"}},
	{Name: "寻乌县", Aliases: []string{"寻乌"}},
	{Name: "石城县", Aliases: []string{"石城"}},
	{Name: "瑞金市", Aliases: []string{"瑞金"}},
	{Name: "赣州经济技术开发区", Aliases: []string{"赣州经开区", "赣州开发区", "赣州经济开发区", "赣州经济技术开发区管委会"}, Zone: true},
	{Name: "龙南经济技术开发区", Aliases: []string{"龙南经开区", "龙南开发区", "龙南经济开发区"}, Zone: true},
	{Name: "瑞金经济技术开发区", Aliases: []string{"瑞金经开区", "瑞金开发区", "瑞金经济开发区"}, Zone: true},
	{Name: "蓉江新区", Aliases: []string{"蓉江"}, Zone: true},
}

// regionNames maps every name and alias to the current name.
var regionNames = func() map[string]string {
	m := make(map[string]string)
	for _, r := range Regions {
		m[r.Name] = r.Name
		for _, a := range r.Aliases {
			m[a] = r.Name
		}
	}
	return m
}()

// NormalizeRegion returns the current name of a Ganzhou region given by its
// name, an alias or an old name, optionally prefixed by 江西省 and 赣州市.
func NormalizeRegion(s string) (string, bool) {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(s, "江西省")
	s = strings.TrimPrefix(s, "赣州市")
	s = strings.TrimPrefix(s, "赣州")
	if name, ok := regionNames[s]; ok {
		return name, true
	}
	// 赣州 itself was trimmed from names that begin with it.
	name, ok := regionNames["赣州"+s]
	return name, ok
}

// RegionMention is a region named inside a longer text.
type RegionMention struct {
	Name       string // current name
	Start, End int    // byte offsets of the matched words
}

// regionsByLength lists names and aliases longest first, so that 龙南经开区
// wins over 龙南 and 赣县区 over 赣县.
var regionsByLength = func() []string {
	names := make([]string, 0, len(regionNames))
	for n := range regionNames {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool {
		if len(names[i]) != len(names[j]) {
			return len(names[i]) > len(names[j])
		}
		return names[i] < names[j]
	})
	return names
}()

// FindRegion returns the first Ganzhou region named in text, preferring the
// longest name at the earliest position.
func FindRegion(text string) (RegionMention, bool) {
	best := RegionMention{Start: -1}
	for _, n := range regionsByLength {
		i := strings.Index(text, n)
		if i < 0 {
			continue
		}
		if best.Start < 0 || i < best.Start || (i == best.Start && len(n) > best.End-best.Start) {
			best = RegionMention{Name: regionNames[n], Start: i, End: i + len(n)}
		}
	}
	return best, best.Start >= 0
}

// RegionResolver resolves what a profile gives as its region (a code, a name, an old
// name) to the name the profile keeps. Its errors are messages for the user.
type RegionResolver interface {
	Resolve(s string) (string, error)
}

// GanzhouRegions resolves the regions of Ganzhou by NormalizeRegion.
type GanzhouRegions struct{}

// Resolve implements RegionResolver.
func (GanzhouRegions) Resolve(s string) (string, error) {
	name, ok := NormalizeRegion(s)
	if !ok {
		return "", fmt.Errorf("%q 不是赣州市的县(市、区)或开发区", truncate(s, 40))
	}
	return name, nil
}
