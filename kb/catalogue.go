package kb

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// FactSpec is one fact of the catalogue as the library's files declare it:
// facts.yaml at the top for the facts documents share, and a document's own
// facts.yaml for the facts only it reads. The matcher turns it into a typed
// fact; the chat reads its phrases.
type FactSpec struct {
	Key   string `yaml:"key" json:"key"`
	Kind  string `yaml:"kind" json:"kind"`
	Label string `yaml:"label" json:"label"`
	// Unit is the unit of a number fact (吨标煤, 亩, 年).
	Unit string `yaml:"unit,omitempty" json:"unit,omitempty"`
	// Ordinal marks a number fact said as which one of its unit it is
	// (认定后第四年, 认定当年 for the first): after one of its cues, 第N
	// of its unit is N and 当 of it is 1; no plain count is read for it.
	Ordinal bool `yaml:"ordinal,omitempty" json:"ordinal,omitempty"`
	// Min and Max bound money and numbers: values outside are impossible.
	Min *float64 `yaml:"min,omitempty" json:"min,omitempty"`
	Max *float64 `yaml:"max,omitempty" json:"max,omitempty"`
	// Options are the values of an enum.
	Options  []OptionSpec `yaml:"options,omitempty" json:"options,omitempty"`
	Question string       `yaml:"question,omitempty" json:"question,omitempty"`
	// Identity marks who and where the applicant is (type, name, code,
	// region): facts every profile may have, which never touch a benefit.
	Identity bool `yaml:"identity,omitempty" json:"identity,omitempty"`
	// DescribesApplicant marks a fact that describes the applicant in general
	// (industry, 工业企业, size) rather than something a measure rewards: met,
	// it never puts a benefit in play by itself.
	DescribesApplicant bool `yaml:"describes_applicant,omitempty" json:"describes_applicant,omitempty"`
	// Single marks the figure of one item (当笔贷款的利息): a second item
	// said later is no part of it.
	Single bool `yaml:"single,omitempty" json:"single,omitempty"`
	// Received marks a figure another party gives the applicant (创投投资,
	// 母公司实缴): the investor or parent named before it gives it, and the
	// figure is still the applicant's.
	Received bool `yaml:"received,omitempty" json:"received,omitempty"`
	// EnterpriseOnly marks a trait only an enterprise has: a county or a park
	// that speaks of it speaks of the enterprises in it.
	EnterpriseOnly bool `yaml:"enterprise_only,omitempty" json:"enterprise_only,omitempty"`
	// InArea marks a fact that places the applicant in the area of the
	// documents that read it (新落户本区): said without naming a place, it
	// speaks of wherever the applicant says it is.
	InArea bool `yaml:"in_area,omitempty" json:"in_area,omitempty"`
	// NoOption is the enum value a plain "no" answers (没有 to 是否被认定).
	NoOption string `yaml:"no_option,omitempty" json:"no_option,omitempty"`
	// Highest marks an enum whose options run from lowest to highest and
	// whose fact is the highest reached (认定级别): of several said in one
	// message (先认定为省级,后来又认定为国家级), the highest stands.
	Highest bool `yaml:"highest,omitempty" json:"highest,omitempty"`
	// Excludes, for a number fact, are words that say a count is of a part
	// the fact leaves out (配套, 附属 of 不包括附属和配套用房): said with
	// 其中 it is taken off the count before it, otherwise it is no count of
	// the fact. For a money fact, a figure whose clause names such a part
	// (母公司 of 为非关联企业提供服务的收入) is no part of the fact.
	Excludes []string `yaml:"excludes,omitempty" json:"excludes,omitempty"`
	// Parts, for a money fact that is a total of kinds (债券和票据融资额:
	// 公司债, 中期票据, 短融), groups the words of each kind: figures of two
	// kinds in one message are added (8000万中期票据,1.2亿公司债), where two
	// figures of one cue correct each other.
	Parts [][]string `yaml:"parts,omitempty" json:"parts,omitempty"`
	// AllOf, for a yes/no fact, lists the yes/no facts it is made of
	// (新落户及认定的总部型企业 is 新落户本区 and 经认定的总部型企业): said
	// apart, all of them true state it.
	AllOf []string `yaml:"all_of,omitempty" json:"all_of,omitempty"`
	// Phrases are the words people use to state the fact, for the chat.
	Phrases []PhraseSpec `yaml:"phrases,omitempty" json:"phrases,omitempty"`
	// Cues are words that say what a figure next to them measures (注册资本,
	// 种植面积), for money and number facts; for a text fact, the words after
	// which its value is written (公司名称是…).
	Cues []string `yaml:"cues,omitempty" json:"cues,omitempty"`
	// Verbs say weakly what a figure beside them measures, for money and
	// number facts (做到, 发行; 申请, 授权): a cue on either side of a money
	// figure wins over them, and of the number facts one cue names (发明
	// 专利), the verb's take the count (申请了65件发明专利).
	Verbs []string `yaml:"verbs,omitempty" json:"verbs,omitempty"`
	// Series groups money facts, or number facts of one unit, that measure
	// one thing in different years; the period words around a figure
	// choose among them.
	Series *SeriesSpec `yaml:"series,omitempty" json:"series,omitempty"`
	// Figures, for a yes/no fact, are words that make a money figure beside
	// them state the fact: yes above zero (利润300万), no for the words of
	// No (亏损300万).
	Figures *FigureSpec `yaml:"figures,omitempty" json:"figures,omitempty"`
	// Making, for an enum, names the fact its options state when said as
	// made.
	Making *MakingSpec `yaml:"making,omitempty" json:"making,omitempty"`
	// Per, for a money fact, says it is another money fact per unit of
	// something (亩均投资 is the investment per 亩 of land): a total and the
	// count of units said together give it.
	Per *PerSpec `yaml:"per,omitempty" json:"per,omitempty"`
	// Within, for a yes/no fact, says it holds when one event follows
	// another within so many months (两年内竣工投产): the dates the message
	// gives the two (2023年开工、2024年竣工投产) settle it when every day
	// they allow agrees.
	Within *WithinSpec `yaml:"within,omitempty" json:"within,omitempty"`
	// Price, for a money fact, says it is a price per unit of something
	// for a period (实际租金每平方米每月45元): a figure said per that unit,
	// and per that period when it has one, is the fact's.
	Price *PriceSpec `yaml:"price,omitempty" json:"price,omitempty"`
	// AssessedYear marks the year fact that names the year assessed: a
	// figure given with its year (2025年营收6亿) sets it, and 当年 means it.
	AssessedYear bool `yaml:"assessed_year,omitempty" json:"assessed_year,omitempty"`
	// Doc is the doc_id of the document that declares the fact; empty for a
	// shared fact.
	Doc string `yaml:"-" json:"doc_id,omitempty"`
}

