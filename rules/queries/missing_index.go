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
	Unsafe:   true,
	Fixable:  false, // index fixes are unsafe: see Doc.Fix
	Doc: rules.Doc{
		Title: "A queryset filters or orders on columns no index serves",
		Why: `A query that filters on columns no index leads with reads every row of the table (or
every row the one indexed column selects) and discards what does not match; one that
orders a whole table by an unindexed column sorts it on each request. Both grow with
the table, hold the connection longer, and under load queue every other request
behind them.

headroom reads the filter()/get() keyword arguments (exact, in and range lookups on the
model's own columns) and the first order_by() column, and looks for an index that
serves them: the primary key, unique and db_index fields, a ForeignKey's own index,
unique_together, index_together, UniqueConstraint and Meta.indexes, including the
leading columns of a composite index. A query is quiet when

- some index's leading columns are exactly the columns it filters on, in any order,
  or it filters a unique column;
- a column it filters on already leads an index (a ForeignKey, db_index, the first
  column of a composite): the database reads through that index and filters the rest,
  and another index would cost every write for little;
- it filters only on columns a plain (B-tree) index does not serve: TextField (long
  values overflow a B-tree entry), JSONField, BinaryField, arrays (GIN territory), or
  isnull lookups (mostly matching a large share of rows);
- it filters only on booleans.

The order counts: a filter plus order_by(...) wants the index (filter columns, order
column), and an order_by over the whole table wants one on its column. A filter on a
column with choices (a status with a few values) gets a partial index instead of a
B-tree on the status: models.Index(fields=[the order column or the primary key],
condition=models.Q(status="pending"), name=...), which holds only the rows the query
asks for.`,
		Impact: "the report's phase 2 indexes for high-traffic queries (with the query fixes: 200-400 RPS, p95 100-300 ms)",
		Fix: `Adds the index to the model's Meta.indexes, like the list's other items; creates the
indexes list, or class Meta (subclassing an abstract parent's Meta), where there is
none. Never a safe fix, so only with --unsafe-fixes: every index slows each insert and
update of the table (write amplification) and takes disk and memory, and its migration
(run makemigrations, then migrate) locks a big table against writes while it builds
unless it is created with AddIndexConcurrently in a non-atomic migration. Whether it
pays is a judgement on the table's size and traffic. No fix where the model inherits
from a class headroom did not read (a new Meta would replace its Meta), or where a
partial index's condition is not a literal.`,
		Bad: `# chat/views.py
Message.objects.filter(processing_status='pending')

# chat/models.py
class Message(models.Model):
    processing_status = models.CharField(max_length=20, choices=ProcessingStatus.choices)
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
            models.Index(fields=['id'], condition=models.Q(processing_status='pending'), name='message_pending_id_ix'),
        ]`,
		Sources: []string{
			"https://docs.djangoproject.com/en/stable/ref/models/indexes/",
			"https://docs.djangoproject.com/en/stable/ref/models/options/#indexes",
			"https://docs.djangoproject.com/en/stable/ref/models/fields/#db-index",
			"https://docs.djangoproject.com/en/stable/topics/db/optimization/#use-standard-db-optimization-techniques",
			"https://docs.djangoproject.com/en/stable/ref/contrib/postgres/operations/#concurrent-index-operations",
			"https://www.postgresql.org/docs/current/indexes-multicolumn.html",
			"https://www.postgresql.org/docs/current/indexes-partial.html",
			"https://www.postgresql.org/docs/current/indexes-ordering.html",
			"https://www.postgresql.org/docs/current/btree.html",
			"https://docs.djangoproject.com/en/stable/ref/models/indexes/#condition",
		},
		Since: "0.2.0",
	},
	Check: checkMissingIndex,
}

func init() { rules.Register(MissingIndex) }

// indexable are the lookups a B-tree index on the column serves.
var indexable = map[string]bool{"exact": true, "in": true, "isnull": true, "gt": true, "gte": true, "lt": true, "lte": true, "range": true}

