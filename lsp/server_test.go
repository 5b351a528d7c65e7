package lsp

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/sourcegraph/jsonrpc2"
	protocol "github.com/tliron/glsp/protocol_3_16"
)

// client is an LSP client talking to a Server over pipes.
type client struct {
	t    testing.TB
	conn *jsonrpc2.Conn
	mu   sync.Mutex
	// n counts the diagnostics published for each document, last keeps
	// the latest (only: the memory benchmark measures the server).
	n    map[protocol.DocumentUri]int
	last map[protocol.DocumentUri][]protocol.Diagnostic
	news chan protocol.DocumentUri
	// watch are the glob patterns the server asked the client to watch.
	watch []string
	// shown are the messages the server asked the client to show.
	shown []string
}

type pipes struct {
	io.Reader
	io.Writer
	closers []io.Closer
}

func (p pipes) Close() error {
	for _, c := range p.closers {
		c.Close()
	}
	return nil
}

func start(t testing.TB) (*client, *Server) {
	t.Helper()
	sr, cw := io.Pipe()
	cr, sw := io.Pipe()
	srv := New()
	srv.Debounce = 20 * time.Millisecond
	done := make(chan struct{})
	go func() { srv.Serve(context.Background(), pipes{sr, sw, []io.Closer{sr, sw}}); close(done) }()
	c := &client{t: t, n: map[protocol.DocumentUri]int{}, last: map[protocol.DocumentUri][]protocol.Diagnostic{}, news: make(chan protocol.DocumentUri, 100)}
	h := func(ctx context.Context, conn *jsonrpc2.Conn, req *jsonrpc2.Request) (any, error) {
		if req.Method == protocol.ServerTextDocumentPublishDiagnostics {
			var p protocol.PublishDiagnosticsParams
			if err := json.Unmarshal(*req.Params, &p); err != nil {
				t.Error(err)
			}
			// glsp's IntegerOrString.UnmarshalJSON has a value receiver
			// and decodes nothing: read the codes apart.
			var codes struct {
				Diagnostics []struct{ Code string }
			}
			json.Unmarshal(*req.Params, &codes)
			for i := range p.Diagnostics {
				p.Diagnostics[i].Code = &protocol.IntegerOrString{Value: codes.Diagnostics[i].Code}
			}
			c.mu.Lock()
			c.n[p.URI]++
			c.last[p.URI] = p.Diagnostics
			c.mu.Unlock()
			select { // a wake-up for wait; never blocks the connection
			case c.news <- p.URI:
			default:
			}
		}
		if req.Method == protocol.ServerWindowShowMessage {
			var p protocol.ShowMessageParams
			if err := json.Unmarshal(*req.Params, &p); err != nil {
				t.Error(err)
			}
			c.mu.Lock()
			c.shown = append(c.shown, p.Message)
			c.mu.Unlock()
		}
		if req.Method == string(protocol.ServerClientRegisterCapability) {
			var p struct {
				Registrations []struct {
					Method          string
					RegisterOptions protocol.DidChangeWatchedFilesRegistrationOptions
				}
			}
			if err := json.Unmarshal(*req.Params, &p); err != nil {
				t.Error(err)
			}
			c.mu.Lock()
			for _, r := range p.Registrations {
				for _, w := range r.RegisterOptions.Watchers {
					c.watch = append(c.watch, r.Method+" "+w.GlobPattern)
				}
			}
			c.mu.Unlock()
		}
		return nil, nil
	}
	c.conn = jsonrpc2.NewConn(context.Background(), jsonrpc2.NewBufferedStream(pipes{cr, cw, []io.Closer{cr, cw}}, jsonrpc2.VSCodeObjectCodec{}), jsonrpc2.HandlerWithError(h))
	t.Cleanup(func() {
		c.call("shutdown", nil, nil)
		c.conn.Notify(context.Background(), "exit", nil)
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Errorf("the server did not stop after exit; goroutines:\n%s", goroutines())
		}
	})
	var init map[string]any
	// A client that watches files when asked (as VS Code does).
	c.call("initialize", json.RawMessage(`{"capabilities":{"workspace":{"didChangeWatchedFiles":{"dynamicRegistration":true}}}}`), &init)
	c.notify("initialized", protocol.InitializedParams{})
	return c, srv
}

