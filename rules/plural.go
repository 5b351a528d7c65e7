package rules

import "strconv"

// Plural renders a count with its noun for a finding's message: "1 worker
// process", "3 worker processes".
func Plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
