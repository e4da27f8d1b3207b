package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Action is what an audit entry records.
type Action string

// The actions. The store records those that change something itself; the
// caller records the others (opened, printed, exported) with AppendAudit.
const (
	ActionSignIn        Action = "sign-in"
	ActionSignInFailed  Action = "sign-in-failed"
	ActionStaffAdded    Action = "staff-added"
	ActionStaffDisabled Action = "staff-disabled"
	ActionCaseCreated   Action = "case-created"
	ActionCaseOpened    Action = "case-opened"
	ActionCaseEdited    Action = "case-edited"
	ActionCaseMatched   Action = "case-matched"
	ActionCaseDeleted   Action = "case-deleted"
	ActionCasesPurged   Action = "cases-purged"
	ActionPrinted       Action = "printed"
	ActionExported      Action = "exported"
)

// AuditEntry is what happened: who (Actor), what (Action), to what (Object,
// such as "case/42"), and any Detail. Details never hold a case's content,
// since the log outlives the case.
type AuditEntry struct {
	Actor
	Action Action
	Object string
	Detail string
}

// AuditRecord is an entry as the log keeps it. Seq counts from 1 with no
// gaps; Hash is SHA-256(PrevHash || the record's canonical content), and
// PrevHash the Hash of record Seq-1 (32 zero bytes for the first).
type AuditRecord struct {
	Seq int64
	At  time.Time
	AuditEntry
	PrevHash []byte
	Hash     []byte
}

var actionRE = regexp.MustCompile(`^[a-z][a-z-]{0,39}$`)

// AppendAudit appends e.
func (s *DB) AppendAudit(ctx context.Context, e AuditEntry) (AuditRecord, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	if !actionRE.MatchString(string(e.Action)) {
		return AuditRecord{}, invalid("action", "an action is a lower-case word with dashes, such as case-opened")
	}
	if err := checkActor(e.Actor); err != nil {
		return AuditRecord{}, err
	}
	for _, f := range []struct {
		name, value string
		max         int
	}{{"username", e.Username, 64}, {"object", e.Object, 200}, {"remote_addr", e.RemoteAddr, 100}} {
		if err := checkText(f.name, f.value, f.max, ""); err != nil {
			return AuditRecord{}, err
		}
	}
	if err := checkText("detail", e.Detail, 2000, "\n\t"); err != nil {
		return AuditRecord{}, err
	}
	var r AuditRecord
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		r, err = s.appendAudit(ctx, tx, s.clock(), e)
		return err
	})
	if err != nil {
		return AuditRecord{}, fmt.Errorf("store: append audit: %w", err)
	}
	return r, nil
}

