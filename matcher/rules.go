package matcher

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"regexp"
	"slices"
	"sort"
	"strings"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/types"
	"go.yaml.in/yaml/v3"

	"policybot/kb"
)

// The YAML shapes of rules.yaml. They are decoded strictly and compiled into
// Benefit values; nothing outside this file sees them.
type ruleFile struct {
	// DocNo, when given, must be the folder's document's issuing number: a
	// check that the rules were not copied from another document.
	DocNo      string               `yaml:"doc_no"`
	Parameters map[string]paramSpec `yaml:"parameters"`
	// Definitions name a condition the document states once and its
	// clauses refer to (第一条's 总部认定条件 for every 总部型企业 of the
	// later articles), so each clause reads the one text.
	Definitions map[string]string `yaml:"definitions"`
	Benefits    []benefitSpec     `yaml:"benefits"`
}

type paramSpec struct {
	CNY      *int64   `yaml:"cny"`
	TCE      *float64 `yaml:"tce"`
	Years    *float64 `yaml:"years"`
	PerMille *int64   `yaml:"per_mille"`
	Percent  *int64   `yaml:"percent"`
	Number   *float64 `yaml:"number"`
	// Unit goes with number: the unit of the fact the figure bounds (亩).
	Unit    string   `yaml:"unit"`
	List    []string `yaml:"list"`
	Article string   `yaml:"article"`
	Quote   string   `yaml:"quote"`
}

type benefitSpec struct {
	ID              string          `yaml:"id"`
	Article         string          `yaml:"article"`
	Title           string          `yaml:"title"`
	Applicants      []string        `yaml:"applicants"`
	Conditions      []conditionSpec `yaml:"conditions"`
	Amount          amountSpec      `yaml:"amount"`
	Recipient       string          `yaml:"recipient"`
	Payer           string          `yaml:"payer"`
	Department      string          `yaml:"department"`
	DepartmentBasis string          `yaml:"department_basis"`
	DepartmentNote  string          `yaml:"department_note"`
	NextSteps       string          `yaml:"next_steps"`
	Selection       string          `yaml:"selection"`
	Exclusive       string          `yaml:"exclusive"`
	// AreaReplacedBy quotes the clause's words for those moving in or
	// operating in the area, whose own conditions replace the area test.
	AreaReplacedBy string `yaml:"area_replaced_by"`
	Guide          *Guide `yaml:"guide"`
}

type conditionSpec struct {
	When string `yaml:"when"`
	Text string `yaml:"text"`
	// IfKnown marks a condition that narrows the benefit only once its
	// facts are known (自认定当年起的前三年 of a five-year schedule): unknown,
	// it neither holds the result open nor is asked about.
	IfKnown bool `yaml:"if_known"`
	// expanded is When with the file's definitions written out.
	expanded string
}

type amountSpec struct {
	Fixed     string       `yaml:"fixed"`
	Table     *tableSpec   `yaml:"table"`
	Rate      *rateSpec    `yaml:"rate"`
	Steps     *stepsSpec   `yaml:"steps"`
	PerUnit   *perUnitSpec `yaml:"per_unit"`
	Bands     *bandsSpec   `yaml:"bands"`
	Bound     *boundSpec   `yaml:"bound"`
	Unstated  string       `yaml:"unstated"`
	DecidedBy string       `yaml:"decided_by"`
	Support   string       `yaml:"support"`
	Total     *totalSpec   `yaml:"total"`
	// Years, a years parameter, makes the amount yearly (连续3年); Yearly
	// makes a fixed sum one of each year for a time the text does not fix
	// (每年8万元的生活补助).
	Years  string `yaml:"years"`
	Yearly bool   `yaml:"yearly"`
}

// totalSpec adds up the sums of other benefits of the clause (年资助总额
// for the kinds of patent 第二十六条 funds each at its own rate), held to
// the clause's ceiling of the total.
type totalSpec struct {
	Of  []string `yaml:"of"`
	Max string   `yaml:"max"`
}

type tableSpec struct {
	By     string            `yaml:"by"`
	Values map[string]string `yaml:"values"`
}