// SeriesSpec places a money or number fact in a series: 当年主营业务收入 is
// the current period of the revenue series, 以前年度最高主营业务收入 its prior
// maximum; 当年申请的发明专利件数 is the current period of a series of
// filings, 上一年度发明专利申请量 its prior year. A series takes no figure of
// a period it has no fact for.
type SeriesSpec struct {
	Name string `yaml:"name" json:"name"`
	// Period is current (the year assessed), prior_max (the highest of the
	// years before it) or prior_year (the year before this one: 去年).
	Period string `yaml:"period" json:"period"`
	// Replaces and Applicant: when the applicant is of type Applicant, the
	// figures read for series Replaces are this series' (a park's 营收 is
	// its cluster's).
	Replaces  string `yaml:"replaces,omitempty" json:"replaces,omitempty"`
	Applicant string `yaml:"applicant,omitempty" json:"applicant,omitempty"`
}

// The periods of a series.
const (
	PeriodCurrent   = "current"
	PeriodPriorMax  = "prior_max"
	PeriodPriorYear = "prior_year"
)

// Periods are the periods a series may have a fact for.
var Periods = []string{PeriodCurrent, PeriodPriorMax, PeriodPriorYear}

// FigureSpec lists the words by which a money figure states a yes/no fact.
type FigureSpec struct {
	Yes []string `yaml:"yes,omitempty" json:"yes,omitempty"`
	No  []string `yaml:"no,omitempty" json:"no,omitempty"`
}

