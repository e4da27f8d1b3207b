package matcher

import (
	"fmt"
	"slices"

	"policybot/kb"
	"policybot/kb/gazetteer"
)

// Kind is the type of a fact's value.
type Kind uint8

const (
	// KindBool is a yes/no fact.
	KindBool Kind = iota + 1
	// KindMoney is an amount in whole yuan.
	KindMoney
	// KindNumber is a quantity in the fact's Unit (吨标煤, 年).
	KindNumber
	// KindEnum is one of the fact's Options.
	KindEnum
	// KindRegion is a county-level division or development zone, normalised
	// by the gazetteer.
	KindRegion
	// KindText is free text (a name) or a code with its own check.
	KindText
	// KindYear is a calendar year (2025).
	KindYear
	// KindDate is a day, YYYY-MM-DD.
	KindDate
)

// kinds maps the kind names of the catalogue's files to kinds.
var kinds = map[string]Kind{
	"bool": KindBool, "money": KindMoney, "number": KindNumber, "enum": KindEnum,
	"region": KindRegion, "text": KindText, "year": KindYear, "date": KindDate,
}

// String returns the kind's name in the catalogue's files.
func (k Kind) String() string {
	for name, v := range kinds {
		if v == k {
			return name
		}
	}
	return ""
}

// Option is one value of an enum fact with its Chinese label and the words
// that name it in an answer.
type Option struct {
	Value   string   `json:"value"`
	Label   string   `json:"label"`
	Say     []string `json:"say,omitempty"`
	Answers []string `json:"answers,omitempty"`
	// Self, Heads and Person tell the chat how an applicant type names
	// itself (see kb.OptionSpec).
	Self   []string `json:"self,omitempty"`
	Heads  []string `json:"heads,omitempty"`
	Person bool     `json:"person,omitempty"`
}

// Fact describes one key of the enterprise profile.
type Fact struct {
	Key   string
	Kind  Kind
	Label string // Chinese name, as used in explanations: 当年主营业务收入.
	Unit  string // for KindNumber: 吨标煤, 年.
	// Ordinal marks a number said as which one of its unit it is (第四年).
	Ordinal bool
	// Min and Max bound money, numbers and years; values outside are
	// rejected as impossible.
	Min, Max float64
	Options  []Option
	// Question asks for the fact in the chat; empty for facts never asked.
	Question string
	// Identity marks who the applicant is and where (type, name, code,
	// region): facts every profile has, which never touch a benefit.
	Identity bool
	// General marks facts that describe the applicant in general (identity,
	// industry, 工业企业, 规上, size) rather than something a measure
	// rewards: met, they do not by themselves put a benefit in play.
	General bool
	// EnterpriseOnly marks a trait only an enterprise has.
	EnterpriseOnly bool
	// Received marks a figure another party gives the applicant (see
	// kb.FactSpec).
	Received bool
	// Single marks the figure of one item (see kb.FactSpec).
	Single bool
	// InArea marks a fact that places the applicant in the area of the
	// documents that read it (see kb.FactSpec).
	InArea bool
	// NoOption is the enum value a plain "no" answers, or "".
	NoOption string
	// Highest marks an enum whose options run from lowest to highest and
	// whose fact is the highest reached (see kb.FactSpec).
	Highest bool
	// AllOf are the yes/no facts this one is made of (see kb.FactSpec).
	AllOf []string
	// Parts group the words of the kinds a money total is made of (see
	// kb.FactSpec).
	Parts [][]string
	// Excludes are words of parts a number fact leaves out (see kb.FactSpec).
	Excludes []string
	// Phrases and Cues are the words the chat reads the fact from.
	Phrases []kb.PhraseSpec
	Cues    []string
	// Verbs, Series and Figures tell the chat more of how figures are read
	// (see kb.FactSpec).
	Verbs   []string
	Series  *kb.SeriesSpec
	Figures *kb.FigureSpec
	// AssessedYear marks the fact of the year assessed.
	AssessedYear bool
	// Making names the fact an enum's options state when said as made.
	Making *kb.MakingSpec
	// Per says the fact is another per unit of something (see kb.FactSpec).
	Per *kb.PerSpec
	// Within says the dates of two events settle the fact (两年内竣工投产).
	Within *kb.WithinSpec
	// Price says the fact is a price per unit for a period (每平方米每月).
	Price *kb.PriceSpec
	// Doc is the doc_id of the document that declares the fact; "" when shared.
	Doc string
}