type rateSpec struct {
	Base string `yaml:"base"`
	// Over, a money fact, makes the rate one of the base above it (超基数
	// 部分给予95%的奖励): nothing when the base is not above it.
	Over     string `yaml:"over"`
	PerMille string `yaml:"per_mille"`
	Percent  string `yaml:"percent"`
	Max      string `yaml:"max"`
}

type perUnitSpec struct {
	Count string `yaml:"count"`
	// Per, a number parameter, pays the rate for each whole group of that
	// many units (每增加30件,增加资助3万元): 65件 at 3万元 per 30件 is 6万元.
	Per  string `yaml:"per"`
	Rate string `yaml:"rate"`
	// And adds counts paid at rates of their own to one sum under Max (每人
	// 8万元的博士、每人5万元的硕士,合计最高500万元).
	And   []perUnitTermSpec `yaml:"and"`
	Bands []bandSpec        `yaml:"bands"`
	Max   string            `yaml:"max"`
}

type perUnitTermSpec struct {
	Count string `yaml:"count"`
	Rate  string `yaml:"rate"`
}

type bandsSpec struct {
	By     string     `yaml:"by"`
	Values []bandSpec `yaml:"values"`
}

// boundSpec is a figure the clause bounds but does not fix: a ceiling
// (最高1000万元), a range (10万元—100万元) or a range of rates of a base
// (5%-20%).
type boundSpec struct {
	Min     string `yaml:"min"`
	Max     string `yaml:"max"`
	Base    string `yaml:"base"`
	MinRate string `yaml:"min_rate"`
	MaxRate string `yaml:"max_rate"`
	// MaxPerUnit bounds the sum by yuan for each unit of the number fact
	// Base (每平方米最高50元), under Max; Per "month" makes it a monthly
	// rate of a yearly sum (按每月每平方米); MaxCount caps the units paid
	// for (补贴面积不超过500平方米).
	MaxPerUnit string `yaml:"max_per_unit"`
	Per        string `yaml:"per"`
	MaxCount   string `yaml:"max_count"`
	// Actual, with MaxPerUnit, is the money fact of what is actually paid
	// per unit and period: known, the sum is the rate actually paid up to
	// the most per unit (实际场租低于标准的按实际场租).
	Actual string `yaml:"actual"`
}

type stepsSpec struct {
	Current string     `yaml:"current"`
	Prior   string     `yaml:"prior"`
	First   []tierSpec `yaml:"first"`
	Every   *tierSpec  `yaml:"every"`
	Text    string     `yaml:"text"`
}

type tierSpec struct {
	At       string `yaml:"at"`
	Step     string `yaml:"step"`
	Award    string `yaml:"award"`
	Crossing string `yaml:"crossing"`
}

// ruleSet is what loading one rules.yaml yields.
type ruleSet struct {
	doc      *kb.Document
	params   map[string]*Param
	benefits []*Benefit
}

// loadRules reads, validates and compiles every */rules.yaml of fsys against
// the documents of base.
func loadRules(fsys fs.FS, base *kb.Base, cat *Catalogue) ([]*ruleSet, error) {
	files, err := fs.Glob(fsys, "*/rules.yaml")
	if err != nil {
		return nil, fmt.Errorf("matcher: %w", err)
	}
	var sets []*ruleSet
	ids := map[string]string{}
	for _, file := range files {
		raw, err := fs.ReadFile(fsys, file)
		if err != nil {
			return nil, fmt.Errorf("matcher: %w", err)
		}
		dec := yaml.NewDecoder(bytes.NewReader(raw))
		dec.KnownFields(true)
		var rf ruleFile
		if err := dec.Decode(&rf); err != nil {
			return nil, fmt.Errorf("matcher: %s: %w", file, err)
		}
		doc, err := base.Document(path.Dir(file))
		if err != nil {
			return nil, fmt.Errorf("matcher: %s: the folder holds no document.yaml", file)
		}
		rs, err := compileRules(&rf, doc, base, cat)
		if err != nil {
			return nil, fmt.Errorf("matcher: %s: %w", file, err)
		}
		for _, b := range rs.benefits {
			if other, dup := ids[b.ID]; dup {
				return nil, fmt.Errorf("matcher: %s: benefit %s: id is also used in %s", file, b.ID, other)
			}
			ids[b.ID] = file
		}
		sets = append(sets, rs)
	}
	return sets, nil
}

