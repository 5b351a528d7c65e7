package report

import (
	"encoding/json"
	"io"
)

// JSON writes the report as report.schema.json describes it.
func JSON(w io.Writer, r *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}
