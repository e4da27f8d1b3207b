package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"policybot/internal/uscc"
)

// CaseInput is what staff enter for a case. CreditCode may be empty when the
// applicant does not know it (or is a person); upper or lower case is taken.
type CaseInput struct {
	Enterprise string
	CreditCode string
	Facts      Facts
	Notes      string
	// Match, given to UpdateCase, is recorded as a visit in the same
	// transaction as the facts it was matched on.
	Match *Match
	// IfVersion, given to UpdateCase, refuses the update with a conflict on
	// version unless the case is still at that version (two counters
	// editing one case); 0 updates whatever the version.
	IfVersion int64
}

// Case is the record of an enterprise's consultations. Results and
// LibraryVersion are those of its last visit; nil and empty before the first.
type Case struct {
	ID             int64
	Enterprise     string
	CreditCode     string
	Facts          Facts
	Results        json.RawMessage
	LibraryVersion string
	Notes          string
	CreatedBy      string
	UpdatedBy      string
	CreatedAt      time.Time
	UpdatedAt      time.Time
	// Version counts the case's changes: each update and visit adds one.
	Version int64
}

// Bounds on what a case holds, so that one form cannot fill the disk.
const (
	maxEnterpriseLen = 100
	maxNotesLen      = 2000
	maxFacts         = 2000
	maxSentenceLen   = 500
	maxValueBytes    = 4 << 10
	maxResultsBytes  = 8 << 20
	maxVersionLen    = 100
)

// caseRow is a CaseInput checked and encoded as the database keeps it.
type caseRow struct {
	enterprise string
	nameKey    string
	creditCode sql.NullString
	facts      []byte
	notes      string
}

func checkCase(in CaseInput) (caseRow, error) {
	var r caseRow
	var err error
	if r.enterprise, err = line("enterprise", in.Enterprise, maxEnterpriseLen); err != nil {
		return r, err
	}
	r.nameKey = nameKey(r.enterprise)
	if code := strings.ToUpper(strings.TrimSpace(in.CreditCode)); code != "" {
		if err := uscc.Check(code); err != nil {
			return r, invalid("credit_code", err.Error())
		}
		r.creditCode = sql.NullString{String: code, Valid: true}
	}
	if r.facts, err = checkFacts(in.Facts); err != nil {
		return r, err
	}
	if r.notes, err = text("notes", in.Notes, maxNotesLen); err != nil {
		return r, err
	}
	return r, nil
}

// caseError turns a constraint a case write broke into the field at fault.
func (s *DB) caseError(what string, err error) error {
	var se *Error
	if errors.As(err, &se) {
		return se
	}
	switch s.dialect.violated(err) {
	case uniqueViolation:
		return conflict("credit_code", "该统一社会信用代码已有案件,请打开原案件")
	case foreignKeyViolation:
		return invalid("actor", "不是已登记的工作人员")
	}
	if errors.Is(err, ErrNotFound) {
		return ErrNotFound
	}
	return fmt.Errorf("store: %s: %w", what, err)
}

// CreateCase opens a case.
func (s *DB) CreateCase(ctx context.Context, in CaseInput, by Actor) (Case, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	r, err := checkCase(in)
	if err != nil {
		return Case{}, err
	}
	if err := checkActor(by); err != nil {
		return Case{}, err
	}
	now := s.clock()
	var id int64
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		ids, err := s.insertCases(ctx, tx, []caseRow{r}, by, now)
		if err != nil {
			return err
		}
		id = ids[0]
		_, err = s.appendAudit(ctx, tx, now, AuditEntry{Actor: by, Action: ActionCaseCreated, Object: CaseObject(id)})
		return err
	})
	if err != nil {
		return Case{}, s.caseError("create case", err)
	}
	return s.Case(ctx, id)
}

// gramBatch is how many name grams one INSERT writes.
const gramBatch = 500

