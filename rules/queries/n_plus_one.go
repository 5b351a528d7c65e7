package queries

import (
	"fmt"
	"path"
	"strings"

	"github.com/headroom-dev/headroom/edit"
	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/parsers/python"
	"github.com/headroom-dev/headroom/rules"
	"github.com/headroom-dev/headroom/stack"
)

// NPlusOne is HR210.
var NPlusOne = &rules.Rule{
	ID:       "HR210",
	Name:     "drf-n-plus-one",
	Phase:    2,
	Severity: rules.Warning,
	Kinds:    []parsers.Kind{parsers.KindPythonApp},
	Fixable:  true,
	Unsafe:   true,
	Doc: rules.Doc{
		Title: "A DRF list view's queryset does not fetch the relations its serializer reads",
		Why: `A serializer that reads a relation of each row (a nested serializer, source="fk.field",
a SerializerMethodField that follows obj.fk or obj.related.all(), Meta.depth, or a
many-to-many or reverse relation listed in Meta.fields) makes Django load that relation
lazily, one query per row. A page of 100 sessions with their messages is then 101
queries instead of 2: database round trips grow with the page size, and under load
the connection pool and the database's CPU go to queries that one JOIN
(select_related, for ForeignKey and OneToOne) or one IN query (prefetch_related, for
many-to-many and reverse relations) would have answered.

headroom reads the view's queryset (class attribute or get_queryset, following
super().get_queryset() and local variables), the serializer_class (or every class
get_serializer_class returns), and the relations the serializer reads through the
models' fields and related_names. Relations a SerializerMethodField filters
(obj.messages.filter(...)) are left out: prefetching does not serve a new query.`,
		Impact: "the report's phase 2 query optimisation: 800-1500 concurrent users, p95 100-300 ms with the indexes and caching",
		Fix: `Adds the missing lookups to the queryset, in the author's style: into the existing
select_related(...) / prefetch_related(...) call (one argument per line if the call is
laid out so), or as a new call placed as the report places it (select_related after the
filters, prefetch_related after select_related, both before order_by), with the chain's
own line breaks, indentation and quotes. Safe: both only change how related rows are
loaded, not which rows the view returns. Except where the serializer reads only part
of a to-many relation, or a number from it: a slice (obj.messages.all()[:5]), count(),
exists(), len(...). prefetch_related loads every related row of every listed row into
memory (all of a session's thousands of messages, to show five), so for those the
lookup is offered only as an unsafe fix; the right change is a Prefetch with a sliced
queryset and to_attr (sliced Prefetch querysets work from Django 4.2) or
annotate(Count(...)), read by the serializer instead, which is the project's code.
The rest of the lookups stay a safe fix. Views whose queryset uses values(), or
select_related/prefetch_related with arguments headroom cannot read, are left alone.`,
		Bad: `class ChatSessionViewSet(viewsets.ModelViewSet):
    serializer_class = ChatSessionSerializer  # nests messages, reads obj.user.settings

    def get_queryset(self):
        return ChatSession.objects.filter(
            user=self.request.user
        ).select_related(
            'target_profile'
        ).order_by('-updated_at')`,
		Good: `class ChatSessionViewSet(viewsets.ModelViewSet):
    serializer_class = ChatSessionSerializer  # nests messages, reads obj.user.settings

    def get_queryset(self):
        return ChatSession.objects.filter(
            user=self.request.user
        ).select_related(
            'target_profile',
            'user__settings'
        ).prefetch_related(
            'messages'
        ).order_by('-updated_at')`,
		Sources: []string{
			"https://docs.djangoproject.com/en/stable/ref/models/querysets/#select-related",
			"https://docs.djangoproject.com/en/stable/ref/models/querysets/#prefetch-related",
			"https://docs.djangoproject.com/en/stable/ref/models/querysets/#prefetch-objects",
			"https://docs.djangoproject.com/en/4.2/releases/4.2/#models",
			"https://docs.djangoproject.com/en/stable/topics/db/aggregation/#generating-aggregates-for-each-item-in-a-queryset",
			"https://docs.djangoproject.com/en/stable/topics/db/optimization/#retrieve-everything-at-once-if-you-know-you-will-need-it",
			"https://www.django-rest-framework.org/api-guide/relations/",
			"https://www.django-rest-framework.org/api-guide/serializers/#specifying-nested-serialization",
			"https://www.django-rest-framework.org/api-guide/generic-views/#get_querysetself",
		},
		Since: "0.2.0",
	},
	Check: checkNPlusOne,
}

