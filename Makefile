# headroom's build, test and demo entry points. Every target works on a
# fresh machine with Go; `make test` also needs Debian's nginx and python3
# (and python3-django, strace) for the real-tool checks (.ci/run installs them).

GO      ?= go
BIN     := bin/headroom
FUZZTIME ?= 30s

.PHONY: all build test e2e validate-model validate-model-postgres validate-model-redis validate-model-celery validate-model-wingman demo fuzz bench bench-peers vet fmt clean accuracy

all: build

build:
	$(GO) build -o $(BIN) ./cmd/headroom

# The whole suite: unit, rule (goldens, nginx -t, py_compile) and CLI tests.
test:
	$(GO) vet ./...
	$(GO) test ./...

# End to end: each testdata stack with nginx and a gunicorn, uvicorn or
# daphne web command is served (its own server command line and nginx configuration,
# Debian's gunicorn, uvicorn, daphne, Django and nginx, a stand-in Django app) in
# private namespaces, before and after `fix --phase 3` on a scratch copy,
# and the same requests through nginx must get the same answers. Needs
# util-linux's unshare, iproute2, nginx, gunicorn, daphne, python3-django
# and python3-uvicorn (.ci/run installs them).
e2e:
	HEADROOM_E2E=1 $(GO) test -count=1 -timeout 20m -v -run '^TestFixKeepsServing$$' ./internal/e2e

# The capacity model against a load test: Debian's gunicorn serves the
# Django app of testdata/validate on 127.0.0.1 with each configuration of
# testdata/validate/configs (its Dockerfile's CMD), internal/loadgen loads
# it, and the measured throughput must be within 25% of what
# `headroom report --format json` predicts. Prints the table; UPDATE=1
# also writes it into the README. Needs gunicorn and python3-django.
validate-model:
	HEADROOM_VALIDATE=1 $(GO) test -count=1 -timeout 10m -v -run '^TestModelAgainstLoad$$' ./internal/validate $(if $(UPDATE),-args -update)

# Peak PostgreSQL connections of each worker kind against `headroom model`
# (Debian's postgresql 15, gunicorn, psycopg2, gevent, psycogreen, uvicorn;
# about 2 minutes).
validate-model-postgres:
	HEADROOM_VALIDATE=1 $(GO) test -count=1 -timeout 10m -v -run '^TestConnectionsAgainstPostgres$$' ./internal/validate $(if $(UPDATE),-args -update)

# Peak Redis connections of each django-redis pool against `headroom
# model`, and the error at its limit against HR301 (Debian's redis-server,
# gunicorn, python3-redis, python3-django-redis, python3-gevent; about a
# minute).
validate-model-redis:
	HEADROOM_VALIDATE=1 $(GO) test -count=1 -timeout 10m -v -run '^TestConnectionsAgainstRedis$$' ./internal/validate $(if $(UPDATE),-args -update)

# Peak PostgreSQL connections of a Celery worker (prefork, gevent with
# psycopg2 with and without psycogreen, CONN_MAX_AGE 0 and 600) against
# `headroom model` (Debian's postgresql 15, redis-server as the broker,
# python3-celery, psycopg2, gevent, psycogreen; about 2 minutes).
validate-model-celery:
	HEADROOM_VALIDATE=1 $(GO) test -count=1 -timeout 10m -v -run '^TestConnectionsAgainstCelery$$' ./internal/validate $(if $(UPDATE),-args -update)

# The report's own stack, testdata/wingman, on Debian's servers before and
# after `headroom fix --phase 1`: every service (gunicorn with
# UvicornWorker, daphne, Celery's gevent and prefork workers, beat) runs its
# command line at once in a network namespace of its own, with the Django
# stand-in of testdata/validate/wingman, and each service's peak
# PostgreSQL and Redis connections and the web services' throughput are
# checked against `headroom model` and `headroom report` (root, util-linux's
# unshare, postgresql, redis-server, gunicorn, daphne, python3-uvicorn,
# python3-celery, python3-gevent, python3-django-redis,
# python3-django-channels, python3-channels-redis,
# python3-djangorestframework; about a minute).
validate-model-wingman:
	HEADROOM_VALIDATE=1 $(GO) test -count=1 -timeout 10m -v -run '^TestWingmanBeforeAfterFix$$' ./internal/validate $(if $(UPDATE),-args -update)

