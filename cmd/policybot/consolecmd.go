package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"policybot/store"
)

// openCaseStore opens what the console keeps: PostgreSQL when a URL is
// given, else SQLite under dataDir.
func openCaseStore(ctx context.Context, databaseURL, dataDir string) (*store.DB, error) {
	return openStore(ctx, databaseURL, dataDir, store.Options{})
}

// openStore is openCaseStore with options, such as the sealer that the
// complaint tickets need.
func openStore(ctx context.Context, databaseURL, dataDir string, opt store.Options) (*store.DB, error) {
	if databaseURL != "" {
		return store.OpenPostgres(ctx, databaseURL, opt)
	}
	return store.OpenSQLite(ctx, dataDir, opt)
}

// storeFlags are the flags every store subcommand takes, defaulting from
// the environment as serve's do.
func storeFlags(fs *flag.FlagSet, getenv envReader) (databaseURL, dataDir *string) {
	dataDirDefault := defaultDataDir
	if v := getenv("POLICYBOT_DATA_DIR"); v != "" {
		dataDirDefault = v
	}
	databaseURL = fs.String("database-url", getenv("DATABASE_URL"), "PostgreSQL URL (env DATABASE_URL); empty uses SQLite under --data-dir")
	dataDir = fs.String("data-dir", dataDirDefault, "folder of the SQLite database (env POLICYBOT_DATA_DIR)")
	return databaseURL, dataDir
}

// staffAdd creates a staff account. The password is read from stdin (one
// line), never from a flag, so it stays out of the shell's history and the
// process list; there is no default password.
func staffAdd(ctx context.Context, args []string, stdin io.Reader, stdout io.Writer, getenv envReader) error {
	fs := flag.NewFlagSet("staff add", flag.ContinueOnError)
	databaseURL, dataDir := storeFlags(fs, getenv)
	username := fs.String("username", "", "sign-in name")
	name := fs.String("name", "", "name printed on notices")
	role := fs.String("role", "staff", "staff or supervisor")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *username == "" || *name == "" {
		return errors.New("staff add: --username and --name are required; the password is read from stdin")
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("staff add: reading the password: %w", err)
	}
	db, err := openCaseStore(ctx, *databaseURL, *dataDir)
	if err != nil {
		return err
	}
	defer db.Close()
	s, err := db.AddStaff(ctx, store.NewStaff{Username: *username, DisplayName: *name, Role: store.Role(*role),
		Password: strings.TrimRight(line, "\r\n")}, store.Actor{Username: "cli"})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "added %s (%s, %s)\n", s.Username, s.DisplayName, s.Role)
	return nil
}

// staffDisable stops an account from signing in and ends its sessions; the
// account stays, so that cases and the audit log keep naming who did what.
func staffDisable(ctx context.Context, args []string, stdout io.Writer, getenv envReader) error {
	fs := flag.NewFlagSet("staff disable", flag.ContinueOnError)
	databaseURL, dataDir := storeFlags(fs, getenv)
	username := fs.String("username", "", "sign-in name")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *username == "" {
		return errors.New("staff disable: --username is required")
	}
	db, err := openCaseStore(ctx, *databaseURL, *dataDir)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.DisableStaff(ctx, *username, store.Actor{Username: "cli"}); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "disabled %s\n", *username)
	return nil
}

// auditVerify walks the audit chain and names every row edited or deleted;
// it fails when it finds any.
func auditVerify(ctx context.Context, args []string, stdout io.Writer, getenv envReader) error {
	fs := flag.NewFlagSet("audit verify", flag.ContinueOnError)
	databaseURL, dataDir := storeFlags(fs, getenv)
	if err := fs.Parse(args); err != nil {
		return err
	}
	db, err := openCaseStore(ctx, *databaseURL, *dataDir)
	if err != nil {
		return err
	}
	defer db.Close()
	report, err := db.VerifyAudit(ctx)
	if err != nil {
		return err
	}
	for _, p := range report.Problems {
		fmt.Fprintln(stdout, p.String())
	}
	if !report.OK() {
		return fmt.Errorf("audit verify: %d problems in %d rows", len(report.Problems), report.Rows)
	}
	fmt.Fprintf(stdout, "audit log intact: %d rows\n", report.Rows)
	return nil
}

// purgeCases deletes the cases past retention and the expired console
// sessions now and then every day, until ctx ends.
func purgeCases(ctx context.Context, db store.Store, retention time.Duration, log *slog.Logger) {
	for {
		n, err := db.PurgeCases(ctx, retention, store.Actor{Username: "retention"})
		switch {
		case err != nil && ctx.Err() == nil:
			log.Error("case retention", "err", err)
		case n > 0:
			log.Info("case retention", "deleted", n, "retention", retention)
		}
		if _, err := db.PurgeSessions(ctx); err != nil && ctx.Err() == nil {
			log.Error("console sessions purge", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(24 * time.Hour):
		}
	}
}
