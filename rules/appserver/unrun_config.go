package appserver

import (
	"fmt"
	"slices"

	"github.com/headroom-dev/headroom/edit"
	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/rules"
	"github.com/headroom-dev/headroom/stack"
)

// unrunConfig is the pass's file when it is a gunicorn config module that
// no command in view reads (a systemd unit or a launcher outside the
// repository runs gunicorn with it), else nil. Its options are judged as
// the module states them, as info: nothing says which process reads it.
func unrunConfig(pass *rules.Pass) *stack.File {
	if pass.File.Python == nil || !slices.Contains(pass.Stack.UnrunConfigs(), pass.File) {
		return nil
	}
	return pass.File
}

// configAnchor is where a finding about an option a config module leaves
// out points: its first gunicorn setting.
func configAnchor(f *stack.File) parsers.Span {
	var first parsers.Span
	found := false
	for _, name := range stack.GunicornSettingNames {
		if o := f.Python.Names[name]; o != nil && (!found || o.Span().Start < first.Start) {
			first, found = o.Span(), true
		}
	}
	if !found {
		return f.Doc.LineSpan(1)
	}
	return first
}

// appendConfig appends lines at the end of a config module.
func appendConfig(f *stack.File, lines ...string) edit.TextEdit {
	doc := f.Doc
	nl := doc.Newline()
	text := ""
	if len(doc.Src) > 0 && doc.Src[len(doc.Src)-1] != '\n' {
		text = nl
	}
	for _, l := range lines {
		text += l + nl
	}
	return edit.TextEdit{Path: doc.Path, Span: parsers.Span{Start: len(doc.Src), End: len(doc.Src)}, New: text}
}

const unrunWhy = "no command in view runs gunicorn with this module (a systemd unit or launcher outside the repository may), so it is judged as it stands"

// checkUnrunMaxRequests is HR102 on a config module no command reads.
func checkUnrunMaxRequests(pass *rules.Pass, f *stack.File) {
	maxRequests, jitter := pass.Targets.MaxRequests, pass.Targets.MaxRequestsJitter
	mr, jit := stack.ConfigSetting(f, "max-requests"), stack.ConfigSetting(f, "max-requests-jitter")
	if mr.Source == stack.SourceDefault {
		lines := []string{"max_requests = " + itoa(maxRequests)}
		if jit.Source == stack.SourceDefault {
			lines = append(lines, "max_requests_jitter = "+itoa(jitter))
		}
		pass.Report(rules.Diagnostic{
			Severity: rules.Info,
			Span:     configAnchor(f),
			Message:  "this gunicorn config sets no max_requests: gunicorn never restarts a worker, so leaked memory grows until the process is killed; " + unrunWhy,
			Fixes:    safeFix("add max_requests to "+f.Doc.Path, appendConfig(f, lines...)),
		})
		return
	}
	n, ok := mr.Int()
	switch {
	case !ok:
	case n <= 0:
		pass.Report(rules.Diagnostic{Severity: rules.Info, Span: mr.Span,
			Message: "max_requests 0 disables worker restarts, so leaked memory grows until the process is killed; " + unrunWhy})
	case jit.Source == stack.SourceDefault:
		j := max(n*jitter/maxRequests, 1)
		pass.Report(rules.Diagnostic{Severity: rules.Info, Span: mr.Span,
			Message: fmt.Sprintf("max_requests without max_requests_jitter: workers started together all restart after %d requests, at the same moment; %s", n, unrunWhy),
			Fixes:   safeFix(fmt.Sprintf("add max_requests_jitter = %d", j), appendConfig(f, "max_requests_jitter = "+itoa(j)))})
	}
}

// checkUnrunTimeout is HR103 on a config module no command reads. No fix:
// the right value depends on the proxy in front of it, which is out of
// view too.
func checkUnrunTimeout(pass *rules.Pass, f *stack.File) {
	if stack.ConfigSetting(f, "timeout").Source != stack.SourceDefault {
		return
	}
	pass.Report(rules.Diagnostic{
		Severity: rules.Info,
		Span:     configAnchor(f),
		Message:  "this gunicorn config sets no timeout: gunicorn's default of 30 s applies (for the sync worker a per-request limit, a 502 past it; for the others a watchdog on a stuck worker); " + unrunWhy,
	})
}
