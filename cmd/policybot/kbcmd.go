package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"golang.org/x/text/width"

	"policybot/kb"
	"policybot/library"
	"policybot/matcher"
)

// loadRules loads the rules of the library built into the binary, or of the
// one in dir.
func loadRules(dir string) (*matcher.Engine, error) {
	lib, err := openLibrary(dir, "")
	if err != nil {
		return nil, err
	}
	return lib.Engine, nil
}

// kbIngest prints a policy text as the YAML skeleton of a new document,
// named by --id or else by the file name, and with --draft writes a draft
// rules.yaml proposing what its clauses grant.
func kbIngest(args []string, stdout io.Writer) error {
	fl := flag.NewFlagSet("kb ingest", flag.ContinueOnError)
	id := fl.String("id", "", "doc_id, the folder name of the document (default: from the file name)")
	draft := fl.String("draft", "", "also write a draft rules.yaml to this path")
	if err := fl.Parse(args); err != nil {
		return usageError{err}
	}
	if fl.NArg() != 1 {
		return usageError{errors.New("usage: policybot kb ingest [--id DOC_ID] [--draft RULES_PATH] FILE")}
	}
	file := fl.Arg(0)
	if *id == "" {
		// The contract's doc_id: lower-case ASCII letters, digits and hyphens.
		base := strings.ToLower(strings.TrimSuffix(filepath.Base(file), filepath.Ext(file)))
		*id = strings.Map(func(r rune) rune {
			if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' {
				return r
			}
			return '-'
		}, base)
	}
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	s, err := kb.Parse(f)
	if err != nil {
		return err
	}
	s.DocID = *id
	if *draft != "" {
		if err := writeDraft(*draft, s); err != nil {
			return err
		}
	}
	return kb.WriteSkeleton(stdout, s)
}

// writeDraft writes the draft rules of s to path.
func writeDraft(path string, s *kb.Skeleton) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := kb.WriteDraft(f, s); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// kbBuild builds the search index of a library folder where serve, given
// the same settings, opens it, unless the one there is whole and of the
// library as it is now.
func kbBuild(args []string, stdout io.Writer, getenv envReader) error {
	fl := flag.NewFlagSet("kb build", flag.ContinueOnError)
	def := func(env, value string) string {
		if v := getenv(env); v != "" {
			return v
		}
		return value
	}
	dir := fl.String("kb", def("POLICYBOT_KB", ""), "policy library folder (env POLICYBOT_KB)")
	dataDir := fl.String("data-dir", def("POLICYBOT_DATA_DIR", defaultDataDir), "data folder; the index goes under index/ in it (env POLICYBOT_DATA_DIR)")
	indexDir := fl.String("index-dir", def("POLICYBOT_INDEX_DIR", ""), "folder of the search indexes, instead of index/ under --data-dir (env POLICYBOT_INDEX_DIR)")
	if err := fl.Parse(args); err != nil {
		return usageError{err}
	}
	if fl.NArg() > 0 {
		return usageError{fmt.Errorf("unexpected argument %q", fl.Arg(0))}
	}
	root := indexRoot(*indexDir, *dir, *dataDir)
	if root == "" {
		return usageError{errors.New("the built-in library's index is built in memory at start; give --kb, or --index-dir to serve it from disk too")}
	}
	fsys, source := kb.Embedded(), "built-in"
	if *dir != "" {
		var err error
		if fsys, err = library.ReadDir(*dir); err != nil {
			return err
		}
		source = *dir
	}
	info, version, err := library.BuildIndex(fsys, source, root)
	switch {
	case err != nil:
		return err
	case !info.Built:
		fmt.Fprintf(stdout, "the index of library %s in %s is up to date\n", version, info.Dir)
	case info.Why != "":
		fmt.Fprintf(stdout, "built the index of library %s in %s in %v; the one there was refused: %s\n", version, info.Dir, info.Took.Round(time.Millisecond), info.Why)
	default:
		fmt.Fprintf(stdout, "built the index of library %s in %s in %v\n", version, info.Dir, info.Took.Round(time.Millisecond))
	}
	return nil
}

