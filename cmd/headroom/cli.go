package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/headroom-dev/headroom/config"
	"github.com/headroom-dev/headroom/driver"
	"github.com/headroom-dev/headroom/edit"
	"github.com/headroom-dev/headroom/internal/gitdiff"
	"github.com/headroom-dev/headroom/internal/text"
	"github.com/headroom-dev/headroom/output"
	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/rules"
	_ "github.com/headroom-dev/headroom/rules/all" // every rule registers itself
	"github.com/headroom-dev/headroom/stack"
)

// Exit codes, as the README and exitHelp document them.
const (
	exitClean    = 0 // nothing to report
	exitFindings = 1 // findings, or pending changes with fix --diff
	exitError    = 2 // usage error, unreadable input, a failed write, fixes that never settle
)

// exitHelp is the exit-code table every command's help ends with.
const exitHelp = `
Exit codes:
  0  no finding at or above --fail-on; fix --diff: nothing to change
  1  findings at or above --fail-on (fix: left after fixing); fix --diff: changes to make
  2  usage error, input that cannot be read or parsed, a fixed file or the
     output that could not be written, or fixes that never settle`

// exitErr carries an exit code out of a command.
type exitErr struct{ code int }

func (e exitErr) Error() string { return fmt.Sprintf("exit %d", e.code) }

// usageErr marks errors in how headroom was called.
type usageErr struct{ error }

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	root := newRoot(stdin, stdout, stderr)
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.Execute()
	var ee exitErr
	switch {
	case err == nil:
		return exitClean
	case errors.As(err, &ee):
		return ee.code
	default:
		// Nowhere is left to report a failure to write this.
		_, _ = fmt.Fprintf(stderr, "headroom: %v\n", err)
		return exitError
	}
}

// console writes messages to a stream and keeps the first write error, so
// a run whose stderr or stdout fails can still exit 2.
type console struct {
	w   io.Writer
	err error
}

func (c *console) printf(format string, args ...any) {
	if c.err == nil {
		_, c.err = fmt.Fprintf(c.w, format, args...)
	}
}

// keep records err (a renderer's write error) unless one is already kept.
func (c *console) keep(err error) {
	if c.err == nil {
		c.err = err
	}
}

// done is the error a command returns after writing to c: nil, or the
// failed write, which exits 2.
func (c *console) done(name string) error {
	if c.err != nil {
		return fmt.Errorf("writing to %s: %w", name, c.err)
	}
	return nil
}

func newRoot(stdin io.Reader, stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:           "headroom",
		Version:       version(),
		Short:         "Find and fix the capacity bottlenecks of a Python web backend's deployment files",
		Long:          "Find and fix the capacity bottlenecks of a Python web backend's deployment files.\n" + exitHelp,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return usageErr{err} })
	root.AddCommand(newLint(stdin, stdout, stderr), newFix(stdin, stdout, stderr), newRules(stdout), newExplain(stdout), newInit(stdout), newModel(stdout, stderr), newReport(stdout, stderr), newServer(stdin, stdout))
	return root
}

// selection holds the flags lint and fix share, and the configuration file
// they load.
type selection struct {
	phase       int
	sel, ignore []string
	maxFileSize int64
	configPath  string
	config      *config.Config
	stdinName   string
	stdin       io.Reader
	noIgnore    bool
	verbose     bool
	// scope is what the run reads and reports on (set by eachStack);
	// stdinSrc the buffer read from standard input.
	scope    scope
	stdinSrc []byte
}

