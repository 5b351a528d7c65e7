#!/usr/bin/env bash
# Whole-process measurements of headroom, and of its peers on the same
# files: what a pre-commit hook and a CI job actually pay.
#
#   bench/run.sh            (or: make bench-peers)
#
# - start-up: `headroom lint` on one small file, wall time (hyperfine) and
#   peak memory (/usr/bin/time -v);
# - scale: `headroom lint` on generated monorepos (SIZES, default 100 1000
#   10000 deployment files): wall, files/s, MB/s, peak memory, and the time
#   per file, which should stay flat as the tree grows;
# - real stacks: the same on trees of copies of testdata/wingman (COPIES,
#   default 1 25 250 2500), the report's own stack with its models, views,
#   serializers and Celery app, heavier on Python than the generated
#   services; with yamllint on the compose files of the 250-copy tree;
# - peers, each on its own kind and on the very same files: the npm
#   packages dockerfilelint (Dockerfiles) and dclint (compose files), and
#   Debian's yamllint (compose files); the ratio is the peer's time per file
#   over headroom's.
#
# Installs what is missing: hyperfine, time and yamllint with apt-get (as
# root), the npm peers into bench/.peers (ignored by git). Output is
# Markdown, ready for the README's Performance section.
#
# Environment: SIZES, COPIES, RUNS (hyperfine runs per measurement, default 10),
# PEER_SIZE (the generated tree the peers run on, default 1000), WORK (a
# folder kept between runs for the binary and the trees; default a temp
# folder removed on exit).
set -euo pipefail

cd "$(dirname "$0")/.."
repo=$(pwd)
SIZES=${SIZES:-"100 1000 10000"}
COPIES=${COPIES:-"1 25 250 2500"}
RUNS=${RUNS:-10}
PEER_SIZE=${PEER_SIZE:-1000}
DOCKERFILELINT_VERSION=1.8.0
DCLINT_VERSION=3.1.0

if [[ -z ${WORK:-} ]]; then
	WORK=$(mktemp -d)
	trap 'rm -rf "$WORK"' EXIT
fi
mkdir -p "$WORK"

log() { printf '%s\n' "$*" >&2; }

# --- tools -----------------------------------------------------------------

