package parsers

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// settingsAssign is the regular expression isSettingsModule's scan stands
// for.
var settingsAssign = regexp.MustCompile(`(?m)^(DATABASES|CACHES)\s*[:=]`)

// isSettingsModule answers as settingsAssign does, on every Python file
// of the repository's testdata and on edge cases of its own.
func TestSettingsScanMatchesRegexp(t *testing.T) {
	cases := []string{
		"", "DATABASES", "DATABASES=", "DATABASES = {}", "x = 1\nCACHES: dict = {}", "  DATABASES = {}",
		"MY_DATABASES = {}", "DATABASES_X = {}", "DATABASES\n\t\r\f = {}", "DATABASES\v= {}", "DATABASES ==", "\rDATABASES = 1",
		"#DATABASES = {}\nCACHES\n:", "CACHESCACHES = 1\nDATABASES . x = 1", "x\nDATABASES", "DATABASESDATABASES = 1",
		"DATABASES x = 1\nDATABASES = 2",
	}
	err := filepath.WalkDir("..", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == ".git" {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(p, ".py") {
			src, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			cases = append(cases, string(src))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	matched := 0
	for _, c := range cases {
		want := settingsAssign.MatchString(c)
		if got := isSettingsModule([]byte(c)); got != want {
			t.Errorf("isSettingsModule(%.60q) = %v, want %v", c, got, want)
		}
		if want {
			matched++
		}
	}
	if matched < 10 || matched == len(cases) {
		t.Fatalf("%d of %d cases match: the cases do not tell the two apart", matched, len(cases))
	}
}
