package kb

import (
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

// TestSpoken checks the grammar of spoken words: parts joined by … may
// stand apart by up to maxGap characters, in order, and a word of letters
// is said only as a whole word.
func TestSpoken(t *testing.T) {
	tests := []struct {
		name, text, word string
		want             bool
	}{
		{"a word with a question word in it", "交的税区里返多少", "交的税", true},
		{"parts with words between", "交的税区里返多少", "税…返", true},
		{"parts next to each other", "个税返还", "税…返", true},
		{"parts four characters apart", "税今年区里返", "税…返", true},
		{"parts five characters apart", "税务局的人说要返", "税…返", false},
		{"parts out of order", "返税", "税…返", false},
		{"three parts", "发了3亿的债券", "发…债…券", true},
		{"a word of letters alone", "公司准备ipo 奖励", "ipo", true},
		{"a word of letters before Chinese", "ipo上市", "ipo", true},
		{"a word of letters inside a longer one", "打taxi去", "tax", false},
		{"letters and digits inside a longer one", "25g网络", "5g", false},
		{"not said", "企业债券融资", "税…返", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := spoken(tt.text, tt.word); got != tt.want {
				t.Errorf("spoken(%q, %q) = %v, want %v", tt.text, tt.word, got, tt.want)
			}
		})
	}
}

// spoken reports whether text says the spoken word w anywhere.
func spoken(text, w string) bool {
	for a := range text {
		if spokenAt(text, a, w) != nil {
			return true
		}
	}
	return false
}

// TestExpandAsSaid checks that the library's spoken words are read in the
// question as it was typed: question words kept, letters of any case,
// parts apart.
func TestExpandAsSaid(t *testing.T) {
	ix := mustIndex(t)
	tests := []struct {
		name, q, doc, want string
	}{
		{"交的税 keeps its 的", "新来南沙的总部企业，交的税有奖吗", "nansha-2017-hq", "纳税总额"},
		{"税…返 with words between", "交的税区里返多少，返几年", "nansha-2017-hq", "经营贡献奖"},
		{"IPO in capitals, a shared word", "柳河企业IPO能奖多少", "", "上市"},
		{"发…债 around a figure", "我们公司今年发了3亿的债", "ganzhou-2014-26", "债券融资"},
		{"个税…返 of the talent document", "个税有返还吗", "nansha-2017-talent", "个人经济贡献"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text := cleanQuery(tt.q).text
			got, own := ix.synonyms.expand(text, ix.spokenEntries(text))
			if tt.doc != "" {
				got = own[tt.doc]
			}
			if !slices.Contains(got, tt.want) {
				t.Errorf("the words of %q for %q are %v, want %s among them", tt.doc, tt.q, got, tt.want)
			}
		})
	}
}

// TestReadSynonymsGap checks that a misplaced … is refused, naming the
// file and entry.
func TestReadSynonymsGap(t *testing.T) {
	tests := []struct{ name, yaml, want string }{
		{"at the start", "- say: [\"…税\"]\n  means: [纳税]\n", "entry 1: say \"…税\""},
		{"at the end", "- say: [交税, \"税…\"]\n  means: [纳税]\n", "entry 1: say \"税…\""},
		{"twice in a row", "- say: [ok]\n  means: [x]\n- say: [\"税……返\"]\n  means: [纳税]\n", "entry 2: say \"税……返\""},
		{"in a document word", "- say: [返税]\n  means: [\"经济…贡献\"]\n", "entry 1: means \"经济…贡献\""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadSynonyms(fstest.MapFS{"synonyms.yaml": {Data: []byte(tt.yaml)}})
			if err == nil || !strings.Contains(err.Error(), "synonyms.yaml: "+tt.want) {
				t.Errorf("error %v, want one with %q", err, tt.want)
			}
		})
	}
}