// filterCol is one column a query filters on, with its lookup and the
// argument that filters it.
type filterCol struct {
	f      *stack.Field
	lookup string
	arg    *python.Arg
}

// filterColumns returns the model columns a query filters on with lookups
// an index serves, in the order written, and where the last of them is
// written. ok is false for queries headroom does not read (Q objects,
// **kwargs, annotations, unknown fields).
func filterColumns(q *query) (cols []filterCol, pk bool, at *python.Link, ok bool) {
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
			lookup := "exact"
			if len(parts) == 2 {
				lookup = parts[1]
			}
			dup := false
			for _, c := range cols {
				dup = dup || c.f == f
			}
			if !dup {
				cols = append(cols, filterCol{f: f, lookup: lookup, arg: a})
			}
			at = l
		}
	}
	return cols, pk, at, true
}

// noBTree are field types a plain (B-tree) index does not serve: long text
// overflows a B-tree entry (PostgreSQL caps one at about 2.7 kB), JSON and
// arrays want GIN, binary data is not searched.
var noBTree = map[string]bool{
	"TextField": true, "JSONField": true, "BinaryField": true,
	"ArrayField": true, "HStoreField": true, "SearchVectorField": true,
}

// lowCardinality reports whether a column holds a few values: a field with
// choices (a status), which a partial index serves better than a B-tree.
func lowCardinality(f *stack.Field) bool {
	return f.Attr != nil && f.Attr.Value.Call != nil && f.Attr.Value.Call.Kwarg("choices") != nil
}

func isBoolean(f *stack.Field) bool {
	return f.Type == "BooleanField" || f.Type == "NullBooleanField"
}