func (s *selection) register(c *cobra.Command, defaultPhase int, phaseHelp string) {
	c.Flags().IntVar(&s.phase, "phase", defaultPhase, phaseHelp)
	c.Flags().StringSliceVar(&s.sel, "select", nil, "only these rules (comma-separated IDs, names or ID prefixes; replaces the config's select)")
	c.Flags().StringSliceVar(&s.ignore, "ignore", nil, "skip these rules (comma-separated IDs, names or ID prefixes; added to the config's ignore)")
	c.Flags().Int64Var(&s.maxFileSize, "max-file-size", stack.MaxFileSize, "skip and report files larger than this many bytes")
	c.Flags().StringVar(&s.configPath, "config", "", "configuration file (default: the first .headroom.yaml found walking up from the first path)")
	c.Flags().StringVar(&s.stdinName, "stdin-filename", "", "read one file from standard input (the path -, or no path), judged as if it were at this path, in that path's deployment")
	c.Flags().BoolVar(&s.noIgnore, "no-ignore", false, "also read files that .gitignore excludes (paths given explicitly always are)")
	c.Flags().BoolVar(&s.verbose, "verbose", false, "tell on stderr which deployments, files and Django settings module were read")
}

// fromStdin reports whether the run reads one file from standard input:
// the path "-", or --stdin-filename with no path.
func (s *selection) fromStdin(args []string) (bool, error) {
	dash := false
	for _, a := range args {
		dash = dash || a == "-"
	}
	switch {
	case dash && len(args) > 1:
		return false, usageErr{fmt.Errorf("- reads one file from standard input; give no other paths")}
	case dash && s.stdinName == "":
		return false, usageErr{fmt.Errorf("- reads standard input: name the file with --stdin-filename PATH, which decides its kind")}
	case dash:
		return true, nil
	case s.stdinName != "" && len(args) > 0:
		return false, usageErr{fmt.Errorf("--stdin-filename reads one file from standard input; give no paths (or -)")}
	}
	return s.stdinName != "", nil
}

// stacks loads the files under the paths, one Stack per deployment, or the
// file on standard input in its deployment. Read and parse errors are
// values: the other files still load.
func (s *selection) stacks(args []string) ([]*stack.Stack, []error, error) {
	var sts []*stack.Stack
	skipped, errs, err := eachStack(s, args, func(st *stack.Stack) *stack.Stack { return st }, func(st *stack.Stack, _ string) { sts = append(sts, st) })
	if err != nil {
		return nil, nil, err
	}
	if len(sts) == 0 {
		sts = append(sts, stack.New(nil))
	}
	sts[0].Skipped = append(skipped, sts[0].Skipped...)
	return sts, errs, nil
}

// eachStack calls fn on the stack of each deployment the paths name (see
// stack.EachDeployment and scopeOf: a named file brings its deployment),
// or of the deployment the file on standard input belongs to, with the
// buffer in place of the file, and hands what fn returned to emit, in path
// order, as each deployment is done (with the least path of the
// deployments still to come; see stack.EachDeployment). It sets s.scope,
// and returns the templates skipped and the errors as stacks returns them.
// Deployments with no file that loads are not passed to fn.
func eachStack[R any](s *selection, args []string, fn func(*stack.Stack) R, emit func(r R, before string)) ([]stack.Skipped, []error, error) {
	stdin, err := s.fromStdin(args)
	if err != nil {
		return nil, nil, err
	}
	opt := stack.DiscoverOptions{NoIgnore: s.noIgnore}
	if !stdin {
		s.scope = scopeOf(args)
	} else {
		src, err := io.ReadAll(io.LimitReader(s.stdin, s.maxFileSize+1))
		if err != nil {
			return nil, nil, err
		}
		if int64(len(src)) > s.maxFileSize {
			return nil, []error{&parsers.Error{Path: s.stdinName, Msg: fmt.Sprintf("larger than the %d-byte limit (--max-file-size)", s.maxFileSize)}}, nil
		}
		kind := parsers.Detect(filepath.ToSlash(s.stdinName), src)
		if kind == parsers.KindUnknown && strings.HasSuffix(s.stdinName, ".py") {
			kind = parsers.KindPython // named explicitly: a settings module
		}
		if kind == parsers.KindUnknown {
			return nil, nil, usageErr{fmt.Errorf("--stdin-filename %s: not a file headroom reads", s.stdinName)}
		}
		s.scope = stdinScope(s.stdinName)
		s.stdinSrc = src
		opt.Overlay = map[string][]byte{s.scope.stdin: src}
	}
	skipped, errs := stack.EachDeployment(s.scope.load, s.maxFileSize, opt, fn, emit)
	return skipped, errs, nil
}

