package celery

import "testing"

// The text check before reading a module's calls must let through every
// module resultReaders could find a read in: each call that returns a
// result, and each call that reads one without such a call.
func TestReaderWordsCoverEveryRead(t *testing.T) {
	for name := range sends {
		if !mayReadResults([]byte("x = t." + name + "(1)\n")) {
			t.Errorf("a module calling %s is skipped", name)
		}
	}
	for _, name := range []string{"AsyncResult", "GroupResult", "chord"} {
		if !mayReadResults([]byte(name + "(x)\n")) {
			t.Errorf("a module calling %s is skipped", name)
		}
	}
	if mayReadResults([]byte("from django.db import models\n\nclass A(models.Model):\n    pass\n")) {
		t.Error("a module with no task call is read")
	}
}
