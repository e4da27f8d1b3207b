package kb

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// testTexts are the texts under testdata that tests parse whole.
var testTexts = []string{
	"ganzhou-2014-26.txt", "second-style.txt",
	"doc-nansha-tech.txt", "doc-nansha-talent.txt", "doc-nansha-hq.txt", "doc-liuhe-industry.txt",
	"synthetic-chapters.txt", "synthetic-restart.txt", "synthetic-nesting.txt",
}

// dropBlanks removes white space, BOMs and zero-width spaces from s and
// keeps every other byte as it is, valid UTF-8 or not.
func dropBlanks(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !isBlank(r) {
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// checkCoverage fails unless the pieces of sk, joined in order, are the
// input with white space removed: no character lost, duplicated or moved.
func checkCoverage(tb testing.TB, input string, sk *Skeleton) {
	tb.Helper()
	var b strings.Builder
	for _, p := range sk.Pieces {
		if p.Text == "" {
			tb.Errorf("line %d: empty %s piece", p.Line, p.Kind)
		}
		b.WriteString(dropBlanks(p.Text))
	}
	got, want := b.String(), dropBlanks(input)
	if got == want {
		return
	}
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	tb.Errorf("the pieces differ from the input after %q: pieces go on %q, the input %q",
		lastRunes(want[:i], 20), firstBytes(got[i:], 40), firstBytes(want[i:], 40))
}

func firstBytes(s string, n int) string { return s[:min(n, len(s))] }

func TestPiecesCoverInput(t *testing.T) {
	for _, name := range testTexts {
		t.Run(name, func(t *testing.T) {
			sk, src := mustParseFile(t, name)
			checkCoverage(t, src, sk)
		})
	}
}

func FuzzParse(f *testing.F) {
	for _, name := range testTexts {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, s := range []string{
		"",
		"\uFEFF",
		head + "(一)甲\n文本。",
		head + "（二十六）甲\r\n导语。\r\n１．文本。〔市财政局负责〕\r\n——要点。",
		head + "一、总则\n(一)甲\n1、文本。市工信委牵头，市财政局等配合。",
		head + "(一)甲\n1.\n〔市财政局牵头〕",
		head + "(一加强领导。各地要抓落实。",
		head + "九十九)甲\n1.2万元。\n某市人民政府\n2020年2月30日",
		"标题\n某府发【2020】1号\n(一)甲\n文本。[各县(市、区)政府,赣州、龙南经开区管委会负责]",
		"第一章 总则\n说明。\n第 1 0 条 文本。\n(一)甲;\n(二)乙。\n结语。\n第10条 又一条。",
		"一、甲\n（一）子\n1.文本。\n二、乙\n（一）子\n文本。\n本办法自2020年1月1日起施行。",
		"第一条\n【奖】\n文本：\n(一)\n1.\n(1)①——\n上一篇：\n2016 © 版权归某所有",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		sk, err := Parse(bytes.NewReader(data))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "kb: parse: line ") {
				t.Fatalf("error %q does not name a line", err)
			}
			return
		}
		checkCoverage(t, string(data), sk)
		_, canon := splitLines(string(data))
		again, err := Parse(strings.NewReader(canon))
		if err != nil {
			t.Fatalf("the canonical text does not parse: %v", err)
		}
		if diff := cmp.Diff(sk, again, cmpopts.IgnoreFields(Piece{}, "Line")); diff != "" {
			t.Errorf("the canonical text parses differently (-input +canonical):\n%s", diff)
		}
		d := sk.Document
		seen := map[string]bool{}
		for _, c := range d.Clauses {
			if a, ok := ParseArticle(c.Article); !ok || a.String() != c.Article {
				t.Errorf("article %q is not in the article grammar", c.Article)
			}
			if seen[c.Article] {
				t.Errorf("article %q is not unique", c.Article)
			}
			seen[c.Article] = true
			if c.Text == "" || c.Text != strings.TrimFunc(c.Text, isBlank) {
				t.Errorf("article %q: text %q is empty or not trimmed", c.Article, c.Text)
			}
			for _, n := range append(c.Lead, c.Cooperating...) {
				if n == "" || strings.ContainsAny(n, "[]〔〕\n") {
					t.Errorf("article %q: department %q", c.Article, n)
				}
			}
			// Every paragraph is cut from one line as printed.
			for _, para := range strings.Split(c.Text, "\n") {
				if !strings.Contains(string(data), para) {
					t.Errorf("article %q: paragraph %q is not a substring of the input", c.Article, para)
				}
			}
		}
		for _, p := range sk.Pieces {
			if p.Kind == PieceClause && !seen[p.Article] {
				t.Errorf("line %d: clause piece of %q, which is no clause", p.Line, p.Article)
			}
		}
	})
}
