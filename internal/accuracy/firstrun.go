package accuracy

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// FirstRunFile is the file in a corpus directory that holds the figures of
// the first run of headroom on that corpus: the blind measure, taken after
// the labels were committed and before anything was fixed against them.
const FirstRunFile = "blind.tsv"

// FirstRun is a corpus's first measure. It is written once and never
// rewritten, so the later figures can always be read against it.
type FirstRun struct {
	Commit   string // headroom's commit the figures were measured on
	Date     string // YYYY-MM-DD
	Projects int
	Fire     int // fire labels
	Quiet    int // quiet labels
	TP, FP   int // scored findings
	FN       int // fire labels missed
	Crashes  int // projects
	Exit2    int // projects
	Note     string
}

// Precision is TP / (TP + FP), or -1 with nothing scored.
func (f FirstRun) Precision() float64 {
	return Counts{TP: f.TP, FP: f.FP}.Precision()
}

// Recall is fire labels hit / fire labels, or -1 without fire labels.
func (f FirstRun) Recall() float64 {
	return Counts{Hit: f.Fire - f.FN, FN: f.FN}.Recall()
}

// FirstRunOf takes a result's figures as a first run measured on commit at
// date.
func FirstRunOf(r *Result, commit, date string) FirstRun {
	return FirstRun{
		Commit: commit, Date: date, Projects: r.Projects,
		Fire: r.Total.FireLabels, Quiet: r.Total.QuietLabels,
		TP: r.Total.TP, FP: r.Total.FP, FN: r.Total.FN,
		Crashes: len(r.Crashes), Exit2: len(r.Exit2),
		Note: "recorded by make accuracy -record-blind at the first run",
	}
}

var firstRunHeader = []string{"commit", "date", "projects", "fire", "quiet", "tp", "fp", "fn", "crashes", "exit2", "note"}

// ReadFirstRun reads dir's blind.tsv; it returns nil and no error where
// the corpus has none yet.
func ReadFirstRun(dir string) (*FirstRun, error) {
	f, err := os.Open(filepath.Join(dir, FirstRunFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fr, err := parseFirstRun(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, FirstRunFile), err)
	}
	return fr, nil
}

// parseFirstRun reads the header line and the one row of figures; lines
// starting with # are comments.
func parseFirstRun(r io.Reader) (*FirstRun, error) {
	var rows [][]string
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := sc.Text()
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		rows = append(rows, strings.Split(line, "\t"))
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(rows) != 2 || strings.Join(rows[0], "\t") != strings.Join(firstRunHeader, "\t") {
		return nil, fmt.Errorf("want the header %q and one row of figures", strings.Join(firstRunHeader, " "))
	}
	cols := rows[1]
	if len(cols) != len(firstRunHeader) {
		return nil, fmt.Errorf("want %d columns, got %d", len(firstRunHeader), len(cols))
	}
	fr := &FirstRun{Commit: cols[0], Date: cols[1], Note: cols[10]}
	for i, p := range []*int{&fr.Projects, &fr.Fire, &fr.Quiet, &fr.TP, &fr.FP, &fr.FN, &fr.Crashes, &fr.Exit2} {
		n, err := strconv.Atoi(cols[2+i])
		if err != nil || n < 0 {
			return nil, fmt.Errorf("%s: %q is not a count", firstRunHeader[2+i], cols[2+i])
		}
		*p = n
	}
	if fr.Commit == "" || fr.Date == "" || fr.FN > fr.Fire {
		return nil, errors.New("a commit, a date and no more misses than fire labels are needed")
	}
	return fr, nil
}

// RecordFirstRun writes dir's blind.tsv. It fails where the file exists:
// a first run is recorded once.
func RecordFirstRun(dir string, fr FirstRun) error {
	f, err := os.OpenFile(filepath.Join(dir, FirstRunFile), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	row := []string{fr.Commit, fr.Date}
	for _, n := range []int{fr.Projects, fr.Fire, fr.Quiet, fr.TP, fr.FP, fr.FN, fr.Crashes, fr.Exit2} {
		row = append(row, strconv.Itoa(n))
	}
	row = append(row, strings.NewReplacer("\t", " ", "\n", " ").Replace(fr.Note))
	_, err = fmt.Fprintf(f, "# The first run of headroom on this corpus, after its labels were committed: written once, never rewritten.\n%s\n%s\n",
		strings.Join(firstRunHeader, "\t"), strings.Join(row, "\t"))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// String gives the figures in one line.
func (f FirstRun) String() string {
	return fmt.Sprintf("precision %s, recall %s (%d TP, %d FP, %d FN; %d fire / %d quiet labels, %d projects), crashes %d, exit-2 %d",
		Ratio(f.Precision()), Ratio(f.Recall()), f.TP, f.FP, f.FN, f.Fire, f.Quiet, f.Projects, f.Crashes, f.Exit2)
}

// Figures gives a result's totals in the same form as FirstRun.String.
func (r *Result) Figures() string {
	return FirstRunOf(r, "-", "-").String()
}
