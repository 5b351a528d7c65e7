// Package throttle holds the rules on Django REST framework's throttling:
// rate tiers, rates DRF cannot parse and scopes no throttle uses (HR702).
package throttle

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/headroom-dev/headroom/edit"
	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/parsers/python"
	"github.com/headroom-dev/headroom/rules"
	"github.com/headroom-dev/headroom/stack"
)

// Tiers is HR702.
var Tiers = &rules.Rule{
	ID:       "HR702",
	Name:     "drf-throttle-tiers",
	Phase:    3,
	Severity: rules.Warning,
	Kinds:    []parsers.Kind{parsers.KindPython},
	Fixable:  true,
	Unsafe:   true,
	Doc: rules.Doc{
		Title: "DRF throttle rates: missing premium tiers, rates DRF cannot parse, scopes nothing uses",
		Why: `REST framework reads each rate as "<count>/<period>" and keeps only the period's
first letter: s, m, h or d. "5/10m" is read as period "1" and raises KeyError on the
first request the throttle sees; "1000/month" is 1000 per minute; "5/Minute" fails.

A rate applies only through a throttle class with that scope: AnonRateThrottle
("anon"), UserRateThrottle ("user"), a subclass setting scope = "...", or
ScopedRateThrottle with a view's throttle_scope. A rate no class uses does nothing, and
is usually a tier someone meant to add.

The report scales by user tier: every paying user shares the free limits until
premium, chat_premium and ai_premium rates exist next to user, chat and ai, each used
by a throttle class that picks it for premium users.`,
		Impact: "heavy users get limits that match their tier instead of the free ones (the report's phase 3, item 9)",
		Fix: `A rate with a multi-unit period ("5/10m") becomes the same count over the smallest
unit at least as long ("5/hour"): safe, since it never lets more requests through in
any window than the author wrote (DRF counts a sliding window of the unit), so a
login or OTP throttle stays at least as tight; it is tighter on average. Where the
period is exactly one unit ("5/60s", "5/1m") it is the same rate. Keeping the average
instead ("30/hour") lets six times the burst through at once (30 guesses in a minute
where 5 per 10 minutes were meant) and is offered only as an unsafe fix.
Missing tiers and unused scopes are reported only: a tier needs a throttle class that
knows who is premium, which is the project's own code.`,
		Bad: `'DEFAULT_THROTTLE_RATES': {
    'user': '10000/hour',
    'chat': '60/minute',
    'otp': '5/10m',
}`,
		Good: `'DEFAULT_THROTTLE_RATES': {
    'user': '10000/hour',
    'premium': '50000/hour',
    'chat': '60/minute',
    'chat_premium': '300/minute',
    'otp': '5/hour',
}`,
		Sources: []string{
			"https://www.django-rest-framework.org/api-guide/throttling/",
			"https://github.com/encode/django-rest-framework/blob/3.15.2/rest_framework/throttling.py#L95-L106",
		},
		Since: "0.2.0",
	},
	Check: checkTiers,
}

func init() { rules.Register(Tiers) }

// premiumTiers are the report's tiers: the premium scope for each base
// scope, with the report's rate.
var premiumTiers = []struct{ base, tier, rate string }{
	{"user", "premium", "50000/hour"},
	{"chat", "chat_premium", "300/minute"},
	{"ai", "ai_premium", "100/minute"},
}

// builtinScopes are the scopes of DRF's own throttle classes.
var builtinScopes = map[string]string{
	"rest_framework.throttling.AnonRateThrottle": "anon",
	"rest_framework.throttling.UserRateThrottle": "user",
	"AnonRateThrottle":                           "anon",
	"UserRateThrottle":                           "user",
}

var rateForm = regexp.MustCompile(`^\s*(\d+)\s*/\s*(\d*)\s*([A-Za-z]+)\s*$`)

var unitSeconds = map[byte]int{'s': 1, 'm': 60, 'h': 3600, 'd': 86400}

var unitNames = []struct {
	name string
	secs int
}{{"second", 1}, {"minute", 60}, {"hour", 3600}, {"day", 86400}}

