package store

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"policybot/internal/uscc"
)

// CaseQuery finds cases by exactly one of Name and CodePrefix.
type CaseQuery struct {
	// Name is any part of the enterprise's name, two characters or more.
	// Full-width and half-width forms, letter case and spaces do not matter.
	Name string
	// CodePrefix is the start of a credit code, one character or more.
	CodePrefix string
	// Limit is the most cases returned: DefaultSearchLimit when zero, at
	// most MaxSearchLimit.
	Limit int
}

// The bounds of CaseQuery.Limit.
const (
	DefaultSearchLimit = 20
	MaxSearchLimit     = 100
)

// CaseSummary is a case as a list of search results shows it.
type CaseSummary struct {
	ID         int64
	Enterprise string
	CreditCode string
	UpdatedBy  string
	UpdatedAt  time.Time
}

// CaseList is the answer to a search: cases by name newest first, cases by
// code in code order.
type CaseList struct {
	Cases []CaseSummary
	// More is true when more cases match than were returned.
	More bool
}

// nameKey returns a name as searched: compatibility forms folded (NFKC,
// which makes full-width letters, digits and brackets half-width), letters
// in lower case, and spaces removed.
func nameKey(name string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return unicode.ToLower(r)
	}, norm.NFKC.String(name))
}

// bigrams returns each two characters in a row of key, without repeats.
func bigrams(key string) []string {
	r := []rune(key)
	var grams []string
	for i := 0; i+1 < len(r); i++ {
		g := string(r[i : i+2])
		if !slices.Contains(grams, g) {
			grams = append(grams, g)
		}
	}
	return grams
}

// SearchCases finds cases.
func (s *DB) SearchCases(ctx context.Context, q CaseQuery) (CaseList, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	limit := q.Limit
	switch {
	case limit == 0:
		limit = DefaultSearchLimit
	case limit < 0 || limit > MaxSearchLimit:
		return CaseList{}, invalid("limit", fmt.Sprintf("应在1至%d之间", MaxSearchLimit))
	}
	name, code := strings.TrimSpace(q.Name), strings.ToUpper(strings.TrimSpace(q.CodePrefix))
	switch {
	case name != "" && code != "":
		return CaseList{}, invalid("query", "请只按企业名称或只按统一社会信用代码查找")
	case code != "":
		if err := uscc.CheckPrefix(code); err != nil {
			return CaseList{}, invalid("credit_code", err.Error())
		}
		return s.searchCode(ctx, code, limit)
	case name != "":
		key := nameKey(name)
		if n := utf8.RuneCountInString(key); n < 2 {
			return CaseList{}, invalid("name", "企业名称至少输入两个字")
		} else if n > maxEnterpriseLen {
			return CaseList{}, invalid("name", fmt.Sprintf("企业名称不能超过%d个字符", maxEnterpriseLen))
		}
		if err := checkText("name", key, maxEnterpriseLen, ""); err != nil {
			return CaseList{}, err
		}
		return s.searchName(ctx, key, limit)
	}
	return CaseList{}, invalid("query", "请输入企业名称的一部分或统一社会信用代码的开头")
}

