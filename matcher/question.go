package matcher

import (
	"slices"
)

// nextQuestion picks, among the undetermined results in play, the one
// unknown fact whose answer settles the most benefit. Each result spreads its
// weight (1, plus 1 per 万元 it may be worth) evenly over its missing facts,
// so a fact that alone decides a large award wins over one of several that
// a small measure still needs. Ties go to a fact of substance before a
// general one (where the applicant is, its industry), then to the fact the weightiest result
// needs first, in the order its clause states its conditions, then to the
// fact earlier in the schema, so the same profile always gets the same
// question.
func nextQuestion(cat *Catalogue, results []Result, skip []string) *Question {
	facts := cat.facts
	scores := make([]float64, len(facts))
	settles := make([][]string, len(facts))
	// first is where a fact first comes: the result's place among those in
	// play (heaviest first) and the fact's place among its missing facts.
	type place struct{ result, fact int }
	first := make([]place, len(facts))
	seen := make([]bool, len(facts))
	n := 0
	for _, r := range results {
		if !r.InPlay {
			continue
		}
		var open []int
		for _, key := range r.MissingFacts {
			i := cat.index[key]
			if facts[i].Question != "" && !slices.Contains(skip, key) {
				open = append(open, i)
			}
		}
		for k, i := range open {
			scores[i] += r.weight / float64(len(open))
			settles[i] = append(settles[i], r.BenefitID)
			if !seen[i] {
				seen[i], first[i] = true, place{n, k}
			}
		}
		n++
	}
	const epsilon = 1e-9
	best := -1
	for i, s := range scores {
		if s <= 0 {
			continue
		}
		switch {
		case best < 0 || s > scores[best]+epsilon:
			best = i
		case s < scores[best]-epsilon:
		case facts[i].General != facts[best].General:
			// What describes the applicant in general comes last: the
			// substance of the measure first.
			if !facts[i].General {
				best = i
			}
		case first[i].result < first[best].result ||
			first[i].result == first[best].result && first[i].fact < first[best].fact:
			best = i
		}
	}
	if best < 0 {
		return nil
	}
	return QuestionFor(&facts[best], settles[best])
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
