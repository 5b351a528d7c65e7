// Package discovery holds the rules about what headroom could not read:
// files a deployment runs that are not in the repository.
package discovery

import (
	"fmt"
	"path"

	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/rules"
)

// ScriptNotInRepository is HR003.
var ScriptNotInRepository = &rules.Rule{
	ID:       "HR003",
	Name:     "script-not-in-repository",
	Phase:    1,
	Severity: rules.Info,
	Kinds:    []parsers.Kind{parsers.KindDockerfile, parsers.KindCompose, parsers.KindShell},
	Doc: rules.Doc{
		Title: "A command runs a script that is not in the repository",
		Why: "Most Django images start their app server through a script (`CMD [\"/start\"]`, " +
			"`ENTRYPOINT [\"docker-entrypoint.sh\"]`, `command: ./run.sh`), and the worker count, timeout and " +
			"recycling headroom checks are written there. The exec form of CMD and ENTRYPOINT runs the file " +
			"named, and the file the image holds at that path is the one a COPY or ADD put there from the build " +
			"context (or a bind mount, at run time). When that file is not in the repository, headroom cannot " +
			"read what it starts, and every check of that command is skipped: this finding says so, naming the " +
			"path, instead of passing the command in silence.",
		Impact: "None by itself; it marks a command whose app-server settings headroom could not check.",
		Fix: "None automatic. Add the script to the repository (or lint the folder that holds it), or, if the " +
			"base image or a RUN step provides it, suppress the finding with the reason. A program of the image " +
			"(gunicorn, python, nginx, an absolute path no COPY writes that is not a .sh file, a buildpack's " +
			"`bin/start-nginx`) is not a script, nor is a program of another language (`./manage.py`, which " +
			"headroom does not follow even when it is there); a bare name (`docker-entrypoint.sh`) is looked " +
			"for where a COPY puts it in a folder of PATH; " +
			"a script of an image the stack does not build is not looked for; a script of the repository that names no app server is followed one hop (an entrypoint that execs ./webserver.sh), and a script it runs that is missing is reported at the first command; a script a COPY, ADD or bind mount " +
			"takes from the repository is looked for at that path (a renamed copy included), any other by its " +
			"name anywhere in the tree. Quiet when only files, not folders, are linted: then nothing says what " +
			"the repository holds.",
		Bad:  "# docker/start.sh is not in the repository\nCOPY docker/start.sh /start\nCMD [\"/start\"]",
		Good: "# docker/start.sh is in the repository: headroom reads the gunicorn line it runs\nCOPY docker/start.sh /start\nCMD [\"/start\"]",
		Sources: []string{
			"https://docs.docker.com/reference/dockerfile/#cmd",
			"https://docs.docker.com/reference/dockerfile/#entrypoint",
			"https://docs.docker.com/reference/dockerfile/#copy",
			"https://docs.docker.com/reference/compose-file/services/#command",
			"https://docs.docker.com/reference/compose-file/services/#volumes",
		},
		Since: "0.1.0",
	},
	Check: checkScripts,
}

func init() { rules.Register(ScriptNotInRepository) }

func checkScripts(p *rules.Pass) {
	if p.Stack == nil {
		return
	}
	for _, m := range p.Stack.MissingScripts() {
		if m.File != p.File {
			continue
		}
		missing := m.Word.Value
		if m.Through != "" {
			missing = m.Missing
		}
		// The deployment's folder, not the tree's: lint FILE reads the
		// tree from the deployment's root, lint . from the current folder,
		// and both must say the same.
		where := "no COPY, ADD or bind mount headroom can resolve puts it there from the repository, and no file called " +
			path.Base(missing) + " is in " + p.Stack.Root()
		if m.Repo != "" {
			where = fmt.Sprintf("the %s takes it from %s, which is not there", m.Via, m.Repo)
		}
		runs := fmt.Sprintf("runs %s, which is not in the repository", missing)
		if m.Through != "" {
			runs = fmt.Sprintf("runs %s, which runs %s, which is not in the repository", m.Through, missing)
		}
		p.Report(rules.Diagnostic{
			Span: m.Word.Span,
			Message: fmt.Sprintf("%s (%s): headroom could not follow it, so the "+
				"app-server settings of what it starts are not checked", runs, where),
		})
	}
}
