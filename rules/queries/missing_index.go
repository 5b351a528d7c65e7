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

// MissingIndex is HR211.
var MissingIndex = &rules.Rule{
	ID:       "HR211",
	Name:     "django-missing-index",
	Phase:    2,
	Severity: rules.Warning,
	Kinds:    []parsers.Kind{parsers.KindPythonApp},
	Fixable:  true,
	Doc: rules.Doc{
		Title: "A queryset filters or orders on columns no index serves",
		Why: `A query that filters on columns no index leads with reads every row of the table (or
every row the one indexed column selects) and discards what does not match; one that
orders a whole table by an unindexed column sorts it on each request. Both grow with
the table, hold the connection longer, and under load queue every other request
behind them.

headroom reads the filter()/get() keyword arguments (exact, in, isnull and range
lookups on the model's own columns) and, for a query with no filter, the first
order_by() column, and looks for an index that serves them: the primary key, unique
and db_index fields, a ForeignKey's own index, unique_together, index_together,
UniqueConstraint and Meta.indexes, including the leading columns of a composite index.
A query is served when some index's leading columns are exactly the columns it filters
on, in any order, or when it filters a unique column. Filters only on booleans are left
alone: an index on a two-valued column alone is rarely used.`,
		Impact: "the report's phase 2 indexes for high-traffic queries (with the query fixes: 200-400 RPS, p95 100-300 ms)",
		Fix: `Adds models.Index(fields=[...]) to the model's Meta.indexes, like the list's other items;
creates the indexes list, or class Meta (subclassing an abstract parent's Meta), where
there is none. The finding says so too: run makemigrations and apply the migration; on a
large PostgreSQL table, create the index with AddIndexConcurrently in a non-atomic
migration so writes are not blocked while it builds. Safe: an index changes no result.
Unsafe where the model inherits from a class headroom did not read, whose Meta a new
Meta would replace.`,
		Bad: `# chat/views.py
Message.objects.filter(session=session, is_ai=True)

# chat/models.py
class Message(models.Model):
    ...
    class Meta:
        indexes = [
            models.Index(fields=['session', 'created_at']),
        ]`,
		Good: `class Message(models.Model):
    ...
    class Meta:
        indexes = [
            models.Index(fields=['session', 'created_at']),
            models.Index(fields=['session', 'is_ai']),
        ]`,
		Sources: []string{
			"https://docs.djangoproject.com/en/stable/ref/models/indexes/",
			"https://docs.djangoproject.com/en/stable/ref/models/options/#indexes",
			"https://docs.djangoproject.com/en/stable/ref/models/fields/#db-index",
			"https://docs.djangoproject.com/en/stable/topics/db/optimization/#use-standard-db-optimization-techniques",
			"https://docs.djangoproject.com/en/stable/ref/contrib/postgres/operations/#concurrent-index-operations",
			"https://www.postgresql.org/docs/current/indexes-multicolumn.html",
		},
		Since: "0.2.0",
	},
	Check: checkMissingIndex,
}

func init() { rules.Register(MissingIndex) }

// indexable are the lookups a B-tree index on the column serves.
var indexable = map[string]bool{"exact": true, "in": true, "isnull": true, "gt": true, "gte": true, "lt": true, "lte": true, "range": true}

// filterColumns returns the model columns a query filters on with lookups
// an index serves, in the order written, and where the last of them is
// written. ok is false for queries headroom does not read (Q objects,
// **kwargs, annotations, unknown fields).
func filterColumns(q *query) (cols []*stack.Field, pk bool, at *python.Link, ok bool) {
	for _, l := range q.Links {
		if l.Name != "filter" && l.Name != "get" {
			continue
		}
		for _, a := range l.Call.Args {
			if a.Name == "" {
				return nil, false, nil, false
			}
			parts := strings.Split(a.Name, "__")
			if parts[0] == "pk" || parts[0] == q.Model.PK() {
				pk = true
				continue
			}
			f := q.Model.Field(parts[0])
			if f == nil {
				return nil, false, nil, false
			}
			if f.Rel == stack.ManyToMany || len(parts) > 2 || len(parts) == 2 && !indexable[parts[1]] {
				continue // a join, or a lookup (icontains, year, ...) a plain index does not serve
			}
			if !containsField(cols, f) {
				cols = append(cols, f)
			}
			at = l
		}
	}
	return cols, pk, at, true
}