// appendAudit appends e in tx, after the head, which it locks until tx ends,
// and moves the head to the new row.
func (s *DB) appendAudit(ctx context.Context, tx *sql.Tx, at time.Time, e AuditEntry) (AuditRecord, error) {
	r := AuditRecord{At: at, AuditEntry: e}
	if err := tx.QueryRowContext(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`+s.dialect.forUpdate).
		Scan(&r.Seq, &r.PrevHash); err != nil {
		return AuditRecord{}, fmt.Errorf("audit head: %w", err)
	}
	r.Seq++
	r.Hash = r.chainHash()
	if _, err := tx.ExecContext(ctx, `INSERT INTO audit_log
		(seq, at, username, action, object, remote_addr, detail, prev_hash, hash)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		r.Seq, s.t(r.At), r.Username, string(r.Action), r.Object, r.RemoteAddr, r.Detail, r.PrevHash, r.Hash); err != nil {
		return AuditRecord{}, fmt.Errorf("audit row: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1`, r.Seq, r.Hash); err != nil {
		return AuditRecord{}, fmt.Errorf("audit head: %w", err)
	}
	return r, nil
}

// chainHash returns SHA-256 of PrevHash and the record's canonical content:
// Seq as 8 bytes big-endian, then At (UTC, to the microsecond), username,
// action, object, remote address and detail, each as a 4-byte big-endian
// length and its bytes, so that no two records encode alike.
func (r *AuditRecord) chainHash() []byte {
	h := sha256.New()
	h.Write(r.PrevHash)
	var n [8]byte
	binary.BigEndian.PutUint64(n[:], uint64(r.Seq))
	h.Write(n[:])
	for _, f := range []string{r.At.UTC().Format(timeLayout), r.Username, string(r.Action), r.Object, r.RemoteAddr, r.Detail} {
		binary.BigEndian.PutUint32(n[:4], uint32(len(f)))
		h.Write(n[:4])
		io.WriteString(h, f)
	}
	return h.Sum(nil)
}

const auditColumns = "seq, at, username, action, object, remote_addr, detail, prev_hash, hash"

func scanAudit(row scanner) (AuditRecord, error) {
	var r AuditRecord
	err := row.Scan(&r.Seq, timeCol{&r.At}, &r.Username, &r.Action, &r.Object, &r.RemoteAddr, &r.Detail, &r.PrevHash, &r.Hash)
	return r, err
}

// AuditMonth returns the records of a calendar month.
func (s *DB) AuditMonth(ctx context.Context, month time.Time) ([]AuditRecord, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	y, m, _ := month.Date()
	from := time.Date(y, m, 1, 0, 0, 0, 0, month.Location())
	rows, err := s.db.QueryContext(ctx, `SELECT `+auditColumns+` FROM audit_log
		WHERE at >= $1 AND at < $2 ORDER BY seq`, s.t(from), s.t(from.AddDate(0, 1, 0)))
	if err != nil {
		return nil, fmt.Errorf("store: audit month: %w", err)
	}
	defer rows.Close()
	var recs []AuditRecord
	for rows.Next() {
		r, err := scanAudit(rows)
		if err != nil {
			return nil, fmt.Errorf("store: audit month: %w", err)
		}
		recs = append(recs, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: audit month: %w", err)
	}
	return recs, nil
}

// ProblemKind is a kind of damage VerifyAudit finds.
type ProblemKind string

// The kinds of damage.
const (
	// ProblemEdited is a row whose hash does not match its content: the row
	// was changed and its hash left alone, or its hash changed.
	ProblemEdited ProblemKind = "edited"
	// ProblemDeleted is rows missing from the sequence, at its start, in
	// the middle, or after the last row up to the head.
	ProblemDeleted ProblemKind = "deleted"
	// ProblemUnlinked is a row that matches its own hash but does not follow
	// the row before it (or, for the last row, the head): one of the two was
	// rewritten with a hash computed to match.
	ProblemUnlinked ProblemKind = "unlinked"
	// ProblemAdded is rows after the head: written behind the store's back,
	// or the head was moved back.
	ProblemAdded ProblemKind = "added"
	// ProblemNoHead is a missing head row: deletions at the end of the log
	// can then not be seen.
	ProblemNoHead ProblemKind = "no-head"
)

// AuditProblem is damage to the rows From to To (one row when equal).
type AuditProblem struct {
	Kind     ProblemKind
	From, To int64
}

func (p AuditProblem) String() string {
	rows := fmt.Sprintf("row %d", p.From)
	if p.To != p.From {
		rows = fmt.Sprintf("rows %d to %d", p.From, p.To)
	}
	switch p.Kind {
	case ProblemEdited:
		return rows + ": edited, its hash does not match its content"
	case ProblemDeleted:
		return rows + ": deleted"
	case ProblemUnlinked:
		return rows + ": rewritten, or the row before it (or the head), with a hash recomputed to match"
	case ProblemAdded:
		return rows + ": added after the head, behind the store's back"
	case ProblemNoHead:
		return "the head row is missing: rows deleted at the end cannot be seen"
	}
	return rows + ": " + string(p.Kind)
}

// AuditReport is what VerifyAudit found.
//
// It finds every row edited without its hash being recomputed, every row
// deleted (keeping seq gapless makes a deletion a gap; the head makes the
// last rows' deletion one), and a row rewritten with a recomputed hash,
// which no longer links to the next row or to the head. It cannot find a
// rewrite of every row from some point on with hashes recomputed and the
// head moved to match, nor the last rows deleted together with the head
// moved back, since anyone who can write the database can do what the store
// does. Against that, keep a copy of the head (HeadSeq, HeadHash) or of an
// exported month, whose rows carry their hashes, outside the database: a
// chain that no longer passes through it was rewritten.
type AuditReport struct {
	// Rows is the number of rows read.
	Rows int64
	// HeadSeq and HeadHash are the head: the seq and hash of the last row
	// appended.
	HeadSeq  int64
	HeadHash []byte
	Problems []AuditProblem
}

// OK reports whether the chain is whole.
func (r AuditReport) OK() bool { return len(r.Problems) == 0 }

// VerifyAudit walks the chain in one read-only snapshot, so that appends
// made meanwhile are not mistaken for damage.
func (s *DB) VerifyAudit(ctx context.Context) (AuditReport, error) {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	if err != nil {
		return AuditReport{}, fmt.Errorf("store: verify audit: %w", err)
	}
	defer tx.Rollback()
	var rep AuditReport
	headSeq := int64(-1)
	err = tx.QueryRowContext(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`).Scan(&headSeq, &rep.HeadHash)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		rep.Problems = append(rep.Problems, AuditProblem{Kind: ProblemNoHead})
	case err != nil:
		return AuditReport{}, fmt.Errorf("store: verify audit: %w", err)
	default:
		rep.HeadSeq = headSeq
	}
	rows, err := tx.QueryContext(ctx, `SELECT `+auditColumns+` FROM audit_log ORDER BY seq`)
	if err != nil {
		return AuditReport{}, fmt.Errorf("store: verify audit: %w", err)
	}
	defer rows.Close()
	problem := func(k ProblemKind, from, to int64) {
		rep.Problems = append(rep.Problems, AuditProblem{Kind: k, From: from, To: to})
	}
	// last is the row before, at first seq 0 with the genesis hash. A row
	// whose hash is wrong may have had its hash changed, so the row after it
	// is not compared with it: the damage is reported once.
	var last AuditRecord
	last.Hash = make([]byte, sha256.Size)
	lastEdited, lastFlagged := false, false
	for rows.Next() {
		r, err := scanAudit(rows)
		if err != nil {
			return AuditReport{}, fmt.Errorf("store: verify audit: %w", err)
		}
		rep.Rows++
		if r.Seq > last.Seq+1 {
			problem(ProblemDeleted, last.Seq+1, r.Seq-1)
		}
		edited := !bytes.Equal(r.chainHash(), r.Hash)
		unlinked := !edited && !lastEdited && r.Seq == last.Seq+1 && !bytes.Equal(r.PrevHash, last.Hash)
		switch {
		case edited:
			problem(ProblemEdited, r.Seq, r.Seq)
		case unlinked:
			problem(ProblemUnlinked, r.Seq, r.Seq)
		}
		last, lastEdited, lastFlagged = r, edited, edited || unlinked
	}
	if err := rows.Err(); err != nil {
		return AuditReport{}, fmt.Errorf("store: verify audit: %w", err)
	}
	switch {
	case headSeq < 0:
	case headSeq > last.Seq:
		problem(ProblemDeleted, last.Seq+1, headSeq)
	case headSeq < last.Seq:
		problem(ProblemAdded, headSeq+1, last.Seq)
	case last.Seq > 0 && !lastFlagged && !bytes.Equal(rep.HeadHash, last.Hash):
		problem(ProblemUnlinked, last.Seq, last.Seq)
	}
	return rep, nil
}

// WriteAuditCSV writes records as CSV for a spreadsheet: a UTF-8 byte-order
// mark (without which Excel reads Chinese as mojibake), a header row, and
// one row per record with its time in loc and its hashes in hex. A text cell
// that a spreadsheet would run as a formula (=, +, -, @) is prefixed with
// an apostrophe.
func WriteAuditCSV(w io.Writer, records []AuditRecord, loc *time.Location) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.Write([]string{"序号", "时间", "工作人员", "操作", "对象", "来源地址", "详情", "前一哈希", "哈希"})
	for _, r := range records {
		cw.Write([]string{
			strconv.FormatInt(r.Seq, 10), r.At.In(loc).Format(time.RFC3339), cell(r.Username), string(r.Action),
			cell(r.Object), cell(r.RemoteAddr), cell(r.Detail), hex.EncodeToString(r.PrevHash), hex.EncodeToString(r.Hash),
		})
	}
	cw.Flush()
	return cw.Error()
}

// cell defuses text that a spreadsheet would take for a formula.
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
