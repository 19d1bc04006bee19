#!/usr/bin/env bash
# Training speed: Flywheel's XGBoost candidate (XGBoostTrainer.train, XGBoost4j 3.4.0) against
# Debian's python3-xgboost (xgb.train), on the same 100k x 20 data with the same parameters,
# tree_method=hist and nthread=2, timing only the training call. Rounds alternate the two, each in
# a fresh process; the ratio is Flywheel's median over Python's median in each round.
# Both run with OMP_WAIT_POLICY=PASSIVE, as the flywheel launcher sets it: on a loaded 2-core
# machine, OpenMP threads that spin at barriers made either side up to 10x slower, and the
# bundled libgomp of XGBoost4j more so (docs/benchmarks.md).
# See docs/benchmarks.md. Needs: apt-get install python3-xgboost python3-numpy.
# Usage: benchmarks/train-speed/run.sh [rounds] [warmup] [timed]   (defaults: 3 2 5)
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
ROUNDS="${1:-3}"; WARMUP="${2:-2}"; TIMED="${3:-5}"
. "$ROOT/.mvn/find-jdk.sh"
flywheel_find_jdk || { flywheel_no_jdk_message; exit 1; }
PY=/usr/bin/python3
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
DATA="$(mktemp -d)/train-speed.csv"
"$PY" "$HERE/generate.py" "$DATA"
cd "$ROOT"
# Compiles in the reactor (no install): flywheel-core resolves to its target/classes.
./mvnw -q -B test-compile dependency:build-classpath -pl flywheel-ml -am \
  -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
CP="flywheel-ml/target/test-classes:flywheel-ml/target/classes:$(cat flywheel-ml/target/test-classpath.txt)"
fastest() { tr ' ' '\n' | sort -g | head -1; }
median() { tr ' ' '\n' | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
RATIOS=()
PYALL=""
JALL=""
for r in $(seq 1 "$ROUNDS"); do
  PYLINE="$("$PY" "$HERE/python_xgb.py" "$DATA" "$WARMUP" "$TIMED")"
  JLINE="$("$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xmx1g -cp "$CP" \
    dev.flywheel.ml.xgboost.TrainSpeedBenchmark "$DATA" "$WARMUP" "$TIMED" 2>/dev/null)"
  PM="$(echo "$PYLINE" | cut -d' ' -f3- | median)"
  JM="$(echo "$JLINE" | cut -d' ' -f3- | median)"
  RATIO="$(awk -v j="$JM" -v p="$PM" 'BEGIN {printf "%.3f", j / p}')"
  RATIOS+=("$RATIO")
  PYALL="$PYALL $(echo "$PYLINE" | cut -d' ' -f3-)"
  JALL="$JALL $(echo "$JLINE" | cut -d' ' -f3-)"
  echo "round $r: python median ${PM}s | flywheel median ${JM}s | ratio $RATIO"
  echo "  python:   $PYLINE"
  echo "  flywheel: $JLINE"
done
echo "median ratio (flywheel / python): $(printf '%s ' "${RATIOS[@]}" | median)  (goal: <= 1.2)"
JF="$(echo $JALL | fastest)"; PF="$(echo $PYALL | fastest)"
echo "fastest: flywheel ${JF}s, python ${PF}s, ratio $(awk -v j="$JF" -v p="$PF" 'BEGIN {printf "%.3f", j / p}')"
echo "OMP_WAIT_POLICY=$OMP_WAIT_POLICY"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
rm -f "$DATA"
