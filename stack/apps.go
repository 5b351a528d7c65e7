package stack

import (
	"path"
	"strings"

	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/parsers/python"
)

// Apps is what the stack's Django app modules declare: models with their
// fields, relations and indexes, DRF serializers, and DRF views. It is read
// from the class statements alone (nothing is imported), so anything
// defined outside the linted tree (a library's base model, a serializer
// from a package) is unknown, and the model says so (Model.Open) rather than
// guess.
type Apps struct {
	Models      []*Model
	Serializers []*Serializer
	Views       []*View
	// UserModel is the name AUTH_USER_MODEL names ("User" by default).
	UserModel string
}

// RelKind is the kind of a model field's relation.
type RelKind int

const (
	NoRel RelKind = iota
	ForeignKey
	OneToOne
	ManyToMany
)

// Model is a Django model class. The user model is always there: when the
// tree does not define it, a stand-in with no File or Class represents
// django.contrib.auth's User.
type Model struct {
	Name  string
	App   string // the folder holding the models module: the app label Django derives
	File  *File
	Class *python.Class
	Meta  *python.Class // nil when the class has none
	// Fields are the model's own and inherited fields, in declaration order.
	Fields   []*Field
	Indexes  []*Index
	Abstract bool
	// Parents are the parsed models it inherits from.
	Parents []*Model
	// Open says a base class is not a parsed model or models.Model: fields,
	// indexes and Meta may come from it.
	Open bool
	apps *Apps
}

// Field is one field of a model.
type Field struct {
	Name        string
	Type        string // the field class: "CharField", "ForeignKey", ...
	Rel         RelKind
	Target      string // the related model's name (app label stripped; "self" resolved)
	TargetApp   string // the app label when the target was written "app.Model"
	RelatedName string
	DBIndex     bool // db_index=True, or a relation's own index
	Unique      bool // unique=True, primary_key=True or a OneToOneField
	Model       *Model
	Attr        *python.Attr
}

// Index is the column list an index (or a unique constraint) leads with,
// by field name, in order; "-" prefixes are dropped.
type Index struct {
	Fields []string
	Unique bool
	Span   parsers.Span // where it is declared
}

// Relation is a name a model instance can follow to other rows: a forward
// ForeignKey, OneToOne or ManyToMany field, or the reverse accessor another
// model's relation gives it.
type Relation struct {
	Name    string
	Many    bool // the name is a manager of many rows (M2M or a reverse ForeignKey)
	Reverse bool
	Field   *Field // the declaring field (on the other model when Reverse)
	Target  *Model // nil when the related model is not parsed
}

// Serializer is a DRF serializer class.
type Serializer struct {
	Name  string
	File  *File
	Class *python.Class
	// Model is Meta.model resolved; nil for a plain Serializer or an
	// unknown model.
	Model *Model
	// Fields is Meta.fields (AllFields for "__all__"); Exclude is
	// Meta.exclude; Depth is Meta.depth.
	Fields    []string
	AllFields bool
	Exclude   []string
	Depth     int
	// Declared are the fields declared on the class and its parsed parent
	// serializers, parents first.
	Declared []*SerializerField
	Parents  []*Serializer
}

// SerializerField is a field declared on a serializer class.
type SerializerField struct {
	Name   string
	Type   string // the callee's last name: "CharField", "SerializerMethodField", "MessageSerializer"
	Nested *Serializer
	Many   bool
	Source string // the source= argument, "" when absent
	// Method is the method a SerializerMethodField calls, when defined.
	Method *python.Func
	Attr   *python.Attr
	Owner  *Serializer
}

// View is a DRF class-based view or viewset.
type View struct {
	Name  string
	File  *File
	Class *python.Class
	// Lists says the view serves a list of rows (a list action), where a
	// per-row query multiplies.
	Lists bool
	// Queryset is the class-level `queryset = ...`, GetQueryset the
	// get_queryset method, each from the class or its nearest parsed parent
	// view that has one.
	Queryset    *python.Attr
	GetQueryset *python.Func
	// Serializers are the serializer classes serializer_class or
	// get_serializer_class names.
	Serializers []*Serializer
	Parents     []*View
}

