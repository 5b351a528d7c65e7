// Package nginx holds the rules for nginx configuration (HR4xx).
package nginx

import (
	"strings"

	"github.com/headroom-dev/headroom/edit"
	"github.com/headroom-dev/headroom/parsers"
	ngx "github.com/headroom-dev/headroom/parsers/nginx"
)

// editSet gathers the edits of one fix. Lines bound for the same place are
// joined into one insertion (two insertions at one offset would conflict),
// and a line already planned for a place is not added twice, so locations
// that inherit from one server block change it once.
type editSet struct {
	doc    *parsers.Document
	after  map[*ngx.Directive][]string
	end    map[*ngx.Block][]string
	order  []any
	others []edit.TextEdit
	notes  []string // said in the finding, after its message
}

func newEditSet(doc *parsers.Document) *editSet {
	return &editSet{doc: doc, after: map[*ngx.Directive][]string{}, end: map[*ngx.Block][]string{}}
}

// insert plans line in b after its last directive named one of names, or
// at the end of b.
func (e *editSet) insert(b *ngx.Block, names []string, line string) {
	if anchor := b.Last(names...); anchor != nil {
		e.insertAfter(anchor, line)
		return
	}
	if _, ok := e.end[b]; !ok {
		e.order = append(e.order, b)
	}
	if !contains(e.end[b], line) {
		e.end[b] = append(e.end[b], line)
	}
}

func (e *editSet) insertAfter(d *ngx.Directive, line string) {
	if _, ok := e.after[d]; !ok {
		e.order = append(e.order, d)
	}
	if !contains(e.after[d], line) {
		e.after[d] = append(e.after[d], line)
	}
}

func (e *editSet) add(t edit.TextEdit) {
	for _, o := range e.others {
		if o == t {
			return
		}
	}
	e.others = append(e.others, t)
}

func (e *editSet) edits() []edit.TextEdit {
	out := append([]edit.TextEdit(nil), e.others...)
	for _, k := range e.order {
		switch k := k.(type) {
		case *ngx.Directive:
			out = append(out, edit.NginxInsertAfter(e.docOf(k), k, e.after[k]...))
		case *ngx.Block:
			doc := e.doc
			if k.File != nil {
				doc = k.File.Doc
			}
			out = append(out, edit.NginxInsertEnd(doc, k, e.end[k]...))
		}
	}
	return out
}

// docOf is the file d is written in: an inherited or included directive
// may sit in another file than the one being checked.
func (e *editSet) docOf(d *ngx.Directive) *parsers.Document {
	if doc := d.Doc(); doc != nil {
		return doc
	}
	return e.doc
}

func (e *editSet) empty() bool { return len(e.order) == 0 && len(e.others) == 0 }

// note records something the finding says about the fix, once.
func (e *editSet) note(s string) {
	if s != "" && !contains(e.notes, s) {
		e.notes = append(e.notes, s)
	}
}

// noteText is the notes as they follow a finding's message.
func (e *editSet) noteText() string {
	if len(e.notes) == 0 {
		return ""
	}
	return "; " + strings.Join(e.notes, "; ")
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// settingsAnchor is where new http- or server-level settings go: after the
// last simple directive (not an include) that precedes the block's first
// nested block, so they sit with the other settings and above the servers
// and locations. Nil when the block starts with a nested block.
func settingsAnchor(b *ngx.Block) *ngx.Directive {
	var last *ngx.Directive
	for _, d := range b.Directives {
		if d.Block != nil {
			break
		}
		if d.Name != "include" {
			last = d
		}
	}
	return last
}

// insertSettings plans lines among b's settings (see settingsAnchor), after
// the last directive named one of prefer when b has one.
func (e *editSet) insertSettings(b *ngx.Block, prefer []string, lines ...string) {
	var anchor *ngx.Directive
	for _, d := range b.Directives {
		for _, n := range prefer {
			if d.Name == n {
				anchor = d
			}
		}
	}
	if anchor == nil {
		anchor = settingsAnchor(b)
	}
	if anchor == nil {
		for _, d := range b.Directives {
			if d.Block != nil {
				e.add(edit.NginxInsertBefore(e.docOf(d), d, lines...))
				return
			}
		}
		for _, l := range lines {
			e.insert(b, nil, l)
		}
		return
	}
	for _, l := range lines {
		e.insertAfter(anchor, l)
	}
}

// headerNamed returns the last of ds (proxy_set_header directives) setting
// header name, or nil.
func headerNamed(ds []*ngx.Directive, name string) *ngx.Directive {
	var out *ngx.Directive
	for _, d := range ds {
		if strings.EqualFold(d.Arg(0), name) {
			out = d
		}
	}
	return out
}