func init() { rules.Register(NPlusOne) }

// read is a relation path a serializer follows for each row.
type read struct {
	path []string
	many bool // some hop is a manager of many rows: needs prefetch_related
	why  string
	attr *python.Attr // the serializer field that reads it
	file *stack.File
	// partial says how the serializer reads only part of, or a number
	// from, a to-many relation (a slice, count(), exists(), len()):
	// prefetch_related would load every related row of every listed row for
	// it, so it is no safe fix there.
	partial string
}

func (r read) lookup() string { return strings.Join(r.path, "__") }

type reader struct {
	out   []read
	depth int
}

func (r *reader) add(path []string, many bool, why string, f *stack.SerializerField) {
	r.out = append(r.out, read{path: append([]string(nil), path...), many: many, why: why, attr: f.Attr, file: f.Owner.File})
}

// walk follows dotted names through relations from m: the relation hops
// it took, the model it ended on, whether a hop was to-many, and whether
// every name was a relation.
func walk(m *stack.Model, names []string) (hops []string, end *stack.Model, many, complete bool) {
	cur := m
	for i, n := range names {
		if cur == nil {
			return hops, nil, many, false
		}
		rel := cur.Relation(n)
		if rel == nil {
			return hops, cur, many, false
		}
		hops = append(hops, n)
		many = many || rel.Many
		cur = rel.Target
		complete = i == len(names)-1
	}
	return hops, cur, many, complete
}

// prefetchServes are the manager methods a prefetch_related cache answers.
var prefetchServes = map[string]bool{"all": true, "count": true, "exists": true}

// aggregates are the manager methods that ask for a number, not the rows:
// a prefetch answers them only by loading every row.
var aggregates = map[string]bool{"count": true, "exists": true}

// partialRead says how a chain read from a row in doc takes only part of
// a to-many relation, or a number from it: sliced (obj.messages.all()[:5]),
// counted (.count(), .exists(), len(...)); "" when it reads every row.
func partialRead(doc *parsers.Document, ch *python.Chain, links []*python.Link, hops int) string {
	if hops < len(links) {
		if l := links[hops]; l.Call != nil && aggregates[l.Name] {
			return l.Name + "()"
		}
	}
	if doc == nil {
		return ""
	}
	after := strings.TrimLeft(string(doc.Src[ch.Span.End:min(len(doc.Src), ch.Span.End+64)]), " \t")
	if strings.HasPrefix(after, "[") {
		return "a slice"
	}
	before := strings.TrimRight(string(doc.Src[max(0, ch.Span.Start-16):ch.Span.Start]), " \t")
	for _, fn := range []string{"len(", "sum(", "max(", "min(", "sorted("} {
		if strings.HasSuffix(before, fn) {
			return fn + ")"
		}
	}
	return ""
}

// follow reads the relations a method chain on a row (obj.user.settings,
// obj.messages.count()) goes through.
func follow(m *stack.Model, links []*python.Link) (hops []string, many bool) {
	cur := m
	for i, l := range links {
		if cur == nil || l.Call != nil {
			break
		}
		rel := cur.Relation(l.Name)
		if rel == nil {
			break
		}
		if rel.Many {
			if i+1 < len(links) && links[i+1].Call != nil && prefetchServes[links[i+1].Name] {
				hops, many = append(hops, l.Name), true
			}
			break
		}
		hops = append(hops, l.Name)
		cur = rel.Target
	}
	return hops, many
}

// pkOnly are field types that read a relation's key without loading it
// (DRF's use_pk_only_optimization), or write-only fields.
var pkOnly = map[string]bool{"PrimaryKeyRelatedField": true, "HiddenField": true}

func truthyKwarg(a *python.Attr, name string) bool {
	if a == nil || a.Value.Call == nil {
		return false
	}
	k := a.Value.Call.Kwarg(name)
	return k != nil && k.Value.Value.Kind == python.Literal && k.Value.Value.Lit.Truthy()
}