need_apt=()
command -v hyperfine >/dev/null || need_apt+=(hyperfine)
[[ -x /usr/bin/time ]] || need_apt+=(time)
command -v yamllint >/dev/null || need_apt+=(yamllint)
if ((${#need_apt[@]})); then
	if [[ $(id -u) != 0 ]]; then
		log "bench/run.sh: missing ${need_apt[*]}; install them (apt-get install ${need_apt[*]}) or run as root"
		exit 2
	fi
	log "installing ${need_apt[*]} (apt-get)"
	apt-get update -qq >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >&2
fi
peers=$repo/bench/.peers
if [[ ! -x $peers/node_modules/.bin/dockerfilelint || ! -x $peers/node_modules/.bin/dclint ]]; then
	command -v npm >/dev/null || { log "bench/run.sh: npm is needed for the peers (apt-get install npm)"; exit 2; }
	log "installing dockerfilelint@$DOCKERFILELINT_VERSION and dclint@$DCLINT_VERSION into bench/.peers (npm)"
	mkdir -p "$peers"
	npm install --prefix "$peers" --no-audit --no-fund --silent \
		"dockerfilelint@$DOCKERFILELINT_VERSION" "dclint@$DCLINT_VERSION" >&2
fi
dockerfilelint=$peers/node_modules/.bin/dockerfilelint
dclint=$peers/node_modules/.bin/dclint

# --- headroom and the trees --------------------------------------------------

log "building headroom"
go build -o "$WORK/headroom" ./cmd/headroom
hr=$WORK/headroom

# tree N: generate (once) a monorepo of N deployment files; prints its path.
tree() {
	local dir=$WORK/files-$1
	if [[ ! -f $dir.stats ]]; then
		log "generating $1 deployment files"
		rm -rf "$dir"
		go run ./internal/gen/genstack -files "$1" -o "$dir" >"$dir.stats"
	fi
	echo "$dir"
}
# copies N: write (once) N copies of testdata/wingman; prints its path.
copies() {
	local dir=$WORK/wingman-$1
	if [[ ! -f $dir.stats ]]; then
		log "writing $1 copies of testdata/wingman"
		rm -rf "$dir"
		go run ./internal/gen/genstack -copies "$1" -of testdata/wingman -o "$dir" >"$dir.stats"
	fi
	echo "$dir"
}
# stats NAME: "files bytes" the generator wrote for tree NAME (files-N or
# wingman-N).
stats() { awk '{print $3, substr($6, 2)}' "$WORK/$1.stats"; }

# mean_ms CMD...: hyperfine's mean wall time in ms (HF_RUNS runs, default
# RUNS, after HF_WARMUP warm-up runs, default 1); exit codes are ignored
# (findings exit 1), output goes nowhere. cpu_ms then gives the mean CPU
# time (user + system) of the same runs, which a busy machine inflates
# less than wall time.
mean_ms() {
	hyperfine -N -i --warmup "${HF_WARMUP:-1}" --runs "${HF_RUNS:-$RUNS}" --style none --export-csv "$WORK/hf.csv" -- "$*" >/dev/null 2>&1
	awk -F, 'NR==2 {printf "%.1f", $2*1000}' "$WORK/hf.csv"
}
cpu_ms() { awk -F, 'NR==2 {printf "%.1f", ($5+$6)*1000}' "$WORK/hf.csv"; }
# peak_mb CMD...: the peak resident memory of one run, in MB.
peak_mb() {
	/usr/bin/time -v "$@" >/dev/null 2>"$WORK/time.txt" || true
	awk -F': ' '/Maximum resident set size/ {printf "%.1f", $2/1024}' "$WORK/time.txt"
}

cpu=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)
echo "Measured $(date -u +%Y-%m-%d) on $(nproc) cores ($cpu), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr), $(go version | awk '{print $3}'); load average at start $(cut -d' ' -f1-3 /proc/loadavg)."
echo

# --- start-up ----------------------------------------------------------------

small=testdata/wingman/Dockerfile
echo "### One small file (a pre-commit hook's cost)"
echo
echo "| command | wall (mean) | peak memory |"
echo "|---|---:|---:|"
ms=$(HF_RUNS=$((RUNS * 3)) mean_ms "$hr" lint "$small")
echo "| \`headroom lint $small\` | $ms ms | $(peak_mb "$hr" lint "$small") MB |"
echo "| \`dockerfilelint $small\` | $(mean_ms "$dockerfilelint" "$small") ms | $(peak_mb "$dockerfilelint" "$small") MB |"
echo "| \`dclint testdata/wingman/docker-compose.yml\` | $(mean_ms "$dclint" testdata/wingman/docker-compose.yml) ms | $(peak_mb "$dclint" testdata/wingman/docker-compose.yml) MB |"
echo "| \`yamllint testdata/wingman/docker-compose.yml\` | $(mean_ms yamllint testdata/wingman/docker-compose.yml) ms | $(peak_mb yamllint testdata/wingman/docker-compose.yml) MB |"
echo

# --- scale -------------------------------------------------------------------

# scale_row LABEL DIR STATS BIG: one line of a scale table for `headroom
# lint DIR`, whose tree's "files bytes" are in $WORK/STATS.stats; BIG (1 or
# 0) gives the largest trees fewer runs and no warm-up.
scale_row() {
	local files bytes runs=$RUNS warm=1 ms cpu
	read -r files bytes < <(stats "$3")
	(($4)) && runs=$(((RUNS + 2) / 3)) warm=0
	ms=$(HF_RUNS=$runs HF_WARMUP=$warm mean_ms "$hr" lint "$2")
	cpu=$(cpu_ms)
	awk -v l="$1" -v f="$files" -v b="$bytes" -v ms="$ms" -v cpu="$cpu" -v mem="$(peak_mb "$hr" lint "$2")" 'BEGIN {
		printf "| %s%d | %.1f | %.0f ms | %.0f ms | %.0f µs | %.0f | %.2f | %s MB |\n", l, f, b/1e6, ms, cpu, ms*1000/f, f/(ms/1000), b/1e6/(ms/1000), mem }'
}

echo "### Whole monorepos (\`headroom lint DIR\`)"
echo
echo "| deployment files | MB | wall | CPU | wall per file | files/s | MB/s | peak memory |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|"
for n in $SIZES; do
	scale_row "" "$(tree "$n")" "files-$n" $((n >= 10000))
done
echo

# --- real stacks -------------------------------------------------------------

echo "### Copies of the report's own stack (\`headroom lint DIR\`, DIR holding N copies of testdata/wingman)"
echo
echo "| copies: deployment files | MB | wall | CPU | wall per file | files/s | MB/s | peak memory |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|"
for n in $COPIES; do
	scale_row "$n: " "$(copies "$n")" "wingman-$n" $((n >= 2500))
done
echo
dir=$(copies 250)
mapfile -t composes < <(ls "$dir"/*/docker-compose.yml)
h=$(mean_ms "$hr" lint "$dir")
y=$(mean_ms yamllint "${composes[@]}")
echo "On the 250-copy tree, \`headroom lint\` on every file takes $(printf %.0f "$h") ms; \`yamllint $(yamllint --version | awk '{print $2}')\` on its ${#composes[@]} compose files alone takes $(printf %.0f "$y") ms."
echo

# --- peers -------------------------------------------------------------------

dir=$(tree "$PEER_SIZE")
mapfile -t dockerfiles < <(ls "$dir"/services/*/Dockerfile)
mapfile -t composes < <(ls "$dir"/services/*/docker-compose.yml)
echo "### Side by side, on the same files (the generated $PEER_SIZE-file monorepo)"
echo
echo "| tool | files | wall | per file | headroom is faster by |"
echo "|---|---:|---:|---:|---:|"
# row TOOL N HEADROOM_MS MS: one line of the table.
row() {
	awk -v t="$1" -v n="$2" -v h="$3" -v ms="$4" 'BEGIN {
		r = (t ~ /^headroom/) ? "" : sprintf("%.0fx", ms/h)
		printf "| %s | %d | %.0f ms | %.2f ms | %s |\n", t, n, ms, ms/n, r }'
}
h=$(mean_ms "$hr" lint "${dockerfiles[@]}")
row "headroom lint (Dockerfiles)" ${#dockerfiles[@]} "$h" "$h"
row "dockerfilelint $DOCKERFILELINT_VERSION" ${#dockerfiles[@]} "$h" "$(mean_ms "$dockerfilelint" "${dockerfiles[@]}")"
h=$(mean_ms "$hr" lint "${composes[@]}")
row "headroom lint (compose files)" ${#composes[@]} "$h" "$h"
row "dclint $DCLINT_VERSION" ${#composes[@]} "$h" "$(mean_ms "$dclint" "${composes[@]}")"
row "yamllint $(yamllint --version | awk '{print $2}')" ${#composes[@]} "$h" "$(mean_ms yamllint "${composes[@]}")"
