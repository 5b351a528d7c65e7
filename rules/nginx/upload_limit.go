package nginx

import (
	"fmt"

	"github.com/headroom-dev/headroom/parsers"
	ngx "github.com/headroom-dev/headroom/parsers/nginx"
	"github.com/headroom-dev/headroom/parsers/python"
	"github.com/headroom-dev/headroom/rules"
)

// UploadLimit is HR407.
var UploadLimit = &rules.Rule{
	ID:       "HR407",
	Name:     "upload-limits",
	Phase:    1,
	Severity: rules.Warning,
	Kinds:    []parsers.Kind{parsers.KindNginx},
	Doc: rules.Doc{
		Title: "nginx rejects request bodies Django is configured to accept",
		Why: `nginx refuses a request whose body is larger than client_max_body_size (1m when not
set) with 413 Request Entity Too Large, before the app sees it. Django's acceptance
limit is DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB by default): a request body other than
file uploads larger than that is refused (RequestDataTooBig). When the settings raise
it above what nginx lets through, the author expects bodies of that size, and nginx
turns every one of them into a 413 that never shows in Django's logs. The rule
compares the limit in effect in each location proxying to the app with that setting
where it is set explicitly. FILE_UPLOAD_MAX_MEMORY_SIZE is not an acceptance limit:
it is the size above which Django spools an uploaded file to a temporary file instead
of memory, and uploads of any size are accepted, so it says nothing about the bodies
the author expects and is not compared. The other direction (nginx allowing more than
Django's data limit) is normal: file uploads do not count against
DATA_UPLOAD_MAX_MEMORY_SIZE.`,
		Impact: "uploads and large JSON bodies fail with 413 at the proxy",
		Fix: `No automatic fix: raise client_max_body_size in the server or location proxying to
Django to at least the Django setting, or lower the setting.`,
		Bad: `# settings.py: DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
location / { proxy_pass http://app; }   # client_max_body_size 1m by default`,
		Good: `location / { proxy_pass http://app; client_max_body_size 10m; }`,
		Sources: []string{
			"https://nginx.org/en/docs/http/ngx_http_core_module.html#client_max_body_size",
			"https://docs.djangoproject.com/en/stable/ref/settings/#data-upload-max-memory-size",
			"https://docs.djangoproject.com/en/stable/ref/settings/#file-upload-max-memory-size",
			"https://docs.djangoproject.com/en/stable/topics/http/file-uploads/#where-uploaded-data-is-stored",
		},
		Since: "0.1.0",
	},
	Check: checkUploadLimit,
}

func init() { rules.Register(UploadLimit) }

// djangoLimit is the largest explicit DATA_UPLOAD_MAX_MEMORY_SIZE of the
// stack.
type djangoLimit struct {
	name  string
	size  int64
	doc   *parsers.Document
	at    parsers.Span
	found bool
}

func checkUploadLimit(p *rules.Pass) {
	f := p.File.Nginx
	if f == nil {
		return
	}
	var lim djangoLimit
	for _, sf := range p.Stack.Files {
		if sf.Python == nil {
			continue
		}
		// FILE_UPLOAD_MAX_MEMORY_SIZE is where uploads spool to disk, not a
		// limit on what Django accepts.
		for _, name := range []string{"DATA_UPLOAD_MAX_MEMORY_SIZE"} {
			o := sf.Python.Names[name]
			if o == nil || o.Conditional {
				continue
			}
			l, ok := o.Value().Effective()
			if !ok || l.Kind == python.None {
				continue
			}
			n, ok := l.Number()
			if !ok || int64(n) <= lim.size {
				continue
			}
			lim = djangoLimit{name, int64(n), sf.Doc, o.Span(), true}
		}
	}
	if !lim.found {
		return
	}
	seen := map[parsers.Span]bool{}
	for _, ps := range f.Passes() {
		if ps.Directive.Name != "proxy_pass" || ngx.IsWebSocket(ps.Directive.Parent) {
			continue
		}
		max := int64(1 << 20)
		span := ps.Directive.HeadSpan()
		what := "nginx's default client_max_body_size 1m"
		if v, d := ps.Directive.Parent.EffectiveValue("client_max_body_size"); d != nil {
			n, ok := bytesize(v)
			if !ok {
				continue
			}
			max, span, what = n, d.HeadSpan(), "client_max_body_size "+v
		}
		if max == 0 || max >= lim.size || seen[span] {
			continue // 0: no limit
		}
		seen[span] = true
		p.Report(rules.Diagnostic{
			Span: span,
			Message: fmt.Sprintf("%s rejects request bodies over %s with 413, but Django's %s accepts up to %s: those requests never reach Django; raise client_max_body_size to %s",
				what, human(max), lim.name, human(lim.size), human(roundUpMB(lim.size))),
			Related: []rules.Location{{Doc: lim.doc, Span: lim.at, Message: fmt.Sprintf("%s = %d bytes", lim.name, lim.size)}},
		})
	}
}

func roundUpMB(n int64) int64 { return (n + 1<<20 - 1) / (1 << 20) * (1 << 20) }
