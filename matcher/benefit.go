package matcher

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"cel.dev/cel-go/cel"

	"policybot/kb"
)

// Units of parameters.
const (
	UnitCNY      = "cny"
	UnitTCE      = "tce"
	UnitYears    = "years"
	UnitPerMille = "per_mille"
	UnitPercent  = "percent"
	// UnitNumber is a quantity in the unit of the fact it bounds (亩, 家, 人).
	UnitNumber = "number"
	UnitList   = "list"
)

// Param is a named figure of a clause: a threshold, an amount or a rate,
// with the words of the clause that state it.
type Param struct {
	Name    string
	Unit    string
	Int     int64    // cny, per_mille, percent
	Float   float64  // tce, years, number
	List    []string // list
	Measure string   // number: the unit, 亩
	Article string
	Quote   string
}

// Display writes the value in Chinese units: 5亿元, 500吨标煤, 5年, 1‰, 5%,
// 500亩.
func (p *Param) Display() string {
	switch p.Unit {
	case UnitCNY:
		return FormatYuan(p.Int)
	case UnitTCE:
		return formatFloat(p.Float) + "吨标煤"
	case UnitYears:
		return formatFloat(p.Float) + "年"
	case UnitPerMille:
		return strconv.FormatInt(p.Int, 10) + "‰"
	case UnitPercent:
		return strconv.FormatInt(p.Int, 10) + "%"
	case UnitNumber:
		return formatFloat(p.Float) + p.Measure
	}
	return strings.Join(p.List, "、")
}

// Benefit is one thing a clause grants, with the conditions under which it
// applies and how much it is.
type Benefit struct {
	ID         string
	DocID      string
	DocNo      string
	DocTitle   string
	Article    string
	Title      string
	Applicants []string
	Conditions []*Condition
	Amount     *Amount
	// Recipient is who receives the money when the clause names someone
	// other than the applicant (十七.1: 企业经营班子).
	Recipient      string
	Payer          string
	Department     string
	DepartmentNote string
	NextSteps      string
	// Exclusive names the group of benefits of which only the highest is
	// granted (就高不重复); groups may span documents.
	Exclusive string
	// Selection says who chooses among those who meet the conditions, for
	// measures granted by selection or recognition (培育名单, 重点支持, 认定):
	// eligible then means "may be chosen", never "will receive".
	Selection string
	// AreaReplacedBy quotes the clause's own condition on where the
	// applicant is (新落户本区, 在南沙开展业务) for a benefit open to applicants
	// from outside the document's area; empty for the area test.
	AreaReplacedBy string
	// Guide is the application guide (申兑指南) an officer records; it is
	// not taken from the clause, and every answer says so.
	Guide *Guide

	cat    *Catalogue
	doc    *kb.Document
	clause *kb.Clause
	facts  []int // every fact a condition reads, then those the sum is computed from
	// validity is what the document's dates leave open, and validityEarly
	// that on a day before the document surely took effect; shared by every
	// result, never modified.
	validity, validityEarly []string
	// exclusiveNote says which benefits this one does not add up with,
	// by title, for a benefit of an exclusive group.
	exclusiveNote string
	// areaText is the area test (注册地在赣州市) and areaCaveat the caveat
	// of a result whose region is unknown; amountNote is the note of a
	// benefit in kind or of a sum the clause leaves open. They are the same
	// in every result, so they are written once; never modified.
	areaText   string
	areaCaveat []string
	amountNote string
	// quotes are the words of the clause its figures quote, in parts (a
	// quote's … joins parts of one sentence): what of a clause shared with
	// other benefits is this one's.
	quotes []string
}

// Quotes returns the words of its clause that the benefit's figures quote.
// Shared: do not modify.
func (b *Benefit) Quotes() []string { return b.quotes }

// ExclusiveNote says which benefits b does not add up with (就高不重复), or
// "" when it belongs to no exclusive group.
func (b *Benefit) ExclusiveNote() string { return b.exclusiveNote }

// Clause returns the clause the benefit rests on.
func (b *Benefit) Clause() *kb.Clause { return b.clause }

// Reads reports whether a condition of the benefit, or its sum, reads the
// fact key.
func (b *Benefit) Reads(key string) bool {
	i, ok := b.cat.index[key]
	return ok && slices.Contains(b.facts, i)
}

// wants returns the options of the enum fact i that the benefit's
// conditions reading it alone accept, or nil when none reads it alone.
func (b *Benefit) wants(i int) []string {
	var out []string
	for _, c := range b.Conditions {
		if c.accepts == nil || c.facts[0] != i {
			continue
		}
		if out == nil {
			out = c.accepts
		} else {
			out = slices.DeleteFunc(slices.Clone(out), func(v string) bool { return !slices.Contains(c.accepts, v) })
		}
	}
	return out
}

