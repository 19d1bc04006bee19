#!/usr/bin/env bash
# Single-row predict latency of the pure-Java XGBoost scorer (TreeEnsemble) against XGBoost's
# JNI inplace_predict, on a 100-round depth-6 binary model over 20 features. See
# docs/benchmarks.md. The harness is
# flywheel-ml/src/test/java/dev/flywheel/ml/xgboost/TreeScoringBenchmark.java.
# Usage: benchmarks/tree-scoring/run.sh [warmup] [timed]   (defaults: 5 15)
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
. "$ROOT/.mvn/find-jdk.sh"
flywheel_find_jdk || { flywheel_no_jdk_message; exit 1; }
cd "$ROOT"
# Compiles in the reactor (no install): flywheel-core resolves to its target/classes.
./mvnw -q -B test-compile dependency:build-classpath -pl flywheel-ml -am \
  -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
CP="flywheel-ml/target/test-classes:flywheel-ml/target/classes:$(cat flywheel-ml/target/test-classpath.txt)"
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xms256m -Xmx256m -cp "$CP" \
  dev.flywheel.ml.xgboost.TreeScoringBenchmark "$@"