// insertCases inserts rows and their name grams, returning their ids.
func (s *DB) insertCases(ctx context.Context, tx *sql.Tx, rows []caseRow, by Actor, now time.Time) ([]int64, error) {
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO cases
		(enterprise, name_key, credit_code, facts, notes, created_by, updated_by, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $6, $7, $7) RETURNING id`)
	if err != nil {
		return nil, err
	}
	defer stmt.Close()
	ids := make([]int64, len(rows))
	var grams []any
	for i, r := range rows {
		if err := stmt.QueryRowContext(ctx, r.enterprise, r.nameKey, r.creditCode, string(r.facts), r.notes,
			by.Username, s.t(now)).Scan(&ids[i]); err != nil {
			return nil, err
		}
		for _, g := range bigrams(r.nameKey) {
			grams = append(grams, g, ids[i])
		}
	}
	return ids, s.insertGrams(ctx, tx, grams)
}

// insertGrams inserts (gram, case id) pairs, flattened, many to a statement.
func (s *DB) insertGrams(ctx context.Context, tx *sql.Tx, pairs []any) error {
	for len(pairs) > 0 {
		n := min(len(pairs)/2, gramBatch)
		var q strings.Builder
		q.WriteString("INSERT INTO case_grams (gram, case_id) VALUES ")
		for i := range n {
			if i > 0 {
				q.WriteByte(',')
			}
			fmt.Fprintf(&q, "(%s, %s)", s.dialect.param(2*i+1), s.dialect.param(2*i+2))
		}
		if _, err := tx.ExecContext(ctx, q.String(), pairs[:2*n]...); err != nil {
			return err
		}
		pairs = pairs[2*n:]
	}
	return nil
}

const caseColumns = "id, enterprise, credit_code, facts, results, library_version, notes, created_by, updated_by, created_at, updated_at, version"

func scanCase(row scanner) (Case, error) {
	var c Case
	var code sql.NullString
	var facts, results []byte
	if err := row.Scan(&c.ID, &c.Enterprise, &code, &facts, &results, &c.LibraryVersion, &c.Notes,
		&c.CreatedBy, &c.UpdatedBy, timeCol{&c.CreatedAt}, timeCol{&c.UpdatedAt}, &c.Version); err != nil {
		return Case{}, err
	}
	c.CreditCode = code.String
	c.Results = results
	if err := json.Unmarshal(facts, &c.Facts); err != nil {
		return Case{}, fmt.Errorf("case %d: facts: %w", c.ID, err)
	}
	return c, nil
}

// Case returns the case of id.
func (s *DB) Case(ctx context.Context, id int64) (Case, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	c, err := scanCase(s.db.QueryRowContext(ctx, `SELECT `+caseColumns+` FROM cases WHERE id = $1`, id))
	if err != nil {
		return Case{}, errNoRows("case", err)
	}
	return c, nil
}

// UpdateCase replaces a case's input. The audit row names the fields that
// changed, never their values: the log outlives the case.
func (s *DB) UpdateCase(ctx context.Context, id int64, in CaseInput, by Actor) (Case, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	r, err := checkCase(in)
	if err != nil {
		return Case{}, err
	}
	if err := checkActor(by); err != nil {
		return Case{}, err
	}
	now := s.clock()
	var results []byte
	var version string
	if in.Match != nil {
		if results, version, err = checkMatch(*in.Match); err != nil {
			return Case{}, err
		}
	}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		var old caseRow
		var at int64 // the version the case is at
		err := tx.QueryRowContext(ctx, `SELECT enterprise, name_key, credit_code, facts, notes, version FROM cases WHERE id = $1`+s.dialect.forUpdate, id).
			Scan(&old.enterprise, &old.nameKey, &old.creditCode, &old.facts, &old.notes, &at)
		if err != nil {
			return errNoRows("case", err)
		}
		if in.IfVersion != 0 && at != in.IfVersion {
			return conflict("version", "本案件在您打开后已被他人修改,请刷新页面后重新填写")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE cases SET enterprise = $1, name_key = $2, credit_code = $3,
			facts = $4, notes = $5, updated_by = $6, updated_at = $7, version = version + 1 WHERE id = $8`,
			r.enterprise, r.nameKey, r.creditCode, string(r.facts), r.notes, by.Username, s.t(now), id); err != nil {
			return err
		}
		if r.nameKey != old.nameKey {
			if _, err := tx.ExecContext(ctx, `DELETE FROM case_grams WHERE case_id = $1`, id); err != nil {
				return err
			}
			var grams []any
			for _, g := range bigrams(r.nameKey) {
				grams = append(grams, g, id)
			}
			if err := s.insertGrams(ctx, tx, grams); err != nil {
				return err
			}
		}
		if _, err = s.appendAudit(ctx, tx, now, AuditEntry{Actor: by, Action: ActionCaseEdited, Object: CaseObject(id), Detail: changed(old, r)}); err != nil {
			return err
		}
		if in.Match != nil {
			_, err = s.recordVisit(ctx, tx, id, results, version, by, now)
		}
		return err
	})
	if err != nil {
		return Case{}, s.caseError("update case", err)
	}
	return s.Case(ctx, id)
}

// changed names the fields that differ between a and b.
func changed(a, b caseRow) string {
	var names []string
	if a.enterprise != b.enterprise {
		names = append(names, "enterprise")
	}
	if a.creditCode != b.creditCode {
		names = append(names, "credit_code")
	}
	if !bytes.Equal(a.facts, b.facts) {
		names = append(names, "facts")
	}
	if a.notes != b.notes {
		names = append(names, "notes")
	}
	if names == nil {
		return "no change"
	}
	return "changed " + strings.Join(names, ", ")
}

// DeleteCase deletes a case; its visits and name grams go with it (ON
// DELETE CASCADE). The audit row keeps only the id.
func (s *DB) DeleteCase(ctx context.Context, id int64, by Actor) error {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	if err := checkActor(by); err != nil {
		return err
	}
	now := s.clock()
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM cases WHERE id = $1`, id)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return ErrNotFound
		}
		_, err = s.appendAudit(ctx, tx, now, AuditEntry{Actor: by, Action: ActionCaseDeleted, Object: CaseObject(id)})
		return err
	})
	if err != nil {
		return s.caseError("delete case", err)
	}
	return s.eraseDeleted(ctx)
}

// PurgeCases deletes the cases last updated before now-retention. A purge
// that deletes nothing leaves no audit row.
func (s *DB) PurgeCases(ctx context.Context, retention time.Duration, by Actor) (int64, error) {
	if retention <= 0 {
		return 0, invalid("retention", "retention must be positive")
	}
	if err := checkActor(by); err != nil {
		return 0, err
	}
	now := s.clock()
	cutoff := now.Add(-retention)
	var n int64
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM cases WHERE updated_at < $1`, s.t(cutoff))
		if err != nil {
			return err
		}
		if n, err = res.RowsAffected(); err != nil || n == 0 {
			return err
		}
		_, err = s.appendAudit(ctx, tx, now, AuditEntry{Actor: by, Action: ActionCasesPurged,
			Detail: fmt.Sprintf("%d cases not updated since %s", n, cutoff.Format(time.RFC3339))})
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("store: purge cases: %w", err)
	}
	if n > 0 {
		return n, s.eraseDeleted(ctx)
	}
	return n, nil
}

// CaseObject is how the audit log names a case.
func CaseObject(id int64) string {
	return "case/" + strconv.FormatInt(id, 10)
}