// searchCode reads the range of the unique index on credit_code that starts
// with prefix. Every character of a code sorts below '~'.
func (s *DB) searchCode(ctx context.Context, prefix string, limit int) (CaseList, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, enterprise, credit_code, updated_by, updated_at FROM cases
		WHERE credit_code >= $1 AND credit_code < $2 ORDER BY credit_code LIMIT $3`,
		prefix, prefix+"~", limit+1)
	return scanSummaries(rows, err, limit)
}

// gramSample is how many of a query's grams are counted to choose the one
// the search walks, and gramCap where counting stops: beyond it a gram is
// common, and walking it ends at the limit soon enough if the query is too.
const (
	gramSample = 4
	gramCap    = 500
)

// searchName walks the index of one gram of key, newest case first, and
// keeps the cases whose name holds key. For a query of two characters that
// gram is the query and every entry read is a result, so the search reads
// limit+1 entries whatever the number of matches. For a longer query it
// walks the rarest of its grams, found by counting a few of them up to
// gramCap, and stops at once when one of them matches no case; a rare gram
// is read whole, a common one in batches.
//
// The gram's entries are read first and their cases looked up by id (see
// dialect.inGram), and the names compared here: given a join, or a LIKE
// '%…%' it cannot estimate, PostgreSQL chose to scan every case (a merge
// join, or a sort), 5 to 30 ms instead of a tenth of one.
func (s *DB) searchName(ctx context.Context, key string, limit int) (CaseList, error) {
	grams := bigrams(key)
	gram, batch := grams[0], limit+1
	if len(grams) > 1 {
		rare, n, err := s.rarestGram(ctx, sample(grams, gramSample))
		if err != nil || n == 0 {
			return CaseList{}, err
		}
		gram, batch = rare, 2*(limit+1)
		if n < gramCap {
			batch = n + 1
		}
	}
	var list CaseList
	before := int64(math.MaxInt64)
	for {
		read, lowest, err := s.gramBatch(ctx, gram, before, batch, key, &list)
		if err != nil {
			return CaseList{}, err
		}
		if len(list.Cases) > limit || read < batch {
			break
		}
		before, batch = lowest, min(4*batch, maxNameBatch)
	}
	if len(list.Cases) > limit {
		list.Cases, list.More = list.Cases[:limit], true
	}
	return list, nil
}

// gramBatch reads the next n cases whose name holds gram, below the id
// before, and adds to list those whose name holds key, highest id first. It
// returns how many cases it read and the lowest id among them.
func (s *DB) gramBatch(ctx context.Context, gram string, before int64, n int, key string, list *CaseList) (read int, lowest int64, err error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, enterprise, credit_code, updated_by, updated_at, name_key
		FROM cases WHERE id `+s.dialect.inGram+` ORDER BY id DESC`, gram, before, n)
	if err != nil {
		return 0, 0, fmt.Errorf("store: search: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var c CaseSummary
		var code sql.NullString
		var name string
		if err := rows.Scan(&c.ID, &c.Enterprise, &code, &c.UpdatedBy, timeCol{&c.UpdatedAt}, &name); err != nil {
			return 0, 0, fmt.Errorf("store: search: %w", err)
		}
		read, lowest = read+1, c.ID
		if strings.Contains(name, key) {
			c.CreditCode = code.String
			list.Cases = append(list.Cases, c)
		}
	}
	if err := rows.Err(); err != nil {
		return 0, 0, fmt.Errorf("store: search: %w", err)
	}
	return read, lowest, nil
}

// A search for more than two characters reads the cases of a common gram in
// batches, from twice the limit, growing fourfold up to maxNameBatch while
// too few of them hold the query.
const maxNameBatch = 2000

// sample returns at most n of grams, spread from the first to the last.
func sample(grams []string, n int) []string {
	if len(grams) <= n {
		return grams
	}
	out := make([]string, n)
	for i := range out {
		out[i] = grams[i*(len(grams)-1)/(n-1)]
	}
	return out
}

// rarestGram returns the gram of grams with the fewest cases and how many
// it has, counting each up to gramCap in one query; n is 0 when one has none.
func (s *DB) rarestGram(ctx context.Context, grams []string) (gram string, n int, err error) {
	var q strings.Builder
	args := make([]any, len(grams))
	for i, g := range grams {
		if i > 0 {
			q.WriteString(" UNION ALL ")
		}
		fmt.Fprintf(&q, "SELECT %d, count(*) FROM (SELECT 1 FROM case_grams WHERE gram = $%d LIMIT %d) t%d", i, i+1, gramCap, i)
		args[i] = g
	}
	rows, err := s.db.QueryContext(ctx, q.String(), args...)
	if err != nil {
		return "", 0, fmt.Errorf("store: search: %w", err)
	}
	defer rows.Close()
	n = gramCap + 1
	for rows.Next() {
		var i, count int
		if err := rows.Scan(&i, &count); err != nil {
			return "", 0, fmt.Errorf("store: search: %w", err)
		}
		if count < n {
			gram, n = grams[i], count
		}
	}
	if err := rows.Err(); err != nil {
		return "", 0, fmt.Errorf("store: search: %w", err)
	}
	return gram, n, nil
}

func scanSummaries(rows *sql.Rows, err error, limit int) (CaseList, error) {
	if err != nil {
		return CaseList{}, fmt.Errorf("store: search: %w", err)
	}
	defer rows.Close()
	var list CaseList
	for rows.Next() {
		var c CaseSummary
		var code sql.NullString
		if err := rows.Scan(&c.ID, &c.Enterprise, &code, &c.UpdatedBy, timeCol{&c.UpdatedAt}); err != nil {
			return CaseList{}, fmt.Errorf("store: search: %w", err)
		}
		c.CreditCode = code.String
		list.Cases = append(list.Cases, c)
	}
	if err := rows.Err(); err != nil {
		return CaseList{}, fmt.Errorf("store: search: %w", err)
	}
	if len(list.Cases) > limit {
		list.Cases, list.More = list.Cases[:limit], true
	}
	return list, nil
}
