#!/usr/bin/env bash
# Serving benchmark (docs/benchmarks.md): wrk sends single-row v1 predicts to `flywheel serve`
# (a boosted-tree model, prediction log on) and, in the same run, to a bare Vert.x endpoint that
# parses the same JSON and answers a fixed prediction. Rounds alternate A/B to spread noise.
# Usage: benchmarks/serving/run.sh [seconds-per-round] [rounds] [connections]
# Needs wrk (apt-get install wrk). Targets 127.0.0.1 only; bounded in time.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
SECONDS_PER_ROUND="${1:-10}"
ROUNDS="${2:-3}"
CONNECTIONS="${3:-32}"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
. "$ROOT/.mvn/find-jdk.sh"
flywheel_find_jdk || { flywheel_no_jdk_message; exit 1; }

"$ROOT/flywheel" --version >/dev/null   # builds the CLI jar if needed
LIB="$ROOT/flywheel-cli/target/lib/*:$ROOT/flywheel-cli/target/flywheel.jar"
WORK="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT

# A boosted-tree model on the built-in loans example.
cp "$ROOT/examples/loans/loans.csv" "$WORK/"
cat > "$WORK/flywheel.yaml" <<'SPEC'
name: bench
task: classification
target: default
source: {csv: loans.csv}
candidates: [{name: gbt, algorithm: xgboost, params: {rounds: 100, max_depth: 6, eta: 0.1}}]
SPEC
"$ROOT/flywheel" run -q --workdir "$WORK/w" "$WORK/flywheel.yaml" > /dev/null

mkdir -p "$WORK/bare"
"$JAVA_HOME/bin/javac" -d "$WORK/bare" -cp "$LIB" "$HERE/BareEndpoint.java"

FLYWHEEL_PORT=18081
BARE_PORT=18082
"$ROOT/flywheel" serve -q --workdir "$WORK/w" --port $FLYWHEEL_PORT 2> "$WORK/serve.log" &
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$WORK/bare:$LIB" BareEndpoint $BARE_PORT 2> "$WORK/bare.log" &

wait_up() {
  for _ in $(seq 1 100); do
    if curl -s -o /dev/null -X POST -H 'content-type: application/json' \
        -d '{"instances":[{"income":1,"debt_ratio":0.1,"age":30,"plan":"basic","region":"west"}]}' \
        "http://127.0.0.1:$1/v1/models/bench:predict"; then return 0; fi
    sleep 0.2
  done
  echo "server on port $1 did not start" >&2; exit 1
}
wait_up $FLYWHEEL_PORT
wait_up $BARE_PORT

run_wrk() {
  wrk -t1 -c"$CONNECTIONS" -d"${2}s" -s "$HERE/predict.lua" "http://127.0.0.1:$1/v1/models/bench:predict" \
    | grep '^RESULT'
}
echo "warm-up (not counted)"
run_wrk $FLYWHEEL_PORT 5 >/dev/null
run_wrk $BARE_PORT 5 >/dev/null

F_TOTAL=0; B_TOTAL=0
for round in $(seq 1 "$ROUNDS"); do
  F="$(run_wrk $FLYWHEEL_PORT "$SECONDS_PER_ROUND")"
  B="$(run_wrk $BARE_PORT "$SECONDS_PER_ROUND")"
  echo "round $round flywheel: $F"
  echo "round $round bare:     $B"
  F_TOTAL=$((F_TOTAL + $(sed -E 's/.*rps=([0-9]+).*/\1/' <<<"$F")))
  B_TOTAL=$((B_TOTAL + $(sed -E 's/.*rps=([0-9]+).*/\1/' <<<"$B")))
done
LOGGED="$(curl -s "http://127.0.0.1:$FLYWHEEL_PORT/metrics" | awk '/^flywheel_predictions_total/ {print $2}')"
echo "flywheel mean rps: $((F_TOTAL / ROUNDS))  bare mean rps: $((B_TOTAL / ROUNDS))"
awk -v f="$F_TOTAL" -v b="$B_TOTAL" 'BEGIN { printf "ratio flywheel/bare: %.2f (goal >= 0.60)\n", f / b }'
echo "predictions counted by the server: $LOGGED; machine: $(nproc) cores, $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"
