package capacity

import "fmt"

// Cap is a bound a budget puts on a unit's worker processes.
type Cap struct {
	// N is the most processes per container the budget admits.
	N int
	// Budget is the key of the budget that sets it.
	Budget string
	// Why says it in words: "2 x 2 CPUs + 1, the CPU limit of service web".
	Why string
	// Full is set for a PostgreSQL budget: the budget, and what one more
	// worker per container adds to it.
	Full      *Budget
	PerWorker int
}

// Target is the worker count a unit should run: the configured target,
// capped by the budgets it counts against.
type Target struct {
	// Configured is the target before caps (the project's, default 8).
	Configured int
	// N is the derived target: Configured, or the tightest cap below it.
	N int
	// Binding is the cap that set N (nil when none binds).
	Binding *Cap
	// Caps are all the bounds found, binding or not.
	Caps []Cap
}

// WorkerTarget derives the worker target of a web unit from the configured
// target: capped at 2 x CPUs + 1 where the container has a CPU limit
// (exactly that with auto), at the memory limit over the per-worker
// estimate, and at what each PostgreSQL budget the unit counts against
// admits with everything else of the stack in it. A cap may fall below the
// unit's current count: the budget has no room for more.
func (m *Model) WorkerTarget(u *Unit, configured int, auto bool) Target {
	t := Target{Configured: configured, N: configured}
	// A unit of another model of the same stack (other options) stands
	// for its counterpart here.
	for _, o := range m.Units {
		if o != u && o.Key() == u.Key() {
			u = o
			break
		}
	}
	if l := u.CPUs; l != nil {
		t.Caps = append(t.Caps, Cap{N: CPUWorkers(l.Value), Budget: CPUKey(u.Service),
			Why: fmt.Sprintf("2 x %s CPUs + 1, the CPU limit of service %s", fmtFloat(l.Value), u.Service)})
		if auto {
			t.Configured, t.N = CPUWorkers(l.Value), CPUWorkers(l.Value)
		}
	}
	if l := u.Memory; l != nil && m.WorkerMemory > 0 {
		// Other units of the same service share the container's memory.
		others := 0
		for _, o := range m.Units {
			if o != u && o.Service == u.Service && o.Memory != nil {
				others += o.Processes.N
			}
		}
		n := int(int64(l.Value)/m.WorkerMemory) - others
		t.Caps = append(t.Caps, Cap{N: max(n, 0), Budget: MemoryKey(u.Service),
			Why: fmt.Sprintf("the memory limit of service %s (%s) over %s", u.Service, l.From.What, m.workerMemoryText())})
	}
	for _, b := range m.budgets {
		if b.Resource != Postgres || !b.LimitKnown {
			continue
		}
		for _, term := range b.Terms {
			if term.Unit != u || term.PerProcess == 0 {
				continue
			}
			room := b.Usable() - (b.Used - term.N)
			n := room / (term.PerProcess * max(u.Replicas.N, 1))
			if room < 0 {
				n = -1
			}
			per := term.PerProcess * max(u.Replicas.N, 1)
			t.Caps = append(t.Caps, Cap{N: max(n, 0), Budget: b.Key, Full: &b, PerWorker: per,
				Why: fmt.Sprintf("the PostgreSQL budget of %s (%s%d of %d usable with %s; %d per worker)", b.Name, b.Bound(), b.Used, b.Usable(), b.LimitText(), per)})
		}
	}
	for i := range t.Caps {
		if t.Caps[i].N < t.N {
			t.N, t.Binding = t.Caps[i].N, &t.Caps[i]
		}
	}
	return t
}

func atLeast(lower bool) string {
	if lower {
		return "at least "
	}
	return ""
}

// AtLeast is "at least " for a lower bound, else "".
func AtLeast(lower bool) string { return atLeast(lower) }

// workerMemoryText is the per-worker memory estimate in words, marked as
// assumed, with the key that replaces it, where it is the default.
func (m *Model) workerMemoryText() string {
	out := fmt.Sprintf("%d MiB per worker", m.WorkerMemory>>20)
	if m.WorkerMemory == DefaultWorkerMemoryMB<<20 {
		out += ", assumed; declare it: targets.worker_memory_mb"
	}
	return out
}