// load finds and reads the configuration, then picks the rules: the flags
// win over the file for select, and add to its ignore.
func (s *selection) load(args []string) ([]*rules.Rule, error) {
	if s.phase < 0 || s.phase > 3 {
		return nil, usageErr{fmt.Errorf("--phase must be 1, 2 or 3 (got %d)", s.phase)}
	}
	path := s.configPath
	if path == "" {
		start := paths(args)[0]
		if stdin, _ := s.fromStdin(args); stdin {
			start = s.stdinName // the configuration of the file's own folder, as ruff does
		}
		path = config.Find(start)
	}
	s.config = config.Default()
	if path != "" {
		c, err := config.Load(path)
		if err != nil {
			return nil, usageErr{err}
		}
		s.config = c
	}
	sel := s.config.Select
	if len(s.sel) > 0 {
		sel = s.sel
	}
	rs, err := rules.Selection{MaxPhase: s.phase, Select: sel, Ignore: append(append([]string{}, s.config.Ignore...), s.ignore...)}.Rules()
	if err != nil {
		return nil, usageErr{err}
	}
	return rs, nil
}

// paths are the paths to read: the arguments, or the current folder when
// there are none or the one file comes from standard input.
func paths(args []string) []string {
	if len(args) == 0 || len(args) == 1 && args[0] == "-" {
		return []string{"."}
	}
	return args
}

func newLint(stdin io.Reader, stdout, stderr io.Writer) *cobra.Command {
	s := selection{stdin: stdin}
	var formats []string
	var outFile, failOn, changedSince string
	var exitZero, quiet bool
	c := &cobra.Command{
		Use:   "lint [PATH...]",
		Short: "Report the bottlenecks in the deployment files under each path (default .)",
		Long: "lint reports the bottlenecks in the deployment files under each path (default .);\n" +
			"- reads one file from standard input, named by --stdin-filename.\n" + exitHelp,
		RunE: func(c *cobra.Command, args []string) error {
			rs, err := s.load(args)
			if err != nil {
				return err
			}
			outs, err := parseFormats(formats, outFile)
			if err != nil {
				return err
			}
			threshold, err := parseFailOn(failOn)
			if err != nil {
				return err
			}
			// The lines changed since the revision are read before linting;
			// a failure is reported after what lint prints on stderr.
			var changed gitdiff.Changes
			var changedErr error
			if changedSince != "" {
				changed, changedErr = changedLines(args, changedSince)
			}
			rep := &output.Report{Rules: rs, Version: version(),
				Style: output.TextStyle{Color: colorOK(stdout), Quiet: quiet}}
			var streams []*formatStream
			if changedErr == nil {
				if streams, err = openStreams(outs, stdout, rep); err != nil {
					return err
				}
			}
			// Deployments are linted side by side and dropped when done;
			// their findings keep no file (rules.Detach) and are written as
			// soon as no deployment still to come can have a finding that
			// sorts before them (see merger): the output is that of all
			// findings sorted at once.
			type linted struct {
				findings []rules.Diagnostic
				notes    string // what notice and describe print
			}
			settings := s.config.Settings()
			m := &merger{}
			var notes strings.Builder
			deployments, failed := 0, false
			write := func(ds []rules.Diagnostic) {
				if changedSince != "" {
					ds = onChanged(ds, changed)
				}
				for _, d := range ds {
					failed = failed || d.Severity >= threshold
				}
				for _, st := range streams {
					st.add(ds)
				}
			}
			errOut := &console{w: stderr}
			if stdin, _ := s.fromStdin(args); !stdin {
				leftovers(errOut, paths(args), false)
			}
			skipped, errs, err := eachStack(&s, args, func(st *stack.Stack) linted {
				var notes strings.Builder
				w := &console{w: &notes}
				notice(w, st.Skipped, quiet)
				if s.verbose {
					describe(w, st)
				}
				findings := s.scope.keep(settings.Run(st, rs))
				driver.Sort(findings)
				rules.Detach(findings)
				return linted{findings: findings, notes: notes.String()}
			}, func(l linted, before string) {
				deployments++
				notes.WriteString(l.notes)
				write(m.add(l.findings, before))
			})
			if err != nil {
				return err
			}
			notice(errOut, skipped, quiet)
			errOut.printf("%s", notes.String())
			if !quiet {
				nothingFound(errOut, deployments > 0, errs, args)
			}
			if changedErr != nil {
				return usageErr{changedErr}
			}
			for _, st := range streams {
				if err := st.close(errs); err != nil {
					return err
				}
			}
			if err := errOut.done("stderr"); err != nil {
				return err
			}
			return exitFor(failed && !exitZero, errs)
		},
	}
	s.register(c, 0, "only rules of this phase of the capacity report or earlier (1, 2, 3; default all)")
	c.Flags().StringArrayVar(&formats, "format", []string{"text"}, "output format: "+strings.Join(output.Formats, ", ")+
		"; repeat it, and write one to a file with FORMAT:PATH (--format sarif:out.sarif --format text)")
	c.Flags().StringVarP(&outFile, "output", "o", "", "write the output to this file instead of stdout (formats without their own :PATH); its folder must exist")
	c.Flags().StringVar(&failOn, "fail-on", "warning", "exit 1 only for findings of this severity or higher: error, warning, info")
	c.Flags().BoolVar(&exitZero, "exit-zero", false, "exit 0 even with findings (2 still means unreadable input)")
	c.Flags().BoolVarP(&quiet, "quiet", "q", false, "print findings and errors only, no summary")
	c.Flags().StringVar(&changedSince, "changed-since", "", "only report findings on lines changed since this git revision (and in new files)")
	return c
}

