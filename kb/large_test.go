package kb

import (
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"policybot/kb/gazetteer"
)

var (
	largeOut     = flag.String("large-out", "", "also write the library of TestWriteLarge into this folder, for `serve --kb`")
	largeClauses = flag.Int("large-clauses", 2000, "clauses of TestWriteLarge's library, the built-in ones included")
)

// largePerDocument is how many clauses each generated document has: a long
// real policy document's worth.
const largePerDocument = 200

// TestWriteLarge writes the built-in library plus generated documents of
// the synthetic clauses of BenchmarkSearch100k, -large-clauses in all, and
// checks that it loads with that many clauses. With -large-out and
// -large-clauses 100000 it writes the library BENCHMARKS.md starts serve on.
func TestWriteLarge(t *testing.T) {
	dir := *largeOut
	if dir == "" {
		dir = t.TempDir()
	}
	if err := writeLarge(dir, *largeClauses); err != nil {
		t.Fatal(err)
	}
	fsys := os.DirFS(dir)
	b, err := Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, d := range b.Documents() {
		n += len(d.Clauses)
	}
	if n != *largeClauses {
		t.Errorf("the library has %d clauses, want %d", n, *largeClauses)
	}
	nankang, _, err := b.Gazetteer().Resolve("南康区")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range b.Documents() {
		if strings.HasPrefix(d.DocID, "large-") && nankang.Within(d.Area) != gazetteer.No {
			t.Errorf("%s applies in 南康区, where the seed's questions are asked", d.DocID)
		}
	}
}

// writeLarge writes into dir the built-in library and as many documents
// large-0001… of largePerDocument synthetic clauses as make n clauses in
// all. Their areas are counties outside 赣州市, so that a question asked in
// 南康区 meets the seed alone; their texts are their source.txt.
func writeLarge(dir string, n int) error {
	seed := Embedded()
	if err := fs.WalkDir(seed, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		raw, err := fs.ReadFile(seed, p)
		if err != nil {
			return err
		}
		out := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
			return err
		}
		return os.WriteFile(out, raw, 0o644)
	}); err != nil {
		return err
	}
	base, err := Load(seed)
	if err != nil {
		return err
	}
	have := 0
	for _, d := range base.Documents() {
		have += len(d.Clauses)
	}
	if n < have {
		return fmt.Errorf("the built-in library alone has %d clauses, more than %d", have, n)
	}
	g := base.Gazetteer()
	ganzhou, _, err := g.Resolve("赣州市")
	if err != nil {
		return err
	}
	var areas []*gazetteer.Division
	for _, c := range g.List(nil, gazetteer.County) {
		// The name written must lead back to the county alone.
		if got, _, err := g.Resolve(c.FullName); err == nil && got == c && c.Within(ganzhou) == gazetteer.No {
			areas = append(areas, c)
		}
	}
	clauses := syntheticDocument(base, n-have).Clauses
	for i := 0; len(clauses) > 0; i++ {
		k := min(len(clauses), largePerDocument)
		if err := writeLargeDocument(filepath.Join(dir, fmt.Sprintf("large-%04d", i+1)), i, areas[i*7%len(areas)], clauses[:k]); err != nil {
			return err
		}
		clauses = clauses[k:]
	}
	return nil
}

// largeDocument is the document.yaml of a generated document.
type largeDocument struct {
	DocNo        string        `yaml:"doc_no"`
	Title        string        `yaml:"title"`
	Issuer       string        `yaml:"issuer"`
	Jurisdiction string        `yaml:"jurisdiction"`
	ValidityNote string        `yaml:"validity_note"`
	Clauses      []largeClause `yaml:"clauses"`
}

type largeClause struct {
	Article string   `yaml:"article"`
	Part    string   `yaml:"part"`
	Section string   `yaml:"section"`
	Title   string   `yaml:"title"`
	Text    string   `yaml:"text"`
	Tags    []string `yaml:"tags"`
}

// writeLargeDocument writes document i of the clauses cs, renumbered in
// sections of 20 items, into dir.
func writeLargeDocument(dir string, i int, area *gazetteer.Division, cs []Clause) error {
	d := largeDocument{
		DocNo:        fmt.Sprintf("合成发〔2026〕%d号", i+1),
		Title:        fmt.Sprintf("合成政策文件第%d号", i+1),
		Issuer:       area.FullName + "人民政府",
		Jurisdiction: area.FullName,
		ValidityNote: "合成文件,未写明有效期。",
	}
	var src strings.Builder
	src.WriteString(d.Title + "\n" + d.DocNo + "\n")
	for j, c := range cs {
		d.Clauses = append(d.Clauses, largeClause{
			Article: fmt.Sprintf("%s.%d", ChineseNumeral(j/20+1), j%20+1),
			Part:    "合成", Section: c.Section, Title: c.Title, Text: c.Text,
			Tags: []string{"财政奖励"},
		})
		src.WriteString(c.Text + "\n")
	}
	raw, err := yaml.Marshal(d)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "document.yaml"), raw, 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "source.txt"), []byte(src.String()), 0o644)
}