// Apps returns the stack's Django app model.
func (s *Stack) Apps() *Apps {
	if s.apps == nil {
		return buildApps(s.Files)
	}
	return s.apps
}

// Model returns the model called name, preferring one of app; nil when none
// is parsed.
func (a *Apps) Model(name, app string) *Model {
	var found *Model
	for _, m := range a.Models {
		if m.Name == name {
			if app == "" || m.App == app {
				return m
			}
			if found == nil {
				found = m
			}
		}
	}
	return found
}

// Serializer returns the serializer class called name, or nil.
func (a *Apps) Serializer(name string) *Serializer {
	for _, s := range a.Serializers {
		if s.Name == name {
			return s
		}
	}
	return nil
}

// Field returns the model field called name (or its column name
// "<fk>_id"), or nil.
func (m *Model) Field(name string) *Field {
	for _, f := range m.Fields {
		if f.Name == name {
			return f
		}
	}
	if base, ok := strings.CutSuffix(name, "_id"); ok {
		if f := m.Field(base); f != nil && f.Rel != NoRel && f.Rel != ManyToMany {
			return f
		}
	}
	return nil
}

// PK is the primary key's field name ("id" unless a field says
// primary_key=True).
func (m *Model) PK() string {
	for _, f := range m.Fields {
		if isPK(f.Attr) {
			return f.Name
		}
	}
	return "id"
}

func isPK(a *python.Attr) bool {
	if a.Value.Call == nil {
		return false
	}
	k := a.Value.Call.Kwarg("primary_key")
	return k != nil && k.Value.Value.Kind == python.Literal && k.Value.Value.Lit.Truthy()
}

// Relation returns the relation called name, forward or reverse, or nil.
func (m *Model) Relation(name string) *Relation {
	for _, f := range m.Fields {
		if f.Name == name && f.Rel != NoRel {
			return &Relation{Name: name, Many: f.Rel == ManyToMany, Field: f, Target: m.apps.Model(f.Target, f.TargetApp)}
		}
	}
	for _, o := range m.apps.Models {
		for _, f := range o.Fields {
			if f.Rel == NoRel || f.Model != o || f.Target != m.Name || (f.TargetApp != "" && f.TargetApp != m.App) {
				continue // inherited fields are matched on the model that declares them
			}
			if f.reverseName() == name {
				return &Relation{Name: name, Many: f.Rel != OneToOne, Reverse: true, Field: f, Target: o}
			}
		}
	}
	return nil
}

// reverseName is the accessor a relation gives its target: related_name,
// else <model>_set (<model> for a OneToOne). "" when there is none
// (related_name ending in "+").
func (f *Field) reverseName() string {
	switch {
	case strings.HasSuffix(f.RelatedName, "+"):
		return ""
	case f.RelatedName != "":
		return f.RelatedName
	case f.Rel == OneToOne:
		return strings.ToLower(f.Model.Name)
	}
	return strings.ToLower(f.Model.Name) + "_set"
}