// Condition is one requirement of a benefit: a CEL expression over facts, or
// one half of a step rule.
type Condition struct {
	Text  string   // the requirement in Chinese, figures filled in
	Expr  string   // the CEL source, for audits
	facts []int    // facts the condition reads, in schema order
	keys  []string // their keys, shared by every Check; never modified

	// met, unmet and open begin the condition's reason for each state
	// (满足:…), written once since every result of the benefit says one.
	met, unmet, open string

	plain, partial cel.Program
	// accepts are the options that meet a condition reading one enum fact
	// alone (首次被评为世界企业500强), nil for any other condition: results
	// wanting different options of one fact cannot all be won by one answer.
	accepts   []string
	steps     *Steps
	stepFirst bool   // the 首次 half of a step rule, else the reach half
	bands     *Bands // the figure falls in one of an amount's bands
	// ifKnown: unknown, the condition is left out of the judgement.
	ifKnown bool
}

// FormatYuan writes an amount the way Chinese documents do: 5亿元, 10.3亿元,
// 30万元, 800元. The figure is exact; trailing zeros are dropped.
func FormatYuan(n int64) string {
	neg := n < 0
	if neg {
		n = -n
	}
	var s string
	switch {
	case n >= 100000000:
		s = decimal(n, 100000000) + "亿元"
	case n >= 10000:
		s = decimal(n, 10000) + "万元"
	default:
		s = strconv.FormatInt(n, 10) + "元"
	}
	if neg {
		return "-" + s
	}
	return s
}

// decimal writes n/unit exactly, without trailing zeros.
func decimal(n, unit int64) string {
	whole, frac := n/unit, n%unit
	if frac == 0 {
		return strconv.FormatInt(whole, 10)
	}
	digits := len(strconv.FormatInt(unit, 10)) - 1
	f := strconv.FormatInt(frac, 10)
	f = strings.Repeat("0", digits-len(f)) + f
	return strconv.FormatInt(whole, 10) + "." + strings.TrimRight(f, "0")
}

// formatFloat writes a quantity with at most six decimals, so that a bound
// read as just above a figure (超过500吨) shows as that figure.
func formatFloat(f float64) string {
	return strconv.FormatFloat(math.Round(f*1e6)/1e6, 'f', -1, 64)
}

// FormatFact writes a known fact's value for explanations: money in 亿元 or
// 万元, quantities with their unit, enums by their Chinese label.
func FormatFact(f *Fact, v any) string {
	switch x := v.(type) {
	case bool:
		if x {
			return "是"
		}
		return "否"
	case int64:
		if f.Kind == KindYear {
			return strconv.FormatInt(x, 10) + "年" // 评价年度2018年, never 2018元
		}
		return FormatYuan(x)
	case float64:
		if x == math.Trunc(x) && math.Abs(x) >= 10000 && math.Abs(x) < 1e15 && strings.HasSuffix(f.Unit, "元") {
			// 1200万美元, as money is written, not 12000000美元.
			return strings.TrimSuffix(FormatYuan(int64(x)), "元") + f.Unit
		}
		if f.Ordinal {
			return "第" + formatFloat(x) + f.Unit // 第4年, never 4年
		}
		return formatFloat(x) + f.Unit
	case string:
		if f.Kind == KindEnum {
			return f.OptionLabel(x)
		}
		return x
	}
	return ""
}

// Guide is a benefit's application guide (申兑指南), filled in by a policy
// officer from the issuer's notices rather than from the clause.
type Guide struct {
	Where     string   `yaml:"where" json:"where,omitempty"`
	Materials []string `yaml:"materials" json:"materials,omitempty"`
	Contact   string   `yaml:"contact" json:"contact,omitempty"`
	Payout    string   `yaml:"payout" json:"payout,omitempty"`
	// Note marks the guide as not taken from the clause.
	Note string `yaml:"-" json:"note"`
}

// guideNote is what every answer says of a guide.
const guideNote = "申兑指南由政策专员根据发文机关的申报通知整理,不是条文原文;以当年申报通知为准。"

func (g *Guide) check() error {
	if strings.TrimSpace(g.Where+g.Contact+g.Payout) == "" && len(g.Materials) == 0 {
		return errors.New("empty: give where, materials, contact or payout, or leave the guide out")
	}
	for i, m := range g.Materials {
		if strings.TrimSpace(m) == "" {
			return fmt.Errorf("materials[%d]: empty", i)
		}
	}
	return nil
}
