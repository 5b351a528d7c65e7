// Package lsp is `headroom server`: a Language Server (LSP 3.16 over
// stdio, on github.com/tliron/glsp) that judges each open document in its
// deployment. Unsaved buffers replace their files in the model
// (stack.DiscoverOptions.Overlay); the other files of the deployment are
// read from disk. It publishes the findings lint reports (driver.Settings.Run,
// the code path of `headroom lint FILE`), offers the fixes `fix --phase 3`
// would apply as code actions (every phase: the diagnostics show them all), and shows on hover the figures of `headroom
// model` a line enters. It never writes a file.
package lsp

import (
	"context"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/sourcegraph/jsonrpc2"
	"github.com/tliron/glsp"
	protocol "github.com/tliron/glsp/protocol_3_16"

	"github.com/headroom-dev/headroom/capacity"
	"github.com/headroom-dev/headroom/config"
	"github.com/headroom-dev/headroom/driver"
	"github.com/headroom-dev/headroom/output"
	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/report"
	"github.com/headroom-dev/headroom/rules"
	_ "github.com/headroom-dev/headroom/rules/all" // every rule registers itself
	"github.com/headroom-dev/headroom/stack"
)

// FixAllKind is the code action kind of "fix all safe".
const FixAllKind protocol.CodeActionKind = "source.fixAll.headroom"

// Server is the state of one editor session.
type Server struct {
	// Debounce is how long after the last change a deployment is linted
	// again (default 150 ms).
	Debounce time.Duration
	// Linted, when set, is called after each deployment's diagnostics
	// are published (benchmarks and tests wait on it).
	Linted func(root string)

	mu      sync.Mutex
	lintMu  sync.Mutex
	docs    map[string]*document // by path
	timers  map[string]*time.Timer
	results map[string]*linted // by deployment root
	notify  func(method string, params any)
	call    func(method string, params any) error
	watch   bool // the client watches files for us when asked
	handler protocol.Handler

	// rootMu guards roots, each document's deployment root: finding one
	// may walk the repository (config.DeploymentRoot), which a keystroke
	// should not repeat; files changed on disk clear it.
	rootMu sync.Mutex
	roots  map[string]string
}

type document struct {
	uri  protocol.DocumentUri
	text string
}

// linted is one lint of a deployment.
type linted struct {
	cfg      *config.Config
	rules    []*rules.Rule
	stacks   []*stack.Stack
	findings []rules.Diagnostic
	// applied are the findings whose safe fix `fix --phase 3` applies,
	// planned against the whole deployment; held the fixes it refuses and
	// why.
	applied map[string]bool
	held    map[string]string
	models  []report.ModelDeployment
	// texts are the open documents' texts this lint judged.
	texts map[string]string
}

// New returns a server.
func New() *Server {
	s := &Server{Debounce: 150 * time.Millisecond, docs: map[string]*document{}, timers: map[string]*time.Timer{}, results: map[string]*linted{}, roots: map[string]string{}}
	s.handler = protocol.Handler{
		Initialize:                     s.initialize,
		Initialized:                    s.initialized,
		Shutdown:                       func(*glsp.Context) error { return nil },
		SetTrace:                       func(*glsp.Context, *protocol.SetTraceParams) error { return nil },
		TextDocumentDidOpen:            s.didOpen,
		TextDocumentDidChange:          s.didChange,
		TextDocumentDidClose:           s.didClose,
		TextDocumentDidSave:            func(*glsp.Context, *protocol.DidSaveTextDocumentParams) error { return nil },
		TextDocumentCodeAction:         s.codeAction,
		TextDocumentHover:              s.hover,
		WorkspaceDidChangeWatchedFiles: s.watched,
	}
	return s
}

