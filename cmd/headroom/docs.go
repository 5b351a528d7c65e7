package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/headroom-dev/headroom/rules"
)

func newRules(stdout io.Writer) *cobra.Command {
	var markdown bool
	c := &cobra.Command{
		Use:   "rules",
		Short: "List every rule: ID, name, phase, severity, fix (safe, unsafe), title",
		Args:  cobra.NoArgs,
		RunE: func(c *cobra.Command, args []string) error {
			if markdown {
				_, err := io.WriteString(stdout, RuleTable())
				return stdoutErr(err)
			}
			return stdoutErr(ruleList(stdout))
		},
	}
	c.Flags().BoolVar(&markdown, "markdown", false, "print the table as Markdown (the README's rule table)")
	return c
}

// stdoutErr names stdout in a failed write's error.
func stdoutErr(err error) error {
	if err != nil {
		return fmt.Errorf("writing to stdout: %w", err)
	}
	return nil
}

// ruleList prints every rule as an aligned table.
func ruleList(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	out := &console{w: tw}
	out.printf("ID\tNAME\tPHASE\tSEVERITY\tFIX\tTITLE\n")
	for _, r := range rules.All() {
		fix := fixKinds(r, ", ")
		if fix == "" {
			fix = "no"
		}
		out.printf("%s\t%s\t%d\t%s\t%s\t%s\n", r.ID, r.Name, r.Phase, r.Severity, fix, r.Doc.Title)
	}
	if out.err != nil {
		return out.err
	}
	return tw.Flush()
}

// fixKinds names the fixes a rule offers: "safe", "unsafe" (applied only
// with --unsafe-fixes), both joined by sep, or "" for none.
func fixKinds(r *rules.Rule, sep string) string {
	var kinds []string
	if r.Fixable {
		kinds = append(kinds, "safe")
	}
	if r.Unsafe {
		kinds = append(kinds, "unsafe")
	}
	return strings.Join(kinds, sep)
}

// RuleTable renders the rule registry as the README's Markdown table.
func RuleTable() string {
	var b strings.Builder
	b.WriteString("| ID | Name | Phase | Severity | Fix | Title |\n|---|---|---|---|---|---|\n")
	for _, r := range rules.All() {
		fmt.Fprintf(&b, "| [%s](docs/rules/%s.md) | `%s` | %d | %s | %s | %s |\n", r.ID, r.ID, r.Name, r.Phase, r.Severity, fixKinds(r, ", "), strings.ReplaceAll(r.Doc.Title, "|", "\\|"))
	}
	return b.String()
}

func newExplain(stdout io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "explain [ID|NAME]",
		Short: "Explain a rule: why it matters, the expected impact, its fix, examples and sources; with no rule, list them",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) == 0 {
				return stdoutErr(ruleList(stdout))
			}
			r, ok := rules.Lookup(args[0])
			if !ok {
				return usageErr{fmt.Errorf("unknown rule %q (see `headroom rules`)", args[0])}
			}
			_, err := io.WriteString(stdout, Explain(r))
			return stdoutErr(err)
		},
	}
}

// Explain renders a rule's documentation as text.
func Explain(r *rules.Rule) string {
	var b strings.Builder
	d := r.Doc
	fmt.Fprintf(&b, "%s %s: %s\n", r.ID, r.Name, d.Title)
	fmt.Fprintf(&b, "Phase %d, %s", r.Phase, r.Severity)
	if r.Fixable {
		b.WriteString(", safe fix")
	}
	if r.Unsafe {
		b.WriteString(", unsafe fix (with --unsafe-fixes)")
	}
	if d.Since != "" {
		fmt.Fprintf(&b, ", since %s", d.Since)
	}
	b.WriteString("\n")
	section := func(title, text string) {
		if text = strings.TrimSpace(text); text != "" {
			fmt.Fprintf(&b, "\n%s\n%s\n", title, indent(text))
		}
	}
	section("Why it matters", d.Why)
	section("Expected impact", d.Impact)
	section("Fix", d.Fix)
	section("Flagged", d.Bad)
	section("Fixed", d.Good)
	section("Sources", "- "+strings.Join(d.Sources, "\n- "))
	return b.String()
}

func indent(s string) string {
	return "  " + strings.ReplaceAll(s, "\n", "\n  ")
}

// RuleMarkdown renders a rule's documentation as the Markdown page that
// SARIF's helpUri and the README link to (docs/rules/ID.md).
func RuleMarkdown(r *rules.Rule) string {
	var b strings.Builder
	d := r.Doc
	fmt.Fprintf(&b, "# %s `%s`: %s\n\n", r.ID, r.Name, d.Title)
	fix := "no automatic fix"
	switch {
	case r.Fixable && r.Unsafe:
		fix = "safe fix; unsafe fix with `--unsafe-fixes`"
	case r.Fixable:
		fix = "safe fix"
	case r.Unsafe:
		fix = "unsafe fix, with `--unsafe-fixes`"
	}
	fmt.Fprintf(&b, "Phase %d of the capacity report · %s · %s", r.Phase, r.Severity, fix)
	if d.Since != "" {
		fmt.Fprintf(&b, " · since %s", d.Since)
	}
	b.WriteString("\n")
	section := func(title, text string, code bool) {
		text = strings.TrimSpace(text)
		if text == "" {
			return
		}
		fmt.Fprintf(&b, "\n## %s\n\n", title)
		if code {
			fmt.Fprintf(&b, "```\n%s\n```\n", text)
		} else {
			fmt.Fprintf(&b, "%s\n", text)
		}
	}
	section("Why it matters", d.Why, false)
	section("Expected impact", d.Impact, false)
	section("Fix", d.Fix, false)
	section("Flagged", d.Bad, true)
	section("Fixed", d.Good, true)
	if len(d.Sources) > 0 {
		b.WriteString("\n## Sources\n\n")
		for _, src := range d.Sources {
			fmt.Fprintf(&b, "- %s\n", src)
		}
	}
	fmt.Fprintf(&b, "\nSuppress one finding with `# headroom: ignore[%s] <reason>` on its line or the line above.\n", r.ID)
	return b.String()
}