// parseFailOn reads --fail-on.
func parseFailOn(failOn string) (rules.Severity, error) {
	threshold, ok := severities[failOn]
	if !ok {
		return 0, usageErr{fmt.Errorf("--fail-on must be error, warning or info (got %q)", failOn)}
	}
	return threshold, nil
}

// failing reports whether any finding is at or above the threshold.
func failing(ds []rules.Diagnostic, threshold rules.Severity) bool {
	for _, d := range ds {
		if d.Severity >= threshold {
			return true
		}
	}
	return false
}

// notice tells, on stderr, which files were found and left alone (templates
// that only become deployment files once rendered), so a quiet run is not
// mistaken for a checked one.
func notice(w *console, skipped []stack.Skipped, quiet bool) {
	if quiet {
		return
	}
	for _, sk := range skipped {
		w.printf("%s: skipped: %s\n", parsers.ShowPath(sk.Path), sk.Reason)
	}
}

// leftovers tells, on stderr, of the journal folders interrupted fix runs
// left under the paths (see driver.WriteAll), and with recover completes
// or rolls back each and removes it. It reports false when recover could
// not: the tree is then left for the user to check, and fix writes
// nothing.
func leftovers(w *console, paths []string, recover bool) bool {
	found, strays := driver.FindJournals(paths)
	for _, st := range strays {
		removed := false
		if recover && st.Redundant {
			removed = driver.RemoveStray(st) == nil
		}
		w.printf("%s\n", st.Notice(removed))
	}
	if len(found) == 0 {
		return true
	}
	ls := driver.Inspect(found)
	if recover {
		ls = driver.Recover(found)
	}
	ok := true
	for _, l := range ls {
		w.printf("%s\n", l.Notice(recover))
		ok = ok && l.Err == nil
	}
	return ok || !recover
}

// nothingFound says so when no path held a deployment file: an exit 0 that
// checked nothing must not pass for a clean one.
func nothingFound(w *console, found bool, errs []error, args []string) {
	if found || len(errs) > 0 {
		return // the errors name the paths
	}
	w.printf("headroom: no deployment files found in %s (Dockerfile, nginx.conf, docker-compose.yml, Django settings, requirements); nothing was checked\n", strings.Join(paths(args), ", "))
}

