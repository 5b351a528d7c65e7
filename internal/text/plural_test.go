package text

import "testing"

func TestPlural(t *testing.T) {
	for _, c := range []struct {
		n         int
		word, out string
	}{{1, "worker", "1 worker"}, {3, "worker", "3 workers"}, {2, "process", "2 processes"}, {0, "greenlet", "0 greenlets"}} {
		if got := Plural(c.n, c.word); got != c.out {
			t.Errorf("Plural(%d, %q) = %q, want %q", c.n, c.word, got, c.out)
		}
	}
	if got := Count(1, "worker process", "worker processes"); got != "1 worker process" {
		t.Errorf("Count = %q", got)
	}
}
