package parsers

// ArgvForm says how a command line is written, which decides how an edit
// adds or changes one of its words.
type ArgvForm int

const (
	// FormExec is a JSON array: Dockerfile exec-form CMD/ENTRYPOINT, or a
	// YAML flow sequence written the same way.
	FormExec ArgvForm = iota
	// FormShell is a shell command line: Dockerfile shell-form CMD, a line of
	// an entrypoint script, or a compose command given as a plain string.
	FormShell
	// FormYAMLBlock is a YAML block sequence, one "- word" per line.
	FormYAMLBlock
)

func (f ArgvForm) String() string {
	return [...]string{"exec", "shell", "yaml-block"}[f]
}

// Word is one argument of a command line.
type Word struct {
	Value string // the argument as the program receives it (quotes removed)
	Span  Span   // the token as written, quotes included
	// Quote is the quote character the author used around this word
	// (0, '"' or '\''), so inserted words can match it.
	Quote byte
}

// Argv is a command line found in a file, with a span per word. Words may be
// a suffix of a longer line: a shell line's words start at the program
// (after `exec`, `gosu app` or env assignments).
type Argv struct {
	Doc   *Document
	Form  ArgvForm
	Words []Word
	// Span covers the whole command as written (the JSON array's brackets,
	// the shell words, or the YAML sequence).
	Span Span
	// AppendAt is the offset where new words are inserted to come last:
	// after the last word, before a closing bracket, `"$@"`, or a trailing
	// comment.
	AppendAt int
	// Scalar is the quote of the YAML scalar a shell-form command is
	// written in ('"' or '\''), 0 when it is not in one: text written into
	// the command must be escaped for it.
	Scalar byte
	// Joined is, in an argv joined from an entrypoint and a command (see
	// Join), the index of the command's first word: the words before it
	// are written elsewhere, so no separator or line break between the two
	// parts is the author's. 0 for an argv written in one piece.
	Joined int
	// Head is, in an argv joined across two files (a Dockerfile's
	// ENTRYPOINT and the command of a compose service that builds it), the
	// entrypoint as written in its own file: the words before Joined have
	// their spans there, not in Doc. nil when both parts are in Doc.
	Head *Argv
}

// Join is the argv a container runs when an entrypoint gets arguments (an
// exec-form ENTRYPOINT and its CMD, or compose's entrypoint and command of
// one service, or an image's ENTRYPOINT and the command of a compose
// service that builds it): the entrypoint's words, then the command's. New
// words go where the command takes them, so they come last in the argv the
// program receives, and the joined argv keeps the command's form. Doc and
// Span are the command's; when the entrypoint is in another file, Head
// keeps it, since its words' spans are in that file.
func Join(entrypoint, command Argv) Argv {
	j := Argv{
		Doc:      command.Doc,
		Form:     command.Form,
		Words:    append(append(make([]Word, 0, len(entrypoint.Words)+len(command.Words)), entrypoint.Words...), command.Words...),
		Span:     Span{Start: min(entrypoint.Span.Start, command.Span.Start), End: max(entrypoint.Span.End, command.Span.End)},
		AppendAt: command.AppendAt,
		Scalar:   command.Scalar,
		Joined:   len(entrypoint.Words),
	}
	if entrypoint.Doc != command.Doc {
		head := entrypoint
		j.Head, j.Span = &head, command.Span
	}
	return j
}
