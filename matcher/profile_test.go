package matcher

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"policybot/kb"
)

func TestProfileRejects(t *testing.T) {
	tests := []struct {
		name      string
		json      string
		wantField string
	}{
		{"not an object", `[1,2]`, "profile"},
		{"unknown key", `{"revenue": 1}`, "revenue"},
		{"unknown key before a bad known one", `{"profitable": "yes", "zzz": 1}`, "zzz"},
		{"the lowest unknown key first", `{"zzz": 1, "aaa": null, "mmm": 2}`, "aaa"},
		{"bool as string", `{"profitable": "true"}`, "profitable"},
		{"negative money", `{"bond_financing_cny": -1}`, "bond_financing_cny"},
		{"fractional yuan", `{"main_revenue_cny": 100.5}`, "main_revenue_cny"},
		{"fraction too small for float64", `{"main_revenue_cny": 500000000.00000001}`, "main_revenue_cny"},
		{"beyond int64", `{"main_revenue_cny": 1e30}`, "main_revenue_cny"},
		{"control character in name", `{"name": "a\u0000b"}`, "name"},
		{"money as string", `{"main_revenue_cny": "5亿"}`, "main_revenue_cny"},
		{"absurd money", `{"main_revenue_cny": 1e20}`, "main_revenue_cny"},
		{"negative quantity", `{"energy_saving_tce": -3}`, "energy_saving_tce"},
		{"bad enum", `{"industry": "furniture"}`, "industry"},
		{"bad applicant", `{"applicant_type": "city"}`, "applicant_type"},
		{"region a city, not a county", `{"region": "南昌市"}`, "region"},
		{"region shared by several", `{"region": "鼓楼区"}`, "region"},
		{"region not a string", `{"region": 3}`, "region"},
		{"credit code short", `{"credit_code": "9135010"}`, "credit_code"},
		{"credit code bad check", `{"credit_code": "91350100M000100Y44"}`, "credit_code"},
		{"credit code letter O", `{"credit_code": "91350100M0001O0Y43"}`, "credit_code"},
		{"empty name", `{"name": "  "}`, "name"},
		{"years over a century", `{"tax_commitment_years": 500}`, "tax_commitment_years"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := mustEngine(t).NewProfile()
			if err := p.Set("region", "章贡区"); err != nil {
				t.Fatal(err)
			}
			err := json.Unmarshal([]byte(tt.json), p)
			var fe *FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("error = %v, want a *FieldError", err)
			}
			if fe.Field != tt.wantField {
				t.Errorf("field = %q, want %q (%v)", fe.Field, tt.wantField, err)
			}
			if v, _ := p.Get("region"); p.Len() != 1 || v != "章贡区" || p.region() == nil || p.region().Name != "章贡区" {
				t.Errorf("a rejected input changed the profile: %d facts, region %v", p.Len(), v)
			}
		})
	}
}