var (
	benefitIDPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	paramNamePattern = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	placeholder      = regexp.MustCompile(`\{([a-z0-9_]+)\}`)
)

func compileRules(rf *ruleFile, doc *kb.Document, base *kb.Base, cat *Catalogue) (*ruleSet, error) {
	if rf.DocNo != "" && rf.DocNo != doc.DocNo {
		return nil, fmt.Errorf("doc_no: %q is not the issuing number of the folder's document (%q)", rf.DocNo, doc.DocNo)
	}
	rs := &ruleSet{doc: doc, params: map[string]*Param{}}
	names := make([]string, 0, len(rf.Parameters))
	for name := range rf.Parameters {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		p, err := compileParam(cat, name, rf.Parameters[name], base, doc.DocID)
		if err != nil {
			return nil, fmt.Errorf("parameter %s: %w", name, err)
		}
		rs.params[name] = p
	}
	env, err := newEnv(cat, rs.params)
	if err != nil {
		return nil, err
	}
	defs, uses, err := expandDefinitions(rf.Definitions, cat, rs.params, env)
	if err != nil {
		return nil, err
	}
	defUsed := map[string]bool{}
	used := map[string]bool{}
	for i := range rf.Benefits {
		bs := &rf.Benefits[i]
		for j := range bs.Conditions {
			bs.Conditions[j].expanded = substitute(bs.Conditions[j].When, defs, defUsed)
		}
		mine := map[string]bool{}
		b, err := compileBenefit(cat, bs, env, rs, base, mine)
		if err != nil {
			return nil, fmt.Errorf("benefit %d (%s): %w", i+1, bs.ID, err)
		}
		for _, name := range names {
			if mine[name] {
				used[name] = true
				for _, q := range strings.Split(rs.params[name].Quote, "…") {
					if q = strings.TrimSpace(q); q != "" && !slices.Contains(b.quotes, q) {
						b.quotes = append(b.quotes, q)
					}
				}
			}
		}
		rs.benefits = append(rs.benefits, b)
	}
	for _, name := range names {
		if !used[name] {
			return nil, fmt.Errorf("parameter %s: never used", name)
		}
	}
	// A definition another one names is used when that one is.
	for changed := true; changed; {
		changed = false
		for name, ids := range uses {
			for _, id := range ids {
				if defUsed[name] && !defUsed[id] {
					defUsed[id], changed = true, true
				}
			}
		}
	}
	for name := range defs {
		if !defUsed[name] {
			return nil, fmt.Errorf("definition %s: never used", name)
		}
	}
	return rs, nil
}

// expandDefinitions checks each named condition and returns its text with
// the names it uses replaced by theirs, each in parentheses.
func expandDefinitions(raw map[string]string, cat *Catalogue, params map[string]*Param, env *cel.Env) (defs map[string]string, uses map[string][]string, err error) {
	for name := range raw {
		_, fact := cat.index[name]
		_, param := params[name]
		switch {
		case !paramNamePattern.MatchString(name):
			return nil, nil, fmt.Errorf("definition %s: use lower_snake_case", name)
		case fact || param:
			return nil, nil, fmt.Errorf("definition %s: the name is already a fact or a parameter", name)
		case slices.Contains(celWords, name):
			return nil, nil, fmt.Errorf("definition %s: the name is a word of CEL", name)
		}
	}
	out := map[string]string{}
	uses = map[string][]string{}
	var expand func(name string, seen []string) (string, error)
	expand = func(name string, seen []string) (string, error) {
		if e, ok := out[name]; ok {
			return e, nil
		}
		if slices.Contains(seen, name) {
			return "", fmt.Errorf("definition %s: refers to itself (%s)", name, strings.Join(append(seen, name), " → "))
		}
		var err error
		e := rewriteIdents(raw[name], func(id string) (string, bool) {
			if _, ok := raw[id]; !ok || err != nil {
				return "", false
			}
			var sub string
			sub, err = expand(id, append(seen, name))
			uses[name] = append(uses[name], id)
			return sub, true
		})
		if err != nil {
			return "", err
		}
		out[name] = e
		return e, nil
	}
	// In name order, so that the same file always gives the same error.
	for _, name := range slices.Sorted(maps.Keys(raw)) {
		e, err := expand(name, nil)
		if err != nil {
			return nil, nil, err
		}
		ast, iss := env.Compile(e)
		if iss.Err() != nil {
			return nil, nil, fmt.Errorf("definition %s: %w%s", name, iss.Err(), celHint(iss.Err().Error()))
		}
		if ast.OutputType() != cel.BoolType {
			return nil, nil, fmt.Errorf("definition %s: %q is %v, not bool", name, raw[name], ast.OutputType())
		}
	}
	return out, uses, nil
}

