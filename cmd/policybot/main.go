// Command policybot serves the policy knowledge base, the eligibility matcher
// and the chat, and offers the knowledge-base tools.
//
//	policybot serve [flags]           run the HTTP service
//	policybot kb ingest [--id ID] [--draft PATH] FILE  print a policy text as a library document's skeleton, and a draft rules.yaml
//	policybot kb build [--kb DIR]     build the search index serve opens
//	policybot kb test                 run the policy test cases
//	policybot match --profile FILE    match a profile and print a table
//	policybot staff add --username U --name N [--role R]  add a console account (password on stdin)
//	policybot audit verify            check the audit log's hash chain
//	policybot integrator add-key --integrator NAME [--algorithm A]  issue an integrator a signing key
//	policybot integrator revoke-key KEYID  revoke an integrator's key
//	policybot integrator list NAME    list an integrator's keys
//	policybot outbox-worker --integrator NAME --platform-url URL  deliver complaint tickets to the platform
//	policybot fake-complaints --key-id ID  serve a fake complaint platform for local use
package main

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(code)
}

const usage = `usage:
  policybot serve [flags]                 run the HTTP service (policybot serve -h for flags)
  policybot kb ingest [--id ID] [--draft PATH] FILE
                                          print a policy text as the YAML skeleton of a library document;
                                          --draft also writes a draft rules.yaml to PATH
  policybot kb build [--kb DIR] [--data-dir D | --index-dir D]
                                          build the library's search index where serve opens it,
                                          unless the one there is of the library as it is
  policybot kb test [--kb DIR] [-v]       run every test case of the library
  policybot match --profile FILE [flags]  match a profile (JSON) and print a table
  policybot staff add --username U --name N [--role supervisor] [--data-dir D | --database-url URL]
                                          add a console account; the password is read from stdin
  policybot staff disable --username U [--data-dir D | --database-url URL]
                                          stop an account signing in and end its sessions
  policybot audit verify [--data-dir D | --database-url URL]
                                          check the audit log's hash chain; names rows edited or deleted
  policybot integrator add-key --integrator NAME [--algorithm hmac-sha256|hmac-sm3] [--master-key-file F]
                                          [--data-dir D | --database-url URL]
                                          issue a signing key to an integrator; prints its id and, once only, its secret
  policybot integrator revoke-key KEYID [--data-dir D | --database-url URL]
                                          revoke a key; every server refuses it within seconds
  policybot integrator list NAME [--data-dir D | --database-url URL]
                                          list an integrator's keys (never their secrets)
  policybot outbox-worker --integrator NAME --platform-url URL [--master-key-file F]
                                          [--data-dir D | --database-url URL] (policybot outbox-worker -h for flags)
                                          deliver the complaint tickets filed to the platform, until SIGTERM
  policybot fake-complaints --key-id ID [--addr A] [--webhook-url URL] (policybot fake-complaints -h for flags)
                                          serve a fake complaint platform; the key's secret in POLICYBOT_FAKE_COMPLAINTS_SECRET
`

// run is the whole program; it returns the exit code so tests can run it.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv envReader) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	getenv, err := secretFiles(getenv)
	if err != nil {
		fmt.Fprintln(stderr, "policybot:", err)
		return 2
	}
	switch {
	case args[0] == "serve":
		err = serve(ctx, args[1:], stdout, stderr, getenv, nil)
	case args[0] == "kb" && len(args) >= 2 && args[1] == "ingest":
		err = kbIngest(args[2:], stdout)
	case args[0] == "kb" && len(args) >= 2 && args[1] == "build":
		err = kbBuild(args[2:], stdout, getenv)
	case args[0] == "kb" && len(args) >= 2 && args[1] == "test":
		err = kbTest(args[2:], stdout)
	case args[0] == "match":
		err = matchCmd(args[1:], stdout)
	case args[0] == "staff" && len(args) >= 2 && args[1] == "add":
		err = staffAdd(ctx, args[2:], stdin, stdout, getenv)
	case args[0] == "staff" && len(args) >= 2 && args[1] == "disable":
		err = staffDisable(ctx, args[2:], stdout, getenv)
	case args[0] == "audit" && len(args) >= 2 && args[1] == "verify":
		err = auditVerify(ctx, args[2:], stdout, getenv)
	case args[0] == "integrator" && len(args) >= 2 && args[1] == "add-key":
		err = integratorAddKey(ctx, args[2:], stdout, getenv)
	case args[0] == "integrator" && len(args) >= 2 && args[1] == "revoke-key":
		err = integratorRevokeKey(ctx, args[2:], stdout, getenv)
	case args[0] == "integrator" && len(args) >= 2 && args[1] == "list":
		err = integratorList(ctx, args[2:], stdout, getenv)
	case args[0] == "outbox-worker":
		err = outboxWorker(ctx, args[1:], stdout, getenv)
	case args[0] == "fake-complaints":
		err = fakeComplaints(ctx, args[1:], stdout, getenv)
	case args[0] == "-h" || args[0] == "--help" || args[0] == "help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprint(stderr, usage)
		return 2
	}
	if err != nil {
		fmt.Fprintln(stderr, "policybot:", err)
		if _, ok := err.(usageError); ok {
			return 2
		}
		return 1
	}
	return 0
}

// usageError is a mistake on the command line.
type usageError struct{ error }

// maskURL hides the password of a URL for logs.
func maskURL(s string) string {
	if s == "" {
		return ""
	}
	u, err := url.Parse(s)
	if err != nil {
		return "***"
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "***")
	}
	// A Sentinel or cluster URL of go-redis carries passwords in its query
	// (&password=…, &sentinel_password=…), as some database URLs do.
	if q := u.Query(); len(q) > 0 {
		masked := false
		for k := range q {
			if strings.Contains(strings.ToLower(k), "password") {
				q.Set(k, "***")
				masked = true
			}
		}
		if masked {
			u.RawQuery = q.Encode()
		}
	}
	return u.String()
}
