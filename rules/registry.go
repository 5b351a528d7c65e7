package rules

import (
	"fmt"
	"sort"
	"strings"
)

var registry = map[string]*Rule{}

// Register adds rules to the registry; rule packages call it from init.
// A duplicate ID or name panics.
func Register(rs ...*Rule) {
	for _, r := range rs {
		r.validate()
		for _, key := range []string{r.ID, r.Name} {
			if _, dup := registry[key]; dup {
				panic("rules: duplicate rule " + key)
			}
			registry[key] = r
		}
	}
}

// All returns every registered rule, ordered by ID.
func All() []*Rule {
	var out []*Rule
	for key, r := range registry {
		if key == r.ID {
			out = append(out, r)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Lookup finds a rule by ID (any case) or name.
func Lookup(idOrName string) (*Rule, bool) {
	key := strings.TrimSpace(idOrName)
	if r, ok := registry[strings.ToUpper(key)]; ok {
		return r, true
	}
	r, ok := registry[strings.ToLower(key)]
	return r, ok
}

// Selection chooses the rules of a run.
type Selection struct {
	MaxPhase int      // 0 means every phase
	Select   []string // IDs, names, or ID prefixes ("HR1", "HR40"); empty means all
	Ignore   []string
}

// Rules returns the selected rules, ordered by ID. An entry that names no rule
// is an error, so a typo in --select does not silently check nothing.
func (s Selection) Rules() ([]*Rule, error) {
	sel, err := resolve(s.Select)
	if err != nil {
		return nil, err
	}
	ign, err := resolve(s.Ignore)
	if err != nil {
		return nil, err
	}
	var out []*Rule
	for _, r := range All() {
		if s.MaxPhase > 0 && r.Phase > s.MaxPhase {
			continue
		}
		if (len(s.Select) == 0 || sel[r]) && !ign[r] {
			out = append(out, r)
		}
	}
	return out, nil
}

// resolve turns IDs, names and ID prefixes into the set of rules they name.
func resolve(keys []string) (map[*Rule]bool, error) {
	set := map[*Rule]bool{}
	for _, key := range keys {
		key = strings.TrimSpace(key)
		if key == "" {
			continue
		}
		if r, ok := Lookup(key); ok {
			set[r] = true
			continue
		}
		prefix := strings.ToUpper(key)
		n := 0
		for _, r := range All() {
			if strings.HasPrefix(prefix, "HR") && strings.HasPrefix(r.ID, prefix) {
				set[r] = true
				n++
			}
		}
		if n == 0 {
			return nil, fmt.Errorf("unknown rule %q (see `headroom rules`)", key)
		}
	}
	return set, nil
}