// Serve runs the server on a stream (stdin and stdout for an editor) until
// the client disconnects.
func (s *Server) Serve(ctx context.Context, rw io.ReadWriteCloser) {
	var conn *jsonrpc2.Conn
	h := func(ctx context.Context, c *jsonrpc2.Conn, req *jsonrpc2.Request) (any, error) {
		gc := glsp.Context{Method: req.Method, Notify: func(method string, params any) { _ = c.Notify(ctx, method, params) }}
		if req.Params != nil {
			gc.Params = *req.Params
		}
		if req.Method == "exit" {
			return nil, c.Close()
		}
		r, validMethod, validParams, err := s.handler.Handle(&gc)
		switch {
		case !validMethod:
			if req.Notif {
				return nil, nil
			}
			return nil, &jsonrpc2.Error{Code: jsonrpc2.CodeMethodNotFound, Message: "method not supported: " + req.Method}
		case !validParams:
			return nil, &jsonrpc2.Error{Code: jsonrpc2.CodeInvalidParams, Message: errText(err)}
		}
		return r, err
	}
	conn = jsonrpc2.NewConn(ctx, jsonrpc2.NewBufferedStream(newOutbox(rw), jsonrpc2.VSCodeObjectCodec{}), jsonrpc2.HandlerWithError(h))
	s.mu.Lock()
	s.notify = func(method string, params any) { _ = conn.Notify(context.Background(), method, params) }
	s.call = func(method string, params any) error { return conn.Call(context.Background(), method, params, nil) }
	s.mu.Unlock()
	<-conn.DisconnectNotify()
	s.mu.Lock()
	for _, t := range s.timers {
		t.Stop()
	}
	s.mu.Unlock()
}

// outbox is the stream's writing side as a queue that a goroutine of its
// own writes out, in order: the connection's reader (which handles each
// message before it reads the next, and answers a request by writing)
// never waits on the client reading. A client that does the same (answers
// the server's client/registerCapability on its reader, as the protocol
// tests' client does) would otherwise deadlock with it: each writing to
// the other, neither reading. Close stops taking messages; the queue is
// written out before the stream is closed.
type outbox struct {
	io.ReadWriteCloser
	mu     sync.Mutex
	ready  *sync.Cond
	queue  [][]byte
	closed bool
	err    error // the first write that failed; the rest are dropped
}

func newOutbox(rw io.ReadWriteCloser) *outbox {
	o := &outbox{ReadWriteCloser: rw}
	o.ready = sync.NewCond(&o.mu)
	go o.drain()
	return o
}

func (o *outbox) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	switch {
	case o.err != nil:
		return 0, o.err
	case o.closed:
		return 0, io.ErrClosedPipe
	}
	o.queue = append(o.queue, append([]byte(nil), p...))
	o.ready.Signal()
	return len(p), nil
}

func (o *outbox) Close() error {
	o.mu.Lock()
	o.closed = true
	o.ready.Signal()
	o.mu.Unlock()
	return nil
}

// drain writes the queue out until the outbox is closed and empty, then
// closes the stream.
func (o *outbox) drain() {
	for {
		o.mu.Lock()
		for len(o.queue) == 0 && !o.closed {
			o.ready.Wait()
		}
		if len(o.queue) == 0 {
			o.mu.Unlock()
			o.ReadWriteCloser.Close()
			return
		}
		b := o.queue[0]
		o.queue[0] = nil
		o.queue = o.queue[1:]
		failed := o.err != nil
		o.mu.Unlock()
		if failed {
			continue
		}
		if _, err := o.ReadWriteCloser.Write(b); err != nil {
			o.mu.Lock()
			o.err = err
			o.mu.Unlock()
		}
	}
}

func errText(err error) string {
	if err != nil {
		return err.Error()
	}
	return "invalid params"
}

func (s *Server) initialize(_ *glsp.Context, p *protocol.InitializeParams) (any, error) {
	if w := p.Capabilities.Workspace; w != nil && w.DidChangeWatchedFiles != nil && w.DidChangeWatchedFiles.DynamicRegistration != nil {
		s.mu.Lock()
		s.watch = *w.DidChangeWatchedFiles.DynamicRegistration
		s.mu.Unlock()
	}
	caps := s.handler.CreateServerCapabilities()
	full := protocol.TextDocumentSyncKindFull
	open := true
	caps.TextDocumentSync = &protocol.TextDocumentSyncOptions{OpenClose: &open, Change: &full}
	caps.CodeActionProvider = &protocol.CodeActionOptions{CodeActionKinds: []protocol.CodeActionKind{protocol.CodeActionKindQuickFix, FixAllKind}}
	name := "headroom"
	return protocol.InitializeResult{Capabilities: caps, ServerInfo: &protocol.InitializeResultServerInfo{Name: name}}, nil
}

// Watched are the files whose change on disk is worth a lint of the open
// deployments: the configuration and the kinds of file a deployment is
// read from.
var Watched = []string{"**/.headroom.yaml", "**/Dockerfile*", "**/*.{yml,yaml}", "**/*.conf", "**/*.py", "**/*.txt", "**/*.toml", "**/*.ini", "**/Procfile"}