// anyFiles reports whether any deployment holds a file.
func anyFiles(sts []*stack.Stack) bool {
	return slices.ContainsFunc(sts, func(st *stack.Stack) bool { return len(st.Files) > 0 })
}

// describe tells, on stderr, what headroom read of one deployment: its
// folder, each file with its kind, and the Django settings module judged
// with why it was chosen.
func describe(w *console, st *stack.Stack) {
	if len(st.Files) == 0 {
		return
	}
	root := st.Root()
	w.printf("deployment %s: %s\n", parsers.ShowPath(root), text.Count(len(st.Files), "file", "files"))
	for _, f := range st.Files {
		w.printf("  %s (%s)\n", parsers.ShowPath(f.Doc.Path), f.Doc.Kind)
	}
	settings := st.DjangoSettings()
	if len(settings) == 0 {
		w.printf("  Django settings: none found\n")
	}
	// One line per module and reason, with every process that loads it.
	type choice struct{ path, why string }
	var order []choice
	users := map[choice][]string{}
	for _, ds := range settings {
		ch := choice{ds.Module.Doc.Path, ds.Chosen}
		if _, seen := users[ch]; !seen {
			order = append(order, ch)
			users[ch] = nil
		}
		if ds.Command != nil {
			users[ch] = append(users[ch], ds.Command.Services...)
		}
	}
	for _, ch := range order {
		line := "  Django settings: " + parsers.ShowPath(ch.path) + ": " + ch.why
		if us := users[ch]; len(us) > 0 {
			line += "; loaded by " + strings.Join(us, ", ")
		}
		w.printf("%s\n", line)
	}
}

// changedLines reads the lines changed since rev in the repository of the
// first path.
func changedLines(args []string, rev string) (gitdiff.Changes, error) {
	dir := paths(args)[0]
	if info, err := os.Stat(dir); err == nil && !info.IsDir() {
		dir = filepath.Dir(dir)
	}
	return gitdiff.Since(dir, rev)
}

// onChanged keeps the findings on changed lines.
func onChanged(ds []rules.Diagnostic, ch gitdiff.Changes) []rules.Diagnostic {
	var kept []rules.Diagnostic
	for _, d := range ds {
		if ch.Covers(d.Doc.Path, d.Pos().Line) {
			kept = append(kept, d)
		}
	}
	return kept
}

// colorOK says whether to colour output: only on a terminal, and never
// when NO_COLOR is set (https://no-color.org).
func colorOK(w io.Writer) bool {
	if os.Getenv("NO_COLOR") != "" {
		return false
	}
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0 && os.Getenv("TERM") != "dumb"
}

var severities = map[string]rules.Severity{"error": rules.Error, "warning": rules.Warning, "info": rules.Info}

// formatOut is one requested output: a format and where it goes.
type formatOut struct{ format, path string }

func parseFormats(specs []string, outFile string) ([]formatOut, error) {
	var outs []formatOut
	toStdout := 0
	for _, spec := range specs {
		name, path, _ := strings.Cut(spec, ":")
		if !output.Known(name) {
			return nil, usageErr{fmt.Errorf("unknown --format %q (want one of %s)", name, strings.Join(output.Formats, ", "))}
		}
		if path == "" {
			path = outFile
		}
		if path == "" {
			toStdout++
		} else if err := parentExists(path); err != nil {
			return nil, err
		}
		outs = append(outs, formatOut{name, path})
	}
	if toStdout > 1 {
		return nil, usageErr{fmt.Errorf("only one --format can write to stdout; give the others a file (FORMAT:PATH)")}
	}
	return outs, nil
}

// parentExists refuses an output path whose folder does not exist:
// headroom creates nothing but the file it was asked to write.
func parentExists(path string) error {
	dir := filepath.Dir(path)
	info, err := os.Stat(dir)
	switch {
	case err != nil && errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("cannot write the output to %s: the folder %s does not exist", path, dir)
	case err != nil:
		return fmt.Errorf("cannot write the output to %s: %w", path, err)
	case !info.IsDir():
		return fmt.Errorf("cannot write the output to %s: %s is not a folder", path, dir)
	}
	return nil
}

