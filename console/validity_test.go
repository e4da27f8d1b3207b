package console_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// The seed's caveat that its text states no term: an API answer says it
// once, but staff read each benefit on its own, so the results page says it
// beside every benefit of the seed and the printed notice marks each one.
const seedCaveat = "赣市府发〔2014〕26号文本未规定有效期"

func TestValidityBesideEachBenefit(t *testing.T) {
	s := newSite(t)
	b := s.browser()
	token := b.signIn("wang")
	status, _, h := b.post("/console/cases", url.Values{"csrf": {token}, "enterprise": {"某家具有限公司"}, "credit_code": {"91330100716105852F"}})
	if status != http.StatusSeeOther {
		t.Fatalf("create case: %d", status)
	}
	casePath := h.Get("Location")
	_, page, _ := b.post(casePath+"/words", url.Values{"csrf": {token}, "words": {"我们是南康做家具的,今年营收12个亿,去年9亿,是盈利的,今年还发了3.2亿的公司债"}})
	form := formValues(page)
	form.Set("csrf", token)
	if status, _, _ := b.post(casePath+"/facts", form); status != http.StatusSeeOther {
		t.Fatalf("saving the facts: %d", status)
	}

	_, page, _ = b.get(casePath)
	_, blocks, _ := strings.Cut(page, `<article class="result`)
	seed := 0
	for _, block := range strings.Split(blocks, `<article class="result`) {
		block, _, _ = strings.Cut(block, "</article>")
		if !strings.Contains(block, "依据:</b>赣市府发〔2014〕26号") {
			continue
		}
		seed++
		if n := strings.Count(block, seedCaveat); n != 1 {
			t.Errorf("a benefit of the seed on the results page says its validity %d times, want once:\n%s", n, block)
		}
	}
	if seed < 2 {
		t.Fatalf("the results page shows %d benefits of the seed, want several", seed)
	}

	// The printed notice marks each benefit of the seed and says the
	// caveat once under the tables, after the mark: in full beside every
	// benefit a full profile's notice would not fit on two pages.
	_, notice, _ := b.get(casePath + "/notice")
	rows := 0
	for _, row := range strings.Split(notice, "<tr><td>")[1:] {
		row, _, _ = strings.Cut(row, "</tr>")
		if !strings.Contains(row, "赣市府发〔2014〕26号第") {
			continue
		}
		rows++
		if !strings.Contains(row, `<sup class="mark">※1</sup>`) {
			t.Errorf("a benefit of the seed on the notice has no mark of its validity:\n%s", row)
		}
	}
	if rows < 2 {
		t.Fatalf("the notice lists %d benefits of the seed, want several", rows)
	}
	if n := strings.Count(notice, "※1 "+seedCaveat); n != 1 {
		t.Errorf("the notice says the seed's validity after its mark %d times, want once", n)
	}
}
