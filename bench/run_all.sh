#!/usr/bin/env bash
# The benchmarks the README quotes, each as a ratio to a peer run in the same
# session, back to back, RUNS times (medians of the pairs' ratios):
#   1. the trace (bench/trace_bench) vs numpy on OpenBLAS (numpy_reference.py),
#      at the worked example and GPT-2 small; ratio = numpy's time / core's;
#   2. a 2× PNG export of the comparison view at GPT-2 small vs the matplotlib
#      peer drawing the same matrices; process time (user + sys, startup
#      included), ratio = matplotlib's / the app's;
#   3. peak memory (/usr/bin/time -v) of that export at n 4096 and n 16384
#      (d_model 768, 12 heads of 64) beside numpy's trace of the same shape
#      discarding S and A.
# Usage: bench/run_all.sh [BUILD_DIR (default build/release)] [RUNS (default 5)]
# Needs /usr/bin/time, python3-numpy, python3-matplotlib, xvfb (it starts its
# own display when there is none). Build the release preset first.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build/release}
runs=${2:-5}
app=$build/app/attention-by-hand
bench=$build/bench/trace_bench
if [ -z "${DISPLAY:-}" ]; then exec xvfb-run -a -s "-screen 0 1920x1080x24 -noreset" "$0" "$build" "$runs"; fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
py=/usr/bin/python3
numpy() { env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$py" "$here/numpy_reference.py" "$@"; }
median() { "$py" -c 'import statistics,sys; v=[float(x) for x in sys.argv[1:]]; print(f"{statistics.median(v):.3g} (min {min(v):.3g}, max {max(v):.3g})")' "$@"; }
ratio() { "$py" -c "print($1 / $2)"; }
# Process seconds (user + sys) and peak KB of one command, its output in $work/out.
measure() { /usr/bin/time -f "%U %S %M" -o "$work/time" "$@" >"$work/out" 2>&1 || true
            read -r u s kb <"$work/time"; echo "$("$py" -c "print($u + $s)") $kb"; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== trace vs numpy (OpenBLAS), medians over $runs pairs; ratio > 1: the trace is faster"
for shape in "worked_example 40 36 3 12 400" "gpt2_small 1024 768 12 64 15"; do
  set -- $shape
  name=$1; ours=(); theirs=(); ratios=()
  for _ in $(seq "$runs"); do
    "$bench" --benchmark_filter="trace_at/$name" --benchmark_format=json >"$work/b.json" 2>/dev/null
    t=$("$py" -c 'import json,sys; b=json.load(open(sys.argv[1]))["benchmarks"][0]; u={"us":1e-3,"ms":1.0,"ns":1e-6}[b["time_unit"]]; print(b["real_time"]*u)' "$work/b.json")
    n=$(numpy "$2" "$3" "$4" "$5" "$6" keep | sed -E 's/.*median ([0-9.e+-]+) ms.*/\1/')
    ours+=("$t"); theirs+=("$n"); ratios+=("$(ratio "$n" "$t")")
  done
  echo "$name: trace $(median "${ours[@]}") ms, numpy $(median "${theirs[@]}") ms, numpy/trace $(median "${ratios[@]}")"
done

echo "== 2× PNG export (comparison view, GPT-2 small) vs matplotlib, process seconds, medians over $runs pairs"
gpt2=(--seq 1024 --d-model 768 --heads 12 --head-dim 64)
ours=(); theirs=(); ratios=()
for _ in $(seq "$runs"); do
  read -r a _ < <(measure "$app" --export "$work/x.png" --scale 2 --panel comparison "${gpt2[@]}")
  read -r p _ < <(measure "$py" "$here/matplotlib_peer.py" "$work/x.json" "$work/peer.png")
  ours+=("$a"); theirs+=("$p"); ratios+=("$(ratio "$p" "$a")")
done
echo "export: app $(median "${ours[@]}") s, matplotlib $(median "${theirs[@]}") s, matplotlib/app $(median "${ratios[@]}")"

echo "== peak memory (one run each), d_model 768, 12 heads of 64"
for n in 4096 16384; do
  read -r _ a < <(measure "$app" --export "$work/m.png" --scale 1 --panel comparison --seq "$n" --d-model 768 --heads 12 --head-dim 64)
  read -r _ p < <(measure env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$py" "$here/numpy_reference.py" "$n" 768 12 64 1 discard)
  echo "n $n: app export $((a / 1024)) MiB, numpy trace discarding S and A $((p / 1024)) MiB, app/numpy $(ratio "$a" "$p")"
done