// leads reports whether some index (or a unique column) starts with the
// column: the query is already served through it.
func leads(m *stack.Model, f *stack.Field) bool {
	if f.Unique {
		return true
	}
	for _, ix := range m.Indexes {
		if len(ix.Fields) > 0 && ix.Fields[0] == f.Name {
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

// orderColumn is the query's first order_by column on the model itself,
// as written ("-created_at"), and the field.
func orderColumn(q *query) (string, *stack.Field, *python.Link) {
	ls := q.calls("order_by")
	if len(ls) == 0 {
		return "", nil, nil
	}
	first := ls[len(ls)-1].Call.Positional(0)
	if first == nil || first.Value.Value.Kind != python.Literal || first.Value.Value.Lit.Kind != python.Str {
		return "", nil, nil
	}
	col := first.Value.Value.Lit.Str
	f := q.Model.Field(strings.TrimPrefix(col, "-"))
	if f == nil || f.Rel == stack.ManyToMany || strings.Contains(col, "__") || noBTree[f.Type] {
		return "", nil, nil
	}
	return strings.Replace(col, strings.TrimPrefix(col, "-"), f.Name, 1), f, ls[len(ls)-1]
}

func checkQuery(pass *rules.Pass, q *query, seen map[int]bool) {
	cols, pk, at, ok := filterColumns(q)
	if !ok || pk {
		return
	}
	m := q.Model
	orderCol, orderField, orderAt := orderColumn(q)
	var regular, low []filterCol
	var skipped []string
	for _, c := range cols {
		switch {
		case noBTree[c.f.Type]:
			skipped = append(skipped, c.f.Name+" ("+c.f.Type+")")
		case c.lookup == "isnull":
			skipped = append(skipped, c.f.Name+"__isnull")
		case lowCardinality(c.f):
			low = append(low, c)
		default:
			regular = append(regular, c)
		}
	}
	names := func(cs []filterCol) []string {
		out := make([]string, len(cs))
		for i, c := range cs {
			out[i] = c.f.Name
		}
		return out
	}
	booleans := true
	for _, c := range regular {
		booleans = booleans && isBoolean(c.f)
	}
	var want []string
	var what, detail string
	var partial []filterCol
	switch {
	case len(regular) > 0 && !booleans:
		for _, c := range regular {
			if leads(m, c.f) {
				return // already indexed: the database reads through it and filters the rest
			}
		}
		all := append(names(regular), names(low)...)
		if ok, _, _ := served(m, all); ok {
			return
		}
		if ok, _, _ := served(m, names(regular)); ok {
			return
		}
		want = names(regular)
		if orderField != nil && !containsString(want, orderField.Name) {
			want = append(want, orderCol)
		}
		what = fmt.Sprintf("filter(%s)", strings.Join(names(cols), ", "))
		_, best, bestN := served(m, names(regular))
		detail = "no index leads with any of them"
		if len(regular) == 1 {
			detail = "no index leads with it"
		}
		if best != nil && bestN > 0 {
			detail = fmt.Sprintf("the closest index, on (%s), serves only %s", strings.Join(best.Fields, ", "), strings.Join(best.Fields[:bestN], ", "))
		}
	case len(regular) == 0 && len(low) > 0:
		if ok, _, _ := served(m, names(low)); ok {
			return
		}
		for _, c := range low {
			if partialIndexed(m, c.f.Name) {
				return
			}
		}
		partial = low
		what = fmt.Sprintf("filter(%s)", strings.Join(names(cols), ", "))
		detail = "no index serves it, and " + strings.Join(names(low), ", ") + " holds a few values (choices): a B-tree on it is rarely chosen, a partial index on the rows the query wants is"
	case len(cols) == 0 && len(skipped) == 0 && orderField != nil:
		// No filter: an order_by over the whole table wants an index on
		// its first column.
		if ok, _, _ := served(m, []string{orderField.Name}); ok {
			return
		}
		want = []string{orderCol}
		at = orderAt
		what = fmt.Sprintf("order_by(%q) over the whole table", orderCol)
		detail = "no index leads with it"
	default:
		return
	}
	if at == nil || seen[at.NameSpan.Start] {
		return
	}
	seen[at.NameSpan.Start] = true
	mq := modelQuote(m)
	var item string
	fixable := true
	if partial != nil {
		item, fixable = partialItem(pass.Doc(), m, partial, orderCol, mq)
	} else {
		item = indexItem(m, want, mq)
	}
	note := ""
	if len(skipped) > 0 {
		note = fmt.Sprintf(" (%s left out: a B-tree index does not serve it)", strings.Join(skipped, ", "))
	}
	if len(low) > 0 && partial == nil {
		note += fmt.Sprintf(" (%s left out: it holds a few values; if the query wants a rare one, make it the index's condition)", strings.Join(names(low), ", "))
	}
	d := rules.Diagnostic{
		Span: parsers.Span{Start: at.NameSpan.Start, End: at.Call.Close + 1},
		Message: fmt.Sprintf("%s.objects.%s: %s; add %s to %s.Meta.indexes%s, then run makemigrations and migrate (every index slows each write to the table, and building one locks a big table unless it is created concurrently)",
			m.Name, what, detail, strings.TrimPrefix(item, "models."), m.Name, note),
		Related: []rules.Location{{Doc: m.File.Doc, Span: m.Class.NameSpan, Message: "model " + m.Name}},
	}
	if d.Span.End > lineEndOf(pass.Doc(), d.Span.Start) {
		d.Span.End = lineEndOf(pass.Doc(), d.Span.Start)
	}
	if fixable {
		if edits := indexEdits(m, item); edits != nil {
			// Never safe: an index costs every write, and its migration
			// locks the table while it builds unless made concurrent.
			d.Fixes = []rules.Fix{{Message: "add " + item + " to " + m.Name + ".Meta.indexes (then run makemigrations; on a big table use AddIndexConcurrently)", Applicability: rules.Unsafe, Edits: edits}}
		}
	}
	pass.Report(d)
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s || strings.TrimPrefix(x, "-") == s {
			return true
		}
	}
	return false
}

// partialIndexed reports whether Meta.indexes has an index whose
// condition names the column: a partial index the query may use.
func partialIndexed(m *stack.Model, col string) bool {
	if m.Meta == nil {
		return false
	}
	at := m.Meta.Attr("indexes")
	if at == nil || at.Value.List == nil {
		return false
	}
	for _, it := range at.Value.List.Items {
		if it.Call == nil {
			continue
		}
		if c := it.Call.Kwarg("condition"); c != nil && c.Value != nil && strings.Contains(m.File.Doc.Text(c.Value.Span), col) {
			return true
		}
	}
	return false
}

// partialItem writes a partial index for a filter on columns with few
// values: the rows the query wants (condition=Q(status='pending')), in the
// order it reads them (the order_by column, else the primary key). Only
// for exact lookups on literal values; ok is false otherwise.
func partialItem(doc *parsers.Document, m *stack.Model, low []filterCol, orderCol string, q byte) (string, bool) {
	prefix := strings.TrimSuffix(indexItem(m, nil, q), "Index(fields=[])")
	var conds, parts []string
	for _, c := range low {
		if c.lookup != "exact" || c.arg.Value == nil || c.arg.Value.Value.Kind != python.Literal {
			return prefix + "Index(fields=[...], condition=" + prefix + "Q(" + c.f.Name + "=...), name=...)", false
		}
		conds = append(conds, c.f.Name+"="+doc.Text(c.arg.Value.Span))
		v := c.arg.Value.Value.Lit
		word := v.String()
		if v.Kind == python.Str {
			word = v.Str
		}
		parts = append(parts, strings.ToLower(identWord(word)))
	}
	field := orderCol
	if field == "" {
		field = m.PK()
		if field == "" {
			field = "id"
		}
	}
	parts = append(parts, strings.TrimPrefix(field, "-"))
	name := strings.ToLower(m.Name) + "_" + strings.Join(parts, "_")
	name = identWord(name)
	if len(name) > 27 {
		name = name[:27]
	}
	name = strings.TrimRight(name, "_") + "_ix"
	return prefix + "Index(fields=[" + quote(field, q) + "], condition=" + prefix + "Q(" + strings.Join(conds, ", ") + "), name=" + quote(name, q) + ")", true
}

// identWord keeps letters, digits and underscores.
func identWord(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_':
			b.WriteRune(r)
		}
	}
	return b.String()
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
func indexEdits(m *stack.Model, item string) []edit.TextEdit {
	doc := m.File.Doc
	if !strings.Contains(item, ".") && !indexImported(m) {
		return nil // Index is not known to be imported: do not write a name that may not exist
	}
	if strings.Contains(item, "condition=Q(") && !strings.Contains(item, ".") {
		return nil // Q may not be imported either
	}
	if m.Meta != nil {
		at := m.Meta.Attr("indexes")
		if at != nil {
			if l := at.Value.List; l != nil && l.Open >= 0 {
				return edit.PythonAppendItem(doc, l, item)
			}
			return nil // computed: not ours to rewrite
		}
		if e, ok := edit.PythonClassAppend(doc, m.Meta, "indexes = ["+item+"]"); ok {
			return []edit.TextEdit{e}
		}
		return nil
	}
	if m.Open {
		return nil // a new Meta would replace the Meta of a parent headroom did not read
	}
	header := "class Meta:"
	for _, p := range m.Parents {
		if p.Abstract && p.Meta != nil {
			header = "class Meta(" + p.Name + ".Meta):"
			break
		}
	}
	unit := edit.ClassIndentUnit(doc, m.Class)
	if e, ok := edit.PythonClassAppend(doc, m.Class, "", header, unit+"indexes = ["+item+"]"); ok {
		return []edit.TextEdit{e}
	}
	return nil
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
