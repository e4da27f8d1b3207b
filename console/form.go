package console

import (
	"errors"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"policybot/dialogue"
	"policybot/matcher"
)

// Field is one question of the case form: a fact of the catalogue with
// what the form shows for it.
type Field struct {
	Fact *matcher.Fact
	// Value is the value as the form shows it: "" when unknown.
	Value string
	// Source says where a known value came from (staff typed it, or the
	// applicant's sentence it was read from).
	Source string
	// Error is why the value entered was refused, or "".
	Error string
	// Stake is what the answer decides, for a question that settles
	// benefits in play (高学历人才住房补贴等2项).
	Stake string
	// Proposed marks a value read from the applicant's words and not yet
	// confirmed; Sentence is those words and ProposedValue the value as
	// read, kept through the confirming post.
	Proposed      bool
	Sentence      string
	ProposedValue string
}

// Input is the control the field is entered with.
func (f Field) Input() string {
	switch f.Fact.Kind {
	case matcher.KindBool:
		return "yesno"
	case matcher.KindEnum:
		return "select"
	}
	return "text"
}

// Unit is the unit written after the box: 元 for money.
func (f Field) Unit() string {
	switch f.Fact.Kind {
	case matcher.KindMoney:
		return "元"
	case matcher.KindNumber:
		return f.Fact.Unit
	case matcher.KindYear:
		return "年"
	}
	return ""
}

// Form is the case form: the questions that settle the benefits in play
// first, in the order of the results, then the facts already known, then
// the rest of the catalogue by document.
type Form struct {
	Settling []Field
	Known    []Field
	Others   []Group
}

// Group is the remaining facts of one document, or the shared ones.
type Group struct {
	Title  string
	Fields []Field
}

// BuildForm lays out the form of a profile and its outcome. sources maps a
// known fact to where it came from; titles maps a document id to its title.
func BuildForm(cat *matcher.Catalogue, p *matcher.Profile, out *matcher.Outcome, sources map[string]string, titles map[string]string) Form {
	var form Form
	placed := map[string]bool{}
	stakes := map[string][]string{}
	var order []string
	for _, r := range out.Results {
		if r.Status != matcher.Undetermined || !r.InPlay {
			continue
		}
		for _, k := range r.MissingFacts {
			if !slices.Contains(order, k) {
				order = append(order, k)
			}
			title := r.Title
			if a := r.AmountText(); a != "" {
				title += "(" + a + ")" // the amount at stake, or that the clause leaves it open
			}
			stakes[k] = append(stakes[k], title)
		}
	}
	if q := out.Question; q != nil && slices.Contains(order, q.Fact) {
		// The matcher's own next question leads.
		order = slices.DeleteFunc(order, func(k string) bool { return k == q.Fact })
		order = append([]string{q.Fact}, order...)
	}
	for _, k := range order {
		f, ok := cat.Lookup(k)
		if !ok || f.Question == "" {
			continue
		}
		placed[k] = true
		form.Settling = append(form.Settling, Field{Fact: f, Stake: stake(stakes[k]), Source: sources[k]})
	}
	groups := map[string]int{}
	for i := range cat.Facts() {
		f := &cat.Facts()[i]
		if placed[f.Key] {
			continue
		}
		if v, ok := p.Get(f.Key); ok {
			form.Known = append(form.Known, Field{Fact: f, Value: formValue(f, v), Source: sources[f.Key]})
			continue
		}
		if f.Question == "" && !f.Identity {
			continue
		}
		title := "通用信息"
		if f.Doc != "" {
			title = titles[f.Doc]
		}
		g, ok := groups[title]
		if !ok {
			g = len(form.Others)
			groups[title] = g
			form.Others = append(form.Others, Group{Title: title})
		}
		form.Others[g].Fields = append(form.Others[g].Fields, Field{Fact: f, Source: sources[f.Key]})
	}
	return form
}

// stake names what an answer decides: the first benefit and how many more.
func stake(titles []string) string {
	switch len(titles) {
	case 0:
		return ""
	case 1:
		return titles[0]
	}
	return titles[0] + "等" + strconv.Itoa(len(titles)) + "项"
}

// formValue writes a known value the way the form takes it back.
func formValue(f *matcher.Fact, v any) string {
	switch x := v.(type) {
	case bool:
		return strconv.FormatBool(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case string:
		return x
	}
	return ""
}

// errUnknown marks a field left empty or answered 不清楚: the fact stays
// unknown, never 0 or 否.
var errUnknown = errors.New("unknown")

// ParseForm reads the facts of a submitted form into p. An empty field, or
// 不清楚, leaves its fact unknown. It returns the refused fields with why,
// keyed by fact; p holds only the values accepted.
func ParseForm(cat *matcher.Catalogue, p *matcher.Profile, form url.Values) map[string]string {
	refused := map[string]string{}
	for i := range cat.Facts() {
		f := &cat.Facts()[i]
		raw, ok := form[f.Key]
		if !ok {
			continue
		}
		v, err := fieldValue(f, strings.TrimSpace(raw[len(raw)-1]))
		if errors.Is(err, errUnknown) {
			p.Delete(f.Key)
			continue
		}
		if err == nil {
			err = p.Set(f.Key, v)
		}
		if err != nil {
			refused[f.Key] = message(err)
		}
	}
	return refused
}

// message is the reason of a refused value as staff read it.
func message(err error) string {
	var fe *matcher.FieldError
	if errors.As(err, &fe) {
		return fe.Message
	}
	return err.Error()
}

// fieldValue converts the text of a field to the value Profile.Set takes.
// Money may be written in yuan (630000000) or with its units (6.3亿), but
// only exactly: a counter records figures, not estimates.
func fieldValue(f *matcher.Fact, s string) (any, error) {
	if s == "" || s == "unknown" {
		return nil, errUnknown
	}
	switch f.Kind {
	case matcher.KindBool:
		b, err := strconv.ParseBool(s)
		if err != nil {
			return nil, errors.New("请选择是、否或不清楚")
		}
		return b, nil
	case matcher.KindMoney:
		digits := strings.ReplaceAll(strings.TrimSuffix(s, "元"), ",", "")
		if n, err := strconv.ParseInt(digits, 10, 64); err == nil {
			return n, nil
		}
		a, ok := dialogue.ParseAmount(s)
		if !ok {
			return nil, errors.New("请填写金额,如 630000000 或 6.3亿")
		}
		if !a.Exact {
			return nil, errors.New("请填写准确金额,不要填写约数或范围")
		}
		return a.Yuan, nil
	case matcher.KindNumber:
		x, err := strconv.ParseFloat(strings.TrimSuffix(s, f.Unit), 64)
		if err != nil {
			return nil, errors.New("请填写数字")
		}
		return x, nil
	case matcher.KindYear:
		n, err := strconv.ParseInt(strings.TrimSuffix(s, "年"), 10, 64)
		if err != nil {
			return nil, errors.New("请填写四位年份,如 2025")
		}
		return n, nil
	}
	return s, nil
}