func buildApps(files []*File) *Apps {
	a := &Apps{UserModel: "User"}
	type cls struct {
		f *File
		c *python.Class
	}
	var classes []cls
	for _, f := range files {
		switch {
		case f.Python == nil:
		case f.Doc.Kind == parsers.KindPythonApp:
			for _, c := range f.Python.Classes {
				classes = append(classes, cls{f, c})
			}
		case f.Doc.Kind == parsers.KindPython:
			if o := f.Python.Names["AUTH_USER_MODEL"]; o != nil {
				if l, ok := o.Value().Effective(); ok && l.Kind == python.Str {
					_, a.UserModel = splitLabel(l.Str)
				}
			}
		}
	}
	// Models: classes whose bases reach models.Model through parsed
	// classes. A base named like a model but not parsed (TimeStampedModel
	// from a library) still makes a model, an open one.
	isModel := map[string]bool{}
	for changed := true; changed; {
		changed = false
		for _, k := range classes {
			if isModel[k.c.Name] {
				continue
			}
			for _, b := range k.c.Bases {
				n := lastName(b.Name)
				if b.Name == "models.Model" || b.Name == "Model" || isModel[n] || (n != "" && strings.HasSuffix(n, "Model") && !strings.HasSuffix(n, "ViewSet")) {
					isModel[k.c.Name] = true
					changed = true
					break
				}
			}
		}
	}
	for _, k := range classes {
		if isModel[k.c.Name] && isModelsModule(k.f.Doc.Path) {
			a.Models = append(a.Models, newModel(a, k.f, k.c))
		}
	}
	for _, m := range a.Models {
		a.inherit(m, map[*Model]bool{})
	}
	for _, m := range a.Models {
		m.indexes()
	}
	if a.Model(a.UserModel, "") == nil {
		// django.contrib.auth's User: not in the tree, but relations point
		// to it and other models' reverse accessors hang off it.
		a.Models = append(a.Models, &Model{Name: a.UserModel, App: "auth", Open: true, Parents: []*Model{}, apps: a,
			Indexes: []*Index{{Fields: []string{"id"}, Unique: true}, {Fields: []string{"username"}, Unique: true}}})
	}
	for _, k := range classes {
		if !isModel[k.c.Name] && isSerializer(k.c) {
			a.Serializers = append(a.Serializers, &Serializer{Name: k.c.Name, File: k.f, Class: k.c})
		}
	}
	for _, s := range a.Serializers {
		a.serializer(s)
	}
	for _, k := range classes {
		if !isModel[k.c.Name] && isView(k.c) {
			a.Views = append(a.Views, &View{Name: k.c.Name, File: k.f, Class: k.c})
		}
	}
	for _, v := range a.Views {
		a.view(v, map[*View]bool{})
	}
	return a
}

// isModelsModule: models live in models.py or a models/ package.
func isModelsModule(p string) bool {
	return path.Base(p) == "models.py" || path.Base(path.Dir(p)) == "models"
}

func lastName(dotted string) string {
	if i := strings.LastIndexByte(dotted, '.'); i >= 0 {
		return dotted[i+1:]
	}
	return dotted
}

// splitLabel splits "app.Model" into its app label and model name.
func splitLabel(s string) (app, name string) {
	if i := strings.LastIndexByte(s, '.'); i >= 0 {
		return s[:i], s[i+1:]
	}
	return "", s
}

func newModel(a *Apps, f *File, c *python.Class) *Model {
	m := &Model{Name: c.Name, App: path.Base(path.Dir(f.Doc.Path)), File: f, Class: c, Meta: c.Nested("Meta"), apps: a}
	if path.Base(path.Dir(f.Doc.Path)) == "models" {
		m.App = path.Base(path.Dir(path.Dir(f.Doc.Path)))
	}
	if m.Meta != nil {
		if ab := m.Meta.Attr("abstract"); ab != nil && ab.Value.Value.Kind == python.Literal && ab.Value.Value.Lit.Truthy() {
			m.Abstract = true
		}
	}
	for _, at := range c.Attrs {
		if fl := a.field(m, at); fl != nil {
			m.Fields = append(m.Fields, fl)
		}
	}
	return m
}

