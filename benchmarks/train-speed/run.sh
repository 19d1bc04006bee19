#!/usr/bin/env bash
# Training speed: Flywheel's XGBoost candidate (XGBoostTrainer.train, XGBoost4j 3.4.0) against
# Debian's python3-xgboost (xgb.train), on the same 100k x 20 data with the same parameters,
# tree_method=hist and nthread=2, timing only the training call. Rounds alternate the two, each in
# a fresh process; the ratio is Flywheel's median over Python's median in each round.
# See docs/benchmarks.md. Needs: apt-get install python3-xgboost python3-numpy.
# Usage: benchmarks/train-speed/run.sh [rounds] [warmup] [timed]   (defaults: 3 2 5)
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
ROUNDS="${1:-3}"; WARMUP="${2:-2}"; TIMED="${3:-5}"
. "$ROOT/.mvn/find-jdk.sh"
flywheel_find_jdk || { flywheel_no_jdk_message; exit 1; }
PY=/usr/bin/python3
DATA="$(mktemp -d)/train-speed.csv"
"$PY" "$HERE/generate.py" "$DATA"
cd "$ROOT"
# Compiles in the reactor (no install): flywheel-core resolves to its target/classes.
./mvnw -q -B test-compile dependency:build-classpath -pl flywheel-ml -am \
  -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
CP="flywheel-ml/target/test-classes:flywheel-ml/target/classes:$(cat flywheel-ml/target/test-classpath.txt)"
median() { tr ' ' '\n' | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
RATIOS=()
for r in $(seq 1 "$ROUNDS"); do
  PYLINE="$("$PY" "$HERE/python_xgb.py" "$DATA" "$WARMUP" "$TIMED")"
  JLINE="$("$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xmx1g -cp "$CP" \
    dev.flywheel.ml.xgboost.TrainSpeedBenchmark "$DATA" "$WARMUP" "$TIMED" 2>/dev/null)"
  PM="$(echo "$PYLINE" | cut -d' ' -f3- | median)"
  JM="$(echo "$JLINE" | cut -d' ' -f3- | median)"
  RATIO="$(awk -v j="$JM" -v p="$PM" 'BEGIN {printf "%.3f", j / p}')"
  RATIOS+=("$RATIO")
  echo "round $r: python ${PYLINE%% [0-9.]* [0-9.]*} median ${PM}s | flywheel median ${JM}s | ratio $RATIO"
  echo "  python:   $PYLINE"
  echo "  flywheel: $JLINE"
done
echo "median ratio (flywheel / python): $(printf '%s ' "${RATIOS[@]}" | median)  (goal: <= 1.2)"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
rm -f "$DATA"
