package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"policybot/complaints"
	"policybot/complaints/sign"
	"policybot/internal/secretbox"
	"policybot/store"
)

// cliActor is who the audit log says made a change from the command line.
var cliActor = store.Actor{Username: "cli"}

// masterKeyFlag adds --master-key-file. The key itself can also come from
// POLICYBOT_MASTER_KEY, but never from a flag, which the process list
// would show.
func masterKeyFlag(fs *flag.FlagSet, getenv envReader) *string {
	return fs.String("master-key-file", getenv("POLICYBOT_MASTER_KEY_FILE"),
		"file of the 32-byte master key that seals integrators' secrets, or its base64 (env POLICYBOT_MASTER_KEY_FILE; or the base64 in POLICYBOT_MASTER_KEY)")
}

// loadMasterKey returns the box of the master key from the file, or else
// from POLICYBOT_MASTER_KEY.
func loadMasterKey(file string, getenv envReader) (*secretbox.Box, error) {
	value := getenv("POLICYBOT_MASTER_KEY")
	switch {
	case file == "" && value == "":
		return nil, errors.New("no master key: give --master-key-file (or POLICYBOT_MASTER_KEY_FILE), or its base64 in POLICYBOT_MASTER_KEY")
	case file != "" && value != "":
		return nil, errors.New("both --master-key-file (or POLICYBOT_MASTER_KEY_FILE) and POLICYBOT_MASTER_KEY are set: set one")
	}
	return secretbox.Load(file, value)
}

// parseWithArg parses args, which hold one positional argument before,
// among or after the flags, and returns it.
func parseWithArg(fs *flag.FlagSet, args []string, what string) (string, error) {
	if err := fs.Parse(args); err != nil {
		return "", err
	}
	if fs.NArg() == 0 {
		return "", fmt.Errorf("%s: give the %s", fs.Name(), what)
	}
	arg := fs.Arg(0)
	if err := fs.Parse(fs.Args()[1:]); err != nil {
		return "", err
	}
	if fs.NArg() > 0 {
		return "", fmt.Errorf("%s: unexpected argument %q", fs.Name(), fs.Arg(0))
	}
	return arg, nil
}

// integratorAddKey issues a signing key to an integrator and prints its id
// and secret, the only time the secret is shown.
func integratorAddKey(ctx context.Context, args []string, stdout io.Writer, getenv envReader) error {
	fs := flag.NewFlagSet("integrator add-key", flag.ContinueOnError)
	databaseURL, dataDir := storeFlags(fs, getenv)
	masterKeyFile := masterKeyFlag(fs, getenv)
	integrator := fs.String("integrator", "", "name of the integrator, such as gz12345")
	algorithm := fs.String("algorithm", string(sign.HMACSHA256), "hmac-sha256 or hmac-sm3")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("integrator add-key: unexpected argument %q", fs.Arg(0))
	}
	if *integrator == "" {
		return errors.New("integrator add-key: --integrator is required")
	}
	alg := sign.Algorithm(*algorithm)
	if err := alg.Valid(); err != nil {
		return fmt.Errorf("integrator add-key: --algorithm: %w", err)
	}
	box, err := loadMasterKey(*masterKeyFile, getenv)
	if err != nil {
		return fmt.Errorf("integrator add-key: %w", err)
	}
	db, err := openCaseStore(ctx, *databaseURL, *dataDir)
	if err != nil {
		return err
	}
	defer db.Close()
	k, secret, err := complaints.NewKeys(db, box, time.Now).Issue(ctx, *integrator, alg, cliActor)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "key id:     %s\nintegrator: %s\nalgorithm:  %s\nsecret:     %s\n", k.KeyID, k.Integrator, k.Algorithm, secret)
	fmt.Fprintln(stdout, "The secret is shown this once: give it to the integrator now, over a safe channel. If it is lost, revoke the key and add another.")
	return nil
}

// integratorRevokeKey revokes a key for good. It needs no master key, so
// that a leaked key can be revoked by whoever can reach the database.
func integratorRevokeKey(ctx context.Context, args []string, stdout io.Writer, getenv envReader) error {
	fs := flag.NewFlagSet("integrator revoke-key", flag.ContinueOnError)
	databaseURL, dataDir := storeFlags(fs, getenv)
	keyID, err := parseWithArg(fs, args, "key id")
	if err != nil {
		return err
	}
	db, err := openCaseStore(ctx, *databaseURL, *dataDir)
	if err != nil {
		return err
	}
	defer db.Close()
	k, err := db.RevokeIntegratorKey(ctx, keyID, cliActor)
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("integrator revoke-key: no key %s", keyID)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "revoked %s of %s; every server refuses it within %v\n", k.KeyID, k.Integrator, complaints.KeyCacheTTL)
	return nil
}

// integratorList prints the keys of an integrator, never their secrets.
func integratorList(ctx context.Context, args []string, stdout io.Writer, getenv envReader) error {
	fs := flag.NewFlagSet("integrator list", flag.ContinueOnError)
	databaseURL, dataDir := storeFlags(fs, getenv)
	integrator, err := parseWithArg(fs, args, "integrator's name")
	if err != nil {
		return err
	}
	db, err := openCaseStore(ctx, *databaseURL, *dataDir)
	if err != nil {
		return err
	}
	defer db.Close()
	keys, err := db.IntegratorKeys(ctx, integrator)
	if err != nil {
		return err
	}
	if len(keys) == 0 {
		fmt.Fprintf(stdout, "no keys for %s\n", integrator)
		return nil
	}
	w := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "KEY ID\tALGORITHM\tCREATED\tSTATUS")
	for _, k := range keys {
		status := "active"
		if !k.RevokedAt.IsZero() {
			status = "revoked " + k.RevokedAt.Format(time.RFC3339)
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", k.KeyID, k.Algorithm, k.CreatedAt.Format(time.RFC3339), status)
	}
	return w.Flush()
}
