package seeds

import (
	"strings"
	"testing"

	"github.com/headroom-dev/headroom/parsers"
)

// No seed comes from an accuracy corpus: those are third-party projects
// make accuracy measures, not inputs written for the tests.
func TestOfSkipsAccuracyCorpora(t *testing.T) {
	for _, kind := range []parsers.Kind{parsers.KindNginx, parsers.KindDockerfile, parsers.KindPython} {
		ss := Of(t, kind)
		if len(ss) == 0 {
			t.Errorf("no %v seeds", kind)
		}
		for _, s := range ss {
			if strings.HasPrefix(s.Path, "testdata/corpus/") || strings.HasPrefix(s.Path, "testdata/corpus-") {
				t.Errorf("%v seed from an accuracy corpus: %s", kind, s.Path)
			}
		}
	}
	for rel, want := range map[string]bool{
		"testdata/corpus": true, "testdata/corpus-heldout": true, "testdata/corpus-fresh": true,
		"testdata/corpusx": false, "rules/nginx/testdata/corpus-like": false, "testdata/wingman": false,
	} {
		if got := isCorpus(rel); got != want {
			t.Errorf("isCorpus(%q) = %v, want %v", rel, got, want)
		}
	}
}
