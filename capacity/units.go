package capacity

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/headroom-dev/headroom/parsers/servercmd"
	"github.com/headroom-dev/headroom/stack"
)

// units lists every process unit: each command once per compose service
// running it, then each celery beat service.
func (m *Model) units() {
	s := m.Stack
	for _, c := range s.Commands {
		base := m.commandUnit(c)
		svcs := s.RunningServices(c)
		if len(svcs) == 0 {
			u := base
			u.Service = c.File.Doc.Path
			if c.Service != "" {
				u.Service = c.Service
			}
			m.add(&u)
			continue
		}
		seen := map[string]bool{}
		for _, sv := range svcs {
			// An override file names the service again: one service.
			if seen[sv.Service.Name] {
				continue
			}
			seen[sv.Service.Name] = true
			u := base
			u.Service, u.Compose = sv.Service.Name, sv
			m.add(&u)
		}
	}
	for _, b := range s.Beats() {
		u := &Unit{
			Service: b.Service.Service.Name, Compose: b.Service, Doc: b.Service.File.Doc, Argv: *b.Argv,
			Server: CeleryBeat, WorkerClass: "beat",
			Processes:   known(1, defaultSource("celery beat runs 1 process")),
			Threads:     known(1, defaultSource("1 thread")),
			Concurrency: known(1, defaultSource("celery beat sends one task at a time")),
		}
		m.add(u)
	}
}

// add completes a unit with what depends on its service (replicas,
// limits) and its settings (connections), and keeps it.
func (m *Model) add(u *Unit) {
	u.Replicas = replicas(u.Compose)
	u.CPUs, u.Memory = limits(u.Compose)
	m.declaredService(u)
	u.Settings = m.settingsOf(u)
	celerySettingsConcurrency(u)
	m.hostSizedPool(u)
	m.hostSizedWorkers(u)
	u.GreenBlocking = GreenBlocking(m.Stack, u)
	m.connections(u)
	m.Units = append(m.Units, u)
}

// settingsOf is the Django settings the unit's processes load: those
// resolved for its command, else the only (or first) settings of the
// stack.
func (m *Model) settingsOf(u *Unit) *stack.Settings {
	all := m.Stack.DjangoSettings()
	if len(all) == 0 {
		return nil
	}
	if u.Command != nil {
		for _, st := range all {
			if st.Command == u.Command {
				return st
			}
		}
		if v, ok := m.Stack.Env(u.Command, "DJANGO_SETTINGS_MODULE"); ok {
			for _, st := range all {
				if st.Name == v.Value {
					return st
				}
			}
		}
	}
	return all[0]
}

func replicas(sv stack.Service) Count {
	if sv.Service == nil {
		return known(1, defaultSource("no compose service: 1 container"))
	}
	sc := sv.Service.Replicas
	what := "deploy.replicas"
	if sc == nil {
		sc, what = sv.Service.Scale, "scale"
	}
	if sc == nil {
		return known(1, defaultSource("no deploy.replicas: 1 container"))
	}
	src := Source{Doc: sv.File.Doc, Span: sc.Span, What: what + " " + sc.Value}
	n, err := strconv.Atoi(strings.TrimSpace(sc.Value))
	if err != nil || n < 0 {
		src.What += ", not a number: taken as 1"
		return Count{N: 1, From: src}
	}
	return known(n, src)
}

// limits reads the CPU and memory limits of a compose service.
func limits(sv stack.Service) (cpus, mem *Limit) {
	if sv.Service == nil {
		return nil, nil
	}
	if sc := sv.Service.CPUs; sc != nil {
		if n, err := strconv.ParseFloat(strings.TrimSpace(sc.Value), 64); err == nil && n > 0 {
			cpus = &Limit{Value: n, From: Source{Doc: sv.File.Doc, Span: sc.Span, What: "cpus " + sc.Value}}
		}
	}
	if sc := sv.Service.Memory; sc != nil {
		if n, ok := ParseBytes(sc.Value); ok && n > 0 {
			mem = &Limit{Value: float64(n), From: Source{Doc: sv.File.Doc, Span: sc.Span, What: "memory " + sc.Value}}
		}
	}
	return cpus, mem
}

// declaredService applies what the configuration declares of the unit's
// service: it wins over compose.
func (m *Model) declaredService(u *Unit) {
	d, in := m.Infra.Service(u.Service), m.Infra
	if d.Replicas.Set() {
		u.Replicas = known(int(d.Replicas.Value), in.declared(d.Replicas, Key("services", u.Service, "replicas")))
	}
	if d.CPUs.Set() {
		u.CPUs = &Limit{Value: d.CPUs.Value, From: in.declared(d.CPUs, Key("services", u.Service, "cpus"))}
	}
	if d.Memory.Set() {
		u.Memory = &Limit{Value: d.Memory.Value, From: in.declared(d.Memory, Key("services", u.Service, "memory"))}
	}
}