func containsField(fs []*stack.Field, f *stack.Field) bool {
	for _, x := range fs {
		if x == f {
			return true
		}
	}
	return false
}

// served reports whether some index serves exactly the columns (leading,
// any order) or a unique one among them; best is the index serving most of
// them.
func served(m *stack.Model, cols []string) (ok bool, best *stack.Index, bestN int) {
	set := map[string]bool{}
	for _, c := range cols {
		set[c] = true
	}
	for _, ix := range m.Indexes {
		n := 0
		for n < len(ix.Fields) && set[ix.Fields[n]] {
			n++
		}
		if n == len(cols) || ix.Unique && n == len(ix.Fields) {
			return true, ix, n
		}
		if n > bestN || n == bestN && n > 0 && len(ix.Fields) > len(best.Fields) {
			best, bestN = ix, n
		}
	}
	return false, best, bestN
}

func checkMissingIndex(pass *rules.Pass) {
	apps := pass.Stack.Apps()
	app := path.Base(path.Dir(pass.Doc().Path))
	seen := map[int]bool{}
	eachScope(apps, pass.File, func(sc scope, chains []*python.Chain) {
		for _, ch := range chains {
			q := resolve(apps, app, ch, sc, 0)
			if q == nil || q.Model.File == nil || q.Model.Abstract {
				continue
			}
			checkQuery(pass, q, seen)
		}
	})
}

func checkQuery(pass *rules.Pass, q *query, seen map[int]bool) {
	cols, pk, at, ok := filterColumns(q)
	if !ok || pk {
		return
	}
	var names, want []string
	booleans := true
	for _, f := range cols {
		names = append(names, f.Name)
		booleans = booleans && (f.Type == "BooleanField" || f.Type == "NullBooleanField")
	}
	var what string
	switch {
	case len(cols) > 0 && !booleans:
		if ok, _, _ := served(q.Model, names); ok {
			return
		}
		want = names
		what = fmt.Sprintf("filter(%s)", strings.Join(names, ", "))
	case len(cols) == 0:
		// No filter: an order_by over the whole table wants an index on
		// its first column.
		ls := q.calls("order_by")
		if len(ls) == 0 {
			return
		}
		first := ls[len(ls)-1].Call.Positional(0)
		if first == nil || first.Value.Value.Kind != python.Literal || first.Value.Value.Lit.Kind != python.Str {
			return
		}
		col := first.Value.Value.Lit.Str
		f := q.Model.Field(strings.TrimPrefix(col, "-"))
		if f == nil || f.Rel == stack.ManyToMany || strings.Contains(col, "__") {
			return
		}
		if ok, _, _ := served(q.Model, []string{f.Name}); ok {
			return
		}
		names = []string{f.Name}
		want = []string{strings.Replace(col, strings.TrimPrefix(col, "-"), f.Name, 1)}
		at = ls[len(ls)-1]
		what = fmt.Sprintf("order_by(%q) over the whole table", col)
	default:
		return
	}
	if at == nil || seen[at.NameSpan.Start] {
		return
	}
	seen[at.NameSpan.Start] = true
	_, best, bestN := served(q.Model, names)
	detail := "no index leads with any of them"
	if len(names) == 1 {
		detail = "no index leads with it"
	}
	if best != nil && bestN > 0 {
		detail = fmt.Sprintf("the closest index, on (%s), serves only %s", strings.Join(best.Fields, ", "), strings.Join(best.Fields[:bestN], ", "))
	}
	m := q.Model
	mq := modelQuote(m)
	item := indexItem(m, want, mq)
	d := rules.Diagnostic{
		Span: parsers.Span{Start: at.NameSpan.Start, End: at.Call.Close + 1},
		Message: fmt.Sprintf("%s.objects.%s: %s; add %s to %s.Meta.indexes, then run makemigrations and migrate",
			m.Name, what, detail, strings.TrimPrefix(item, "models."), m.Name),
		Related: []rules.Location{{Doc: m.File.Doc, Span: m.Class.NameSpan, Message: "model " + m.Name}},
	}
	if d.Span.End > lineEndOf(pass.Doc(), d.Span.Start) {
		d.Span.End = lineEndOf(pass.Doc(), d.Span.Start)
	}
	if edits, app := indexEdits(m, item); edits != nil {
		d.Fixes = []rules.Fix{{Message: "add " + item + " to " + m.Name + ".Meta.indexes (then run makemigrations)", Applicability: app, Edits: edits}}
	}
	pass.Report(d)
}