// OptionSpec is one value of an enum fact, with its label and the words that
// name it in a chat answer (国家级, 国家).
type OptionSpec struct {
	Value string   `yaml:"value" json:"value"`
	Label string   `yaml:"label" json:"label"`
	Say   []string `yaml:"say,omitempty" json:"say,omitempty"`
	// Answers name the option only in an answer to its fact's question
	// (其他, 都不是); said elsewhere they mean something else.
	Answers []string `yaml:"answers,omitempty" json:"answers,omitempty"`
	// For the options of applicant_type: Self name the speaker by
	// themselves (我县, 本园区); Heads open a clause the way a letterhead
	// does (于都县工信局:…); Person marks the type a person applies as (我在
	// 南沙一家企业上班).
	Self   []string `yaml:"self,omitempty" json:"self,omitempty"`
	Heads  []string `yaml:"heads,omitempty" json:"heads,omitempty"`
	Person bool     `yaml:"person,omitempty" json:"person,omitempty"`
}

// PerSpec says that a money fact is Of divided by a count of Unit, the
// count named by one of Cues (占地100亩).
type PerSpec struct {
	Of   string   `yaml:"of" json:"of"`
	Unit string   `yaml:"unit" json:"unit"`
	Cues []string `yaml:"cues" json:"cues"`
}

// PriceSpec names the unit a price is per (平方米) and its period: month,
// year, or none.
type PriceSpec struct {
	Per    string `yaml:"per" json:"per"`
	Period string `yaml:"period,omitempty" json:"period,omitempty"`
}

// WithinSpec names the words of the first event (开工) and the second
// (投产), and the most months that may pass between them.
type WithinSpec struct {
	From   []string `yaml:"from" json:"from"`
	To     []string `yaml:"to" json:"to"`
	Months int      `yaml:"months" json:"months"`
}

// MakingSpec says that a word of an option of an enum, said as made (做家具
// 的, 家具厂), states a yes/no fact (是工业企业). Services are never made;
// farmed options (做脐橙 may be farming) are made only with 加工 or 厂.
type MakingSpec struct {
	Fact     string   `yaml:"fact" json:"fact"`
	Services []string `yaml:"services,omitempty" json:"services,omitempty"`
	Farmed   []string `yaml:"farmed,omitempty" json:"farmed,omitempty"`
}

// PhraseSpec is a way of stating a yes/no or enum fact: parts that follow
// each other in one clause, each a list of alternatives.
type PhraseSpec struct {
	Say [][]string `yaml:"say" json:"say"`
	// Value is what the phrase states; for a yes/no fact true unless given.
	// An enum phrase without a value names the fact and leaves the option to
	// the option words around it (两化融合 … 省级).
	Value any `yaml:"value,omitempty" json:"value,omitempty"`
	// Negated is the value when the phrase is denied (没有盈利); absent, a
	// denial states nothing.
	Negated any `yaml:"negated,omitempty" json:"negated,omitempty"`
	// Deed marks something done (参加博览会, 通过审核) rather than a trait: it
	// is a fact only when said as done, or in a clause that asks nothing.
	Deed bool `yaml:"deed,omitempty" json:"deed,omitempty"`
	// Implied marks words that say another fact and so imply this value
	// (重点产业新上项目, defined to exclude mining projects): words of the
	// fact's own in the same message outweigh them.
	Implied bool `yaml:"implied,omitempty" json:"implied,omitempty"`
}

// FactKinds are the kinds of fact the code knows.
var FactKinds = []string{"bool", "money", "number", "enum", "region", "year", "date", "text"}

