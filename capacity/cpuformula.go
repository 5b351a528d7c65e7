package capacity

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/headroom-dev/headroom/stack"
)

// cpuCall matches the CPU count Python sees: multiprocessing.cpu_count(),
// os.cpu_count(), a bare cpu_count().
var cpuCall = regexp.MustCompile(`\b(?:[A-Za-z_][A-Za-z0-9_]*\.)?cpu_count\(\s*\)`)

// cpuFormula is the arithmetic of a worker count that a gunicorn config
// computes from the CPU count (`multiprocessing.cpu_count() * 2 + 1`), as
// text; "" when the setting is anything else.
func cpuFormula(st *stack.Setting) string {
	if st == nil || st.Known || st.Source != stack.SourceConfig || st.Object == nil || st.Object.Expr == nil || st.File == nil {
		return ""
	}
	text := st.File.Doc.Text(st.Object.Expr.Span)
	if !cpuCall.MatchString(text) {
		return ""
	}
	if _, ok := evalCPUs(text, 1); !ok {
		return ""
	}
	return text
}

// evalCPUs evaluates a formula of the CPU count with cpus CPUs: integers,
// + - * // and parentheses around the calls; false for anything else.
func evalCPUs(formula string, cpus int) (int, bool) {
	src := cpuCall.ReplaceAllString(formula, strconv.Itoa(cpus))
	src = strings.ReplaceAll(src, "//", "/")
	p := &arith{src: strings.ReplaceAll(src, " ", "")}
	n, ok := p.sum()
	return n, ok && p.pos == len(p.src)
}

// arith is a recursive-descent reader of integer arithmetic.
type arith struct {
	src string
	pos int
}

func (p *arith) peek() byte {
	if p.pos < len(p.src) {
		return p.src[p.pos]
	}
	return 0
}

func (p *arith) sum() (int, bool) {
	n, ok := p.product()
	for ok && (p.peek() == '+' || p.peek() == '-') {
		op := p.peek()
		p.pos++
		var m int
		if m, ok = p.product(); op == '+' {
			n += m
		} else {
			n -= m
		}
	}
	return n, ok
}

func (p *arith) product() (int, bool) {
	n, ok := p.atom()
	for ok && (p.peek() == '*' || p.peek() == '/') {
		op := p.peek()
		p.pos++
		var m int
		m, ok = p.atom()
		switch {
		case !ok:
		case op == '*':
			n *= m
		case m == 0:
			return 0, false
		default:
			n /= m
		}
	}
	return n, ok
}

func (p *arith) atom() (int, bool) {
	if p.peek() == '(' {
		p.pos++
		n, ok := p.sum()
		if !ok || p.peek() != ')' {
			return 0, false
		}
		p.pos++
		return n, true
	}
	start := p.pos
	for p.peek() >= '0' && p.peek() <= '9' {
		p.pos++
	}
	if start == p.pos {
		return 0, false
	}
	n, err := strconv.Atoi(p.src[start:p.pos])
	return n, err == nil
}
