#!/usr/bin/env bash
# make bench: time to read one line, and start-up of `mend understand` against a hello-world that imports Foundation.
# Usage: bash Tests/bench.sh .build/release
set -euo pipefail
BIN="${1:-.build/release}"
MEND="$BIN/mend"
HELLO="$BIN/hello-foundation"
EVAL_DIR="Tests/Evaluation/understanding"
for exe in "$MEND" "$HELLO"; do
    [ -x "$exe" ] || { echo "bench: $exe is missing; run: swift build -c release --product mend --product hello-foundation" >&2; exit 2; }
done

median() { sort -n | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

# 1. One read: every labelled line read 200 times in one process, five runs, the median of the per-line times.
per_read=$(for _ in 1 2 3 4 5; do
    "$MEND" eval "$EVAL_DIR" --repeat 200 | awk '/µs per line/ { n++; s += $(NF - 3) } END { printf "%.2f\n", s / n }'
done | median)
echo "read one line: ${per_read} µs median (target < 100 µs)"

# Compiled copies of the data go to a private cache folder for the run: "warm" is every start after the first
# (what a user sees), "cold" the first start after dialogs/ or the program changed (the cache emptied before each run).
CACHE_DIR=$(mktemp -d)
export XDG_CACHE_HOME="$CACHE_DIR"
trap 'rm -rf "$CACHE_DIR"' EXIT

# 2. Start-up: wall time of a whole process, median of many runs.
RUNS="${RUNS:-60}"
if command -v hyperfine >/dev/null 2>&1; then
    hyperfine --warmup 5 --runs "$RUNS" -N "$HELLO" "$MEND understand --set role 'he lied'" --export-json /tmp/mend-bench.json >/dev/null
    hello_ms=$(python3 -c 'import json;d=json.load(open("/tmp/mend-bench.json"))["results"];print("%.2f"%(d[0]["median"]*1000))')
    mend_ms=$(python3 -c 'import json;d=json.load(open("/tmp/mend-bench.json"))["results"];print("%.2f"%(d[1]["median"]*1000))')
else
    # Each round times the two back to back, so both see the same load on a shared machine.
    for _ in 1 2 3; do "$HELLO" >/dev/null; "$MEND" understand --set role "he lied" >/dev/null; done
    pairs=$(for _ in $(seq "$RUNS"); do
        s=$(date +%s%N); "$HELLO" >/dev/null; m=$(date +%s%N); "$MEND" understand --set role "he lied" >/dev/null; e=$(date +%s%N)
        echo "$(( (m - s) / 1000 )) $(( (e - m) / 1000 ))"
    done)
    hello_ms=$(echo "$pairs" | awk '{ print $1 }' | median | awk '{ printf "%.2f\n", $1 / 1000 }')
    mend_ms=$(echo "$pairs" | awk '{ print $2 }' | median | awk '{ printf "%.2f\n", $1 / 1000 }')
fi
ratio=$(awk -v a="$mend_ms" -v b="$hello_ms" 'BEGIN { printf "%.2f", a / b }')
echo "start-up: mend understand ${mend_ms} ms, hello-foundation ${hello_ms} ms, ratio ${ratio}x (target < 1.5x)"
cold_runs() {
    for _ in $(seq 10); do
        rm -rf "$CACHE_DIR/mend"
        s=$(date +%s%N); "$@" >/dev/null < /dev/null; e=$(date +%s%N)
        echo $(( (e - s) / 1000 ))
    done | median | awk '{ printf "%.2f\n", $1 / 1000 }'
}
cold_ms=$(cold_runs "$MEND" understand --set role "he lied")
echo "start-up, cold (first run after a change to dialogs/ or the program, compiling the cache): mend understand ${cold_ms} ms"

# 3. A whole conversation: start-up of `mend chat`, and the time per turn over a long piped conversation
#    (answers, /back and /restart, so every turn reads, checks safety, steps the engine and prints).
turns=300
convo=$(mktemp)
{
    for _ in $(seq $((turns / 6))); do
        printf '1\nSam\nhe lied to me about the money and im so angry\nthats right\n/back\n/restart\n'
    done
} > "$convo"
chat_once() { "$MEND" chat --no-save --region GB < "$1" > /dev/null; }
empty=$(mktemp)
printf '/quit\n' > "$empty"
times() {
    for _ in $(seq 15); do
        s=$(date +%s%N); chat_once "$1"; e=$(date +%s%N)
        echo $(( (e - s) / 1000 ))
    done | median
}
start_us=$(times "$empty")
cold_chat_ms=$(cold_runs "$MEND" chat --no-save --region GB)
long_us=$(times "$convo")
per_turn=$(awk -v a="$long_us" -v b="$start_us" -v n="$turns" 'BEGIN { printf "%.1f", (a - b) / n }')
echo "chat: start-up $(awk -v a="$start_us" 'BEGIN { printf "%.2f", a / 1000 }') ms (cold ${cold_chat_ms} ms); ${per_turn} µs per turn over ${turns} piped turns (target: instant, under 10 ms)"
rm -f "$convo" "$empty"