// serializer collects what s reads of rows of m, under prefix.
func (r *reader) serializer(s *stack.Serializer, m *stack.Model, prefix []string, many bool) {
	if r.depth > 5 || m == nil {
		return
	}
	r.depth++
	defer func() { r.depth-- }()
	declared := map[string]bool{}
	for _, f := range s.Declared {
		declared[f.Name] = true
		if truthyKwarg(f.Attr, "write_only") {
			continue
		}
		switch {
		case f.Nested != nil:
			src := f.Source
			if src == "" {
				src = f.Name
			}
			if src == "*" {
				r.serializer(f.Nested, m, prefix, many)
				continue
			}
			hops, end, mny, complete := walk(m, strings.Split(src, "."))
			if len(hops) == 0 {
				continue
			}
			why := fmt.Sprintf("%s (nested %s)", f.Name, f.Type)
			r.add(append(prefix, hops...), many || mny, why, f)
			if complete {
				r.serializer(f.Nested, end, append(prefix, hops...), many || mny)
			}
		case f.Type == "SerializerMethodField":
			if f.Method == nil || len(f.Method.Params) < 2 {
				continue
			}
			obj := f.Method.Params[1]
			for _, ch := range f.Method.Chains {
				if ch.Root != obj || ch.RootCall != nil {
					continue
				}
				if hops, mny := follow(m, ch.Links); len(hops) > 0 {
					why := fmt.Sprintf("%s (%s() reads %s.%s)", f.Name, f.Method.Name, obj, strings.Join(hops, "."))
					r.add(append(prefix, hops...), many || mny, why, f)
					if mny {
						var doc *parsers.Document
						if f.Owner != nil && f.Owner.File != nil {
							doc = f.Owner.File.Doc
						}
						r.out[len(r.out)-1].partial = partialRead(doc, ch, ch.Links, len(hops))
					}
				}
			}
		default:
			src := f.Source
			if src == "" {
				src = f.Name
			}
			names := strings.Split(src, ".")
			hops, _, mny, _ := walk(m, names)
			if len(hops) == 0 || pkOnly[f.Type] && len(names) == 1 && !mny {
				continue
			}
			why := fmt.Sprintf("%s (source %q)", f.Name, src)
			if f.Source == "" {
				why = fmt.Sprintf("%s (%s)", f.Name, f.Type)
			}
			r.add(append(prefix, hops...), many || mny, why, f)
		}
	}
	// Relations Meta.fields lists without declaring them: to-many ones
	// are read per row (a list of keys); with Meta.depth every relation is
	// nested.
	names := s.Fields
	if s.AllFields {
		names = nil
		for _, fl := range m.Fields {
			if fl.Rel != stack.NoRel && !contains(s.Exclude, fl.Name) {
				names = append(names, fl.Name)
			}
		}
	}
	for _, n := range names {
		if declared[n] {
			continue
		}
		rel := m.Relation(n)
		if rel == nil || !rel.Many && s.Depth == 0 {
			continue
		}
		why := fmt.Sprintf("%s (in Meta.fields)", n)
		if s.Depth > 0 {
			why = fmt.Sprintf("%s (Meta.depth = %d)", n, s.Depth)
		}
		at := &stack.SerializerField{Name: n, Owner: s}
		if meta := s.Class.Nested("Meta"); meta != nil {
			at.Attr = meta.Attr("fields")
			if at.Attr == nil {
				at.Attr = meta.Attr("depth")
			}
		}
		r.add(append(prefix, n), many || rel.Many, why, at)
		if s.Depth > 1 {
			r.depthNest(rel.Target, append(prefix, n), many || rel.Many, s.Depth-1, s, at)
		}
	}
}