// initialized asks a client that can watch files to send their changes
// (workspace/didChangeWatchedFiles): a .headroom.yaml edited, a file of
// the deployment saved by another program. Clients that cannot still see
// them at the next lint, which reads the configuration and files anew.
func (s *Server) initialized(*glsp.Context, *protocol.InitializedParams) error {
	s.mu.Lock()
	watch, call := s.watch, s.call
	s.mu.Unlock()
	if !watch || call == nil {
		return nil
	}
	var ws []protocol.FileSystemWatcher
	for _, g := range Watched {
		ws = append(ws, protocol.FileSystemWatcher{GlobPattern: g})
	}
	reg := protocol.RegistrationParams{Registrations: []protocol.Registration{{ID: "headroom-watched-files", Method: string(protocol.MethodWorkspaceDidChangeWatchedFiles),
		RegisterOptions: protocol.DidChangeWatchedFilesRegistrationOptions{Watchers: ws}}}}
	// A request to the client is answered on the connection this handler
	// holds: sent from its own goroutine.
	go func() { _ = call(string(protocol.ServerClientRegisterCapability), reg) }()
	return nil
}

// pathOf is the file a file: URI names.
func pathOf(uri protocol.DocumentUri) string {
	u, err := url.Parse(string(uri))
	if err != nil || u.Scheme != "file" {
		return strings.TrimPrefix(string(uri), "file://")
	}
	return filepath.ToSlash(filepath.Clean(u.Path))
}

// uriOf is the file: URI of a path.
func uriOf(path string) protocol.DocumentUri {
	abs, err := filepath.Abs(filepath.FromSlash(path))
	if err != nil {
		abs = path
	}
	return protocol.DocumentUri((&url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}).String())
}

// rootOf is the deployment a document belongs to (config.DeploymentRoot,
// as `headroom lint FILE` finds it); the file itself when none is found
// (lint FILE reads it alone).
func (s *Server) rootOf(path string) string {
	s.rootMu.Lock()
	defer s.rootMu.Unlock()
	if r, ok := s.roots[path]; ok {
		return r
	}
	r := path
	if d := config.DeploymentRoot(path); d != "" {
		r = filepath.ToSlash(filepath.Clean(d))
	}
	s.roots[path] = r
	return r
}

func (s *Server) didOpen(_ *glsp.Context, p *protocol.DidOpenTextDocumentParams) error {
	if !strings.HasPrefix(string(p.TextDocument.URI), "file:") {
		return nil // an unsaved new buffer (untitled:) has no deployment
	}
	path := pathOf(p.TextDocument.URI)
	s.mu.Lock()
	s.docs[path] = &document{uri: p.TextDocument.URI, text: p.TextDocument.Text}
	s.mu.Unlock()
	s.schedule(s.rootOf(path), 0)
	return nil
}

func (s *Server) didChange(_ *glsp.Context, p *protocol.DidChangeTextDocumentParams) error {
	path := pathOf(p.TextDocument.URI)
	s.mu.Lock()
	d, ok := s.docs[path]
	if ok {
		for _, c := range p.ContentChanges {
			switch c := c.(type) {
			case protocol.TextDocumentContentChangeEventWhole:
				d.text = c.Text
			case protocol.TextDocumentContentChangeEvent:
				if c.Range == nil {
					d.text = c.Text
				} else {
					src := []byte(d.text)
					start, end := offsetOf(src, c.Range.Start), offsetOf(src, c.Range.End)
					d.text = d.text[:start] + c.Text + d.text[end:]
				}
			}
		}
	}
	s.mu.Unlock()
	if ok {
		s.schedule(s.rootOf(path), s.Debounce)
	}
	return nil
}

func (s *Server) didClose(_ *glsp.Context, p *protocol.DidCloseTextDocumentParams) error {
	path := pathOf(p.TextDocument.URI)
	s.mu.Lock()
	delete(s.docs, path)
	if s.notify != nil {
		s.notify(protocol.ServerTextDocumentPublishDiagnostics, protocol.PublishDiagnosticsParams{URI: p.TextDocument.URI, Diagnostics: []protocol.Diagnostic{}})
	}
	s.mu.Unlock()
	s.schedule(s.rootOf(path), 0)
	return nil
}

// watched re-lints every deployment with an open document: a changed
// .headroom.yaml or a file saved by another program is read again (each
// lint reads the configuration and the files anew).
func (s *Server) watched(_ *glsp.Context, _ *protocol.DidChangeWatchedFilesParams) error {
	// A compose file or .headroom.yaml added or removed moves roots.
	s.rootMu.Lock()
	clear(s.roots)
	s.rootMu.Unlock()
	s.mu.Lock()
	roots := map[string]bool{}
	for p := range s.docs {
		roots[s.rootOf(p)] = true
	}
	s.mu.Unlock()
	for r := range roots {
		s.schedule(r, 0)
	}
	return nil
}

