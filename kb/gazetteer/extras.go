package gazetteer

import (
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"unicode"

	"go.yaml.in/yaml/v3"
)

// Extras are the zones, former names and short forms of an extras file, as
// ParseExtras read them. Their references to divisions are checked by With,
// against the gazetteer they are added to.
//
// The file is YAML with two optional lists:
//
//	zones:                        # development zones and new areas
//	  - id: 360700-Z01            # stable id: the parent's code, "-", 1 to 8 letters or digits
//	    name: 赣州经济技术开发区
//	    parent: 360700            # the prefecture (or province) it belongs to, by code or full name
//	    spans: [360702, 南康区]    # the counties it spans, by code or name; leave out when not known
//	    aliases: [赣州经开区, 赣州开发区]
//	names:                        # other names of GB/T 2260 divisions
//	  - code: 360704
//	    name: 赣县区              # optional; checked against the code to catch typos
//	    aliases: [赣县]           # short forms and informal names
//	    former:                   # names and codes before a change; each needs one of the two
//	      - {name: 赣县, code: 360721}
//
// Codes may be written unquoted. References in one file see GB/T 2260 and
// the zones and names of files added before it.
type Extras struct {
	zones []zoneSpec
	names []nameSpec
}

// field is a scalar of the file with where it stood, for error messages.
type field struct {
	val  string
	line int
	path string // zones[0].spans[1]
}

type zoneSpec struct {
	id, name, parent field
	spans, aliases   []field
}

type nameSpec struct {
	code, name field
	aliases    []field
	former     []formerSpec
}

type formerSpec struct {
	name, code field // either may be empty
}

// ExtrasError is a fault of an extras file, at a line and field.
type ExtrasError struct {
	Line  int
	Field string // zones[0].parent; empty for the file as a whole
	Msg   string
}

func (e *ExtrasError) Error() string {
	if e.Field == "" {
		return fmt.Sprintf("gazetteer: extras line %d: %s", e.Line, e.Msg)
	}
	return fmt.Sprintf("gazetteer: extras line %d: %s: %s", e.Line, e.Field, e.Msg)
}

func errAt(f field, format string, args ...any) error {
	return &ExtrasError{Line: f.line, Field: f.path, Msg: fmt.Sprintf(format, args...)}
}

// zoneID is the form of a zone's id; it cannot be mistaken for a 6-digit code.
var zoneID = regexp.MustCompile(`^[0-9]{6}-[0-9A-Za-z]{1,8}$`)

// ParseExtras reads an extras file (see Extras). Errors are *ExtrasError and
// name the line and field, or are the YAML parser's own, which name the line.
func ParseExtras(r io.Reader) (*Extras, error) {
	var doc yaml.Node
	dec := yaml.NewDecoder(r)
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return &Extras{}, nil
		}
		return nil, fmt.Errorf("gazetteer: extras: %w", err)
	}
	// The parser reports some faults only when asked for the next document.
	var more yaml.Node
	switch err := dec.Decode(&more); {
	case err == nil:
		return nil, &ExtrasError{Line: more.Line, Msg: "a second YAML document; the file holds one"}
	case !errors.Is(err, io.EOF):
		return nil, fmt.Errorf("gazetteer: extras: %w", err)
	}
	x := &Extras{}
	top := doc.Content[0]
	if top.Kind == yaml.ScalarNode && top.Tag == "!!null" {
		return x, nil
	}
	err := eachKey(top, "", func(key string, v *yaml.Node, path string) error {
		switch key {
		case "zones":
			return eachItem(v, path, func(item *yaml.Node, path string) error {
				z, err := parseZone(item, path)
				x.zones = append(x.zones, z)
				return err
			})
		case "names":
			return eachItem(v, path, func(item *yaml.Node, path string) error {
				n, err := parseName(item, path)
				x.names = append(x.names, n)
				return err
			})
		}
		return unknownKey(path, v)
	})
	if err != nil {
		return nil, err
	}
	return x, x.check()
}

func parseZone(n *yaml.Node, path string) (zoneSpec, error) {
	var z zoneSpec
	err := eachKey(n, path, func(key string, v *yaml.Node, path string) (err error) {
		switch key {
		case "id":
			z.id, err = scalar(v, path)
			if err == nil && !zoneID.MatchString(z.id.val) {
				err = errAt(z.id, "%q is no zone id: want the parent's code, a hyphen and 1 to 8 letters or digits, as 360700-Z01", z.id.val)
			}
		case "name":
			z.name, err = name(v, path)
		case "parent":
			z.parent, err = name(v, path)
		case "spans":
			z.spans, err = names(v, path)
		case "aliases":
			z.aliases, err = names(v, path)
		default:
			err = unknownKey(path, v)
		}
		return err
	})
	if err != nil {
		return z, err
	}
	switch {
	case z.id.val == "":
		err = missing(n, path, "id")
	case z.name.val == "":
		err = missing(n, path, "name")
	case z.parent.val == "":
		err = missing(n, path, "parent")
	}
	return z, err
}