// deadline is how long a protocol test waits on the server (to answer, to
// read what it is sent, to publish): past it the test fails with every
// goroutine's stack, where a deadlock shows, instead of hanging until go
// test's own timeout.
const deadline = 20 * time.Second

// goroutines is the stack of every goroutine.
func goroutines() string {
	buf := make([]byte, 1<<20)
	return string(buf[:runtime.Stack(buf, true)])
}

// within runs f, failing the test when it has not returned within the
// deadline (f's context ends there too).
func within(t testing.TB, what string, f func(ctx context.Context) error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), deadline)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- f(ctx) }()
	var err error
	select {
	case err = <-done:
	case <-ctx.Done():
		err = ctx.Err()
	}
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		t.Fatalf("%s: nothing after %s; goroutines:\n%s", what, deadline, goroutines())
	case err != nil:
		t.Fatalf("%s: %v", what, err)
	}
}

func (c *client) call(method string, params, result any) {
	c.t.Helper()
	within(c.t, method, func(ctx context.Context) error { return c.conn.Call(ctx, method, params, result) })
}

func (c *client) notify(method string, params any) {
	c.t.Helper()
	within(c.t, method, func(ctx context.Context) error { return c.conn.Notify(ctx, method, params) })
}

// hover is the server's hover at line:char of uri (nil: none).
func (c *client) hover(uri protocol.DocumentUri, line, char protocol.UInteger) *protocol.Hover {
	c.t.Helper()
	var h *protocol.Hover
	c.call("textDocument/hover", protocol.HoverParams{TextDocumentPositionParams: protocol.TextDocumentPositionParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: uri}, Position: protocol.Position{Line: line, Character: char}}}, &h)
	return h
}

// hoverHas fails the test unless the hover at line:char shows each of wants.
func (c *client) hoverHas(uri protocol.DocumentUri, line, char protocol.UInteger, wants ...string) {
	c.t.Helper()
	var text string
	if h := c.hover(uri, line, char); h != nil {
		b, _ := json.Marshal(h.Contents)
		text = string(b)
	}
	for _, want := range wants {
		if !strings.Contains(text, want) {
			c.t.Errorf("hover at %s:%d:%d lacks %q: %s", uri, line+1, char+1, want, text)
		}
	}
}

// wait returns the latest diagnostics published for uri once more than n
// were.
func (c *client) wait(uri protocol.DocumentUri, n int) []protocol.Diagnostic {
	c.t.Helper()
	end := time.After(deadline)
	for {
		c.mu.Lock()
		if c.n[uri] > n {
			d := c.last[uri]
			c.mu.Unlock()
			return d
		}
		c.mu.Unlock()
		select {
		case <-c.news:
		case <-end:
			c.t.Fatalf("no diagnostics for %s after %s; goroutines:\n%s", uri, deadline, goroutines())
		}
	}
}

func (c *client) count(uri protocol.DocumentUri) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n[uri]
}

