package matcher

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"

	"policybot/internal/uscc"
	"policybot/kb/gazetteer"
)

// FieldError is returned for a value that is not acceptable for its key; Field
// names the key.
type FieldError struct {
	Field   string
	Message string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Message }

// Profile holds the known facts about an applicant. A fact that was not given
// is unknown: it has no value, never a zero value.
type Profile struct {
	cat  *Catalogue
	vals []ref.Val // indexed like cat.facts; nil when unknown
	// area is the division of the region fact, resolved once when it is
	// set, since every match reads it.
	area *gazetteer.Division
}

// NewProfile returns a profile of the catalogue's facts, every one unknown.
func (c *Catalogue) NewProfile() *Profile {
	return &Profile{cat: c, vals: make([]ref.Val, len(c.facts))}
}

// Catalogue returns the catalogue whose facts the profile holds.
func (p *Profile) Catalogue() *Catalogue { return p.cat }

// Set validates and normalises v, then stores it as the value of key. It
// accepts bool for yes/no facts, a whole number (int, int64, float64 or
// json.Number) for money, a number for quantities and a string otherwise.
func (p *Profile) Set(key string, v any) error {
	i, val, err := p.cat.value(key, v)
	if err != nil {
		return err
	}
	p.put(i, val)
	return nil
}

// put stores val as the value of fact i.
func (p *Profile) put(i int, val ref.Val) {
	p.vals[i] = val
	if p.cat.facts[i].Key == "region" {
		p.area, _, _ = p.cat.gaz.Resolve(val.Value().(string))
	}
}

// Accepts reports whether Set would take v as the value of key, without a
// profile: the chat checks every value it reads.
func (c *Catalogue) Accepts(key string, v any) error {
	_, _, err := c.value(key, v)
	return err
}

// value returns the index of fact key and v converted to its kind.
func (c *Catalogue) value(key string, v any) (int, ref.Val, error) {
	i, ok := c.index[key]
	if !ok {
		return 0, nil, &FieldError{key, "不是可识别的字段"}
	}
	val, err := c.convert(&c.facts[i], v)
	if err != nil {
		return 0, nil, &FieldError{key, err.Error()}
	}
	return i, val, nil
}

// Delete makes key unknown again.
func (p *Profile) Delete(key string) {
	if i, ok := p.cat.index[key]; ok {
		p.vals[i] = nil
	}
	if key == "region" {
		p.area = nil
	}
}

// Get returns the value of key as bool, int64 (money), float64 (quantities)
// or string, and whether it is known.
func (p *Profile) Get(key string) (any, bool) {
	i, ok := p.cat.index[key]
	if !ok || p.vals[i] == nil {
		return nil, false
	}
	return p.vals[i].Value(), true
}

// Has reports whether key is known.
func (p *Profile) Has(key string) bool {
	i, ok := p.cat.index[key]
	return ok && p.vals[i] != nil
}

// Len returns the number of known facts.
func (p *Profile) Len() int {
	n := 0
	for _, v := range p.vals {
		if v != nil {
			n++
		}
	}
	return n
}

// Keys returns the known keys in schema order.
func (p *Profile) Keys() []string {
	var keys []string
	for i, v := range p.vals {
		if v != nil {
			keys = append(keys, p.cat.facts[i].Key)
		}
	}
	return keys
}

// Clone returns an independent copy.
func (p *Profile) Clone() *Profile {
	return &Profile{cat: p.cat, vals: append([]ref.Val(nil), p.vals...), area: p.area}
}

// ApplicantType returns the applicant type, enterprise when not given as
// contract.md says.
func (p *Profile) ApplicantType() string {
	if v, ok := p.Get("applicant_type"); ok {
		return v.(string)
	}
	return "enterprise"
}

