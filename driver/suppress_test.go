package driver_test

import (
	"strings"
	"testing"

	"github.com/headroom-dev/headroom/driver"
	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/rules"
	"github.com/headroom-dev/headroom/stack"
)

// lineRule flags every line that contains "flag".
var lineRule = &rules.Rule{ID: "HR995", Name: "test-flag-lines", Phase: 1, Severity: rules.Warning,
	Kinds: []parsers.Kind{parsers.KindRequirements},
	Doc:   rules.Doc{Title: "test", Why: "test", Sources: []string{"test"}},
	Check: func(p *rules.Pass) {
		doc := p.Doc()
		for line := 1; line <= doc.LineCount(); line++ {
			sp := doc.LineSpan(line)
			if strings.HasPrefix(doc.Text(sp), "flag") {
				p.Reportf(sp, "flagged")
			}
		}
	}}

func init() { rules.Register(lineRule) }

func run(t *testing.T, src string, rs ...*rules.Rule) []string {
	t.Helper()
	f, err := stack.Parse(parsers.NewDocument("requirements.txt", parsers.KindRequirements, []byte(src)))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, d := range driver.Run(stack.New([]*stack.File{f}), rs) {
		out = append(out, d.Pos().String()+" "+d.Rule.ID)
	}
	return out
}

func TestSuppressions(t *testing.T) {
	all := []*rules.Rule{lineRule, driver.SuppressionWithoutReason, driver.UnusedSuppression}
	for _, c := range []struct {
		name, src string
		rules     []*rules.Rule
		want      string
	}{
		{"unsuppressed", "flag1\nflag2\n", all, "1:1 HR995,2:1 HR995"},
		{"same line", "flag1  # headroom: ignore[HR995] known\nflag2\n", all, "2:1 HR995"},
		{"line above", "# headroom: ignore[test-flag-lines] by name\nflag1\nflag2\n", all, "3:1 HR995"},
		{"two lines below is not covered", "# headroom: ignore[HR995] x\nok\nflag\n", all, "1:1 HR002,3:1 HR995"},
		{"whole file", "# headroom: ignore-file[HR995] generated\nflag1\nflag2\n", all, ""},
		{"no reason", "flag1  # headroom: ignore[HR995]\n", all, "1:8 HR001"},
		{"unused", "ok  # headroom: ignore[HR995] stale\n", all, "1:5 HR002"},
		{"unknown rule", "flag # headroom: ignore[HR999] typo\n", all, "1:1 HR995,1:6 HR002"},
		{"rule that did not run is not called unused", "ok  # headroom: ignore[HR995] x\n", []*rules.Rule{driver.UnusedSuppression}, ""},
		{"meta rules can be ignored", "flag1  # headroom: ignore[HR995]\n", []*rules.Rule{lineRule}, ""},
		{"crlf", "flag1\r\n# headroom: ignore[HR995] crlf file\r\nflag2\r\n", all, "1:1 HR995"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := strings.Join(run(t, c.src, c.rules...), ","); got != c.want {
				t.Errorf("findings = %q, want %q", got, c.want)
			}
		})
	}
}