// schedule lints root after delay, once: a later call before it runs
// starts the wait again.
func (s *Server) schedule(root string, delay time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if t, ok := s.timers[root]; ok {
		t.Stop()
	}
	s.timers[root] = time.AfterFunc(delay, func() { s.lint(root) })
}

// lint judges the deployment at root, its open documents in place of
// their files, and publishes the findings of each open document in it.
func (s *Server) lint(root string) {
	s.lintMu.Lock()
	defer s.lintMu.Unlock()
	s.mu.Lock()
	overlay := map[string][]byte{}
	var load []string
	open := map[string]protocol.DocumentUri{}
	for p, d := range s.docs {
		if s.rootOf(p) == root {
			overlay[p] = []byte(d.text)
			load = append(load, p)
			open[p] = d.uri
		}
	}
	notify := s.notify
	if len(open) == 0 {
		delete(s.results, root) // its last document was closed
		s.mu.Unlock()
		return
	}
	s.mu.Unlock()
	sort.Strings(load)
	if _, alone := open[root]; !alone {
		load = append([]string{root}, load...)
	}
	l := &linted{applied: map[string]bool{}, held: map[string]string{}, texts: map[string]string{}}
	for p, src := range overlay {
		l.texts[p] = string(src)
	}
	// The configuration as lint reads it; one it cannot use is said (lint
	// stops there) and the defaults judge meanwhile.
	l.cfg = config.Default()
	var bad error
	if p := config.Find(root); p != "" {
		if c, err := config.Load(p); err != nil {
			bad = err
		} else {
			l.cfg = c
		}
	}
	rs, err := rules.Selection{Select: l.cfg.Select, Ignore: l.cfg.Ignore}.Rules()
	if err != nil {
		bad = err
		l.cfg = config.Default()
		rs, _ = rules.Selection{}.Rules()
	}
	if bad != nil && notify != nil {
		notify(protocol.ServerWindowShowMessage, protocol.ShowMessageParams{Type: protocol.MessageTypeError,
			Message: "headroom: " + bad.Error() + " (judging " + root + " with the default configuration until it is fixed)"})
	}
	l.rules = rs
	settings := l.cfg.Settings()
	sts, _ := stack.LoadDeployments(load, stack.MaxFileSize, stack.DiscoverOptions{Overlay: overlay})
	for _, st := range sts {
		if len(st.Files) == 0 {
			continue
		}
		l.stacks = append(l.stacks, st)
		l.findings = append(l.findings, settings.Run(st, rs)...)
		l.models = append(l.models, report.ModelOf(st, capacity.With(st, l.cfg.Targets.Capacity())))
		res := driver.Fix(st, driver.Options{Rules: rs, Settings: settings})
		for _, d := range res.Applied {
			l.applied[key(d)] = true
		}
		for _, d := range res.Dropped {
			l.held[key(d.Diagnostic)] = d.Reason
		}
	}
	driver.Sort(l.findings)
	// Published under mu (notify only queues): a document closed while
	// this lint ran keeps the empty list didClose sent it.
	s.mu.Lock()
	s.results[root] = l
	if notify != nil {
		for p, uri := range open {
			if s.docs[p] == nil {
				continue
			}
			diags := []protocol.Diagnostic{}
			for _, d := range l.findings {
				if d.Doc.Path == p {
					diags = append(diags, toLSP(d))
				}
			}
			notify(protocol.ServerTextDocumentPublishDiagnostics, protocol.PublishDiagnosticsParams{URI: uri, Diagnostics: diags})
		}
	}
	s.mu.Unlock()
	if s.Linted != nil {
		s.Linted(root)
	}
}

// key names a finding across the lint and the fix run of one lint.
func key(d rules.Diagnostic) string {
	return d.Rule.ID + "\x00" + d.Doc.Path + "\x00" + d.Message
}

var severities = map[rules.Severity]protocol.DiagnosticSeverity{
	rules.Error: protocol.DiagnosticSeverityError, rules.Warning: protocol.DiagnosticSeverityWarning, rules.Info: protocol.DiagnosticSeverityInformation,
}