func parseName(n *yaml.Node, path string) (nameSpec, error) {
	var s nameSpec
	err := eachKey(n, path, func(key string, v *yaml.Node, path string) (err error) {
		switch key {
		case "code":
			s.code, err = code(v, path)
		case "name":
			s.name, err = name(v, path)
		case "aliases":
			s.aliases, err = names(v, path)
		case "former":
			err = eachItem(v, path, func(item *yaml.Node, path string) error {
				var f formerSpec
				err := eachKey(item, path, func(key string, v *yaml.Node, path string) (err error) {
					switch key {
					case "name":
						f.name, err = name(v, path)
					case "code":
						f.code, err = code(v, path)
					default:
						err = unknownKey(path, v)
					}
					return err
				})
				if err == nil && f.name.val == "" && f.code.val == "" {
					err = &ExtrasError{Line: item.Line, Field: path, Msg: "needs a name or a code"}
				}
				s.former = append(s.former, f)
				return err
			})
		default:
			err = unknownKey(path, v)
		}
		return err
	})
	if err != nil {
		return s, err
	}
	if s.code.val == "" {
		err = missing(n, path, "code")
	}
	return s, err
}

// check finds the faults that need the whole file: ids and codes twice.
func (x *Extras) check() error {
	seen := make(map[string]field)
	for _, z := range x.zones {
		if prev, ok := seen[z.id.val]; ok {
			return errAt(z.id, "id %s already used at line %d", z.id.val, prev.line)
		}
		seen[z.id.val] = z.id
	}
	for _, n := range x.names {
		if prev, ok := seen[n.code.val]; ok {
			return errAt(n.code, "code %s already has an entry at line %d; merge the two", n.code.val, prev.line)
		}
		seen[n.code.val] = n.code
	}
	return nil
}

// eachKey calls f for each key of a mapping, refusing keys given twice.
func eachKey(n *yaml.Node, path string, f func(key string, v *yaml.Node, path string) error) error {
	if n.Kind != yaml.MappingNode {
		return &ExtrasError{Line: n.Line, Field: path, Msg: "want a mapping of keys to values"}
	}
	seen := make(map[string]bool)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		p := k.Value
		if path != "" {
			p = path + "." + k.Value
		}
		if k.Kind != yaml.ScalarNode {
			return &ExtrasError{Line: k.Line, Field: path, Msg: "a key must be a plain word"}
		}
		if seen[k.Value] {
			return &ExtrasError{Line: k.Line, Field: p, Msg: "given twice"}
		}
		seen[k.Value] = true
		if err := f(k.Value, v, p); err != nil {
			return err
		}
	}
	return nil
}

// eachItem calls f for each item of a sequence.
func eachItem(n *yaml.Node, path string, f func(item *yaml.Node, path string) error) error {
	if n.Kind != yaml.SequenceNode {
		return &ExtrasError{Line: n.Line, Field: path, Msg: "want a list"}
	}
	for i, item := range n.Content {
		if err := f(item, fmt.Sprintf("%s[%d]", path, i)); err != nil {
			return err
		}
	}
	return nil
}

func unknownKey(path string, v *yaml.Node) error {
	return &ExtrasError{Line: v.Line, Field: path, Msg: "unknown key"}
}

func missing(n *yaml.Node, path, key string) error {
	return &ExtrasError{Line: n.Line, Field: path, Msg: "missing " + key}
}

func scalar(n *yaml.Node, path string) (field, error) {
	f := field{val: strings.TrimSpace(n.Value), line: n.Line, path: path}
	if n.Kind != yaml.ScalarNode || f.val == "" || n.Tag == "!!null" {
		return f, errAt(f, "want a non-empty word")
	}
	return f, nil
}

// name is a scalar that Resolve could match: it has no spaces, since Resolve
// drops them from what it reads.
func name(n *yaml.Node, path string) (field, error) {
	f, err := scalar(n, path)
	if err == nil && strings.IndexFunc(f.val, unicode.IsSpace) >= 0 {
		err = errAt(f, "%q has a space; names have none", f.val)
	}
	return f, err
}

func names(n *yaml.Node, path string) ([]field, error) {
	var fs []field
	err := eachItem(n, path, func(item *yaml.Node, path string) error {
		f, err := name(item, path)
		if err == nil && slices.ContainsFunc(fs, func(g field) bool { return g.val == f.val }) {
			err = errAt(f, "%s listed twice", f.val)
		}
		fs = append(fs, f)
		return err
	})
	return fs, err
}