// field reads a `name = models.XField(...)` attribute.
func (a *Apps) field(m *Model, at *python.Attr) *Field {
	call := at.Value.Call
	if call == nil {
		return nil
	}
	typ := lastName(call.Func)
	if !strings.HasSuffix(typ, "Field") && typ != "ForeignKey" {
		return nil
	}
	f := &Field{Name: at.Name, Type: typ, Model: m, Attr: at}
	switch typ {
	case "ForeignKey":
		f.Rel, f.DBIndex = ForeignKey, true
	case "OneToOneField":
		f.Rel, f.DBIndex, f.Unique = OneToOne, true, true
	case "ManyToManyField":
		f.Rel = ManyToMany
	}
	if f.Rel != NoRel {
		to := call.Positional(0)
		if to == nil {
			to = call.Kwarg("to")
		}
		if to != nil {
			f.TargetApp, f.Target = a.target(m, to.Value)
		}
		if rn := call.Kwarg("related_name"); rn != nil && rn.Value.Value.Kind == python.Literal && rn.Value.Value.Lit.Kind == python.Str {
			f.RelatedName = rn.Value.Value.Lit.Str
		}
	}
	truthy := func(name string) (bool, bool) {
		k := call.Kwarg(name)
		if k == nil || k.Value.Value.Kind != python.Literal {
			return false, k != nil
		}
		return k.Value.Value.Lit.Truthy(), true
	}
	if v, set := truthy("db_index"); set {
		f.DBIndex = v
	}
	if v, _ := truthy("unique"); v {
		f.Unique, f.DBIndex = true, true
	}
	if v, _ := truthy("primary_key"); v {
		f.Unique, f.DBIndex = true, true
	}
	return f
}

// target resolves a relation's target as written: "Model", "app.Model",
// "self", a class name, settings.AUTH_USER_MODEL or get_user_model().
func (a *Apps) target(m *Model, e *python.Expr) (app, name string) {
	switch {
	case e.Value.Kind == python.Literal && e.Value.Lit.Kind == python.Str:
		app, name = splitLabel(e.Value.Lit.Str)
		if name == "self" {
			return m.App, m.Name
		}
		return app, name
	case e.Name == "settings.AUTH_USER_MODEL" || e.Call != nil && lastName(e.Call.Func) == "get_user_model":
		return "", a.UserModel
	case e.Name != "":
		return "", lastName(e.Name)
	}
	return "", ""
}

// inherit adds the parsed parents' fields and marks models with unknown
// bases open.
func (a *Apps) inherit(m *Model, seen map[*Model]bool) {
	if seen[m] || m.Parents != nil {
		return
	}
	seen[m] = true
	var inherited []*Field
	for _, b := range m.Class.Bases {
		if b.Name == "models.Model" || b.Name == "Model" {
			continue
		}
		p := a.Model(lastName(b.Name), m.App)
		if p == nil || p == m {
			m.Open = true
			continue
		}
		a.inherit(p, seen)
		m.Parents = append(m.Parents, p)
		m.Open = m.Open || p.Open
		inherited = append(inherited, p.Fields...)
	}
	m.Fields = append(inherited, m.Fields...)
	if m.Parents == nil {
		m.Parents = []*Model{}
	}
}