// modelQuote is the quote the model's string arguments use.
func modelQuote(m *stack.Model) byte {
	classes := []*python.Class{m.Class}
	if m.Meta != nil {
		classes = append([]*python.Class{m.Meta}, classes...)
	}
	for _, c := range classes {
		for _, at := range c.Attrs {
			if q := firstQuote(at.Value); q != 0 {
				return q
			}
		}
	}
	return '"'
}

func firstQuote(e *python.Expr) byte {
	if e == nil {
		return 0
	}
	if v := e.Value; v.Kind == python.Literal && v.Lit.Kind == python.Str && v.Lit.Quote != 0 {
		return v.Lit.Quote
	}
	if e.List != nil {
		for _, it := range e.List.Items {
			if q := firstQuote(it); q != 0 {
				return q
			}
		}
	}
	if e.Call != nil {
		for _, a := range e.Call.Args {
			if q := firstQuote(a.Value); q != 0 {
				return q
			}
		}
	}
	return 0
}

// indexItem writes the Index call as the module writes its model
// classes: models.Index when fields are models.XField.
func indexItem(m *stack.Model, fields []string, q byte) string {
	prefix := "Index"
	for _, f := range m.Fields {
		if f.Model == m && f.Attr != nil && f.Attr.Value.Call != nil {
			if mod, _, ok := strings.Cut(f.Attr.Value.Call.Func, "."); ok && strings.Contains(f.Attr.Value.Call.Func, ".") {
				prefix = mod + ".Index"
			}
			break
		}
	}
	qs := make([]string, len(fields))
	for i, f := range fields {
		qs[i] = quote(f, q)
	}
	return prefix + "(fields=[" + strings.Join(qs, ", ") + "])"
}

// indexEdits adds item to the model's Meta.indexes.
func indexEdits(m *stack.Model, item string) ([]edit.TextEdit, rules.Applicability) {
	doc := m.File.Doc
	if !strings.Contains(item, ".") && !indexImported(m) {
		return nil, rules.Safe // Index is not known to be imported: do not write a name that may not exist
	}
	if m.Meta != nil {
		at := m.Meta.Attr("indexes")
		if at != nil {
			if l := at.Value.List; l != nil && l.Open >= 0 {
				return edit.PythonAppendItem(doc, l, item), rules.Safe
			}
			return nil, rules.Safe // computed: not ours to rewrite
		}
		if e, ok := edit.PythonClassAppend(doc, m.Meta, "indexes = ["+item+"]"); ok {
			return []edit.TextEdit{e}, rules.Safe
		}
		return nil, rules.Safe
	}
	header := "class Meta:"
	for _, p := range m.Parents {
		if p.Abstract && p.Meta != nil {
			header = "class Meta(" + p.Name + ".Meta):"
			break
		}
	}
	app := rules.Safe
	if m.Open {
		app = rules.Unsafe
	}
	unit := edit.ClassIndentUnit(doc, m.Class)
	if e, ok := edit.PythonClassAppend(doc, m.Class, "", header, unit+"indexes = ["+item+"]"); ok {
		return []edit.TextEdit{e}, app
	}
	return nil, rules.Safe
}

// indexImported reports whether the models module calls a bare Index(...)
// already (imported from django.db.models).
func indexImported(m *stack.Model) bool {
	for _, om := range m.File.Python.Classes {
		if meta := om.Nested("Meta"); meta != nil {
			if at := meta.Attr("indexes"); at != nil && at.Value.List != nil {
				for _, it := range at.Value.List.Items {
					if it.Call != nil && it.Call.Func == "Index" {
						return true
					}
				}
			}
		}
	}
	return false
}
