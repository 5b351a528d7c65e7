package capacity

import "testing"

func TestEvalCPUs(t *testing.T) {
	for formula, want := range map[string]int{
		"multiprocessing.cpu_count() * 2 + 1": 9,
		"(2 * os.cpu_count()) + 1":            9,
		"cpu_count()":                         4,
		"cpu_count() // 2":                    2,
		"max(2, cpu_count())":                 -1,
		"cpu_count() * WORKERS_PER_CORE":      -1,
	} {
		n, ok := evalCPUs(formula, 4)
		if want < 0 && ok || want >= 0 && (!ok || n != want) {
			t.Errorf("%s on 4 CPUs = %d, %v; want %d", formula, n, ok, want)
		}
	}
}
