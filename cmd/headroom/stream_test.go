package main

import (
	"slices"
	"testing"

	"github.com/headroom-dev/headroom/driver"
	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/rules"
)

// The merger writes a deployment's findings only once no deployment still
// to come can sort before them, and all it writes, in the order it writes
// them, is the order of one sort of every finding; here the deployment of
// svc/ is handed on first (walked first) though svc-a/ sorts before it.
func TestMergerWritesInSortedOrder(t *testing.T) {
	r := &rules.Rule{ID: "HR101"}
	finding := func(path string, start int) rules.Diagnostic {
		return rules.Diagnostic{Rule: r, Doc: parsers.NewDocument(path, parsers.KindDockerfile, make([]byte, 100)), Span: parsers.Span{Start: start, End: start}}
	}
	deployments := []struct {
		findings []rules.Diagnostic
		before   string // least path of the deployments still to come
		written  int    // how many findings the merger writes on this one
	}{
		{[]rules.Diagnostic{finding("svc/Dockerfile", 3), finding("svc/z.py", 1)}, "svc-a/Dockerfile", 0},
		{[]rules.Diagnostic{finding("svc-a/Dockerfile", 5)}, "web/Dockerfile", 3},
		{[]rules.Diagnostic{finding("web/Dockerfile", 1), finding("web/Dockerfile", 2)}, "", 2},
	}
	var all, written []rules.Diagnostic
	m := &merger{}
	for i, d := range deployments {
		all = append(all, d.findings...)
		out := m.add(d.findings, d.before)
		if len(out) != d.written {
			t.Errorf("deployment %d: %d findings written, want %d", i, len(out), d.written)
		}
		written = append(written, out...)
	}
	driver.Sort(all)
	if !slices.EqualFunc(written, all, func(a, b rules.Diagnostic) bool { return a.Doc == b.Doc && a.Span == b.Span }) {
		t.Errorf("written in another order than one sort of all findings")
	}
}