// depthNest adds the forward relations Meta.depth nests below a level.
func (r *reader) depthNest(m *stack.Model, prefix []string, many bool, depth int, s *stack.Serializer, at *stack.SerializerField) {
	if m == nil || depth <= 0 || len(prefix) > 6 {
		return
	}
	for _, fl := range m.Fields {
		if fl.Rel == stack.NoRel {
			continue
		}
		rel := m.Relation(fl.Name)
		path := append(append([]string(nil), prefix...), fl.Name)
		r.add(path, many || rel.Many, fmt.Sprintf("%s (Meta.depth = %d)", strings.Join(path, "."), s.Depth), at)
		r.depthNest(rel.Target, path, many || rel.Many, depth-1, s, at)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// covers reports whether a select_related/prefetch_related argument
// fetches the lookup.
func covers(arg, lookup string) bool {
	if base, ok := strings.CutSuffix(arg, "__*"); ok {
		return lookup == base || strings.HasPrefix(lookup, base+"__") || strings.HasPrefix(base, lookup+"__")
	}
	return arg == lookup || strings.HasPrefix(arg, lookup+"__")
}

// viewQueries are the querysets a view lists: what get_queryset returns,
// or the class-level queryset.
func viewQueries(apps *stack.Apps, v *stack.View) []*query {
	app := path.Base(path.Dir(v.File.Doc.Path))
	var out []*query
	if fn := v.Class.Method("get_queryset"); fn != nil {
		for _, r := range fn.Returns {
			if q := resolve(apps, app, r.Chain, scope{fn: fn, cls: v.Class, view: v}, 0); q != nil {
				out = append(out, q)
			}
		}
		return out
	}
	if at := v.Class.Attr("queryset"); at != nil {
		if q := resolve(apps, app, at.Value.Chain, scope{cls: v.Class, view: v}, 0); q != nil {
			out = append(out, q)
		}
	}
	return out
}

func checkNPlusOne(pass *rules.Pass) {
	apps := pass.Stack.Apps()
	for _, v := range apps.Views {
		if v.File != pass.File || !v.Lists {
			continue
		}
		for _, q := range viewQueries(apps, v) {
			if q.hasAny(notQueryset) {
				continue
			}
			seen := map[*stack.Serializer]bool{}
			for _, s := range v.Serializers {
				if seen[s] || s.Model != q.Model {
					continue
				}
				seen[s] = true
				r := &reader{}
				r.serializer(s, q.Model, nil, false)
				reportNPlusOne(pass, v, s, q, r.out)
			}
		}
	}
}

// hasAny reports whether the query calls any of the methods.
func (q *query) hasAny(methods map[string]bool) bool {
	for _, l := range q.Links {
		if methods[l.Name] {
			return true
		}
	}
	return false
}

func reportNPlusOne(pass *rules.Pass, v *stack.View, s *stack.Serializer, q *query, reads []read) {
	sel, selOK := literalArgs(q.calls("select_related"))
	pre, preOK := literalArgs(q.calls("prefetch_related"))
	if !selOK || !preOK {
		return // an argument headroom cannot read may fetch anything
	}
	selectAll := false
	for _, l := range q.calls("select_related") {
		if len(l.Call.Args) == 0 {
			selectAll = true
		}
	}
	var missing []read
	for _, rd := range reads {
		lk := rd.lookup()
		covered := selectAll && !rd.many
		for _, a := range append(append([]string(nil), sel...), pre...) {
			covered = covered || covers(a, lk)
		}
		if !covered {
			missing = append(missing, rd)
		}
	}
	if len(missing) == 0 {
		return
	}
	addSel, addPre := lookups(missing, false), lookups(missing, true)
	var whys []string
	var related []rules.Location
	for _, rd := range missing {
		whys = append(whys, rd.why)
		if rd.attr != nil {
			related = append(related, rules.Location{Doc: rd.file.Doc, Span: rd.attr.Span, Message: "reads " + strings.Join(rd.path, ".") + " for each row"})
		}
	}
	var want []string
	qt := quoteOf(pass.Doc(), q)
	quoted := func(ls []string) string {
		out := make([]string, len(ls))
		for i, l := range ls {
			out[i] = quote(l, qt)
		}
		return strings.Join(out, ", ")
	}
	if len(addSel) > 0 {
		want = append(want, "select_related("+quoted(addSel)+")")
	}
	if len(addPre) > 0 {
		want = append(want, "prefetch_related("+quoted(addPre)+")")
	}
	d := rules.Diagnostic{
		Span: q.Last().Span,
		Message: fmt.Sprintf("%s lists %s rows with %s, which reads %s for each row; the queryset lacks %s: one more query per row for each (N+1)",
			v.Name, q.Model.Name, s.Name, strings.Join(whys, ", "), strings.Join(want, " and ")),
		Related: related,
	}
	if d.Span.Start > d.Span.End || pass.Doc() != v.File.Doc {
		return
	}
	d.Span.End = min(d.Span.End, lineEndOf(pass.Doc(), d.Span.Start))
	var partial []read
	for _, rd := range missing {
		if rd.many && rd.partial != "" {
			partial = append(partial, rd)
		}
	}
	if len(partial) == 0 {
		if edits := nPlusOneEdits(pass.Doc(), q, addSel, addPre, qt); edits != nil {
			d.Fixes = []rules.Fix{{Message: "add " + strings.Join(want, " and "), Applicability: rules.Safe, Edits: edits}}
		}
		pass.Report(d)
		return
	}
	// A relation read in part (a slice, a count) would be loaded whole for
	// every listed row: a sliced Prefetch(..., to_attr=...) or an
	// annotate(Count(...)) is the fix, and it changes the serializer too.
	var notes []string
	for _, rd := range partial {
		notes = append(notes, fmt.Sprintf("%s takes %s of %s", rd.why, rd.partial, strings.Join(rd.path, ".")))
	}
	d.Message += "; but " + strings.Join(notes, ", ") + ": prefetch_related would load every related row of every listed row for it; use Prefetch with a sliced queryset and to_attr (Django 4.2+) for a slice, or annotate(Count(...)) for a count, and read that in the serializer"
	safeReads := make([]read, 0, len(missing))
	for _, rd := range missing {
		if !rd.many || rd.partial == "" {
			safeReads = append(safeReads, rd)
		}
	}
	if sSel, sPre := lookups(safeReads, false), lookups(safeReads, true); len(sSel)+len(sPre) > 0 {
		var sw []string
		if len(sSel) > 0 {
			sw = append(sw, "select_related("+quoted(sSel)+")")
		}
		if len(sPre) > 0 {
			sw = append(sw, "prefetch_related("+quoted(sPre)+")")
		}
		if edits := nPlusOneEdits(pass.Doc(), q, sSel, sPre, qt); edits != nil {
			d.Fixes = append(d.Fixes, rules.Fix{Message: "add " + strings.Join(sw, " and "), Applicability: rules.Safe, Edits: edits})
		}
	}
	if edits := nPlusOneEdits(pass.Doc(), q, addSel, addPre, qt); edits != nil {
		d.Fixes = append(d.Fixes, rules.Fix{Message: "add " + strings.Join(want, " and ") + " (loads every related row of the relations read in part)", Applicability: rules.Unsafe, Edits: edits})
	}
	pass.Report(d)
}

// lineEndOf is the end of the line holding off, so a finding on a
// multi-line chain marks its first line.
func lineEndOf(doc *parsers.Document, off int) int {
	return doc.LineSpan(doc.Position(off).Line).End
}

// lookups returns the lookups of the reads that need prefetch_related
// (many) or select_related, dropping those a longer one fetches too.
func lookups(rs []read, many bool) []string {
	var out []string
	for _, r := range rs {
		if r.many != many {
			continue
		}
		lk := r.lookup()
		dup := false
		for _, o := range rs {
			if o.many == many && strings.HasPrefix(o.lookup(), lk+"__") {
				dup = true
			}
		}
		if !dup && !contains(out, lk) {
			out = append(out, lk)
		}
	}
	return out
}

// nPlusOneEdits adds the lookups to existing select_related /
// prefetch_related calls, or as new calls on the chain as written.
func nPlusOneEdits(doc *parsers.Document, q *query, addSel, addPre []string, qt byte) []edit.TextEdit {
	last := q.Last()
	quoted := func(ls []string) []string {
		out := make([]string, len(ls))
		for i, l := range ls {
			out[i] = quote(l, qt)
		}
		return out
	}
	var edits []edit.TextEdit
	var calls []edit.PyCall
	for _, g := range []struct {
		method string
		add    []string
	}{{"select_related", addSel}, {"prefetch_related", addPre}} {
		if len(g.add) == 0 {
			continue
		}
		if ls := q.calls(g.method); len(ls) > 0 && len(ls[len(ls)-1].Call.Args) > 0 {
			edits = append(edits, edit.PythonAppendArgs(doc, ls[len(ls)-1].Call, quoted(g.add)...)...)
			continue
		}
		calls = append(calls, edit.PyCall{Method: g.method, Args: quoted(g.add)})
	}
	if len(calls) > 0 {
		edits = append(edits, edit.PythonChainInsert(doc, last, anchor(last, calls[0].Method), calls...))
	}
	return edits
}

// trailing are the queryset methods a chain ends with, after which the
// report places no select_related.
var trailing = map[string]bool{"order_by": true, "distinct": true, "reverse": true}

// anchor picks the link a new call goes after: prefetch_related after the
// last select_related; select_related before a prefetch_related; either
// before a trailing order_by; else at the end.
func anchor(ch *python.Chain, method string) int {
	n := len(ch.Links)
	if n == 0 {
		return -1
	}
	find := func(name string) int {
		for i := n - 1; i >= 0; i-- {
			if ch.Links[i].Name == name {
				return i
			}
		}
		return -1
	}
	if method == "prefetch_related" {
		if i := find("select_related"); i >= 0 {
			return i
		}
	} else {
		for i, l := range ch.Links {
			if l.Name == "prefetch_related" && i > 0 {
				return i - 1
			}
		}
	}
	i := n
	for i > 0 && trailing[ch.Links[i-1].Name] {
		i--
	}
	if i == 0 {
		return n - 1
	}
	return i - 1
}