// maxMoney is 1,000万亿元: far above any enterprise's revenue, and low enough
// that step arithmetic on it cannot overflow int64.
const maxMoney = 1e15

// Catalogue is the profile schema of a library: the facts its files declare,
// shared ones first. The order is the order of profiles in JSON and breaks
// ties between questions. It is immutable once built.
type Catalogue struct {
	facts []Fact
	index map[string]int
	gaz   *gazetteer.Gazetteer
	// series maps a series' name and a period to its fact.
	series map[string]string
}

// NewCatalogue builds the typed catalogue from the library's fact specs;
// gaz resolves the values of region facts.
func NewCatalogue(specs []kb.FactSpec, gaz *gazetteer.Gazetteer) (*Catalogue, error) {
	c := &Catalogue{index: make(map[string]int, len(specs)), gaz: gaz}
	for _, s := range specs {
		k, ok := kinds[s.Kind]
		if !ok {
			return nil, fmt.Errorf("matcher: fact %s: unknown kind %q", s.Key, s.Kind)
		}
		f := Fact{
			Key: s.Key, Kind: k, Label: s.Label, Unit: s.Unit, Ordinal: s.Ordinal, Question: s.Question,
			Identity: s.Identity, General: s.DescribesApplicant || s.Identity, EnterpriseOnly: s.EnterpriseOnly, InArea: s.InArea, Received: s.Received, Single: s.Single,
			NoOption: s.NoOption, Highest: s.Highest, AllOf: s.AllOf, Excludes: s.Excludes, Parts: s.Parts, Phrases: s.Phrases, Cues: s.Cues, Doc: s.Doc,
			Verbs: s.Verbs, Series: s.Series, Figures: s.Figures, AssessedYear: s.AssessedYear, Making: s.Making, Per: s.Per, Within: s.Within, Price: s.Price,
		}
		switch k {
		case KindMoney:
			f.Max = maxMoney
		case KindNumber:
			f.Max = 1e12
		case KindYear:
			f.Min, f.Max = 1949, 2200
		case KindText:
			f.Max = 200
		}
		if s.Min != nil {
			f.Min = *s.Min
		}
		if s.Max != nil {
			f.Max = *s.Max
		}
		for _, o := range s.Options {
			f.Options = append(f.Options, Option{Value: o.Value, Label: o.Label, Say: o.Say, Answers: o.Answers, Self: o.Self, Heads: o.Heads, Person: o.Person})
		}
		if k == KindBool {
			f.Options = yesNo
		}
		if _, dup := c.index[f.Key]; dup {
			return nil, fmt.Errorf("matcher: fact %s: declared twice", f.Key)
		}
		c.index[f.Key] = len(c.facts)
		c.facts = append(c.facts, f)
	}
	for _, key := range []string{"applicant_type", "region"} {
		if _, ok := c.index[key]; !ok {
			return nil, fmt.Errorf("matcher: the catalogue needs the fact %s", key)
		}
	}
	if err := c.checkSeries(); err != nil {
		return nil, err
	}
	for _, f := range c.facts {
		for _, k := range f.AllOf {
			if g, ok := c.Lookup(k); !ok || g.Kind != KindBool {
				return nil, fmt.Errorf("matcher: fact %s: all_of: %q is no yes/no fact", f.Key, k)
			}
		}
		if w := f.Within; w != nil && (f.Kind != KindBool || len(w.From) == 0 || len(w.To) == 0 || slices.Contains(w.From, "") || slices.Contains(w.To, "") || w.Months <= 0) {
			return nil, fmt.Errorf("matcher: fact %s: within needs a yes/no fact, from and to words and months above 0", f.Key)
		}
		if pr := f.Price; pr != nil && (f.Kind != KindMoney || pr.Per == "" || pr.Period != "" && pr.Period != "month" && pr.Period != "year") {
			return nil, fmt.Errorf("matcher: fact %s: price needs a money fact, the unit it is per, and a period of month, year or none", f.Key)
		}
		if f.Per != nil {
			if g, ok := c.Lookup(f.Per.Of); !ok || g.Kind != KindMoney || g.Key == f.Key {
				return nil, fmt.Errorf("matcher: fact %s: per: %q is no other money fact", f.Key, f.Per.Of)
			}
		}
		if f.Making == nil {
			continue
		}
		if g, ok := c.Lookup(f.Making.Fact); !ok || g.Kind != KindBool {
			return nil, fmt.Errorf("matcher: fact %s: making: %q is no yes/no fact", f.Key, f.Making.Fact)
		}
		for _, v := range append(append([]string{}, f.Making.Services...), f.Making.Farmed...) {
			if !slices.ContainsFunc(f.Options, func(o Option) bool { return o.Value == v }) {
				return nil, fmt.Errorf("matcher: fact %s: making: %q is not an option", f.Key, v)
			}
		}
	}
	return c, nil
}