var factKeyPattern = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

type factFile struct {
	Facts []FactSpec `yaml:"facts"`
}

type tagFile struct {
	Tags []string `yaml:"tags"`
}

// loadCatalogue reads facts.yaml at the top of fsys and the facts.yaml of
// each document folder in docIDs, in that order; keys are unique across all.
func loadCatalogue(fsys fs.FS, docIDs []string) ([]FactSpec, error) {
	var out []FactSpec
	seen := map[string]string{}
	read := func(file, doc string, required bool) error {
		raw, err := fs.ReadFile(fsys, file)
		if errors.Is(err, fs.ErrNotExist) && !required {
			return nil
		}
		if err != nil {
			return fmt.Errorf("kb: %w", err)
		}
		var ff factFile
		if err := decodeStrict(raw, &ff); err != nil {
			return fmt.Errorf("kb: %s: %w", file, err)
		}
		for i := range ff.Facts {
			f := &ff.Facts[i]
			f.Doc = doc
			if err := f.validate(); err != nil {
				return fmt.Errorf("kb: %s: fact %d (%s): %w", file, i+1, f.Key, err)
			}
			if other, dup := seen[f.Key]; dup {
				return fmt.Errorf("kb: %s: fact %s: key is also declared in %s", file, f.Key, other)
			}
			seen[f.Key] = file
			out = append(out, *f)
		}
		return nil
	}
	if err := read("facts.yaml", "", true); err != nil {
		return nil, err
	}
	for _, id := range docIDs {
		if err := read(path.Join(id, "facts.yaml"), id, false); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func blank(w string) bool { return strings.TrimSpace(w) == "" }

func (f *FactSpec) validate() error {
	switch {
	case !factKeyPattern.MatchString(f.Key):
		return errors.New("key: use lower_snake_case")
	case !slices.Contains(FactKinds, f.Kind):
		return fmt.Errorf("kind: %q is not one of %s", f.Kind, strings.Join(FactKinds, ", "))
	case strings.TrimSpace(f.Label) == "":
		return errors.New("label: empty")
	case f.Kind == "enum" && len(f.Options) == 0:
		return errors.New("options: an enum needs its values")
	case f.Kind != "enum" && len(f.Options) > 0:
		return errors.New("options: only an enum has options")
	case len(f.Excludes) > 0 && f.Kind != "number" && f.Kind != "money":
		return errors.New("excludes: only a number or money fact has parts left out")
	case len(f.Parts) > 0 && (f.Kind != "money" || len(f.Parts) < 2 || slices.ContainsFunc(f.Parts, func(g []string) bool { return len(g) == 0 || slices.Contains(g, "") })):
		return errors.New("parts: a money fact's two kinds or more, each with its words")
	case len(f.AllOf) > 0 && (f.Kind != "bool" || len(f.AllOf) < 2 || slices.Contains(f.AllOf, f.Key)):
		return errors.New("all_of: a yes/no fact made of two or more others")
	case f.Kind != "enum" && f.Highest:
		return errors.New("highest: only an enum's options have an order")
	case f.Kind == "number" && f.Unit == "":
		return errors.New("unit: a number fact needs its unit (吨标煤, 亩, 年)")
	case f.Min != nil && f.Max != nil && *f.Min > *f.Max:
		return errors.New("min: above max")
	case len(f.Cues) > 0 && f.Kind != "money" && f.Kind != "number" && f.Kind != "text":
		return errors.New("cues: only money, number and text facts have cues; use phrases")
	case slices.ContainsFunc(f.Cues, blank), slices.ContainsFunc(f.Verbs, blank):
		return errors.New("cues: an empty cue would take every figure")
	case len(f.Verbs) > 0 && f.Kind != "money" && f.Kind != "number":
		return errors.New("verbs: only money and number facts have verbs")
	case f.Series != nil && f.Kind != "money" && f.Kind != "number":
		return errors.New("series: only money and number facts form a series")
	case f.Series != nil && (f.Series.Name == "" || !slices.Contains(Periods, f.Series.Period)):
		return fmt.Errorf("series: needs a name and a period (%s)", strings.Join(Periods, ", "))
	case f.Series != nil && (f.Series.Replaces == "") != (f.Series.Applicant == ""):
		return errors.New("series: replaces and applicant go together")
	case f.Making != nil && (f.Kind != "enum" || f.Making.Fact == ""):
		return errors.New("making: only an enum's options are made, and making names a fact")
	case f.Per != nil && (f.Kind != "money" || f.Per.Of == "" || strings.TrimSpace(f.Per.Unit) == "" || len(f.Per.Cues) == 0 || slices.ContainsFunc(f.Per.Cues, blank)):
		return errors.New("per: only a money fact is per unit, and per names the total, the unit and the cues of the count")
	case f.AssessedYear && f.Kind != "year":
		return errors.New("assessed_year: only a year fact names the year assessed")
	case f.Figures != nil && f.Kind != "bool":
		return errors.New("figures: only yes/no facts are stated by figures")
	case f.Figures != nil && (slices.ContainsFunc(f.Figures.Yes, blank) || slices.ContainsFunc(f.Figures.No, blank)):
		return errors.New("figures: empty word")
	}
	for i, o := range f.Options {
		if slices.ContainsFunc(o.Say, func(w string) bool { return strings.TrimSpace(w) == "" }) {
			return fmt.Errorf("options[%d].say: empty word", i)
		}
	}
	values := map[string]bool{}
	for i, o := range f.Options {
		if o.Value == "" || strings.TrimSpace(o.Label) == "" {
			return fmt.Errorf("options[%d]: value and label are required", i)
		}
		if values[o.Value] {
			return fmt.Errorf("options[%d]: duplicate value %q", i, o.Value)
		}
		values[o.Value] = true
	}
	if f.NoOption != "" && !values[f.NoOption] {
		return fmt.Errorf("no_option: %q is not an option", f.NoOption)
	}
	for i := range f.Phrases {
		if err := f.Phrases[i].validate(f, values); err != nil {
			return fmt.Errorf("phrases[%d]: %w", i, err)
		}
	}
	return nil
}

func (p *PhraseSpec) validate(f *FactSpec, options map[string]bool) error {
	if len(p.Say) == 0 {
		return errors.New("say: empty")
	}
	for _, part := range p.Say {
		if len(part) == 0 || slices.ContainsFunc(part, func(w string) bool { return strings.TrimSpace(w) == "" }) {
			return errors.New("say: every part needs words")
		}
	}
	check := func(field string, v any, optional bool) error {
		switch f.Kind {
		case "bool":
			if _, ok := v.(bool); !ok && !(optional && v == nil) {
				return fmt.Errorf("%s: want true or false", field)
			}
		case "enum":
			s, ok := v.(string)
			if !(optional && v == nil) && (!ok || !options[s]) {
				return fmt.Errorf("%s: %v is not an option of %s", field, v, f.Key)
			}
		default:
			return errors.New("only yes/no and enum facts have phrases")
		}
		return nil
	}
	if f.Kind == "bool" && p.Value == nil {
		p.Value = true
	}
	if err := check("value", p.Value, f.Kind == "enum"); err != nil {
		return err
	}
	return check("negated", p.Negated, true)
}

func decodeStrict(raw []byte, v any) error {
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	dec.KnownFields(true)
	return dec.Decode(v)
}

// loadTags reads the topic vocabulary of clauses from tags.yaml.
func loadTags(fsys fs.FS) ([]string, error) {
	raw, err := fs.ReadFile(fsys, "tags.yaml")
	if err != nil {
		return nil, fmt.Errorf("kb: %w", err)
	}
	var tf tagFile
	if err := decodeStrict(raw, &tf); err != nil {
		return nil, fmt.Errorf("kb: tags.yaml: %w", err)
	}
	if len(tf.Tags) == 0 {
		return nil, errors.New("kb: tags.yaml: tags: none")
	}
	return tf.Tags, nil
}

// ChatTexts are the chat's texts that speak of what the library holds, read
// from chat.yaml.
type ChatTexts struct {
	Help       string     `yaml:"help"`
	FirstFacts string     `yaml:"first_facts"`
	MoreFacts  string     `yaml:"more_facts"`
	Human      string     `yaml:"human"`
	HumanCites []ClauseID `yaml:"human_cites"`
	// NotFacts name figures that are no fact of the catalogue (贷款,
	// 注册资本), so that the chat never stores them as one.
	NotFacts []string `yaml:"not_facts"`
	// Awards name the sum an applicant asks about (奖励, 能拿): a figure
	// beside them is the award hoped for, never a fact.
	Awards []string `yaml:"awards"`
	// SoundAlikes sound like a word of the catalogue but are words of their
	// own (营利 of 非营利): the chat never mends them as slips of input.
	SoundAlikes []string `yaml:"sound_alikes"`
	// FollowUps are the words of questions about results already told, by
	// kind (one of FollowUpKinds): 还有效吗 asks the validity.
	FollowUps map[string][]string `yaml:"follow_ups"`
	// NotPhrases are words that hold a word of a fact's phrase but mean
	// something else (多亏了, 新产品上市): the phrase is not read inside them.
	NotPhrases []string `yaml:"not_phrases"`
}

// The follow-up questions the chat answers from the results it has told:
// whether the policy is still valid, who handles it, what to prepare, how
// the amount is computed and how much it is, when it is paid, which document it comes from and
// whether it adds up with others, who receives it, what it binds one to and
// how often it may be had, and what the next step of it takes.
const (
	FollowValidity    = "validity"
	FollowDepartment  = "department"
	FollowMaterials   = "materials"
	FollowComputation = "computation"
	FollowHowMuch     = "how_much"
	FollowPayment     = "payment"
	FollowSource      = "source"
	FollowStacking    = "stacking"
	FollowRecipient   = "recipient"
	FollowObligations = "obligations"
	FollowLimits      = "limits"
	FollowNextStep    = "next_step"
	FollowReason      = "reason"
)

// FollowUpKinds are the kinds of follow-up chat.yaml may give words for.
var FollowUpKinds = []string{FollowValidity, FollowDepartment, FollowMaterials, FollowComputation, FollowHowMuch, FollowPayment, FollowSource, FollowStacking, FollowRecipient, FollowObligations, FollowLimits, FollowNextStep, FollowReason}

// ClauseID names a clause of the library.
type ClauseID struct {
	DocID   string `yaml:"doc_id" json:"doc_id"`
	Article string `yaml:"article" json:"article"`
}

func loadChatTexts(fsys fs.FS) (ChatTexts, error) {
	var t ChatTexts
	raw, err := fs.ReadFile(fsys, "chat.yaml")
	if err != nil {
		return t, fmt.Errorf("kb: %w", err)
	}
	if err := decodeStrict(raw, &t); err != nil {
		return t, fmt.Errorf("kb: chat.yaml: %w", err)
	}
	for kind, words := range t.FollowUps {
		if !slices.Contains(FollowUpKinds, kind) {
			return t, fmt.Errorf("kb: chat.yaml: follow_ups: %q is not one of %s", kind, strings.Join(FollowUpKinds, ", "))
		}
		if slices.ContainsFunc(words, blank) {
			return t, fmt.Errorf("kb: chat.yaml: follow_ups: %s: empty word", kind)
		}
	}
	for field, v := range map[string]string{"help": t.Help, "first_facts": t.FirstFacts, "more_facts": t.MoreFacts, "human": t.Human} {
		if strings.TrimSpace(v) == "" {
			return t, fmt.Errorf("kb: chat.yaml: %s: empty", field)
		}
	}
	return t, nil
}
