package kb

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// articleRE is the article grammar of contract.md: a section numeral from 一
// to 九十九, then optionally a dot and an item number.
var articleRE = regexp.MustCompile(`^(?:[一二三四五六七八九]|十[一二三四五六七八九]?|[二三四五六七八九]十[一二三四五六七八九]?)(?:\.[1-9][0-9]*)?$`)

func FuzzParse(f *testing.F) {
	for _, name := range []string{"ganzhou-2014-26.txt", "second-style.txt"} {
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
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := Parse(bytes.NewReader(data))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "kb: parse: line ") {
				t.Fatalf("error %q does not name a line", err)
			}
			return
		}
		_, canon := splitLines(string(data))
		again, err := Parse(strings.NewReader(canon))
		if err != nil {
			t.Fatalf("the canonical text does not parse: %v", err)
		}
		if diff := cmp.Diff(d, again); diff != "" {
			t.Errorf("the canonical text parses differently (-input +canonical):\n%s", diff)
		}
		seen := map[string]bool{}
		for _, c := range d.Clauses {
			if !articleRE.MatchString(c.Article) {
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
			if !strings.Contains(canon, c.Text) {
				t.Errorf("article %q: text %q is not cut from the input", c.Article, c.Text)
			}
			// A one-paragraph text is cut from one line as printed.
			if !strings.Contains(c.Text, "\n") && !strings.Contains(string(data), c.Text) {
				t.Errorf("article %q: text %q is not a substring of the input", c.Article, c.Text)
			}
		}
		if d.DocNo == "" {
			t.Errorf("no doc_no, and no error")
		}
	})
}
