package store

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// line returns s trimmed, or an *Error naming field when it is empty, longer
// than max characters, or holds a control character or invalid UTF-8.
func line(field, s string, max int) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", invalid(field, "不能为空")
	}
	return s, checkText(field, s, max, "")
}

// text returns s trimmed, which may be empty and span lines, or an *Error
// naming field when it is longer than max characters or holds a control
// character other than a line break or tab, or invalid UTF-8.
func text(field, s string, max int) (string, error) {
	s = strings.TrimSpace(s)
	return s, checkText(field, s, max, "\n\t")
}

func checkText(field, s string, max int, allowed string) error {
	if !utf8.ValidString(s) {
		return invalid(field, "不是有效的 UTF-8 文本")
	}
	if n := utf8.RuneCountInString(s); n > max {
		return invalid(field, fmt.Sprintf("不能超过%d个字符", max))
	}
	if strings.IndexFunc(s, func(r rune) bool { return unicode.IsControl(r) && !strings.ContainsRune(allowed, r) }) >= 0 {
		return invalid(field, "不能含有控制字符")
	}
	return nil
}