// DeclaredCPUs is the number of CPUs the configuration declares for a
// service (infrastructure.services.<service>.cpus), for counts that
// default to the host's CPUs; ok is false when none is declared.
func (m *Model) DeclaredCPUs(service string) (cpus float64, from Source, ok bool) {
	d := m.Infra.Service(service)
	if !d.CPUs.Set() {
		return 0, Source{}, false
	}
	return d.CPUs.Value, m.Infra.declared(d.CPUs, Key("services", service, "cpus")), true
}

// ParseBytes reads a compose byte value: a number of bytes, or a number
// with a b, k, m or g unit (kb, mb, gb and the like too), in either case.
func ParseBytes(v string) (int64, bool) {
	v = strings.ToLower(strings.TrimSpace(v))
	v = strings.TrimSuffix(v, "ib")
	v = strings.TrimSuffix(v, "b")
	mult := 1.0
	if v != "" {
		switch v[len(v)-1] {
		case 'k':
			mult = 1 << 10
		case 'm':
			mult = 1 << 20
		case 'g':
			mult = 1 << 30
		case 't':
			mult = 1 << 40
		}
		if mult != 1 {
			v = v[:len(v)-1]
		}
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil || f < 0 || math.IsInf(f, 0) {
		return 0, false
	}
	return int64(f * mult), true
}

// fromSetting turns a resolved option into a Count: def (with defWhat)
// where nothing sets it, the least it can be (1) where it is set in a way
// headroom does not follow.
func fromSetting(st *stack.Setting, def int, defWhat string) Count {
	if st == nil || st.Source == stack.SourceDefault {
		return known(def, defaultSource(defWhat))
	}
	src := Source{What: st.Where()}
	if st.File != nil {
		src.Doc, src.Span = st.File.Doc, st.Span
	}
	if st.Source == stack.SourceArgv && st.Env == nil && st.Option != nil {
		src.What = st.Option.Flag + " " + st.Value
	} else if st.Known {
		src.What = fmt.Sprintf("%s = %s from %s", st.Name, st.Value, st.Where())
	}
	n, ok := st.Int()
	if !ok || n <= 0 {
		src.What += fmt.Sprintf(" (not a number headroom can read: taken as %d)", max(def, 1))
		return Count{N: max(def, 1), From: src}
	}
	return known(n, src)
}

// commandUnit derives what a command runs, before its service is known.
func (m *Model) commandUnit(c *stack.Command) Unit {
	s := m.Stack
	srv := c.Server
	u := Unit{Command: c, Doc: c.File.Doc, Argv: srv.Argv, Server: UnknownProg, WorkerClass: srv.Program}
	one := known(1, defaultSource("1"))
	u.Processes, u.Threads, u.Concurrency = one, known(1, defaultSource("1 thread")), one
	switch srv.Program {
	case "gunicorn":
		u.Server, u.Web = Gunicorn, true
		u.Processes = fromSetting(s.Setting(c, "workers"), 1, "gunicorn's default: 1 worker")
		u.WorkersFormula = cpuFormula(s.Setting(c, "workers"))
		class := servercmd.ClassKind(s.WorkerClass(c))
		u.WorkerClass = class
		switch class {
		case "gthread":
			u.Threads = fromSetting(s.Setting(c, "threads"), 1, "gunicorn's default: 1 thread")
			u.Concurrency = u.Threads
		case "gevent", "eventlet":
			u.Greenlets = fromSetting(s.Setting(c, "worker-connections"), 1000, "gunicorn's default worker_connections: 1000")
			u.Concurrency = u.Greenlets
			if v, ok := EventletRemoved(s); ok && class == "eventlet" {
				u.NoBoot = fmt.Sprintf("gunicorn 26.0.0 removed the eventlet worker and the requirements allow gunicorn %s: the workers will not boot", v)
				u.Processes = known(0, defaultSource("no eventlet worker in gunicorn "+v.String()+": none starts"))
			}
		case "uvicorn", "asgi", "tornado":
			u.ASGI = class != "tornado"
			u.Concurrency = Count{N: 1, From: defaultSource("an event loop: concurrent requests are not bounded by a setting")}
		case "sync":
			u.Concurrency = known(1, defaultSource("a sync worker serves 1 request at a time"))
		default:
			u.WorkerClass = s.WorkerClass(c)
			u.Concurrency = Count{N: 1, From: defaultSource("a worker class headroom does not know: taken as 1")}
		}
	case "uvicorn":
		u.Server, u.Web, u.ASGI, u.WorkerClass = Uvicorn, true, true, "uvicorn"
		u.Processes = fromSetting(s.Setting(c, "workers"), 1, "uvicorn's default: 1 process")
		u.Concurrency = Count{N: 1, From: defaultSource("an event loop: concurrent requests are not bounded by a setting")}
	case "daphne":
		u.Server, u.Web, u.ASGI, u.WorkerClass = Daphne, true, true, "daphne"
		u.Processes = known(1, defaultSource("daphne runs 1 process"))
		u.Concurrency = Count{N: 1, From: defaultSource("an event loop: concurrent requests are not bounded by a setting")}
	case "granian":
		u.Server, u.Web = Granian, true
		u.WorkerClass = srv.WorkerClass()
		u.ASGI = u.WorkerClass != "wsgi"
		u.Processes = fromSetting(s.Setting(c, "workers"), 1, "granian's default: 1 worker")
		if u.ASGI {
			u.Concurrency = Count{N: 1, From: defaultSource("an event loop: concurrent requests are not bounded by a setting")}
		}
	case "uwsgi":
		u.Server, u.Web, u.WorkerClass = UWSGI, true, "uwsgi"
		p := s.Setting(c, "processes")
		if p == nil || p.Source == stack.SourceDefault {
			p = s.Setting(c, "workers")
		}
		u.Processes = fromSetting(p, 1, "uWSGI's default: 1 process")
		u.Threads = fromSetting(s.Setting(c, "threads"), 1, "uWSGI's default: 1 thread")
		u.Concurrency = u.Threads
	case "celery":
		u.Server = CeleryWorker
		u.WorkerClass = strings.ToLower(srv.WorkerClass())
		conc, hostSized := celeryConcurrency(s, c)
		u.HostSized = hostSized && u.WorkerClass != "solo"
		switch u.WorkerClass {
		case "gevent", "eventlet":
			u.Processes = known(1, defaultSource("a "+u.WorkerClass+" pool runs in 1 process"))
			u.Greenlets, u.Concurrency = conc, conc
		case "threads":
			u.Processes = known(1, defaultSource("a threads pool runs in 1 process"))
			u.Threads, u.Concurrency = conc, conc
		case "solo":
			u.Processes = known(1, defaultSource("a solo pool runs in 1 process"))
			u.Concurrency = known(1, defaultSource("a solo pool runs 1 task at a time"))
		default:
			u.Processes = conc
			u.Concurrency = known(1, defaultSource("a prefork child runs 1 task at a time"))
		}
		if srv.Has("beat") {
			u.EmbedsBeat = true
			u.Processes.N++
			u.Processes.From.What += ", plus the beat it embeds (-B)"
		}
	}
	if why, src := asgiSyncThread(s); u.ASGI && why != "" {
		u.SyncThread, u.Concurrency = why, known(1, src)
	}
	return u
}

// celeryConcurrency is a celery worker's pool size: the maximum of
// --autoscale, else --concurrency. hostSized says neither is given:
// Celery's default is then the CPU count the host shows, which add reads
// from the model's host size once the unit's service is known (1 until
// then).
func celeryConcurrency(s *stack.Stack, c *stack.Command) (conc Count, hostSized bool) {
	if st := s.Setting(c, "autoscale"); st != nil && st.Source != stack.SourceDefault {
		hi, _, _ := strings.Cut(st.Value, ",")
		src := Source{Doc: st.File.Doc, Span: st.Span, What: "--autoscale " + st.Value}
		if n, err := strconv.Atoi(strings.TrimSpace(hi)); err == nil && n > 0 && st.Known {
			src.What = fmt.Sprintf("--autoscale up to %d", n)
			return known(n, src), false
		}
		return Count{N: 1, From: src}, false
	}
	st := s.Setting(c, "concurrency")
	if st == nil || st.Source == stack.SourceDefault {
		return Count{N: 1, From: defaultSource("no --concurrency: one per CPU the host shows")}, true
	}
	return fromSetting(st, 1, ""), false
}

// celerySettingsConcurrency reads worker_concurrency from the Django
// settings (CELERY_WORKER_CONCURRENCY, as config_from_object with the
// CELERY namespace maps it) for a celery worker whose command line does
// not size its pool.
func celerySettingsConcurrency(u *Unit) {
	if u.Server != CeleryWorker || u.Settings == nil || u.Settings.NS == nil || u.WorkerClass == "solo" {
		return
	}
	conc := u.Processes
	if u.Greenlets.N > 0 || u.WorkerClass == "threads" {
		conc = u.Concurrency
	}
	if conc.Known || !conc.From.Default {
		return
	}
	o := u.Settings.NS.Names["CELERY_WORKER_CONCURRENCY"]
	n, ok := num(u.Settings, o)
	if !ok || n < 1 {
		return
	}
	u.HostSized = false
	setPool(u, known(int(n), objSource(o, fmt.Sprintf("CELERY_WORKER_CONCURRENCY = %d", int(n)))))
}
