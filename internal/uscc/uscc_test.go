package uscc

import (
	"errors"
	"strings"
	"testing"
)

// published are codes that enterprises print on their business licences and
// websites, and the example of the standard itself.
var published = []struct{ name, code string }{
	{"GB 32100-2015 附录 example", "91350100M000100Y43"},
	{"深圳市腾讯计算机系统有限公司", "91440300708461136T"},
	{"阿里巴巴(中国)有限公司", "91330100716105852F"},
	{"华为技术有限公司", "914403001922038216"},
	{"小米科技有限责任公司", "91110108551385082Q"},
	{"中国石油天然气股份有限公司", "91110000710925462X"},
	{"百度在线网络技术(北京)有限公司", "91110000802100433B"},
	{"北京京东世纪贸易有限公司", "91110302562134916R"},
}

func TestCheckPublished(t *testing.T) {
	for _, tt := range published {
		t.Run(tt.name, func(t *testing.T) {
			if err := Check(tt.code); err != nil {
				t.Errorf("Check(%q) = %v, want nil", tt.code, err)
			}
		})
	}
}

func TestCheckRefuses(t *testing.T) {
	tests := []struct {
		name, code string
		want       error
	}{
		{"Empty", "", ErrLength},
		{"Short", "91350100M000100Y4", ErrLength},
		{"Long", "91350100M000100Y430", ErrLength},
		{"LowerCase", "91350100m000100y43", ErrChar},
		{"LetterI", "91350100I000100Y43", ErrChar},
		{"LetterO", "91350100M0001O0Y43", ErrChar},
		{"LetterS", "91350100M000100S43", ErrChar},
		{"FullWidthDigit", "９1350100M000100Y43", ErrChar},
		{"LetterInDivision", "9135A100M000100Y43", ErrDivision},
		{"WrongCheck", "91350100M000100Y42", ErrCheck},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := Check(tt.code); !errors.Is(err, tt.want) {
				t.Errorf("Check(%q) = %v, want %v", tt.code, err, tt.want)
			}
		})
	}
}

// TestCheckCatchesTypos checks that every code one typing slip away from a
// published one is refused: any single character replaced by another of the
// alphabet, and any two neighbours swapped. The weights are distinct powers
// of 3 modulo the prime 31, so the check character catches both.
func TestCheckCatchesTypos(t *testing.T) {
	for _, tt := range published {
		t.Run(tt.name, func(t *testing.T) {
			code := []byte(tt.code)
			for i := range code {
				for j := 0; j < len(Alphabet); j++ {
					if Alphabet[j] == tt.code[i] {
						continue
					}
					typo := replaceAt(tt.code, i, Alphabet[j])
					if Check(typo) == nil {
						t.Errorf("Check(%q) = nil, a slip at position %d of %q", typo, i+1, tt.code)
					}
				}
				if i+1 < len(code) && code[i] != code[i+1] {
					swapped := []byte(tt.code)
					swapped[i], swapped[i+1] = swapped[i+1], swapped[i]
					if Check(string(swapped)) == nil {
						t.Errorf("Check(%q) = nil, positions %d and %d of %q swapped", swapped, i+1, i+2, tt.code)
					}
				}
			}
		})
	}
}

func TestCheckPrefix(t *testing.T) {
	tests := []struct {
		prefix string
		want   error
	}{
		{"", nil},
		{"9", nil},
		{"9144", nil},
		{"91440300708461136", nil},
		{"91440300708461136T", nil},
		{"91440300708461136A", nil}, // the check character is not read
		{"914A", ErrDivision},
		{"91i", ErrChar},
		{"91440300708461136TX", ErrLength},
	}
	for _, tt := range tests {
		t.Run(tt.prefix, func(t *testing.T) {
			if err := CheckPrefix(tt.prefix); !errors.Is(err, tt.want) {
				t.Errorf("CheckPrefix(%q) = %v, want %v", tt.prefix, err, tt.want)
			}
		})
	}
}

func TestCheckChar(t *testing.T) {
	for _, tt := range published {
		got, err := CheckChar(tt.code[:Len-1])
		if err != nil || got != tt.code[Len-1] {
			t.Errorf("CheckChar(%q) = %q, %v; want %q", tt.code[:Len-1], got, err, tt.code[Len-1])
		}
	}
	if _, err := CheckChar("9144"); !errors.Is(err, ErrLength) {
		t.Errorf("CheckChar of 4 characters: %v, want ErrLength", err)
	}
	if _, err := CheckChar("91440300708461I36"); !errors.Is(err, ErrChar) {
		t.Errorf("CheckChar with an I: %v, want ErrChar", err)
	}
}

// FuzzCheck checks that Check never panics and that what it accepts is a code
// of the alphabet whose last character is the check character of the rest,
// and which no other last character would make valid.
func FuzzCheck(f *testing.F) {
	for _, tt := range published {
		f.Add(tt.code)
	}
	f.Add("91350100m000100y43")
	f.Add("９1350100M000100Y43")
	f.Fuzz(func(t *testing.T, s string) {
		if Check(s) != nil {
			return
		}
		if len(s) != Len || CheckPrefix(s) != nil || strings.ToUpper(s) != s {
			t.Fatalf("Check(%q) = nil for a malformed code", s)
		}
		c, err := CheckChar(s[:Len-1])
		if err != nil || c != s[Len-1] {
			t.Fatalf("Check(%q) = nil but CheckChar = %q, %v", s, c, err)
		}
		for j := 0; j < len(Alphabet); j++ {
			if Alphabet[j] != c && Check(replaceAt(s, Len-1, Alphabet[j])) == nil {
				t.Fatalf("%q and %q both pass", s, replaceAt(s, Len-1, Alphabet[j]))
			}
		}
	})
}

func replaceAt(s string, i int, c byte) string {
	b := []byte(s)
	b[i] = c
	return string(b)
}
