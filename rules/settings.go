package rules

import (
	"fmt"
	"strings"

	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/stack"
)

// SettingsContext is what a finding about a Django setting says of the
// settings it was judged in: when the value is decided in another module
// than the entry module being checked, a note for the message and the
// entry module as a related location; and in every case the process that
// loads these settings, as a related location. The driver merges the
// findings that several processes loading one module produce into one,
// with each process among its related locations.
func SettingsContext(pass *Pass, st *stack.Settings, at *parsers.Document) (note string, related []Location) {
	if at != nil && at != pass.Doc() {
		note = fmt.Sprintf(" (in effect for %s)", pass.Doc().Path)
		msg := "the settings module in use"
		if st.Chosen != "" {
			msg += ": " + st.Chosen
		}
		related = append(related, Location{Doc: pass.Doc(), Message: msg})
	}
	if c := st.Command; c != nil && c.Server != nil {
		related = append(related, Location{Doc: c.File.Doc, Span: c.Server.Argv.Span, Message: "loads these settings: " + processName(c)})
	}
	return note, related
}

// processName names a command as a user knows it: its compose services
// and program ("web (gunicorn)"), else its file and program.
func processName(c *stack.Command) string {
	who := c.Service
	if len(c.Services) > 0 {
		who = strings.Join(c.Services, ", ")
	}
	if who == "" {
		who = c.File.Doc.Path
	}
	return fmt.Sprintf("%s (%s)", who, c.Server.Program)
}