// version is the module version the binary was built from.
func version() string {
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" && info.Main.Version != "(devel)" {
		return info.Main.Version
	}
	return "devel"
}

// exitFor picks the exit code: unreadable input outranks findings.
func exitFor(findings bool, errs []error) error {
	switch {
	case len(errs) > 0:
		return exitErr{exitError}
	case findings:
		return exitErr{exitFindings}
	}
	return nil
}

func newFix(stdin io.Reader, stdout, stderr io.Writer) *cobra.Command {
	s := selection{stdin: stdin}
	var diffOnly, unsafe bool
	var failOn string
	c := &cobra.Command{
		Use:   "fix [PATH...]",
		Short: "Apply the safe fixes and print the diff of what changed",
		Long: "fix applies the safe fixes of the selected rules, writes the changed files atomically and\n" +
			"prints a unified diff of them on stdout; the findings it could not fix go to stderr.\n" +
			"The changed files are written all or nothing: when one cannot be replaced, the others\n" +
			"are restored, no diff is printed and fix exits 2. A file that cannot be read or parsed\n" +
			"is named and left as it is; the other files are still fixed, and fix exits 2. With -\n" +
			"(standard input, named by --stdin-filename) the fixed file goes to stdout and nothing\n" +
			"is written.\n" + exitHelp,
		RunE: func(c *cobra.Command, args []string) error {
			rs, err := s.load(args)
			if err != nil {
				return err
			}
			threshold, err := parseFailOn(failOn)
			if err != nil {
				return err
			}
			fromStdin, err := s.fromStdin(args)
			if err != nil {
				return err
			}
			out, errOut := &console{w: stdout}, &console{w: stderr}
			if !fromStdin && !leftovers(errOut, paths(args), !diffOnly) {
				errOut.printf("Nothing was written.\n")
				if err := errOut.done("stderr"); err != nil {
					return err
				}
				return exitErr{exitError}
			}
			sts, errs, err := s.stacks(args)
			if err != nil {
				return err
			}
			for _, st := range sts {
				notice(errOut, st.Skipped, false)
				if s.verbose {
					describe(errOut, st)
				}
			}
			nothingFound(errOut, anyFiles(sts), errs, args)
			opts := driver.Options{Rules: rs, Settings: s.config.Settings(), Unsafe: unsafe}
			if s.scope.named != nil {
				opts.Editable = s.scope.editable
			}
			res := driver.FixAll(sts, opts)
			res.Remaining = s.scope.keep(res.Remaining)
			res.Applied = s.scope.keep(res.Applied)
			dropped := res.Dropped[:0:0]
			for _, d := range res.Dropped {
				if s.scope.reports(d.Diagnostic) {
					dropped = append(dropped, d)
				}
			}
			res.Dropped = dropped
			if len(res.Unstable) > 0 {
				for _, d := range res.Unstable {
					errOut.printf("%s\n", driver.Unsettled(d))
				}
				errOut.printf("Nothing was written.\n")
				if err := errOut.done("stderr"); err != nil {
					return err
				}
				return exitErr{exitError}
			}
			code := fixExit(res, errs, diffOnly, threshold)
			if fromStdin && len(errs) == 0 && !diffOnly {
				// From standard input, the fixed file goes to standard
				// output, as formatters in editors expect.
				fixed := s.stdinSrc
				for _, doc := range res.Changed {
					if doc.Path == s.scope.stdin {
						fixed = doc.Src
					}
				}
				out.printf("%s", fixed)
				errOut.keep(output.Text(stderr, res.Remaining, nil))
			} else {
				if !diffOnly && !fromStdin && len(res.Changed) > 0 {
					// Every changed file is written, or none is; a diff
					// is printed only for what was written.
					changes := make([]driver.Change, 0, len(res.Changed))
					for _, doc := range res.Changed {
						changes = append(changes, driver.Change{Root: treeOf(paths(args), doc.Path), Path: doc.Path, Expect: res.Original[doc.Path], Data: doc.Src})
					}
					if err := driver.WriteAll(changes); err != nil {
						errOut.printf("headroom: %v\n", err)
						if len(errs) > 0 {
							errOut.keep(output.Text(stderr, nil, errs))
						}
						if err := errOut.done("stderr"); err != nil {
							return err
						}
						return exitErr{exitError}
					}
				}
				for _, doc := range res.Changed {
					out.printf("%s", edit.Diff(doc.Path, res.Original[doc.Path], doc.Src))
				}
				for _, d := range res.Dropped {
					errOut.printf("%s\n", d)
				}
				errOut.keep(output.Text(stderr, res.Remaining, errs))
				summarizeFix(errOut, res, diffOnly)
			}
			if err := out.done("stdout"); err != nil {
				return err
			}
			if err := errOut.done("stderr"); err != nil {
				return err
			}
			if code != exitClean {
				return exitErr{code}
			}
			return nil
		},
	}
	s.register(c, 1, "apply the fixes of rules of this phase or earlier (1, 2, 3)")
	c.Flags().BoolVar(&diffOnly, "diff", false, "print the diff and write nothing; exit 1 only when there are changes to make")
	c.Flags().BoolVar(&unsafe, "unsafe-fixes", false, "also apply fixes that change behaviour (headroom rules and explain say which rules have one)")
	c.Flags().StringVar(&failOn, "fail-on", "warning", "exit 1 when findings of this severity or higher remain after fixing: error, warning, info")
	return c
}