// toLSP is a finding as an LSP diagnostic: lint's message, the rule's code
// and a link to its docs (output.HelpURI, as SARIF's helpUri), the related
// locations as related information.
func toLSP(d rules.Diagnostic) protocol.Diagnostic {
	sev := severities[d.Severity]
	code := protocol.IntegerOrString{Value: d.Rule.ID}
	src := "headroom"
	out := protocol.Diagnostic{
		Range: rangeOf(d.Doc.Src, d.Span), Severity: &sev, Code: &code, Source: &src,
		CodeDescription: &protocol.CodeDescription{HRef: output.HelpURI + d.Rule.ID + ".md"},
		Message:         d.Message,
	}
	for _, r := range d.Related {
		out.RelatedInformation = append(out.RelatedInformation, protocol.DiagnosticRelatedInformation{
			Location: protocol.Location{URI: uriOf(r.Doc.Path), Range: rangeOf(r.Doc.Src, r.Span)},
			Message:  r.Message,
		})
	}
	return out
}

// positionOf is the LSP position of a byte offset: the line, and the
// UTF-16 code units before it on that line (a CR of a CRLF ends a line's
// text, as LSP counts it).
func positionOf(src []byte, off int) protocol.Position {
	off = min(max(off, 0), len(src))
	line, start := 0, 0
	for i := 0; i < off; i++ {
		if src[i] == '\n' {
			line++
			start = i + 1
		}
	}
	ch := 0
	for b := src[start:off]; len(b) > 0; {
		r, n := utf8.DecodeRune(b)
		ch++
		if r >= 0x10000 {
			ch++
		}
		b = b[n:]
	}
	return protocol.Position{Line: protocol.UInteger(line), Character: protocol.UInteger(ch)}
}

// offsetOf is the byte offset of an LSP position (the inverse of
// positionOf; past the end of a line is its end).
func offsetOf(src []byte, p protocol.Position) int {
	i, line := 0, protocol.UInteger(0)
	for ; line < p.Line && i < len(src); i++ {
		if src[i] == '\n' {
			line++
		}
	}
	for ch := protocol.UInteger(0); ch < p.Character && i < len(src) && src[i] != '\n' && src[i] != '\r'; {
		r, n := utf8.DecodeRune(src[i:])
		ch++
		if r >= 0x10000 {
			ch++
		}
		i += n
	}
	return i
}

func rangeOf(src []byte, sp parsers.Span) protocol.Range {
	return protocol.Range{Start: positionOf(src, sp.Start), End: positionOf(src, sp.End)}
}

// result is the last lint of the deployment path belongs to, linted again
// first when the document changed since (a code action or hover asked
// before the debounced lint ran: edits must fit the text the client has).
func (s *Server) result(path string) *linted {
	root := s.rootOf(path)
	s.mu.Lock()
	l, d := s.results[root], s.docs[path]
	var text string
	if d != nil {
		text = d.text
	}
	s.mu.Unlock()
	if d == nil {
		return l
	}
	if l == nil || l.texts[path] != text {
		s.lint(root)
		s.mu.Lock()
		l = s.results[root]
		s.mu.Unlock()
	}
	return l
}

// src is the text of path this lint read (the buffer, for an open
// document).
func (l *linted) src(path string) []byte {
	for _, st := range l.stacks {
		if f := st.File(path); f != nil {
			return f.Doc.Src
		}
	}
	return nil
}

// workspaceEdit is the fix's byte edits as LSP text edits, by file.
func workspaceEdit(fix rules.Fix, srcOf func(string) []byte) *protocol.WorkspaceEdit {
	changes := map[protocol.DocumentUri][]protocol.TextEdit{}
	for _, e := range fix.Edits {
		u := uriOf(e.Path)
		changes[u] = append(changes[u], protocol.TextEdit{Range: rangeOf(srcOf(e.Path), e.Span), NewText: e.New})
	}
	return &protocol.WorkspaceEdit{Changes: changes}
}

func overlaps(a, b protocol.Range) bool {
	before := func(x, y protocol.Position) bool {
		return x.Line < y.Line || x.Line == y.Line && x.Character < y.Character
	}
	return !before(a.End, b.Start) && !before(b.End, a.Start)
}

// sent reports whether the client named diag in a code action's context
// (Neovim sends the diagnostics of the cursor's line, the cursor itself
// being a range that may miss them). Codes are not compared: glsp's
// IntegerOrString does not decode.
func sent(ds []protocol.Diagnostic, diag protocol.Diagnostic) bool {
	for _, d := range ds {
		if d.Range == diag.Range && d.Message == diag.Message {
			return true
		}
	}
	return false
}

