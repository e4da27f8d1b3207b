package matcher

import (
	"errors"
	"strings"
)

// creditCodeChars is the alphabet of the 统一社会信用代码 (GB 32100-2015): the
// digits and the capital letters without I, O, Z, S and V, in value order.
const creditCodeChars = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// creditCodeWeights are the weights of the first 17 positions.
var creditCodeWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// CheckCreditCode reports whether s is a well-formed 统一社会信用代码: 18
// characters from the code's alphabet, a six-digit administrative division
// code in positions 3 to 8, and the check character of GB 32100-2015.
func CheckCreditCode(s string) error {
	if len(s) != 18 {
		return errors.New("统一社会信用代码应为18位")
	}
	sum := 0
	for i := 0; i < 18; i++ {
		v := strings.IndexByte(creditCodeChars, s[i])
		if v < 0 {
			return errors.New("统一社会信用代码含有无效字符(只允许数字和除I、O、Z、S、V以外的大写字母)")
		}
		if i >= 2 && i < 8 && v > 9 {
			return errors.New("统一社会信用代码第3至8位应为行政区划码数字")
		}
		if i < 17 {
			sum += v * creditCodeWeights[i]
		}
	}
	check := (31 - sum%31) % 31
	if s[17] != creditCodeChars[check] {
		return errors.New("统一社会信用代码校验位不正确")
	}
	return nil
}