// kbTest runs the policy test cases and prints a report grouped by benefit.
func kbTest(args []string, stdout io.Writer) error {
	fl := flag.NewFlagSet("kb test", flag.ContinueOnError)
	dir := fl.String("kb", "", "knowledge-base directory (default: the one built in)")
	verbose := fl.Bool("v", false, "list passing cases too")
	if err := fl.Parse(args); err != nil {
		return usageError{err}
	}
	lib, err := openLibrary(*dir, "")
	if err != nil {
		return err
	}
	defer lib.Close()
	eng := lib.Engine
	results := eng.RunCases()
	failed := printCaseReport(stdout, eng, results, *verbose)
	// A document without rules is said, since it may be one being added
	// whose rules.yaml is still missing; a document may grant nothing.
	for _, d := range lib.Documents() {
		if !slices.ContainsFunc(eng.Benefits(), func(b *matcher.Benefit) bool { return b.DocID == d.DocID }) {
			fmt.Fprintf(stdout, "! %s: no benefits (no rules.yaml, or none in it), so no cases run\n", d.DocID)
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d policy test cases failed", failed, len(results))
	}
	return nil
}

// printCaseReport writes one block per benefit and returns how many failed.
func printCaseReport(w io.Writer, eng *matcher.Engine, results []matcher.CaseResult, verbose bool) int {
	failed := 0
	for _, b := range eng.Benefits() {
		var lines []string
		n, bad := 0, 0
		for _, r := range results {
			if r.Case.Benefit != b.ID {
				continue
			}
			n++
			if len(r.Problems) > 0 {
				bad++
				lines = append(lines, fmt.Sprintf("    ✗ %s: %s (%s)", r.Case.Name, strings.Join(r.Problems, "; "), r.Where()))
			} else if verbose {
				lines = append(lines, fmt.Sprintf("    ✓ %s", r.Case.Name))
			}
		}
		mark := "✓"
		if bad > 0 {
			mark = "✗"
		}
		fmt.Fprintf(w, "%s %s %s %s (%s): %d/%d\n", mark, b.DocID, b.Article, b.Title, b.ID, n-bad, n)
		for _, l := range lines {
			fmt.Fprintln(w, l)
		}
		failed += bad
	}
	fmt.Fprintf(w, "\n%d cases, %d passed, %d failed\n", len(results), len(results)-failed, failed)
	return failed
}

// matchCmd matches a profile file and prints a readable Chinese table.
func matchCmd(args []string, stdout io.Writer) error {
	fl := flag.NewFlagSet("match", flag.ContinueOnError)
	path := fl.String("profile", "", "profile JSON file (- for standard input)")
	asOf := fl.String("as-of", "", "date to judge on, YYYY-MM-DD (default: today)")
	all := fl.Bool("all", false, "also list benefits that do not apply and those no given fact touches")
	dir := fl.String("kb", "", "knowledge-base directory (default: the one built in)")
	if err := fl.Parse(args); err != nil {
		return usageError{err}
	}
	if *path == "" {
		return usageError{errors.New("usage: policybot match --profile FILE [--as-of YYYY-MM-DD] [--all]")}
	}
	var raw []byte
	var err error
	if *path == "-" {
		raw, err = io.ReadAll(os.Stdin)
	} else {
		raw, err = os.ReadFile(*path)
	}
	if err != nil {
		return err
	}
	eng, err := loadRules(*dir)
	if err != nil {
		return err
	}
	p := eng.NewProfile()
	if err := json.Unmarshal(raw, p); err != nil {
		return fmt.Errorf("%s: %w", *path, err)
	}
	opts := matcher.Options{AsOf: matcher.Today(time.Now()), IncludeIneligible: *all, IncludeUntouched: *all}
	if *asOf != "" {
		if opts.AsOf, err = time.Parse(time.DateOnly, *asOf); err != nil {
			return usageError{fmt.Errorf("--as-of %q: want YYYY-MM-DD", *asOf)}
		}
	}
	printMatchTable(stdout, eng, eng.Match(p, opts))
	return nil
}

var statusLabel = map[matcher.Status]string{
	matcher.Eligible: "符合", matcher.Undetermined: "待确认", matcher.Ineligible: "不符合",
}

// printMatchTable writes benefit, status, amount and why, one row per
// result, aligned by display width so that Chinese columns line up.
func printMatchTable(w io.Writer, eng *matcher.Engine, o *matcher.Outcome) {
	rows := [][]string{{"条款", "政策", "结果", "金额", "依据与说明"}}
	for _, r := range o.Results {
		amount, why := "—", ""
		switch r.Status {
		case matcher.Eligible:
			why = r.AmountNote
			if r.Amount != nil {
				amount, why = matcher.FormatYuan(r.Amount.CNY), r.Amount.Basis
			}
		case matcher.Undetermined:
			why = "还需:" + strings.Join(labels(eng.Catalogue(), r.MissingFacts), "、")
		default:
			var failed []string
			for _, reason := range r.Reasons {
				if !strings.HasPrefix(reason, "满足") {
					failed = append(failed, reason)
				}
			}
			why = strings.Join(failed, ";")
		}
		rows = append(rows, []string{r.Article, r.Title, statusLabel[r.Status], amount, why})
	}
	widths := make([]int, len(rows[0])-1)
	for _, row := range rows {
		for i := range widths {
			widths[i] = max(widths[i], displayWidth(row[i]))
		}
	}
	for _, row := range rows {
		var b strings.Builder
		for i, cell := range row {
			b.WriteString(cell)
			if i < len(widths) {
				b.WriteString(strings.Repeat(" ", widths[i]-displayWidth(cell)+2))
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
	fmt.Fprintf(w, "\n判断日期 %s", o.AsOf)
	if o.Question != nil {
		fmt.Fprintf(w, ";下一个问题:%s", o.Question.Text)
	}
	fmt.Fprintln(w)
	if len(o.Results) > 0 {
		for _, c := range o.Results[0].Caveats {
			fmt.Fprintln(w, "提示:"+c)
		}
	}
	for _, v := range o.Validity {
		for _, c := range v.Caveats {
			fmt.Fprintln(w, "提示:"+c)
		}
	}
}

func labels(cat *matcher.Catalogue, keys []string) []string {
	out := make([]string, 0, len(keys))
	for _, k := range keys {
		if f, ok := cat.Lookup(k); ok {
			out = append(out, f.Label)
		}
	}
	return out
}

// displayWidth counts East Asian wide characters as two columns.
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
	}
	return n
}