# Lint the report's own stack, then fix phase 1 on a scratch copy of it.
# No tracked file changes.
demo: build
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	cp -R testdata/wingman "$$tmp/wingman" && cd "$$tmp" && \
	echo '$$ headroom lint wingman' && \
	{ $(CURDIR)/$(BIN) lint wingman; echo "(exit $$?)"; } && \
	echo && echo '$$ headroom fix --phase 1 wingman' && \
	{ $(CURDIR)/$(BIN) fix --phase 1 wingman; echo "(exit $$?)"; }

# Each fuzz target for $(FUZZTIME); crashers land in testdata/fuzz and
# become regression tests on the next `make test`. Then the mutant property
# test (internal/trust TestMutants) with $(MUTANTS) mutants instead of the
# dozen `make test` runs; MUTANTS_SEED draws another set. Then
# cmd/headroom TestFixKilled with $(KILLS) runs of `fix --phase 3` killed
# part-way instead of 20; KILLS_SEED draws other moments.
MUTANTS ?= 500
MUTANTS_SEED ?= 1
KILLS ?= 200
KILLS_SEED ?= 1
fuzz:
	@failed=""; for pkg in $$($(GO) list ./...); do \
	  for target in $$($(GO) test -list '^Fuzz' $$pkg 2>/dev/null | grep '^Fuzz'); do \
	    echo "== $$pkg $$target"; \
	    $(GO) test -run '^$$' -fuzz "^$$target$$" -fuzztime $(FUZZTIME) $$pkg || failed="$$failed $$pkg.$$target"; \
	  done; \
	done; \
	echo "== TestMutants ($(MUTANTS) mutants, seed $(MUTANTS_SEED))"; \
	$(GO) test -run '^TestMutants$$' -timeout 60m ./internal/trust -mutants $(MUTANTS) -mutants-seed $(MUTANTS_SEED) || failed="$$failed TestMutants"; \
	echo "== TestFixKilled ($(KILLS) kills, seed $(KILLS_SEED))"; \
	$(GO) test -count=1 -run '^TestFixKilled$$' -timeout 30m ./cmd/headroom -kills $(KILLS) -kills-seed $(KILLS_SEED) || failed="$$failed TestFixKilled"; \
	if [ -n "$$failed" ]; then echo "fuzz failures:$$failed"; exit 1; fi

# Go benchmarks: parse and rules per file kind (MB/s, files/s, allocs),
# fix, discovery, and whole `lint` runs on the example stack, on trees of
# 25 and 250 copies of it, and on generated monorepos of 100, 1,000 and
# 10,000 files (written once under $$TMPDIR/headroom-bench), and `headroom
# server`'s diagnostics latency after a didChange (median, p90) and live heap
# over 1,000 edits on the example stack (lsp/bench_test.go). BENCH narrows
# them: make bench BENCH=Lint/wingman-x250$$
BENCH ?= .
bench:
	$(GO) test -run '^$$' -bench '$(BENCH)' -benchmem ./...

# Whole-process start-up and peak memory, the monorepo runs (generated
# trees and copies of the example stack, up to 2,500), and the peers
# (dockerfilelint, dclint, yamllint) side by side on the same files, as the
# README's Performance section shows them. Installs the peers (apt, npm
# into bench/.peers) when missing.
bench-peers:
	bash bench/run.sh

# Precision and recall of the rules on the hand-labelled public projects in
# testdata/corpus and the sets nobody tuned for, per rule and overall, every
# disagreement with a label, and each set's first-run (blind) figures from its
# blind.tsv beside today's. ACCURACY_FLAGS=-record-blind records blind.tsv,
# once, for a new set (on a clean worktree: the file names the commit).
ACCURACY_SETS = -corpus testdata/corpus -heldout testdata/corpus-heldout -heldout testdata/corpus-fresh -heldout testdata/corpus-blind
accuracy:
	$(GO) run ./internal/accuracy/report $(ACCURACY_SETS) $(ACCURACY_FLAGS)

vet:
	$(GO) vet ./...

fmt:
	gofmt -w $$(git ls-files '*.go')

clean:
	rm -rf bin
