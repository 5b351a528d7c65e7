package all_test

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestRuleAreasStandAlone: no rule area imports another (what two areas
// share lives in stack or capacity), and none re-derives what the
// capacity model holds.
func TestRuleAreasStandAlone(t *testing.T) {
	const mod = "github.com/headroom-dev/headroom/rules/"
	areas, err := filepath.Glob("../*")
	if err != nil {
		t.Fatal(err)
	}
	for _, dir := range areas {
		area := filepath.Base(dir)
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() || area == "all" || area == "rulestest" {
			continue
		}
		files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			ast, err := parser.ParseFile(token.NewFileSet(), f, nil, parser.ImportsOnly)
			if err != nil {
				t.Fatal(err)
			}
			for _, imp := range ast.Imports {
				p, _ := strconv.Unquote(imp.Path.Value)
				if strings.HasPrefix(p, mod) && p != mod+"rulestest" {
					t.Errorf("%s imports %s: rule areas never import each other", f, p)
				}
			}
		}
	}
}
