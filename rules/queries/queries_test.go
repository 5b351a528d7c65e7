package queries_test

import (
	"testing"

	"github.com/headroom-dev/headroom/rules/queries"
	"github.com/headroom-dev/headroom/rules/rulestest"
)

func TestNPlusOne(t *testing.T) {
	rulestest.Run(t, queries.NPlusOne, "testdata/drf-n-plus-one")
}

func TestMissingIndex(t *testing.T) {
	rulestest.Run(t, queries.MissingIndex, "testdata/django-missing-index")
}

func TestReferenceCache(t *testing.T) {
	rulestest.Run(t, queries.ReferenceCache, "testdata/django-uncached-reference-data")
}
