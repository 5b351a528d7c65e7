package database

import "testing"

// Variables before a database URL's query stand in for user, host, port
// or path; one inside the query is kept, so the URL stays unjudged.
func TestPlaceholdersOutsideQuery(t *testing.T) {
	for in, want := range map[string]string{
		"postgres://${POSTGRES_USER}:${POSTGRES_PASSWORD}@postgres:5432/${POSTGRES_DB}?sslmode=disable": "postgres://0:0@postgres:5432/0?sslmode=disable",
		"postgres://u@${DB_HOST}:${DB_PORT}/$DB_NAME":                                                   "postgres://u@0:0/0",
		"postgres://u@db/app?${DB_OPTIONS}":                                                             "postgres://u@db/app?${DB_OPTIONS}",
	} {
		if got := placeholdersOutsideQuery(in); got != want {
			t.Errorf("%s: got %s, want %s", in, got, want)
		}
	}
}