// checkSeries refuses two facts for one period of a series, facts of one
// series that are not of one kind and unit, a series with an earlier
// period but no current fact, and a replacement of a series that does not
// exist or for an applicant type that does not.
func (c *Catalogue) checkSeries() error {
	members := map[string]map[string]string{}
	first := map[string]*Fact{}
	for i := range c.facts {
		f := &c.facts[i]
		if f.Series == nil {
			continue
		}
		m := members[f.Series.Name]
		if m == nil {
			m = map[string]string{}
			members[f.Series.Name] = m
			first[f.Series.Name] = f
		}
		if other, dup := m[f.Series.Period]; dup {
			return fmt.Errorf("matcher: facts %s and %s are both the %s of series %s", other, f.Key, f.Series.Period, f.Series.Name)
		}
		if g := first[f.Series.Name]; g.Kind != f.Kind || g.Unit != f.Unit {
			return fmt.Errorf("matcher: facts %s and %s of series %s measure in different kinds or units", g.Key, f.Key, f.Series.Name)
		}
		m[f.Series.Period] = f.Key
	}
	c.series = map[string]string{}
	for name, m := range members {
		for period, key := range m {
			c.series[name+"\x00"+period] = key
		}
	}
	applicant, _ := c.Lookup("applicant_type")
	for _, f := range c.facts {
		s := f.Series
		if s == nil {
			continue
		}
		if _, ok := members[s.Name][kb.PeriodCurrent]; !ok {
			return fmt.Errorf("matcher: series %s has no current fact", s.Name)
		}
		if s.Replaces == "" {
			continue
		}
		if _, ok := members[s.Replaces]; !ok || s.Replaces == s.Name {
			return fmt.Errorf("matcher: fact %s: series %s replaces no other series %q", f.Key, s.Name, s.Replaces)
		}
		if !slices.ContainsFunc(applicant.Options, func(o Option) bool { return o.Value == s.Applicant }) {
			return fmt.Errorf("matcher: fact %s: %q is not an applicant type", f.Key, s.Applicant)
		}
	}
	return nil
}

// SeriesFact returns the fact of the given period of series name, or "".
func (c *Catalogue) SeriesFact(name, period string) string {
	return c.series[name+"\x00"+period]
}

// Gazetteer returns the division list region facts are resolved by.
func (c *Catalogue) Gazetteer() *gazetteer.Gazetteer { return c.gaz }

// Facts returns every fact in catalogue order. The slice is shared: do not
// modify it.
func (c *Catalogue) Facts() []Fact { return c.facts }

// LookupLabel returns the fact whose label is label, the first in schema
// order when several share it.
func (c *Catalogue) LookupLabel(label string) (*Fact, bool) {
	for i := range c.facts {
		if c.facts[i].Label == label {
			return &c.facts[i], true
		}
	}
	return nil, false
}

// PersonType returns the applicant type of a person (talent), the option of
// applicant_type marked person; "" when there is none.
func (c *Catalogue) PersonType() string {
	if f, ok := c.Lookup("applicant_type"); ok {
		for _, o := range f.Options {
			if o.Person {
				return o.Value
			}
		}
	}
	return ""
}

// Lookup returns the fact named key.
func (c *Catalogue) Lookup(key string) (*Fact, bool) {
	i, ok := c.index[key]
	if !ok {
		return nil, false
	}
	return &c.facts[i], true
}

// OptionLabel returns the Chinese label of an enum value, or the value itself.
func (f *Fact) OptionLabel(value string) string {
	for _, o := range f.Options {
		if o.Value == value {
			return o.Label
		}
	}
	return value
}

// yesNo are the quick replies for a yes/no question.
var yesNo = []Option{{Value: "true", Label: "是"}, {Value: "false", Label: "否"}}
