package kb

import (
	"html"
	"strings"
)

// highlightRunes is the length of a highlighted fragment.
const highlightRunes = 120

// Highlight returns the best fragment of the hit's clause text with the
// matched words in <mark></mark>. It is built when called, not by the
// search: of the searches a chat turn makes, none shows one.
func (h Hit) Highlight() string {
	return highlight(h.Clause.Text, h.asked.matched(), highlightRunes)
}

// highlight returns the stretch of text of about n runes where the terms
// (the word pairs the cjk analyzer matched) are densest, HTML-escaped, with
// each run of matched characters in <mark></mark> and … where it was cut.
func highlight(text string, terms []string, n int) string {
	text = strings.ReplaceAll(text, "\n", "")
	// runeAt maps each byte offset of text to the index of its rune.
	runes := make([]rune, 0, len(text))
	runeAt := make([]int, len(text)+1)
	for i, r := range text {
		runeAt[i] = len(runes)
		runes = append(runes, r)
	}
	runeAt[len(text)] = len(runes)
	marked := make([]bool, len(runes))
	for _, t := range terms {
		for from := 0; ; {
			i := strings.Index(text[from:], t)
			if i < 0 {
				break
			}
			at := from + i
			for k := runeAt[at]; k < runeAt[at+len(t)]; k++ {
				marked[k] = true
			}
			from = at + len(t)
		}
	}
	// The window of n runes with the most marked runes, found by sliding.
	start, best, count := 0, -1, 0
	for i := range runes {
		if marked[i] {
			count++
		}
		if i >= n && marked[i-n] {
			count--
		}
		if i >= n-1 || i == len(runes)-1 {
			if count > best {
				best, start = count, max(0, i-n+1)
			}
		}
	}
	end := min(len(runes), start+n)
	var b strings.Builder
	if start > 0 {
		b.WriteString("…")
	}
	for i := start; i < end; i++ {
		if marked[i] && (i == start || !marked[i-1]) {
			b.WriteString("<mark>")
		}
		switch r := runes[i]; r {
		case '<', '>', '&', '"', '\'':
			b.WriteString(html.EscapeString(string(r)))
		default:
			b.WriteRune(r)
		}
		if marked[i] && (i == end-1 || !marked[i+1]) {
			b.WriteString("</mark>")
		}
	}
	if end < len(runes) {
		b.WriteString("…")
	}
	return b.String()
}
