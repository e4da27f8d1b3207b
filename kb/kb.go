// Package kb holds the policy knowledge base: documents, their clauses, the
// parser that turns a policy text into clauses, and the clause search index.
package kb

import (
	"time"

	"policybot/kb/gazetteer"
)

// Document is one policy document with its clauses.
type Document struct {
	// DocID is the document's folder name: its stable key in the library.
	DocID string `yaml:"-" json:"doc_id"`
	// DocNo is the issuing number as printed, or "" where the text has none.
	DocNo  string `yaml:"doc_no" json:"doc_no"`
	Title  string `yaml:"title" json:"title"`
	Issuer string `yaml:"issuer" json:"issuer"`
	// Jurisdiction is the area the document applies to: a division of the
	// gazetteer (赣州市, 广州市南沙区), or 全国 for a national one.
	Jurisdiction string `yaml:"jurisdiction" json:"jurisdiction"`
	// Area is the division Jurisdiction names, set by the loader.
	Area *gazetteer.Division `yaml:"-" json:"-"`
	// Repeals lists the doc_ids of documents this one repeals: they are out
	// of force from the day this one takes effect.
	Repeals []string `yaml:"repeals,omitempty" json:"repeals,omitempty"`
	// Issued is the issue date as far as the text shows it; often only the
	// year in the document number.
	Issued    Date        `yaml:"issued" json:"issued"`
	Published Publication `yaml:"published" json:"published"`
	// EffectiveFrom is when the policy took effect, unset when the text does
	// not say; EffectiveTo is nil when the text states no term of validity,
	// and ValidityNote then says so.
	EffectiveFrom Date     `yaml:"effective_from" json:"effective_from"`
	EffectiveTo   *Date    `yaml:"effective_to" json:"effective_to"`
	ValidityNote  string   `yaml:"validity_note,omitempty" json:"validity_note,omitempty"`
	Clauses       []Clause `yaml:"clauses" json:"-"`

	// RepealedBy is the doc_id of a later document of the library that
	// repeals this one, and RepealedFrom the day that one takes effect; the
	// loader sets both from the other document's repeals.
	RepealedBy   string `yaml:"-" json:"repealed_by,omitempty"`
	RepealedFrom *Date  `yaml:"-" json:"repealed_from,omitempty"`
}

// Validity is whether a document applies on a day.
type Validity int

// The validities: not yet in effect, in effect until a stated end, in
// effect with no stated term (it may have been replaced), expired, and
// repealed by a later document of the library.
const (
	NotYetInForce Validity = iota
	InForce
	NoStatedTerm
	Expired
	Repealed
)

// ValidityOn tells whether the document applies on day t. A document whose
// start the text does not state is taken as in force from any day, with no
// stated term, until an officer records its dates.
func (d *Document) ValidityOn(t time.Time) Validity {
	switch {
	case !d.EffectiveFrom.IsZero() && t.Before(d.EffectiveFrom.First()):
		return NotYetInForce
	case d.RepealedFrom != nil && !t.Before(d.RepealedFrom.First()):
		return Repealed
	case d.EffectiveTo == nil:
		return NoStatedTerm
	case t.After(d.EffectiveTo.Last()):
		return Expired
	}
	return InForce
}

// Cite names the document the way a reply does: its issuing number, or its
// title where it has none.
func (d *Document) Cite() string { return CiteDocument(d.DocNo, d.Title) }

// CiteDocument names a document by its issuing number, or by its title in
// 《》 where it has none.
func CiteDocument(docNo, title string) string {
	if docNo != "" {
		return docNo
	}
	return "《" + title + "》"
}

// Publication says where and when the text of a document was published.
type Publication struct {
	Date  Date   `yaml:"date" json:"date"`
	Where string `yaml:"where" json:"where"`
}

// Clause is one article of a document: a numbered item, or a section without
// numbered items. Bulleted —— paragraphs stay inside their item.
type Clause struct {
	DocID    string `yaml:"-" json:"doc_id"`
	DocNo    string `yaml:"-" json:"doc_no"`
	DocTitle string `yaml:"-" json:"doc_title"`
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
