// Package uscc checks the 统一社会信用代码 (unified social credit code) of
// GB 32100-2015, which every enterprise, institution and social organisation
// in China is registered under.
//
// A code is 18 characters: the registration authority (1), the kind of
// organisation (1), the administrative division (6 digits), the
// organisation's own code (9) and a check character computed from the other
// 17. Check accepts a code whose form and check character are right; it
// cannot tell whether the code was ever issued.
package uscc

import (
	"errors"
	"strings"
	"unicode/utf8"
)

// Len is the length of a code.
const Len = 18

// Alphabet is the code's alphabet in value order: the digits and the capital
// letters without I, O, Z, S and V.
const Alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// weights are those of the first 17 positions: 3^i mod 31.
var weights = [Len - 1]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// The reasons a code is refused, each with a message staff can read.
var (
	ErrLength   = errors.New("统一社会信用代码应为18位")
	ErrChar     = errors.New("统一社会信用代码含有无效字符(只允许数字和除I、O、Z、S、V以外的大写字母)")
	ErrDivision = errors.New("统一社会信用代码第3至8位应为行政区划码数字")
	ErrCheck    = errors.New("统一社会信用代码校验位不正确")
)

// Check returns nil if code is a well-formed code whose last character is
// its check character, or one of the errors above; a code of 18 characters
// some of which are full-width is refused for its characters, not its length. It does not change case:
// callers that accept lower case should upper-case first.
func Check(code string) error {
	if utf8.RuneCountInString(code) != Len {
		return ErrLength
	}
	if err := CheckPrefix(code); err != nil {
		return err
	}
	c, _ := CheckChar(code[:Len-1])
	if code[Len-1] != c {
		return ErrCheck
	}
	return nil
}

// CheckPrefix returns nil if some well-formed code could start with p: at
// most 18 characters of the alphabet, with digits in positions 3 to 8. A
// prefix of all 18 characters is not checked for its check character; use
// Check for that.
func CheckPrefix(p string) error {
	if utf8.RuneCountInString(p) > Len {
		return ErrLength
	}
	for i := 0; i < len(p); i++ {
		v := strings.IndexByte(Alphabet, p[i])
		if v < 0 {
			return ErrChar
		}
		if i >= 2 && i < 8 && v > 9 {
			return ErrDivision
		}
	}
	return nil
}

// CheckChar returns the check character of the first 17 characters of a
// code: (31 - Σ value×weight mod 31) mod 31, as a character of the alphabet.
func CheckChar(first17 string) (byte, error) {
	if len(first17) != Len-1 {
		return 0, ErrLength
	}
	sum := 0
	for i := 0; i < Len-1; i++ {
		v := strings.IndexByte(Alphabet, first17[i])
		if v < 0 {
			return 0, ErrChar
		}
		sum += v * weights[i]
	}
	return Alphabet[(31-sum%31)%31], nil
}