// indexes lists every index a query on the model can use: the primary
// key, unique and db_index fields, relations' own indexes, Meta.indexes,
// unique_together, index_together and UniqueConstraints (its own and, with
// no Meta of its own, its abstract parents').
func (m *Model) indexes() {
	m.Indexes = append(m.Indexes, &Index{Fields: []string{m.PK()}, Unique: true, Span: m.Class.NameSpan})
	for _, f := range m.Fields {
		if f.DBIndex && f.Rel != ManyToMany {
			m.Indexes = append(m.Indexes, &Index{Fields: []string{f.Name}, Unique: f.Unique, Span: f.Attr.Span})
		}
	}
	metas := []*python.Class{m.Meta}
	if m.Meta == nil {
		metas = nil
		for _, p := range m.Parents {
			if p.Abstract && p.Meta != nil {
				metas = append(metas, p.Meta)
			}
		}
	}
	for _, meta := range metas {
		if meta == nil {
			continue
		}
		if at := meta.Attr("indexes"); at != nil && at.Value.List != nil {
			for _, it := range at.Value.List.Items {
				if it.Call != nil && lastName(it.Call.Func) == "Index" {
					if fs := it.Call.Kwarg("fields"); fs != nil {
						if names, ok := fs.Value.List.Strings(); ok && len(names) > 0 {
							m.Indexes = append(m.Indexes, &Index{Fields: columns(names), Span: it.Span})
						}
					}
				}
			}
		}
		for _, name := range []string{"unique_together", "index_together"} {
			at := meta.Attr(name)
			if at == nil || at.Value.List == nil {
				continue
			}
			groups := [][]string{}
			if names, ok := at.Value.List.Strings(); ok {
				groups = append(groups, names) // a single tuple: ("a", "b")
			} else {
				for _, it := range at.Value.List.Items {
					if names, ok := it.List.Strings(); ok {
						groups = append(groups, names)
					}
				}
			}
			for _, g := range groups {
				if len(g) > 0 {
					m.Indexes = append(m.Indexes, &Index{Fields: columns(g), Unique: name == "unique_together", Span: at.Span})
				}
			}
		}
		if at := meta.Attr("constraints"); at != nil && at.Value.List != nil {
			for _, it := range at.Value.List.Items {
				if it.Call != nil && lastName(it.Call.Func) == "UniqueConstraint" {
					if fs := it.Call.Kwarg("fields"); fs != nil {
						if names, ok := fs.Value.List.Strings(); ok && len(names) > 0 {
							m.Indexes = append(m.Indexes, &Index{Fields: columns(names), Unique: it.Call.Kwarg("condition") == nil, Span: it.Span})
						}
					}
				}
			}
		}
	}
}

// columns drops the descending-order prefix: a B-tree index serves both
// directions of its leading column.
func columns(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = strings.TrimPrefix(n, "-")
	}
	return out
}

// serializerBases are DRF's serializer classes.
var serializerBases = map[string]bool{"Serializer": true, "ModelSerializer": true, "HyperlinkedModelSerializer": true}

func isSerializer(c *python.Class) bool {
	for _, b := range c.Bases {
		if n := lastName(b.Name); serializerBases[n] || strings.HasSuffix(n, "Serializer") {
			return true
		}
	}
	return false
}

func (a *Apps) serializer(s *Serializer) {
	if s.Parents != nil {
		return
	}
	s.Parents = []*Serializer{}
	for _, b := range s.Class.Bases {
		if p := a.Serializer(lastName(b.Name)); p != nil && p != s {
			a.serializer(p)
			s.Parents = append(s.Parents, p)
			s.Declared = append(s.Declared, p.Declared...)
			if s.Model == nil {
				s.Model, s.Fields, s.AllFields, s.Exclude, s.Depth = p.Model, p.Fields, p.AllFields, p.Exclude, p.Depth
			}
		}
	}
	if meta := s.Class.Nested("Meta"); meta != nil {
		if at := meta.Attr("model"); at != nil && at.Value.Name != "" {
			app, name := "", lastName(at.Value.Name)
			if s.File != nil {
				app = path.Base(path.Dir(s.File.Doc.Path))
			}
			s.Model = a.Model(name, app)
		}
		if at := meta.Attr("fields"); at != nil {
			if l := at.Value.Value; l.Kind == python.Literal && l.Lit.Kind == python.Str && l.Lit.Str == "__all__" {
				s.AllFields, s.Fields = true, nil
			} else if names, ok := at.Value.List.Strings(); ok {
				s.AllFields, s.Fields = false, names
			}
		}
		if at := meta.Attr("exclude"); at != nil {
			if names, ok := at.Value.List.Strings(); ok {
				s.Exclude, s.AllFields = names, true
			}
		}
		if at := meta.Attr("depth"); at != nil && at.Value.Value.Kind == python.Literal && at.Value.Value.Lit.Kind == python.Int {
			s.Depth = int(at.Value.Value.Lit.Int)
		}
	}
	for _, at := range s.Class.Attrs {
		call := at.Value.Call
		if call == nil {
			continue
		}
		sf := &SerializerField{Name: at.Name, Type: lastName(call.Func), Attr: at, Owner: s}
		if k := call.Kwarg("many"); k != nil && k.Value.Value.Kind == python.Literal && k.Value.Value.Lit.Truthy() {
			sf.Many = true
		}
		if k := call.Kwarg("source"); k != nil && k.Value.Value.Kind == python.Literal && k.Value.Value.Lit.Kind == python.Str {
			sf.Source = k.Value.Value.Lit.Str
		}
		sf.Nested = a.Serializer(sf.Type)
		if sf.Type == "SerializerMethodField" {
			method := "get_" + at.Name
			if k := call.Kwarg("method_name"); k != nil && k.Value.Value.Kind == python.Literal && k.Value.Value.Lit.Kind == python.Str {
				method = k.Value.Value.Lit.Str
			} else if k := call.Positional(0); k != nil && k.Value.Value.Kind == python.Literal && k.Value.Value.Lit.Kind == python.Str {
				method = k.Value.Value.Lit.Str
			}
			sf.Method = s.method(method)
		}
		// A redeclared name replaces the parent's field.
		for i, d := range s.Declared {
			if d.Name == sf.Name {
				s.Declared = append(s.Declared[:i:i], s.Declared[i+1:]...)
				break
			}
		}
		s.Declared = append(s.Declared, sf)
	}
}

