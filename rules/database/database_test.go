package database_test

import (
	"testing"

	"github.com/headroom-dev/headroom/rules/database"
	"github.com/headroom-dev/headroom/rules/rulestest"
)

func TestConnReuse(t *testing.T) {
	rulestest.Run(t, database.ConnReuse, "testdata/django-conn-reuse")
}

func TestConnHealthChecks(t *testing.T) {
	rulestest.Run(t, database.ConnHealthChecks, "testdata/django-conn-health-checks")
}

func TestPostgresOptions(t *testing.T) {
	rulestest.Run(t, database.PostgresOptions, "testdata/postgres-options")
}

func TestGreenPsycopg2(t *testing.T) {
	rulestest.Run(t, database.GreenPsycopg2, "testdata/gevent-psycopg2-blocking")
}