// celWords are CEL's reserved words and the functions and macros a
// condition may call, which no definition may be named.
var celWords = []string{"true", "false", "null", "in", "as", "break", "const", "continue", "else", "for", "function", "if", "import", "let", "loop", "package",
	"namespace", "return", "var", "void", "while", "has", "size", "all", "exists", "exists_one", "map", "filter", "int", "uint", "double", "string", "bytes", "bool",
	"type", "dyn", "list", "duration", "timestamp", "matches", "contains", "startsWith", "endsWith"}

// substitute replaces the definitions a condition names by their text and
// marks them used.
func substitute(when string, defs map[string]string, used map[string]bool) string {
	return rewriteIdents(when, func(id string) (string, bool) {
		e, ok := defs[id]
		used[id] = used[id] || ok
		return e, ok
	})
}

// rewriteIdents puts repl(id), in parentheses, for each identifier of a CEL
// text it accepts, leaving string literals and field names (a.b) alone.
func rewriteIdents(text string, repl func(id string) (string, bool)) string {
	var b strings.Builder
	for i := 0; i < len(text); {
		c := text[i]
		switch {
		case c == '"' || c == '\'':
			j := i + 1
			for j < len(text) && text[j] != c {
				if text[j] == '\\' {
					j++
				}
				j++
			}
			j = min(j+1, len(text))
			b.WriteString(text[i:j])
			i = j
		case c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			j := i + 1
			for j < len(text) && (text[j] == '_' || text[j] >= 'a' && text[j] <= 'z' || text[j] >= 'A' && text[j] <= 'Z' || text[j] >= '0' && text[j] <= '9') {
				j++
			}
			id := text[i:j]
			if e, ok := repl(id); ok && !strings.HasSuffix(strings.TrimRight(text[:i], " \t\n"), ".") {
				b.WriteString("(" + e + ")")
			} else {
				b.WriteString(id)
			}
			i = j
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String()
}

func compileParam(cat *Catalogue, name string, s paramSpec, base *kb.Base, docID string) (*Param, error) {
	if !paramNamePattern.MatchString(name) {
		return nil, errors.New("name: use lower_snake_case")
	}
	if _, clash := cat.index[name]; clash {
		return nil, errors.New("name: clashes with a fact of the same name")
	}
	clause, err := base.Clause(docID, s.Article)
	if err != nil {
		return nil, fmt.Errorf("article: %q is not a clause of %s", s.Article, docID)
	}
	if strings.TrimSpace(s.Quote) == "" {
		return nil, errors.New("quote: empty (every figure quotes its clause)")
	}
	if part, ok := quoted(s.Quote, clause.Text); !ok {
		return nil, fmt.Errorf("quote: %q is not in the text of clause %s (copy the words from the clause; … may join two pieces of it)", part, s.Article)
	}
	p := &Param{Name: name, Article: s.Article, Quote: s.Quote}
	set := 0
	if s.CNY != nil {
		set++
		p.Unit, p.Int = UnitCNY, *s.CNY
	}
	if s.TCE != nil {
		set++
		p.Unit, p.Float = UnitTCE, *s.TCE
	}
	if s.Years != nil {
		set++
		p.Unit, p.Float = UnitYears, *s.Years
	}
	if s.PerMille != nil {
		set++
		p.Unit, p.Int = UnitPerMille, *s.PerMille
	}
	if s.Percent != nil {
		set++
		p.Unit, p.Int = UnitPercent, *s.Percent
	}
	if s.Number != nil {
		set++
		p.Unit, p.Float, p.Measure = UnitNumber, *s.Number, s.Unit
		if strings.TrimSpace(s.Unit) == "" {
			return nil, errors.New("unit: a number needs the unit of the fact it bounds (亩, 家, 人)")
		}
	} else if s.Unit != "" {
		return nil, errors.New("unit: only with number")
	}
	if s.List != nil {
		set++
		p.Unit, p.List = UnitList, s.List
	}
	if set != 1 {
		return nil, errors.New("give exactly one of cny, tce, years, per_mille, percent, number, list")
	}
	if p.Int < 0 || p.Float < 0 {
		return nil, errors.New("value: negative")
	}
	if p.Unit == UnitList && len(p.List) == 0 {
		return nil, errors.New("list: empty")
	}
	return p, nil
}

// newEnv declares every fact as a variable and every parameter as a
// constant, so that expressions are type-checked against both.
func newEnv(cat *Catalogue, params map[string]*Param) (*cel.Env, error) {
	var opts []cel.EnvOption
	for _, f := range cat.facts {
		opts = append(opts, cel.Variable(f.Key, celType(f.Kind)))
	}
	for _, p := range params {
		switch p.Unit {
		case UnitCNY, UnitPerMille, UnitPercent:
			opts = append(opts, cel.Constant(p.Name, cel.IntType, types.Int(p.Int)))
		case UnitTCE, UnitYears, UnitNumber:
			opts = append(opts, cel.Constant(p.Name, cel.DoubleType, types.Double(p.Float)))
		case UnitList:
			opts = append(opts, cel.Constant(p.Name, cel.ListType(cel.StringType), types.DefaultTypeAdapter.NativeToValue(p.List)))
		}
	}
	env, err := cel.NewEnv(opts...)
	if err != nil {
		return nil, fmt.Errorf("expression environment: %w", err)
	}
	return env, nil
}

func celType(k Kind) *cel.Type {
	switch k {
	case KindBool:
		return cel.BoolType
	case KindMoney, KindYear:
		return cel.IntType
	case KindNumber:
		return cel.DoubleType
	}
	return cel.StringType
}

func compileBenefit(cat *Catalogue, s *benefitSpec, env *cel.Env, rs *ruleSet, base *kb.Base, used map[string]bool) (*Benefit, error) {
	if !benefitIDPattern.MatchString(s.ID) {
		return nil, errors.New("id: use lower-kebab-case")
	}
	clause, err := base.Clause(rs.doc.DocID, s.Article)
	if err != nil {
		return nil, fmt.Errorf("article: %q is not a clause of %s", s.Article, rs.doc.DocID)
	}
	switch {
	case strings.TrimSpace(s.Title) == "":
		return nil, errors.New("title: empty")
	case len(s.Applicants) == 0:
		return nil, errors.New("applicants: none")
	case strings.TrimSpace(s.Department) == "":
		return nil, errors.New("department: empty (say who to contact, or that the text names nobody)")
	case s.DepartmentBasis == "" && strings.TrimSpace(s.DepartmentNote) == "":
		return nil, errors.New("department_note: required when department_basis does not cite a clause")
	case s.AreaReplacedBy != "" && squeeze(s.AreaReplacedBy) == "":
		return nil, errors.New("area_replaced_by: blank (quote the clause's words, or leave it out for the area test)")
	case s.AreaReplacedBy != "" && !strings.Contains(squeeze(clause.Text), squeeze(s.AreaReplacedBy)):
		return nil, fmt.Errorf("area_replaced_by: %q is not in the text of clause %s", s.AreaReplacedBy, s.Article)
	}
	for _, a := range s.Applicants {
		if !slices.Contains(clause.Applicants, a) {
			return nil, fmt.Errorf("applicants: %q is not among the applicants of clause %s in document.yaml", a, s.Article)
		}
	}
	if s.DepartmentBasis != "" {
		c, err := base.Clause(rs.doc.DocID, s.DepartmentBasis)
		if err != nil {
			return nil, fmt.Errorf("department_basis: %q is not a clause", s.DepartmentBasis)
		}
		if !slices.Contains(c.Lead, s.Department) {
			return nil, fmt.Errorf("department_basis: %s does not name %s as lead department", s.DepartmentBasis, s.Department)
		}
	}
	b := &Benefit{
		ID: s.ID, DocID: rs.doc.DocID, DocNo: rs.doc.DocNo, DocTitle: rs.doc.Title, Article: clause.Article, Title: s.Title,
		Applicants: s.Applicants, Recipient: s.Recipient, Payer: s.Payer,
		Department: s.Department, DepartmentNote: s.DepartmentNote, NextSteps: s.NextSteps,
		Selection: s.Selection, Exclusive: s.Exclusive, AreaReplacedBy: s.AreaReplacedBy, Guide: s.Guide,
		cat: cat, doc: rs.doc, clause: clause,
	}
	if s.Guide != nil {
		if err := s.Guide.check(); err != nil {
			return nil, fmt.Errorf("guide: %w", err)
		}
		s.Guide.Note = guideNote
	}
	if s.Exclusive != strings.TrimSpace(s.Exclusive) {
		return nil, errors.New("exclusive: no leading or trailing spaces (the id is shared across documents)")
	}
	if s.DepartmentBasis != "" && b.DepartmentNote == "" {
		c, _ := base.Clause(rs.doc.DocID, s.DepartmentBasis)
		b.DepartmentNote = fmt.Sprintf("%s由%s牵头(%s)", c.Title, s.Department, kb.Cite(c.Article))
	}
	render := func(text string) (string, error) { return renderText(text, rs.params, used) }
	for j, cs := range s.Conditions {
		c, err := compileCondition(cat, cs, env, render, used, rs.params)
		if err != nil {
			return nil, fmt.Errorf("condition %d: %w", j+1, err)
		}
		b.Conditions = append(b.Conditions, c)
	}
	amt, err := compileAmount(cat, &s.Amount, rs.params, used, render)
	if err != nil {
		return nil, fmt.Errorf("amount: %w", err)
	}
	b.Amount = amt
	if amt.steps != nil {
		// Step rules open their clauses (年主营业务收入首次突破…,且当年盈利的
		// 工业企业): their conditions come first, as the text states them.
		b.Conditions = append(amt.steps.conditions(), b.Conditions...)
	}
	if bs := amt.bands(); bs != nil {
		// The figure the bands read comes after the clause's own
		// conditions (新落户的总部型企业, 实缴注册资本…), as the texts state it.
		b.Conditions = append(b.Conditions, bs.condition())
	}
	for _, bs := range amt.termBands {
		b.Conditions = append(b.Conditions, bs.condition())
	}
	if len(b.Conditions) == 0 && amt.totalOf == nil {
		// A total holds when its parts do.
		return nil, errors.New("conditions: none (a benefit with no condition would apply to everyone)")
	}
	for _, c := range b.Conditions {
		b.facts = appendUnique(b.facts, c.facts...)
		for _, i := range c.facts {
			c.keys = append(c.keys, cat.facts[i].Key)
		}
		c.met, c.unmet, c.open = "满足:"+c.Text, "不满足:"+c.Text, "待确认:"+c.Text
	}
	// A fact the sum is computed from is read too (个人经济贡献 of a 40%
	// award): it touches the benefit, and a rough figure of it matters.
	b.facts = appendUnique(b.facts, amt.inputs()...)
	b.areaText = "注册地在" + b.doc.Jurisdiction
	b.areaCaveat = []string{"本政策适用于注册地在" + b.doc.Jurisdiction + "的申请人,请确认贵单位的注册地。"}
	switch {
	case amt.Support != "":
		b.amountNote = "非资金支持:" + amt.Support
	case amt.Unstated != "":
		b.amountNote = fmt.Sprintf("条文未规定具体金额(%s);决定主体:%s", amt.Unstated, amt.DecidedBy)
		if n := amt.Years(); n > 0 {
			b.amountNote += fmt.Sprintf(";每年给予,连续%d年", n)
		}
	}
	b.setValidity()
	return b, nil
}

// renderText replaces {param} with the parameter's value in Chinese units,
// marking the parameter used.
func renderText(text string, params map[string]*Param, used map[string]bool) (string, error) {
	if strings.TrimSpace(text) == "" {
		return "", errors.New("text: empty")
	}
	var err error
	out := placeholder.ReplaceAllStringFunc(text, func(m string) string {
		name := m[1 : len(m)-1]
		p, ok := params[name]
		if !ok {
			err = fmt.Errorf("text: unknown parameter {%s}", name)
			return m
		}
		used[name] = true
		return p.Display()
	})
	if err == nil && strings.ContainsAny(out, "{}") {
		err = fmt.Errorf("text: stray brace in %q", text)
	}
	return out, err
}

func compileCondition(cat *Catalogue, s conditionSpec, env *cel.Env, render func(string) (string, error), used map[string]bool, params map[string]*Param) (*Condition, error) {
	text, err := render(s.Text)
	if err != nil {
		return nil, err
	}
	ast, iss := env.Compile(s.expanded)
	if iss.Err() != nil {
		return nil, fmt.Errorf("when: %w%s", iss.Err(), celHint(iss.Err().Error()))
	}
	if ast.OutputType() != cel.BoolType {
		return nil, fmt.Errorf("when: %q is %v, not bool", s.When, ast.OutputType())
	}
	c := &Condition{Text: text, Expr: s.expanded, ifKnown: s.IfKnown} // what is evaluated, definitions written out
	for _, ref := range ast.NativeRep().ReferenceMap() {
		if i, ok := cat.index[ref.Name]; ok {
			c.facts = appendUnique(c.facts, i)
		}
		if _, ok := params[ref.Name]; ok {
			used[ref.Name] = true
		}
	}
	if len(c.facts) == 0 {
		return nil, fmt.Errorf("when: %q reads no fact", s.When)
	}
	slices.Sort(c.facts)
	if c.plain, err = env.Program(ast); err != nil {
		return nil, fmt.Errorf("when: %w", err)
	}
	if c.partial, err = env.Program(ast, cel.EvalOptions(cel.OptPartialEval)); err != nil {
		return nil, fmt.Errorf("when: %w", err)
	}
	if f := &cat.facts[c.facts[0]]; len(c.facts) == 1 && f.Kind == KindEnum {
		c.accepts = []string{}
		for _, o := range f.Options {
			if out, _, _ := c.plain.Eval(map[string]any{f.Key: o.Value}); out == types.True {
				c.accepts = append(c.accepts, o.Value)
			}
		}
	}
	return c, nil
}

// celHint says in plain words what usually causes a CEL error an officer
// meets, and how to mend it.
func celHint(msg string) string {
	switch {
	case strings.Contains(msg, "Syntax error") && strings.Contains(msg, "<EOF>"):
		return "\n  hint: the condition is empty or cut short; a condition that starts with ! (not) or holds : must be in quotes, when: \"!fact\""
	case strings.Contains(msg, "Syntax error"):
		return "\n  hint: write conditions as fact == value, fact >= parameter, a && b (and), a || b (or), !a (not), fact in list_parameter; put the whole condition in quotes when it holds ! or :"
	case strings.Contains(msg, "no matching overload"):
		return "\n  hint: the two sides are of different kinds: money is whole yuan, numbers are decimals (write 3.0, not 3); better, compare with a named parameter that quotes the clause"
	case strings.Contains(msg, "undeclared reference"):
		return "\n  hint: no fact or parameter has this name: declare facts in facts.yaml (shared) or the document's facts.yaml, figures under parameters"
	}
	return ""
}

// quoted reports whether every piece of quote between ellipses (…) is in
// text, in order, white space aside; it returns the first piece that is not.
func quoted(quote, text string) (string, bool) {
	t := squeeze(text)
	at, words := 0, false
	for _, piece := range strings.Split(strings.ReplaceAll(quote, "...", "…"), "…") {
		p := squeeze(piece)
		if p == "" {
			continue
		}
		i := strings.Index(t[at:], p)
		if i < 0 {
			return piece, false
		}
		at, words = at+i+len(p), true
	}
	return quote, words
}

// squeeze drops white space, so that a quote matches a clause across lines.
func squeeze(s string) string { return strings.Join(strings.Fields(s), "") }

func appendUnique[T comparable](s []T, vals ...T) []T {
	for _, v := range vals {
		if !slices.Contains(s, v) {
			s = append(s, v)
		}
	}
	return s
}