// method finds a method on the serializer or its parents.
func (s *Serializer) method(name string) *python.Func {
	if f := s.Class.Method(name); f != nil {
		return f
	}
	for _, p := range s.Parents {
		if f := p.method(name); f != nil {
			return f
		}
	}
	return nil
}

// listBases are the DRF classes whose views serve a list action.
var listBases = map[string]bool{
	"ModelViewSet": true, "ReadOnlyModelViewSet": true, "ListAPIView": true, "ListCreateAPIView": true, "ListModelMixin": true,
}

// viewBases are the DRF classes a class-based API view derives from.
func isView(c *python.Class) bool {
	for _, b := range c.Bases {
		n := lastName(b.Name)
		if strings.HasSuffix(n, "ViewSet") || strings.HasSuffix(n, "APIView") || strings.HasSuffix(n, "Mixin") || listBases[n] {
			return true
		}
	}
	return false
}

func (a *Apps) view(v *View, seen map[*View]bool) {
	if seen[v] || v.Parents != nil {
		return
	}
	seen[v] = true
	v.Parents = []*View{}
	for _, b := range v.Class.Bases {
		n := lastName(b.Name)
		if listBases[n] {
			v.Lists = true
		}
		for _, p := range a.Views {
			if p.Name == n && p != v {
				a.view(p, seen)
				v.Parents = append(v.Parents, p)
				v.Lists = v.Lists || p.Lists
			}
		}
	}
	if v.Class.Method("list") != nil {
		v.Lists = true
	}
	v.Queryset = v.Class.Attr("queryset")
	v.GetQueryset = v.Class.Method("get_queryset")
	var names []string
	if at := v.Class.Attr("serializer_class"); at != nil && at.Value.Name != "" {
		names = append(names, lastName(at.Value.Name))
	}
	if f := v.Class.Method("get_serializer_class"); f != nil {
		for _, r := range f.Returns {
			if r.Name != "" {
				names = append(names, lastName(r.Name))
			}
		}
	}
	for _, n := range names {
		if s := a.Serializer(n); s != nil {
			v.Serializers = append(v.Serializers, s)
		}
	}
	for _, p := range v.Parents {
		if v.Queryset == nil {
			v.Queryset = p.Queryset
		}
		if v.GetQueryset == nil {
			v.GetQueryset = p.GetQueryset
		}
		if len(names) == 0 {
			v.Serializers = append(v.Serializers, p.Serializers...)
		}
	}
}