// fixExit is fix's exit code before anything is written: 2 for input that
// cannot be read; with --diff, 1 when there is something to change (as
// gofmt -l and ruff --diff); otherwise 1 when findings at or above the
// threshold remain.
func fixExit(res *driver.Result, errs []error, diffOnly bool, threshold rules.Severity) int {
	switch {
	case len(errs) > 0:
		return exitError
	case diffOnly && len(res.Changed) > 0:
		return exitFindings
	case diffOnly:
		return exitClean
	case failing(res.Remaining, threshold):
		return exitFindings
	}
	return exitClean
}

func summarizeFix(w *console, res *driver.Result, diffOnly bool) {
	if len(res.Applied) == 0 {
		return
	}
	verb := "Fixed"
	if diffOnly {
		verb = "Would fix"
	}
	w.printf("%s %s in %s.\n", verb, text.Count(len(res.Applied), "finding", "findings"), text.Count(len(res.Changed), "file", "files"))
}

// treeOf is the tree a discovered file belongs to: the folder argument it
// was found under, or the folder of a file given by name. fix never writes
// outside it.
func treeOf(args []string, file string) string {
	for _, a := range args {
		if info, err := os.Stat(a); err == nil && info.IsDir() {
			if rel, err := filepath.Rel(a, file); err == nil && rel != ".." && !strings.HasPrefix(rel, "../") {
				return a
			}
		}
	}
	return filepath.Dir(file)
}

func newInit(stdout io.Writer) *cobra.Command {
	var force bool
	c := &cobra.Command{
		Use:   "init [DIR]",
		Short: "Write a commented .headroom.yaml with every setting at its default",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			dir := "."
			if len(args) == 1 {
				dir = args[0]
			}
			path := filepath.Join(dir, config.Names[0])
			flags := os.O_WRONLY | os.O_CREATE | os.O_EXCL
			if force {
				flags = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
			}
			f, err := os.OpenFile(path, flags, 0o644)
			if errors.Is(err, os.ErrExist) {
				return usageErr{fmt.Errorf("%s exists; use --force to overwrite it", path)}
			}
			if err != nil {
				return err
			}
			_, err = f.WriteString(config.Template)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				return err
			}
			_, err = fmt.Fprintf(stdout, "wrote %s\n", path)
			return err
		},
	}
	c.Flags().BoolVar(&force, "force", false, "overwrite an existing file")
	return c
}
