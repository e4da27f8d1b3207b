// Package kb holds the policy knowledge base: documents, their clauses, the
// parser that turns a policy text into clauses, and the clause search index.
package kb

import "time"

// Document is one policy document with its clauses.
type Document struct {
	DocNo  string `yaml:"doc_no" json:"doc_no"`
	Title  string `yaml:"title" json:"title"`
	Issuer string `yaml:"issuer" json:"issuer"`
	// Issued is the issue date as far as the text shows it; often only the
	// year in the document number.
	Issued    Date        `yaml:"issued" json:"issued"`
	Published Publication `yaml:"published" json:"published"`
	// EffectiveFrom is when the policy took effect; EffectiveTo is nil when the
	// text states no term of validity, and ValidityNote then says so.
	EffectiveFrom Date     `yaml:"effective_from" json:"effective_from"`
	EffectiveTo   *Date    `yaml:"effective_to" json:"effective_to"`
	ValidityNote  string   `yaml:"validity_note,omitempty" json:"validity_note,omitempty"`
	Clauses       []Clause `yaml:"clauses" json:"-"`
}

// Validity is whether a document applies on a day.
type Validity int

// The validities: not yet in effect, in effect until a stated end, in
// effect with no stated term (it may have been replaced), expired.
const (
	NotYetInForce Validity = iota
	InForce
	NoStatedTerm
	Expired
)

// ValidityOn tells whether the document applies on day t.
func (d *Document) ValidityOn(t time.Time) Validity {
	switch {
	case t.Before(d.EffectiveFrom.First()):
		return NotYetInForce
	case d.EffectiveTo == nil:
		return NoStatedTerm
	case t.After(d.EffectiveTo.Last()):
		return Expired
	}
	return InForce
}

// Publication says where and when the text of a document was published.
type Publication struct {
	Date  Date   `yaml:"date" json:"date"`
	Where string `yaml:"where" json:"where"`
}

// Clause is one article of a document: a numbered item, or a section without
// numbered items. Bulleted —— paragraphs stay inside their item.
type Clause struct {
	DocNo string `yaml:"-" json:"doc_no"`
	// Article is the section number in Chinese numerals and the item number,
	// as contract.md defines it: 十七.1, 二十二.
	Article string `yaml:"article" json:"article"`
	// Part and Section are the headings the clause sits under, as printed
	// without their numbers: 政策支持, 企业帮扶政策.
	Part    string `yaml:"part" json:"part"`
	Section string `yaml:"section" json:"section"`
	Title   string `yaml:"title" json:"title"`
	Text    string `yaml:"text" json:"text"`
	// Lead are the departments that lead (牵头) or are responsible (负责);
	// Cooperating are those that cooperate (配合).
	Lead        []string `yaml:"lead,omitempty" json:"lead"`
	Cooperating []string `yaml:"cooperating,omitempty" json:"cooperating"`
	Tags        []string `yaml:"tags,omitempty" json:"tags"`
	// Applicants are the applicant types the clause concerns; empty for
	// internal government work.
	Applicants []string `yaml:"applicants,omitempty" json:"applicants"`
}

// ApplicantTypes lists who can apply for something, as contract.md names them.
var ApplicantTypes = []string{"enterprise", "industrial_park", "county", "financial_institution", "talent"}

// Tags is the topic vocabulary of clauses.
var Tags = []string{
	"财政奖励", "财政补助", "专项资金", "融资", "税收", "用地", "人才", "用工", "节能环保",
	"招商", "创新", "园区", "两化融合", "信息化", "会展", "政府采购", "总部经济", "项目建设",
	"产业集群", "龙头企业", "中小微企业", "上市", "发展目标", "产业布局", "组织保障",
	"营商环境", "考核奖惩", "技术改造", "稀土", "国资央企", "电子商务",
}