// codeAction offers, for the findings in the range, each fix `fix` would
// apply as a quickfix, each unsafe fix and each safe fix `fix` holds back
// (a budget it would break) labelled "(unsafe)" with the reason, and
// "fix all safe" for the document.
func (s *Server) codeAction(_ *glsp.Context, p *protocol.CodeActionParams) (any, error) {
	path := pathOf(p.TextDocument.URI)
	l := s.result(path)
	actions := []protocol.CodeAction{}
	if l == nil {
		return actions, nil
	}
	srcOf := l.src
	// Kinds are hierarchical: "source" and "source.fixAll" (VS Code's
	// editor.codeActionsOnSave) ask for source.fixAll.headroom too.
	wants := func(k protocol.CodeActionKind) bool {
		for _, o := range p.Context.Only {
			if k == o || strings.HasPrefix(string(k), string(o)+".") {
				return true
			}
		}
		return len(p.Context.Only) == 0
	}
	quick := protocol.CodeActionKindQuickFix
	for _, d := range l.findings {
		if d.Doc.Path != path || !wants(quick) {
			continue
		}
		diag := toLSP(d)
		if !overlaps(diag.Range, p.Range) && !sent(p.Context.Diagnostics, diag) {
			continue
		}
		for _, fix := range d.Fixes {
			title := fix.Message
			preferred := false
			switch {
			case fix.Applicability == rules.Unsafe:
				title = "(unsafe) " + title
			case l.held[key(d)] != "":
				title = "(unsafe) " + title + ": " + l.held[key(d)]
			case l.applied[key(d)]:
				preferred = true
			default:
				title = "(unsafe) " + title + ": fix does not apply it with the other fixes"
			}
			actions = append(actions, protocol.CodeAction{Title: d.Rule.ID + " " + title, Kind: &quick, Diagnostics: []protocol.Diagnostic{diag}, IsPreferred: &preferred, Edit: workspaceEdit(fix, srcOf)})
		}
	}
	if wants(FixAllKind) {
		if a := s.fixAll(l, path); a != nil {
			actions = append(actions, *a)
		}
	}
	return actions, nil
}

// fixAll is "fix all safe" for one document: what `fix --phase 3 FILE` writes,
// planned against the whole deployment and editing only that file.
func (s *Server) fixAll(l *linted, path string) *protocol.CodeAction {
	for _, st := range l.stacks {
		f := st.File(path)
		if f == nil {
			continue
		}
		res := driver.Fix(st, driver.Options{Rules: l.rules, Settings: l.cfg.Settings(), Editable: func(p string) bool { return p == path }})
		for _, doc := range res.Changed {
			if doc.Path != path {
				continue
			}
			old, neu := f.Doc.Src, doc.Src
			pre := 0
			for pre < len(old) && pre < len(neu) && old[pre] == neu[pre] {
				pre++
			}
			for pre > 0 && !utf8.RuneStart(old[pre]) {
				pre--
			}
			suf := 0
			for suf < len(old)-pre && suf < len(neu)-pre && old[len(old)-1-suf] == neu[len(neu)-1-suf] {
				suf++
			}
			for suf > 0 && !utf8.RuneStart(old[len(old)-suf]) {
				suf--
			}
			kind := FixAllKind
			e := protocol.TextEdit{Range: rangeOf(old, parsers.Span{Start: pre, End: len(old) - suf}), NewText: string(neu[pre : len(neu)-suf])}
			return &protocol.CodeAction{Title: "headroom: fix all safe", Kind: &kind,
				Edit: &protocol.WorkspaceEdit{Changes: map[protocol.DocumentUri][]protocol.TextEdit{uriOf(path): {e}}}}
		}
	}
	return nil
}

// hover shows the figures of `headroom model` the hovered value enters
// (the services with a figure read from it, the budgets they enter), on
// the text the client has now.
func (s *Server) hover(_ *glsp.Context, p *protocol.HoverParams) (*protocol.Hover, error) {
	path := pathOf(p.TextDocument.URI)
	l := s.result(path)
	if l == nil {
		return nil, nil
	}
	src, ok := l.texts[path]
	if !ok {
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, nil
		}
		src = string(b)
	}
	off := offsetOf([]byte(src), p.Position)
	for _, m := range l.models {
		if t := report.ModelAt(m, path, int(p.Position.Line)+1, off); t != "" {
			return &protocol.Hover{Contents: protocol.MarkupContent{Kind: protocol.MarkupKindMarkdown, Value: "```text\n" + t + "```"}}, nil
		}
	}
	return nil, nil
}