func checkTiers(pass *rules.Pass) {
	m := pass.File.Python
	rates := m.Lookup("REST_FRAMEWORK", "DEFAULT_THROTTLE_RATES")
	if !rates.IsDict() || rates.Conditional {
		return
	}
	for _, scope := range rates.Keys() {
		checkRate(pass, scope, rates.Get(scope))
	}
	used, seen := usedScopes(pass.Stack, m)
	keys := rates.Keys()
	has := map[string]bool{}
	for _, k := range keys {
		has[k] = true
	}
	for _, t := range premiumTiers {
		base := rates.Get(t.base)
		if base == nil || has[t.tier] {
			continue
		}
		pass.Report(rules.Diagnostic{
			Span:    keySpan(base),
			Message: fmt.Sprintf("no %q tier beside %q: premium users share the free limit; add '%s': '%s' and a throttle class with scope = %q that applies it to premium users", t.tier, t.base, t.tier, t.rate, t.tier),
		})
	}
	if !seen {
		return // the code that defines throttles was not read: use is unknown
	}
	for _, k := range keys {
		if used[k] || rates.Open {
			continue
		}
		pass.Report(rules.Diagnostic{
			Span:    keySpan(rates.Get(k)),
			Message: fmt.Sprintf("throttle scope %q has a rate but no throttle class uses it (scope = %q, or throttle_scope with ScopedRateThrottle): the rate is never applied", k, k),
		})
	}
}

func keySpan(o *python.Object) parsers.Span {
	if o.Entry != nil {
		return o.Entry.KeySpan
	}
	return o.Span()
}

// checkRate reports a rate DRF cannot parse or reads otherwise than
// written.
func checkRate(pass *rules.Pass, scope string, o *python.Object) {
	l, ok := o.Value().Effective()
	if !ok || l.Kind != python.Str {
		return
	}
	rate := l.Str
	mm := rateForm.FindStringSubmatch(rate)
	if mm == nil {
		pass.Reportf(o.Span(), "throttle rate %q for %q is not \"<count>/<period>\": DRF fails on the first request it throttles", rate, scope)
		return
	}
	count, _ := strconv.Atoi(mm[1])
	mult, unit := mm[2], mm[3]
	secs, known := unitSeconds[unit[0]]
	switch {
	case !known:
		pass.Reportf(o.Span(), "throttle rate %q for %q: DRF reads only the period's first letter, and %q is not s, m, h or d (KeyError on the first request it throttles)", rate, scope, unit[:1])
	case mult != "":
		k, _ := strconv.Atoi(mult)
		d := rules.Diagnostic{Span: o.Span(), Message: fmt.Sprintf("throttle rate %q for %q: DRF reads only the period's first letter, so \"%s%s\" is read as %q and raises KeyError on the first request it throttles", rate, scope, mult, unit, mult[:1])}
		if k > 0 {
			d.Fixes, d.Message = rateFixes(pass, o, l, count, k*secs, d.Message)
		}
		pass.Report(d)
	case unit == "month" || unit == "months" || unit == "ms":
		pass.Reportf(o.Span(), "throttle rate %q for %q is read as %d per minute: DRF keeps only the period's first letter", rate, scope, count)
	}
}

// rateFixes offers what DRF can read in place of count per window seconds
// ("5/10m"). The safe fix keeps the count and takes the smallest unit at
// least as long as the window ("5/hour"): never more requests in any window
// than the author allowed, so a login or OTP throttle stays as tight (it
// is tighter on average). Keeping the average instead ("30/hour") lets 6
// times the burst through in one window: offered only as unsafe.
func rateFixes(pass *rules.Pass, o *python.Object, l python.Lit, count, window int, msg string) ([]rules.Fix, string) {
	var fixes []rules.Fix
	burst, exact := "", false
	for _, u := range unitNames {
		if u.secs >= window {
			burst, exact = fmt.Sprintf("%d/%s", count, u.name), u.secs == window
			break
		}
	}
	if burst != "" {
		if ed, err := edit.PythonSetValue(pass.Doc(), o, quoteLike(l, burst)); err == nil {
			if exact {
				msg += fmt.Sprintf("; %q is the same rate", burst)
				return []rules.Fix{{Message: fmt.Sprintf("write %q (the same rate)", burst), Edits: []edit.TextEdit{ed}}}, msg
			}
			msg += fmt.Sprintf("; %q keeps the burst (never more than %d requests in any window as written), but allows fewer per %s on average", burst, count, strings.SplitN(burst, "/", 2)[1])
			fixes = append(fixes, rules.Fix{Message: fmt.Sprintf("write %q (the same burst, a lower average)", burst), Edits: []edit.TextEdit{ed}})
		}
	}
	if r, ok := equivalent(count, window); ok && r != burst {
		if ed, err := edit.PythonSetValue(pass.Doc(), o, quoteLike(l, r)); err == nil {
			n, _ := strconv.Atoi(strings.SplitN(r, "/", 2)[0])
			fixes = append(fixes, rules.Fix{
				Message:       fmt.Sprintf("write %q (the same average, but %d requests at once where %d were allowed: looser for login or OTP throttles)", r, n, count),
				Applicability: rules.Unsafe,
				Edits:         []edit.TextEdit{ed},
			})
			if burst == "" {
				msg += fmt.Sprintf("; %q allows the same average, but %d requests at once where %d were allowed", r, n, count)
			}
		}
	}
	return fixes, msg
}