func TestProfileAccepts(t *testing.T) {
	tests := []struct {
		name string
		json string
		want string
	}{
		{"old county name", `{"region": "赣县"}`, `{"region":"赣县区"}`},
		{"county that became a city", `{"region": "龙南县"}`, `{"region":"龙南市"}`},
		{"zone short name", `{"region": "赣州经开区"}`, `{"region":"赣州经济技术开发区"}`},
		{"prefixed with the city", `{"region": "赣州市南康区"}`, `{"region":"南康区"}`},
		{"whole yuan written as float", `{"main_revenue_cny": 5e8}`, `{"main_revenue_cny":500000000}`},
		{"null means unknown", `{"profitable": null, "is_industrial": true}`, `{"is_industrial":true}`},
		{"valid credit code", `{"credit_code": "91350100m000100y43"}`, `{"credit_code":"91350100M000100Y43"}`},
		{"schema order", `{"profitable": false, "applicant_type": "enterprise"}`, `{"applicant_type":"enterprise","profitable":false}`},
		{"fractional quantity", `{"energy_saving_tce": 500.5}`, `{"energy_saving_tce":500.5}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := mustEngine(t).NewProfile()
			// The input replaces every fact the profile held.
			if err := p.Set("name", "旧名称"); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal([]byte(tt.json), p); err != nil {
				t.Fatal(err)
			}
			got, err := json.Marshal(p)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, string(got)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestRegionValues checks how a profile's region is read: by code, by a
// unique name, by an old name or short form, anywhere in the country; a
// shared name is refused with its candidates, a province or city with what
// it is.
func TestRegionValues(t *testing.T) {
	tests := []struct {
		in, want string
		errHas   []string
	}{
		{in: "南康区", want: "南康区"},
		{in: "360703", want: "南康区"},
		{in: "南康市", want: "南康区"},
		{in: "赣县", want: "赣县区"},
		{in: "360721", want: "赣县区"},
		{in: "龙南县", want: "龙南市"},
		{in: "赣州经开区", want: "赣州经济技术开发区"},
		{in: "广州市南沙区", want: "南沙区"},
		{in: "440115", want: "南沙区"},
		{in: "柳河县", want: "柳河县"},
		{in: "福州市鼓楼区", want: "福州市鼓楼区"},
		{in: "鼓楼区", errHas: []string{"多个", "福建省福州市鼓楼区", "江苏省南京市鼓楼区"}},
		{in: "南昌市", errHas: []string{"县(市、区)"}},
		{in: "东莞市", want: "东莞市"}, // a prefecture with no counties is a seat
		{in: "441900", want: "东莞市"},
		{in: "火星区", errHas: []string{"不是"}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			p := mustEngine(t).NewProfile()
			err := p.Set("region", tt.in)
			if len(tt.errHas) > 0 {
				if err == nil {
					t.Fatalf("accepted %q", tt.in)
				}
				for _, w := range tt.errHas {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error %q lacks %q", err, w)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got, _ := p.Get("region"); got != tt.want {
				t.Errorf("region %q kept as %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// FuzzProfile feeds arbitrary JSON to the profile reader: it must never
// panic, and whatever it accepts must be within range and read back the same.
func FuzzProfile(f *testing.F) {
	for _, s := range []string{
		`{"main_revenue_cny": 600000000, "prior_max_revenue_cny": 480000000, "profitable": true}`,
		`{"region": "赣县", "industry": "other", "credit_code": "91350100M000100Y43"}`,
		`{"energy_saving_tce": 500.5, "tax_commitment_years": 5}`,
		`{"bond_financing_cny": -1}`, `{"x": null}`, `[]`, `null`, `{"main_revenue_cny": 1e308}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		p := mustEngine(t).NewProfile()
		if err := json.Unmarshal([]byte(in), p); err != nil {
			var fe *FieldError
			var se *json.SyntaxError
			if !errors.As(err, &fe) && !errors.As(err, &se) && !strings.Contains(err.Error(), "json") {
				t.Fatalf("unexpected error type %T: %v", err, err)
			}
			return
		}
		for _, key := range p.Keys() {
			v, _ := p.Get(key)
			f, _ := p.Catalogue().Lookup(key)
			switch x := v.(type) {
			case int64:
				if x < 0 || float64(x) > f.Max {
					t.Fatalf("%s = %d out of range", key, x)
				}
			case float64:
				if x < 0 || x > f.Max {
					t.Fatalf("%s = %g out of range", key, x)
				}
			}
		}
		out, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		q := mustEngine(t).NewProfile()
		if err := json.Unmarshal(out, q); err != nil {
			t.Fatalf("re-reading %s: %v", out, err)
		}
		if again, _ := json.Marshal(q); string(again) != string(out) {
			t.Fatalf("round trip changed %s to %s", out, again)
		}
	})
}

// TestMoneyMin checks that a money fact's declared minimum is enforced.
func TestMoneyMin(t *testing.T) {
	min := 100.0
	cat, err := NewCatalogue([]kb.FactSpec{
		{Key: "applicant_type", Kind: "enum", Label: "申请主体", Options: []kb.OptionSpec{{Value: "enterprise", Label: "企业"}}},
		{Key: "region", Kind: "region", Label: "所在地"},
		{Key: "fee_cny", Kind: "money", Label: "费用", Min: &min},
	}, mustEngine(t).Catalogue().Gazetteer())
	if err != nil {
		t.Fatal(err)
	}
	p := cat.NewProfile()
	if err := p.Set("fee_cny", int64(99)); err == nil {
		t.Error("99 accepted below a minimum of 100")
	}
	if err := p.Set("fee_cny", int64(100)); err != nil {
		t.Errorf("100 refused: %v", err)
	}
}