func code(n *yaml.Node, path string) (field, error) {
	f, err := scalar(n, path)
	if err == nil && !isCode(f.val) {
		err = errAt(f, "%q is no 6-digit code", f.val)
	}
	return f, err
}

// With returns a gazetteer of g's divisions and extras and x's; a nil x
// gives g. g is left as it was. A reference of x that names no division, or
// a name that does not fit its code, is an *ExtrasError naming its line.
func (g *Gazetteer) With(x *Extras) (*Gazetteer, error) {
	if x == nil {
		return g, nil
	}
	return build(append(slices.Clip(g.extras), x))
}

// apply adds one extras file. It resolves every reference before it changes
// anything, so the file's own additions do not change what its references mean.
func (g *Gazetteer) apply(x *Extras) error {
	type zone struct {
		d      *Division
		parent *Division
		spans  []*Division
		spec   zoneSpec
	}
	zones := make([]zone, 0, len(x.zones))
	for _, z := range x.zones {
		if _, ok := g.byCode[z.id.val]; ok {
			return errAt(z.id, "id %s already used", z.id.val)
		}
		parent, err := g.ref(z.parent, nil)
		if err != nil {
			return err
		}
		if parent.Level != Province && parent.Level != Prefecture {
			return errAt(z.parent, "%s is a %s; a zone belongs to a prefecture or province", parent, parent.Level)
		}
		if !strings.HasPrefix(z.id.val, parent.Code+"-") {
			return errAt(z.id, "id %s does not begin with its parent's code %s", z.id.val, parent.Code)
		}
		zn := zone{parent: parent, spec: z}
		for _, s := range z.spans {
			c, err := g.ref(s, parent)
			if err != nil {
				return err
			}
			if c.Level != County {
				return errAt(s, "%s is a %s; a zone spans counties", c, c.Level)
			}
			zn.spans = append(zn.spans, c)
		}
		zones = append(zones, zn)
	}
	targets := make([]*Division, len(x.names))
	for i, n := range x.names {
		d, ok := g.byCode[n.code.val]
		if !ok || d.Level == Country {
			return errAt(n.code, "%s is no division", n.code.val)
		}
		if n.name.val != "" && n.name.val != d.Name {
			return errAt(n.name, "%s is %s, not %s", n.code.val, d, n.name.val)
		}
		for _, f := range n.former {
			if f.code.val == "" {
				continue
			}
			if cur, ok := g.byCode[f.code.val]; ok {
				return errAt(f.code, "%s is the current code of %s", f.code.val, cur)
			}
			if prev, ok := g.oldCode[f.code.val]; ok {
				return errAt(f.code, "%s is already a former code of %s", f.code.val, prev)
			}
		}
		targets[i] = d
	}

	for _, zn := range zones {
		d := &Division{Code: zn.spec.id.val, Name: zn.spec.name.val, FullName: zn.parent.FullName + zn.spec.name.val,
			Level: Zone, Parent: zn.parent, Spans: zn.spans}
		for _, a := range zn.spec.aliases {
			d.Aliases = append(d.Aliases, a.val)
			g.addName(a.val, d)
		}
		g.byCode[d.Code] = d
		g.all = append(g.all, d)
		g.addName(d.Name, d)
	}
	for i, n := range x.names {
		d := targets[i]
		for _, a := range n.aliases {
			if !slices.Contains(d.Aliases, a.val) {
				d.Aliases = append(d.Aliases, a.val)
			}
			g.addName(a.val, d)
		}
		for _, f := range n.former {
			d.Former = append(d.Former, Former{Name: f.name.val, Code: f.code.val})
			if f.name.val != "" {
				g.addName(f.name.val, d)
			}
			if f.code.val != "" {
				g.oldCode[f.code.val] = d
			}
		}
	}
	slices.SortFunc(g.all, byCode)
	return nil
}

// ref finds the one division a reference of an extras file names: a code, or
// a name or full name below scope (anywhere when scope is nil).
func (g *Gazetteer) ref(f field, scope *Division) (*Division, error) {
	if isCode(f.val) {
		d, ok := g.byCode[f.val]
		if !ok || (scope != nil && !d.under(scope)) {
			return nil, errAt(f, "%s is no division%s", f.val, inScope(scope))
		}
		return d, nil
	}
	ds := g.match(f.val, scope)
	switch len(ds) {
	case 0:
		return nil, errAt(f, "%s names no division%s", f.val, inScope(scope))
	case 1:
		return ds[0], nil
	}
	return nil, errAt(f, "%s names %d divisions (%s); give the code", f.val, len(ds), fullNames(ds))
}

func inScope(scope *Division) string {
	if scope == nil {
		return ""
	}
	return " in " + scope.FullName
}
