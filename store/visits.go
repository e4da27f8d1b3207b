package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"
)

// Match is the outcome of matching a case on a version of the library.
type Match struct {
	Results        json.RawMessage
	LibraryVersion string
}

// Visit is one (re)match of a case, kept so that the console can show what
// changed since the visit before.
type Visit struct {
	ID             int64
	CaseID         int64
	At             time.Time
	Staff          string
	LibraryVersion string
	Results        json.RawMessage
}

// RecordVisit keeps a match of a case.
func (s *DB) RecordVisit(ctx context.Context, id int64, m Match, by Actor) (Visit, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	results, version, err := checkMatch(m)
	if err != nil {
		return Visit{}, err
	}
	if err := checkActor(by); err != nil {
		return Visit{}, err
	}
	now := s.clock()
	var v Visit
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		v, err = s.recordVisit(ctx, tx, id, results, version, by, now)
		return err
	})
	if err != nil {
		return Visit{}, s.caseError("record visit", err)
	}
	return v, nil
}

// checkMatch checks and encodes a match as the database keeps it.
func checkMatch(m Match) (results []byte, version string, err error) {
	if len(m.Results) > maxResultsBytes {
		return nil, "", invalid("results", "too large")
	}
	if results, err = canonicalJSON(m.Results); err != nil {
		return nil, "", invalid("results", "not one JSON value: "+err.Error())
	}
	if version, err = line("library_version", m.LibraryVersion, maxVersionLen); err != nil {
		return nil, "", err
	}
	return results, version, nil
}

// recordVisit keeps a match as the case's results and as a visit, in tx.
func (s *DB) recordVisit(ctx context.Context, tx *sql.Tx, id int64, results []byte, version string, by Actor, now time.Time) (Visit, error) {
	v := Visit{CaseID: id, At: now, Staff: by.Username, LibraryVersion: version, Results: results}
	res, err := tx.ExecContext(ctx, `UPDATE cases SET results = $1, library_version = $2, updated_by = $3, updated_at = $4, version = version + 1 WHERE id = $5`,
		string(results), version, by.Username, s.t(now), id)
	if err != nil {
		return Visit{}, err
	}
	if n, err := res.RowsAffected(); err != nil {
		return Visit{}, err
	} else if n == 0 {
		return Visit{}, ErrNotFound
	}
	if err := tx.QueryRowContext(ctx, `INSERT INTO visits (case_id, staff, library_version, results, at)
		VALUES ($1, $2, $3, $4, $5) RETURNING id`, id, by.Username, version, string(results), s.t(now)).Scan(&v.ID); err != nil {
		return Visit{}, err
	}
	_, err = s.appendAudit(ctx, tx, now, AuditEntry{Actor: by, Action: ActionCaseMatched, Object: CaseObject(id), Detail: "library " + version})
	return v, err
}

// Visits returns the visits of a case, oldest first.
func (s *DB) Visits(ctx context.Context, id int64) ([]Visit, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	rows, err := s.db.QueryContext(ctx, `SELECT id, case_id, at, staff, library_version, results
		FROM visits WHERE case_id = $1 ORDER BY id`, id)
	if err != nil {
		return nil, fmt.Errorf("store: visits: %w", err)
	}
	defer rows.Close()
	var visits []Visit
	for rows.Next() {
		var v Visit
		var results []byte
		if err := rows.Scan(&v.ID, &v.CaseID, timeCol{&v.At}, &v.Staff, &v.LibraryVersion, &results); err != nil {
			return nil, fmt.Errorf("store: visits: %w", err)
		}
		v.Results = results
		visits = append(visits, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: visits: %w", err)
	}
	if visits == nil {
		if _, err := s.Case(ctx, id); err != nil {
			return nil, err
		}
	}
	return visits, nil
}
