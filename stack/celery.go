package stack

import "strings"

// longTaskWords mark a queue of long-running tasks: AI calls, media work,
// exports. The report's queues are ai_queue and heavy_queue.
var longTaskWords = map[string]bool{
	"ai": true, "llm": true, "gpt": true, "openai": true, "heavy": true, "long": true, "slow": true,
	"media": true, "video": true, "transcode": true, "export": true, "reports": true, "batch": true, "bulk": true, "ml": true,
}

// IsLongTaskQueue reports whether a queue's name marks it as one of long
// tasks (by a word of it: "ai_queue", "heavy-tasks").
func IsLongTaskQueue(q string) bool {
	for _, w := range strings.FieldsFunc(strings.ToLower(q), func(r rune) bool { return r == '_' || r == '-' || r == '.' || r == ':' }) {
		if longTaskWords[w] {
			return true
		}
	}
	return false
}