// copyStack copies testdata/wingman to a temporary folder.
func copyStack(t testing.TB) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "wingman")
	err := filepath.Walk("../testdata/wingman", func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel("../testdata/wingman", p)
		if info.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

func open(t testing.TB, c *client, path string) (protocol.DocumentUri, string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	uri := uriOf(path)
	c.notify("textDocument/didOpen", protocol.DidOpenTextDocumentParams{TextDocument: protocol.TextDocumentItem{URI: uri, LanguageID: "dockerfile", Version: 1, Text: string(b)}})
	return uri, string(b)
}

func codes(ds []protocol.Diagnostic) string {
	var out []string
	for _, d := range ds {
		out = append(out, d.Code.Value.(string))
	}
	return strings.Join(out, " ")
}

func find(ds []protocol.Diagnostic, code string) *protocol.Diagnostic {
	for i := range ds {
		if ds[i].Code.Value == code {
			return &ds[i]
		}
	}
	return nil
}

func TestServerDiagnosticsActionsHover(t *testing.T) {
	dir := copyStack(t)
	c, _ := start(t)
	dockerfile := filepath.Join(dir, "Dockerfile")
	settings := filepath.Join(dir, "wingman", "settings.py")
	before, _ := os.ReadFile(dockerfile)

	duri, dsrc := open(t, c, dockerfile)
	ds := c.wait(duri, 0)
	// The same findings as `headroom lint Dockerfile` in its deployment:
	// HR101 knows the PostgreSQL budget has no room for 8 workers.
	hr101 := find(ds, "HR101")
	if hr101 == nil || !strings.Contains(hr101.Message, "out of reach") {
		t.Fatalf("HR101 judged without its deployment: %s", codes(ds))
	}
	if hr101.CodeDescription == nil || hr101.CodeDescription.HRef != "https://github.com/headroom-dev/headroom/blob/main/docs/rules/HR101.md" {
		t.Errorf("HR101 links to %+v", hr101.CodeDescription)
	}
	if got := hr101.Range.Start; got.Line != 18 || got.Character != 57 {
		t.Errorf("HR101 at %d:%d, want 18:57 (lint's 19:58)", got.Line, got.Character)
	}
	hr106 := find(ds, "HR106")
	if hr106 == nil || len(hr106.RelatedInformation) != 1 || !strings.HasSuffix(string(hr106.RelatedInformation[0].Location.URI), "/requirements.txt") {
		t.Fatalf("HR106 without its related requirement: %+v", hr106)
	}

	suri, _ := open(t, c, settings)
	sd := c.wait(suri, 0)
	if hr201 := find(sd, "HR201"); hr201 == nil || !strings.Contains(hr201.Message, "ASGI") {
		t.Fatalf("settings.py judged without the ASGI app of its deployment: %s", codes(sd))
	}

	// Code actions on the Dockerfile's CMD: quick fixes, none labelled
	// safe that fix would refuse, and fix all safe.
	var actions []protocol.CodeAction
	c.call("textDocument/codeAction", protocol.CodeActionParams{TextDocument: protocol.TextDocumentIdentifier{URI: duri},
		Range: protocol.Range{Start: protocol.Position{Line: 17}, End: protocol.Position{Line: 19}}}, &actions)
	var fixAll *protocol.CodeAction
	quick := 0
	for i, a := range actions {
		switch *a.Kind {
		case FixAllKind:
			fixAll = &actions[i]
		case protocol.CodeActionKindQuickFix:
			quick++
			if strings.HasPrefix(a.Title, "HR101") && !strings.Contains(a.Title, "(unsafe)") {
				t.Errorf("HR101's fix offered as safe though the budget has no room: %q", a.Title)
			}
		}
	}
	if quick == 0 || fixAll == nil {
		t.Fatalf("code actions: %+v", actions)
	}
	// Asked for source.fixAll (as VS Code on save), only fix all safe.
	var onSave []protocol.CodeAction
	c.call("textDocument/codeAction", protocol.CodeActionParams{TextDocument: protocol.TextDocumentIdentifier{URI: duri},
		Range: protocol.Range{Start: protocol.Position{Line: 17}, End: protocol.Position{Line: 19}}, Context: protocol.CodeActionContext{Only: []protocol.CodeActionKind{"source.fixAll"}}}, &onSave)
	if len(onSave) != 1 || *onSave[0].Kind != FixAllKind {
		t.Errorf("code actions for source.fixAll: %+v", onSave)
	}
	edits := fixAll.Edit.Changes[duri]
	if len(edits) != 1 || !strings.Contains(edits[0].NewText, "--max-requests") {
		t.Fatalf("fix all safe: %+v", edits)
	}

	// Hover on --workers 3 shows the service's figures and its budgets;
	// on the worker class, the same line, nothing: a hover names a value
	// the model uses, not the line it is on.
	c.hoverHas(duri, 18, 60, "web: gunicorn (uvicorn), ASGI", "processes    3", "postgres:host.docker.internal")
	if other := c.hover(duri, 18, 15); other != nil {
		t.Errorf("hover on the worker class shows figures of --workers: %+v", other)
	}

	// Hover on CONN_MAX_AGE in settings.py: every service that reads it,
	// with the PostgreSQL budget it enters; nothing on a line the model
	// does not read.
	c.hoverHas(suri, 37, 10, "celery_heavy: celery worker (prefork)", "wingman/settings.py:38: CONN_MAX_AGE = 0", "budgets")
	c.hoverHas(suri, 37, 24, "wingman/settings.py:38: CONN_MAX_AGE = 0") // on the value 0
	if none := c.hover(suri, 0, 0); none != nil {
		t.Errorf("hover on settings.py's first line: %+v", none)
	}

	// A change in the Dockerfile (unsaved) refreshes settings.py's
	// findings: 1 worker less changes the PostgreSQL sum.
	n := c.count(suri)
	changed := strings.Replace(dsrc, `"--workers", "3"`, `"--workers", "2"`, 1)
	c.notify("textDocument/didChange", protocol.DidChangeTextDocumentParams{TextDocument: protocol.VersionedTextDocumentIdentifier{TextDocumentIdentifier: protocol.TextDocumentIdentifier{URI: duri}, Version: 2},
		ContentChanges: []any{protocol.TextDocumentContentChangeEventWhole{Text: changed}}})
	sd = c.wait(suri, n)
	if hr901 := find(sd, "HR901"); hr901 == nil || !strings.Contains(hr901.Message, "at least 106") {
		t.Errorf("settings.py not refreshed after the Dockerfile changed: %+v", hr901)
	}
	after, _ := os.ReadFile(dockerfile)
	if string(after) != string(before) {
		t.Error("the server wrote the Dockerfile")
	}
}

// change sends the whole new text of a document.
func change(c *client, uri protocol.DocumentUri, version int, text string) {
	c.notify("textDocument/didChange", protocol.DidChangeTextDocumentParams{TextDocument: protocol.VersionedTextDocumentIdentifier{TextDocumentIdentifier: protocol.TextDocumentIdentifier{URI: uri}, Version: protocol.Integer(version)},
		ContentChanges: []any{protocol.TextDocumentContentChangeEventWhole{Text: text}}})
}

// apply is a client applying text edits: positions count UTF-16 code
// units on a line, a line's text ending before its CR LF (written apart
// from positionOf and offsetOf, which it checks).
func apply(text string, edits []protocol.TextEdit) string {
	lines := strings.SplitAfter(text, "\n")
	offset := func(p protocol.Position) int {
		off := 0
		for _, l := range lines[:p.Line] {
			off += len(l)
		}
		line := strings.TrimRight(lines[p.Line], "\r\n")
		units := utf16.Encode([]rune(line))
		return off + len(string(utf16.Decode(units[:min(int(p.Character), len(units))])))
	}
	sort.Slice(edits, func(i, j int) bool { return offset(edits[i].Range.Start) > offset(edits[j].Range.Start) })
	for _, e := range edits {
		text = text[:offset(e.Range.Start)] + e.NewText + text[offset(e.Range.End):]
	}
	return text
}

// TestServerUTF16CRLF edits an unsaved Dockerfile with CRLF line ends and
// a non-ASCII argument before the finding on its line: the diagnostic's
// column counts UTF-16 code units, and the quick fix and fix all safe
// land where the driver's byte edits do.
func TestServerUTF16CRLF(t *testing.T) {
	dir := copyStack(t)
	c, _ := start(t)
	uri, src := open(t, c, filepath.Join(dir, "Dockerfile"))
	c.wait(uri, 0)
	n := c.count(uri)
	text := strings.ReplaceAll(strings.Replace(src, `"--workers", "3"`, `"--name", "wé😀", "--workers", "3"`, 1), "\n", "\r\n")
	change(c, uri, 2, text)
	ds := c.wait(uri, n)
	hr101 := find(ds, "HR101")
	// 57 before, then `"--name", ` (10) and `"wé😀", ` (8: the emoji is
	// two UTF-16 code units, four bytes).
	if hr101 == nil || hr101.Range.Start.Line != 18 || hr101.Range.Start.Character != 75 {
		t.Fatalf("HR101 at %+v, want 18:75", hr101)
	}
	var actions []protocol.CodeAction
	c.call("textDocument/codeAction", protocol.CodeActionParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri},
		Range: protocol.Range{Start: protocol.Position{Line: 17}, End: protocol.Position{Line: 19, Character: 10}}}, &actions)
	// HR102's fix alone, or with HR103's --timeout after it (fix all).
	want := `"--error-logfile", "-", \` + "\r\n" + `     "--max-requests", "1000", "--max-requests-jitter", "50"`
	var quick, all bool
	for _, a := range actions {
		switch {
		case *a.Kind == FixAllKind:
			all = true
		case strings.HasPrefix(a.Title, "HR102") && *a.IsPreferred:
			quick = true
		default:
			continue
		}
		got := apply(text, a.Edit.Changes[uri])
		if !strings.Contains(got, want) || !strings.Contains(got, `"--name", "wé😀", "--workers", "3"`) || strings.Count(got, "\n") != strings.Count(got, "\r\n") {
			t.Errorf("%s applied:\n%q", a.Title, got)
		}
	}
	if !quick || !all {
		t.Errorf("code actions at HR101: %+v", actions)
	}
}

// TestServerConfigChange: a .headroom.yaml written next to the stack is
// read at the next lint (didChangeWatchedFiles asks for one).
func TestServerConfigChange(t *testing.T) {
	dir := copyStack(t)
	c, _ := start(t)
	uri, _ := open(t, c, filepath.Join(dir, "Dockerfile"))
	if ds := c.wait(uri, 0); find(ds, "HR102") == nil {
		t.Fatalf("no HR102 to ignore: %s", codes(ds))
	}
	var watch string
	for end := time.Now().Add(5 * time.Second); time.Now().Before(end) && watch == ""; time.Sleep(10 * time.Millisecond) {
		c.mu.Lock()
		watch = strings.Join(c.watch, ", ")
		c.mu.Unlock()
	}
	if !strings.Contains(watch, "workspace/didChangeWatchedFiles **/.headroom.yaml") {
		t.Errorf("the server asked to watch: %s", watch)
	}
	n := c.count(uri)
	if err := os.WriteFile(filepath.Join(dir, ".headroom.yaml"), []byte("ignore: [HR102]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c.notify("workspace/didChangeWatchedFiles", protocol.DidChangeWatchedFilesParams{Changes: []protocol.FileEvent{{URI: uriOf(filepath.Join(dir, ".headroom.yaml")), Type: protocol.FileChangeTypeCreated}}})
	if ds := c.wait(uri, n); find(ds, "HR102") != nil || find(ds, "HR101") == nil {
		t.Errorf("after ignore: [HR102]: %s", codes(ds))
	}

	// A configuration lint would refuse is said, and the defaults judge.
	n = c.count(uri)
	if err := os.WriteFile(filepath.Join(dir, ".headroom.yaml"), []byte("ignore: [HR9999]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c.notify("workspace/didChangeWatchedFiles", protocol.DidChangeWatchedFilesParams{Changes: []protocol.FileEvent{{URI: uriOf(filepath.Join(dir, ".headroom.yaml")), Type: protocol.FileChangeTypeChanged}}})
	if ds := c.wait(uri, n); find(ds, "HR102") == nil {
		t.Errorf("with an unusable configuration: %s", codes(ds))
	}
	c.mu.Lock()
	shown := strings.Join(c.shown, "\n")
	c.mu.Unlock()
	if !strings.Contains(shown, "HR9999") || !strings.Contains(shown, "default configuration") {
		t.Errorf("the server said: %q", shown)
	}
}

func TestPositionsUTF16(t *testing.T) {
	src := []byte("a\r\n# é😀x\r\nlast")
	for _, tc := range []struct {
		off        int
		line, char protocol.UInteger
	}{
		{0, 0, 0}, {1, 0, 1}, {3, 1, 0}, {5, 1, 2}, {7, 1, 3}, {11, 1, 5}, {12, 1, 6}, {14, 2, 0},
	} {
		p := positionOf(src, tc.off)
		if p.Line != tc.line || p.Character != tc.char {
			t.Errorf("offset %d: %d:%d, want %d:%d", tc.off, p.Line, p.Character, tc.line, tc.char)
		}
		if back := offsetOf(src, p); back != tc.off {
			t.Errorf("position %d:%d: offset %d, want %d", p.Line, p.Character, back, tc.off)
		}
	}
}

// TestServerHoverLimit: hover on PostgreSQL's max_connections, set on the
// compose file's command line, shows the budget it limits and the services
// that enter it.
func TestServerHoverLimit(t *testing.T) {
	c, _ := start(t)
	path, _ := filepath.Abs("../testdata/realworld/celery-worker-default-concurrency/docker-compose.yml")
	uri, _ := open(t, c, path)
	c.wait(uri, 0)
	c.hoverHas(uri, 13, 30, "postgres:db: at least 6 of 9 usable", "max_connections = 12", "= web 2 workers + worker 4 processes")
}

// TestServerActionsFollowTheBuffer: a code action asked before the
// debounced lint ran is planned on the text the client has now, not on
// the one last linted.
func TestServerActionsFollowTheBuffer(t *testing.T) {
	dir := copyStack(t)
	c, srv := start(t)
	srv.Debounce = time.Hour // only the code action's own lint runs
	uri, src := open(t, c, filepath.Join(dir, "Dockerfile"))
	c.wait(uri, 0)
	text := "# a line more\n" + src
	change(c, uri, 2, text)
	var actions []protocol.CodeAction
	c.call("textDocument/codeAction", protocol.CodeActionParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri},
		Range: protocol.Range{Start: protocol.Position{Line: 18}, End: protocol.Position{Line: 20}}}, &actions)
	for _, a := range actions {
		if *a.Kind != FixAllKind {
			continue
		}
		got := apply(text, a.Edit.Changes[uri])
		if !strings.HasPrefix(got, "# a line more\n") || !strings.Contains(got, `"--error-logfile", "-", \`+"\n"+`     "--max-requests", "1000"`) {
			t.Fatalf("fix all safe on the changed buffer:\n%s", got)
		}
		return
	}
	t.Fatalf("no fix all safe: %+v", actions)
}

// TestServerFileWithoutDeployment: a settings module alone in a folder
// (no compose file, Dockerfile or .headroom.yaml above it) is judged as
// `headroom lint settings.py` judges it there: HR201 says no command
// shows how the app is served, and offers no fix; hover on a value the
// model reads nothing from shows nothing. A file headroom does not read
// gets no diagnostics (or an empty list), no actions and no hover, and the
// server keeps answering.
func TestServerFileWithoutDeployment(t *testing.T) {
	dir := t.TempDir()
	settings := filepath.Join(dir, "settings.py")
	notes := filepath.Join(dir, "NOTES.md")
	for p, text := range map[string]string{
		settings: `DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "HOST": "db"}}` + "\n",
		notes:    "# notes\n",
	} {
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	c, _ := start(t)
	suri, _ := open(t, c, settings)
	ds := c.wait(suri, 0)
	if got := codes(ds); got != "HR201 HR203" {
		t.Fatalf("a lone settings module: %s, want HR201 HR203 (as headroom lint settings.py)", got)
	}
	if hr201 := find(ds, "HR201"); !strings.Contains(hr201.Message, "no gunicorn, uvicorn or daphne command shows how the app is served") {
		t.Errorf("HR201: %s", hr201.Message)
	}
	var actions []protocol.CodeAction
	c.call("textDocument/codeAction", protocol.CodeActionParams{TextDocument: protocol.TextDocumentIdentifier{URI: suri},
		Range: protocol.Range{End: protocol.Position{Line: 1}}}, &actions)
	// lint marks only HR203 fixable; HR201's fix depends on how the app is
	// served, which nothing shows: offered, labelled unsafe, not preferred.
	var titles []string
	for _, a := range actions {
		titles = append(titles, a.Title)
		if strings.HasPrefix(a.Title, "HR201") && (!strings.Contains(a.Title, "(unsafe)") || a.IsPreferred == nil || *a.IsPreferred) {
			t.Errorf("HR201's fix offered as safe without a command: %+v", a)
		}
	}
	if got := strings.Join(titles, " | "); !strings.Contains(got, "HR203 add connect_timeout") || !strings.Contains(got, "headroom: fix all safe") {
		t.Errorf("code actions on a lone settings module: %q", got)
	}

	if h := c.hover(suri, 0, 20); h != nil {
		t.Errorf("hover on a settings module no unit loads: %+v", h)
	}

	// This part hung once under the full suite: the server's reader,
	// writing an answer, waited on the client's reader, itself writing
	// its answer to client/registerCapability (see TestServerKeepsReading).
	nuri, _ := open(t, c, notes)
	begin := time.Now()
	var none []protocol.CodeAction
	c.call("textDocument/codeAction", protocol.CodeActionParams{TextDocument: protocol.TextDocumentIdentifier{URI: nuri}}, &none)
	if len(none) != 0 {
		t.Errorf("actions on a file headroom does not read: %+v", none)
	}
	if h := c.hover(nuri, 0, 2); h != nil {
		t.Errorf("hover on a file headroom does not read: %+v", h)
	}
	if took := time.Since(begin); took > 5*time.Second {
		t.Errorf("code action and hover on a file headroom does not read took %s", took)
	}
	// Its diagnostics, if any are published (the lint that answered has
	// run; its debounced twin may publish after it): none.
	for end := time.Now().Add(time.Second); time.Now().Before(end) && c.count(nuri) == 0; time.Sleep(10 * time.Millisecond) {
	}
	c.mu.Lock()
	nd := c.last[nuri]
	c.mu.Unlock()
	if len(nd) != 0 {
		t.Errorf("a file headroom does not read: %s", codes(nd))
	}
}

// gate is a reader that reads nothing until open is closed.
type gate struct {
	io.Reader
	open chan struct{}
}

func (g gate) Read(p []byte) (int, error) {
	<-g.open
	return g.Reader.Read(p)
}

// TestServerKeepsReading: the server reads what it is sent while the
// client reads nothing of what it sends back (over a pipe with no
// buffer), and every request is answered once the client reads. A server
// whose reader writes its answers itself stops reading at the first one:
// with a client that answers requests on its own reader the two deadlock.
func TestServerKeepsReading(t *testing.T) {
	dir := copyStack(t)
	sr, cw := io.Pipe()
	cr, sw := io.Pipe()
	go New().Serve(context.Background(), pipes{sr, sw, []io.Closer{sr, sw}})
	opened := make(chan struct{})
	h := func(context.Context, *jsonrpc2.Conn, *jsonrpc2.Request) (any, error) { return nil, nil }
	conn := jsonrpc2.NewConn(context.Background(), jsonrpc2.NewBufferedStream(pipes{gate{cr, opened}, cw, []io.Closer{cr, cw}}, jsonrpc2.VSCodeObjectCodec{}), jsonrpc2.HandlerWithError(h))
	// The pipes first: a write still blocked (the test failed) holds the
	// connection, which Close waits for.
	defer func() { cw.Close(); cr.Close(); conn.Close() }()
	c := &client{t: t, conn: conn}
	var calls []jsonrpc2.Waiter
	dispatch := func(method string, params any) {
		t.Helper()
		within(t, method, func(ctx context.Context) error {
			w, err := conn.DispatchCall(ctx, method, params)
			calls = append(calls, w)
			return err
		})
	}
	dispatch("initialize", json.RawMessage(`{"capabilities":{"workspace":{"didChangeWatchedFiles":{"dynamicRegistration":true}}}}`))
	c.notify("initialized", protocol.InitializedParams{})
	uri, src := open(t, c, filepath.Join(dir, "Dockerfile"))
	for i := 0; i < 20; i++ {
		change(c, uri, i+2, strings.Replace(src, `"--workers", "3"`, `"--workers", "`+string(rune('2'+i%2))+`"`, 1))
		dispatch("textDocument/codeAction", protocol.CodeActionParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri},
			Range: protocol.Range{Start: protocol.Position{Line: 17}, End: protocol.Position{Line: 19}}})
		dispatch("textDocument/hover", protocol.HoverParams{TextDocumentPositionParams: protocol.TextDocumentPositionParams{
			TextDocument: protocol.TextDocumentIdentifier{URI: uri}, Position: protocol.Position{Line: 18, Character: 60}}})
	}
	close(opened)
	for i, w := range calls {
		within(t, "answer "+strconv.Itoa(i), func(ctx context.Context) error { return w.Wait(ctx, nil) })
	}
}
