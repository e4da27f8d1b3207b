package main

import (
	"fmt"
	"net/url"
	"strings"
)

// parseOrigins reads a comma-separated list of browser origins, each a
// scheme, a host and maybe a port, in lower case as browsers send them. "*"
// is refused: the list is an allow-list.
func parseOrigins(list string) ([]string, error) {
	var out []string
	for _, item := range splitList(list) {
		u, err := url.Parse(item)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
			u.User != nil || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || strings.Contains(u.Host, "*") {
			return nil, fmt.Errorf("%q: want an origin such as https://example.gov.cn or http://localhost:3000", item)
		}
		out = append(out, strings.ToLower(u.Scheme+"://"+u.Host))
	}
	return out, nil
}

// splitList returns the non-empty items of a comma-separated list.
func splitList(list string) []string {
	var out []string
	for item := range strings.SplitSeq(list, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}
