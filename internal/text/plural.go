// Package text holds the small wording helpers every message shares.
package text

import (
	"strconv"
	"strings"
)

// Count renders a count with its noun: "1 worker process", "3 worker
// processes".
func Count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// Plural is Count with the plural made by English's regular rule: "1
// worker", "3 workers", "2 processes".
func Plural(n int, word string) string {
	many := word + "s"
	if strings.HasSuffix(word, "s") {
		many = word + "es"
	}
	return Count(n, word, many)
}