// equivalent expresses count per window seconds as an integer count per
// one unit of the smallest unit at least as long as the window.
func equivalent(count, window int) (string, bool) {
	for _, u := range unitNames {
		if u.secs < window || (count*u.secs)%window != 0 {
			continue
		}
		return fmt.Sprintf("%d/%s", count*u.secs/window, u.name), true
	}
	return "", false
}

func quoteLike(l python.Lit, s string) string {
	q := "'"
	if l.Quote == '"' {
		q = `"`
	}
	return q + s + q
}

// usedScopes collects the scopes throttle classes apply: DRF's built-in
// classes named in DEFAULT_THROTTLE_CLASSES or in any module, subclasses'
// scope attributes, and views' throttle_scope. seen says headroom read
// code that defines or uses throttles beyond the settings.
func usedScopes(s *stack.Stack, settings *python.Module) (map[string]bool, bool) {
	used := map[string]bool{}
	seen := false
	if classes := settings.Lookup("REST_FRAMEWORK", "DEFAULT_THROTTLE_CLASSES"); classes != nil && classes.Expr != nil {
		text := settings.Doc.Text(classes.Expr.Span)
		for path, scope := range builtinScopes {
			if strings.Contains(path, ".") && strings.Contains(text, path) {
				used[scope] = true
			}
		}
	}
	for _, f := range s.Files {
		// bytes.Contains: a string conversion would copy every file of the
		// stack once per settings module.
		if f.Python == nil || !bytes.Contains(f.Doc.Src, []byte("hrottl")) {
			continue
		}
		var walk func(cs []*python.Class)
		walk = func(cs []*python.Class) {
			for _, c := range cs {
				if a := c.Attr("scope"); a != nil && isThrottle(c) {
					seen = true
					if l, ok := a.Value.Value.Effective(); ok && l.Kind == python.Str {
						used[l.Str] = true
					}
				}
				if a := c.Attr("throttle_scope"); a != nil {
					seen = true
					if l, ok := a.Value.Value.Effective(); ok && l.Kind == python.Str {
						used[l.Str] = true
					}
				}
				if c.Attr("throttle_classes") != nil {
					seen = true
				}
				walk(c.Classes)
			}
		}
		walk(f.Python.Classes)
		if f.Python == settings || !bytes.Contains(f.Doc.Src, []byte("throttle_classes")) {
			continue
		}
		for name, scope := range builtinScopes {
			if re := scopeWords[name]; re != nil && re.Match(f.Doc.Src) {
				used[scope] = true
			}
		}
	}
	return used, seen
}

// scopeWords matches each dotless name of builtinScopes as a word,
// compiled once: usedScopes runs once per settings module over every
// Python file of the stack.
var scopeWords = func() map[string]*regexp.Regexp {
	m := map[string]*regexp.Regexp{}
	for name := range builtinScopes {
		if !strings.Contains(name, ".") {
			m[name] = regexp.MustCompile(`\b` + name + `\b`)
		}
	}
	return m
}()

// isThrottle says a class derives (by name) from a throttle class.
func isThrottle(c *python.Class) bool {
	for _, e := range c.Bases {
		if b := e.Name; strings.HasSuffix(b, "Throttle") || strings.HasSuffix(b, "Throttling") {
			return true
		}
	}
	return strings.HasSuffix(c.Name, "Throttle")
}
