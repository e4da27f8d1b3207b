package matcher

import (
	"slices"
)

// askedWeight is added to the weight of a benefit asked about by name: more
// than any sum (a weight is 1 per 万元), so its facts are asked first.
const askedWeight = 1e6

// nextQuestion picks, among the undetermined results in play, the one
// unknown fact whose answer settles the most benefit. Each result spreads its
// weight (1, plus 1 per 万元 it may be worth) evenly over its missing facts,
// so a fact that alone decides a large award wins over one of several that
// a small measure still needs; an enum fact weighs what its best answer
// would win. Ties go to a fact of substance before a
// general one (where the applicant is, its industry), then to the fact the weightiest result
// needs first, in the order its clause states its conditions, then to the
// fact earlier in the schema, so the same profile always gets the same
// question.
func nextQuestion(cat *Catalogue, results []Result, skip []string) *Question {
	facts := cat.facts
	// The facts asked about are the few missing from results in play, so
	// they are kept in a short list rather than in arrays over the whole
	// catalogue. first is where a fact first comes: the result's place
	// among those in play (heaviest first) and the fact's place among its
	// missing facts.
	type place struct{ result, fact int }
	type candidate struct {
		fact    int
		score   float64
		settles []string
		first   place
		// exclusive is set when a result wants only some options of the
		// enum fact: then the fact weighs what its best answer would win.
		exclusive bool
	}
	var cands []candidate
	n := 0
	for _, r := range results {
		weight, ok := askWeight(r)
		if !ok {
			continue
		}
		var buf [8]int
		open := openFacts(cat, r, skip, buf[:0])
		for k, i := range open {
			j := slices.IndexFunc(cands, func(c candidate) bool { return c.fact == i })
			if j < 0 {
				j = len(cands)
				cands = append(cands, candidate{fact: i, first: place{n, k}})
			}
			cands[j].score += weight / float64(len(open))
			cands[j].settles = append(cands[j].settles, r.BenefitID)
			if facts[i].Kind == KindEnum && r.benefit.wants(i) != nil {
				cands[j].exclusive = true
			}
		}
		n++
	}
	// 首次被评为世界企业500强 or 1000强: one answer wins one option's
	// benefits, so an enum fact weighs what its best answer would win,
	// never the sum of benefits that exclude each other.
	for ci := range cands {
		if cands[ci].exclusive {
			cands[ci].score = bestAnswer(cat, results, cands[ci].fact, skip)
		}
	}
	// In schema order, as ties of score within epsilon are settled in
	// turn.
	slices.SortFunc(cands, func(a, b candidate) int { return a.fact - b.fact })
	const epsilon = 1e-9
	best := -1
	for ci, c := range cands {
		if c.score <= 0 {
			continue
		}
		switch {
		case best < 0 || c.score > cands[best].score+epsilon:
			best = ci
		case c.score < cands[best].score-epsilon:
		case facts[c.fact].General != facts[cands[best].fact].General:
			// What describes the applicant in general comes last: the
			// substance of the measure first.
			if !facts[c.fact].General {
				best = ci
			}
		case c.first.result < cands[best].first.result ||
			c.first.result == cands[best].first.result && c.first.fact < cands[best].first.fact:
			best = ci
		}
	}
	if best < 0 {
		return nil
	}
	return QuestionFor(&facts[cands[best].fact], cands[best].settles)
}

// askWeight returns the weight a result lends the next question, and
// whether it lends any: a result in play its own; an eligible one whose sum
// waits on a fact (骨干人才奖励, awaiting 个人经济贡献) as much as a result of
// unknown size.
func askWeight(r Result) (float64, bool) {
	switch {
	case r.InPlay:
		return r.weight, true
	case r.Status == Eligible && len(r.sumAwaits) > 0:
		return 1, true
	}
	return 0, false
}

// openFacts appends to open the catalogue indexes of the facts a result
// waits on that may be asked: those of its conditions, then those its sum
// waits on (骨干人才奖 for an employer not yet known to be a 总部 waits on
// 个人经济贡献 too), each once.
func openFacts(cat *Catalogue, r Result, skip []string, open []int) []int {
	for _, keys := range [2][]string{r.MissingFacts, r.sumAwaits} {
		for _, key := range keys {
			i := cat.index[key]
			if cat.facts[i].Question != "" && !slices.Contains(skip, key) && !slices.Contains(open, i) {
				open = append(open, i)
			}
		}
	}
	return open
}

// bestAnswer returns the weight the best answer to the enum fact i would
// win: of each option, the results in play open on i that it may meet,
// each result's weight spread over its open facts as nextQuestion does.
func bestAnswer(cat *Catalogue, results []Result, i int, skip []string) float64 {
	best := 0.0
	for _, o := range cat.facts[i].Options {
		sum := 0.0
		for _, r := range results {
			if !r.InPlay || !slices.Contains(r.MissingFacts, cat.facts[i].Key) {
				continue
			}
			if wants := r.benefit.wants(i); wants != nil && !slices.Contains(wants, o.Value) {
				continue
			}
			var buf [8]int
			sum += r.weight / float64(len(openFacts(cat, r, skip, buf[:0])))
		}
		best = max(best, sum)
	}
	return best
}

// QuestionFor builds the question that asks for f, with quick replies: the
// labels of an enum or 是/否, and 不清楚 so that a user can decline.
func QuestionFor(f *Fact, settles []string) *Question {
	q := &Question{Fact: f.Key, Text: f.Question, Options: []string{}, Settles: settles}
	if q.Settles == nil {
		q.Settles = []string{}
	}
	for _, o := range f.Options {
		q.Options = append(q.Options, o.Label)
	}
	if len(q.Options) > 0 {
		q.Options = append(q.Options, "不清楚")
	}
	return q
}