// MarshalJSON writes the known facts in schema order.
func (p *Profile) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	first := true
	for i, v := range p.vals {
		if v == nil {
			continue
		}
		if !first {
			b.WriteByte(',')
		}
		first = false
		k, _ := json.Marshal(p.cat.facts[i].Key)
		b.Write(k)
		b.WriteByte(':')
		val, err := json.Marshal(v.Value())
		if err != nil {
			return nil, err
		}
		b.Write(val)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// UnmarshalJSON reads a profile object strictly, as SetFacts does.
func (p *Profile) UnmarshalJSON(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var raw map[string]any
	if err := dec.Decode(&raw); err != nil || raw == nil {
		return &FieldError{"profile", "应为JSON对象"}
	}
	return p.SetFacts(raw)
}

// SetFacts replaces p's facts with those of a decoded JSON object, whose
// numbers are json.Number (a decoder's UseNumber), so that money stays
// whole. Unknown keys, wrong types and impossible values fail with a
// *FieldError naming the key and leave p as it was; a null value leaves
// the fact unknown. Unknown keys are reported first, the lowest first, then
// the rest in schema order, so the same bad profile always gets the same
// error.
func (p *Profile) SetFacts(raw map[string]any) error {
	known := make([]int, 0, len(raw))
	var unknownKey string
	for k, v := range raw {
		i, ok := p.cat.index[k]
		switch {
		case !ok:
			if unknownKey == "" || k < unknownKey {
				unknownKey = k
			}
		case v != nil:
			known = append(known, i)
		}
	}
	if unknownKey != "" {
		return &FieldError{unknownKey, "不是可识别的字段"}
	}
	slices.Sort(known)
	vals := make([]ref.Val, len(known))
	for j, i := range known {
		k := p.cat.facts[i].Key
		_, v, err := p.cat.value(k, raw[k])
		if err != nil {
			return err
		}
		vals[j] = v
	}
	clear(p.vals)
	p.area = nil
	for j, i := range known {
		p.put(i, vals[j])
	}
	return nil
}

func (c *Catalogue) convert(f *Fact, v any) (ref.Val, error) {
	switch f.Kind {
	case KindBool:
		b, ok := v.(bool)
		if !ok {
			return nil, fmt.Errorf("应为布尔值 true 或 false")
		}
		return types.Bool(b), nil
	case KindMoney:
		n, err := wholeNumber(v)
		if err != nil {
			return nil, err
		}
		if n < 0 {
			return nil, fmt.Errorf("金额不能为负数")
		}
		if float64(n) < f.Min {
			return nil, fmt.Errorf("金额不能低于%.0f元", f.Min)
		}
		if float64(n) > f.Max {
			return nil, fmt.Errorf("金额超出合理范围(上限%.0f元)", f.Max)
		}
		return types.Int(n), nil
	case KindNumber:
		x, err := number(v)
		if err != nil {
			return nil, err
		}
		if x < f.Min {
			return nil, fmt.Errorf("不能小于%g%s", f.Min, f.Unit)
		}
		if x > f.Max {
			return nil, fmt.Errorf("超出合理范围(上限%g%s)", f.Max, f.Unit)
		}
		return types.Double(x), nil
	case KindEnum:
		s, ok := v.(string)
		if !ok {
			return nil, fmt.Errorf("应为字符串,可选值: %s", optionValues(f))
		}
		for _, o := range f.Options {
			if o.Value == s {
				return types.String(s), nil
			}
		}
		return nil, fmt.Errorf("取值 %q 无效,可选值: %s", truncate(s, 40), optionValues(f))
	case KindRegion:
		s, ok := v.(string)
		if !ok {
			return nil, fmt.Errorf("应为字符串,如 南康区")
		}
		name, err := resolveRegion(c.gaz, s)
		if err != nil {
			return nil, err
		}
		return types.String(name), nil
	case KindYear:
		n, err := wholeNumber(v)
		if err != nil || float64(n) < f.Min || float64(n) > f.Max {
			return nil, fmt.Errorf("应为%.0f到%.0f之间的年份", f.Min, f.Max)
		}
		return types.Int(n), nil
	case KindDate:
		s, ok := v.(string)
		if !ok {
			return nil, fmt.Errorf("应为 YYYY-MM-DD 格式的日期")
		}
		t, err := time.Parse(time.DateOnly, s)
		if err != nil {
			return nil, fmt.Errorf("应为 YYYY-MM-DD 格式的日期")
		}
		return types.String(t.Format(time.DateOnly)), nil
	case KindText:
		s, ok := v.(string)
		if !ok {
			return nil, fmt.Errorf("应为字符串")
		}
		s = strings.TrimSpace(s)
		if f.Key == "credit_code" {
			s = strings.ToUpper(s)
			if err := uscc.Check(s); err != nil {
				return nil, err
			}
		}
		if s == "" || !utf8.ValidString(s) || float64(utf8.RuneCountInString(s)) > f.Max || strings.IndexFunc(s, unicode.IsControl) >= 0 {
			return nil, fmt.Errorf("应为不超过%.0f个字符、不含控制字符的非空文本", f.Max)
		}
		return types.String(s), nil
	}
	return nil, fmt.Errorf("未知的字段类型")
}

// wholeNumber reads a whole number of yuan. Fractions of a yuan are refused
// rather than rounded: amounts and thresholds are computed in whole yuan.
func wholeNumber(v any) (int64, error) {
	switch n := v.(type) {
	case int:
		return int64(n), nil
	case int64:
		return n, nil
	case json.Number:
		if i, err := strconv.ParseInt(string(n), 10, 64); err == nil {
			return i, nil
		}
		// Exactly, not through float64, which would take 500000000.00000001
		// for a whole number.
		r, ok := new(big.Rat).SetString(string(n))
		switch {
		case !ok:
			return 0, fmt.Errorf("应为以元为单位的数字")
		case !r.IsInt():
			return 0, fmt.Errorf("金额应为整数元")
		case !r.Num().IsInt64():
			return 0, fmt.Errorf("应为合理范围内的金额(元)")
		}
		return r.Num().Int64(), nil
	case float64:
		if math.IsNaN(n) || math.IsInf(n, 0) || math.Abs(n) > maxMoney*10 {
			return 0, fmt.Errorf("应为合理范围内的金额(元)")
		}
		if n != math.Trunc(n) {
			return 0, fmt.Errorf("金额应为整数元")
		}
		return int64(n), nil
	}
	return 0, fmt.Errorf("应为以元为单位的数字")
}

func number(v any) (float64, error) {
	switch n := v.(type) {
	case int:
		return float64(n), nil
	case int64:
		return float64(n), nil
	case float64:
		if math.IsNaN(n) || math.IsInf(n, 0) {
			return 0, fmt.Errorf("应为数字")
		}
		return n, nil
	case json.Number:
		f, err := strconv.ParseFloat(string(n), 64)
		if err != nil || math.IsInf(f, 0) {
			return 0, fmt.Errorf("应为数字")
		}
		return f, nil
	}
	return 0, fmt.Errorf("应为数字")
}

func optionValues(f *Fact) string {
	vals := make([]string, len(f.Options))
	for i, o := range f.Options {
		vals[i] = o.Value
	}
	return strings.Join(vals, ", ")
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}
