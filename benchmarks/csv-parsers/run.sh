#!/usr/bin/env bash
# Compares FastCSV, Jackson CSV, Commons CSV and a naive split on one CSV file, side by side
# in one JVM, then checks which report the line of a malformed row. See docs/benchmarks.md.
# Usage: benchmarks/csv-parsers/run.sh [csv] [warmup] [timed]
#        (defaults: ../shared/datasets/housing.csv 10 30)
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
. "$ROOT/.mvn/find-jdk.sh"
flywheel_find_jdk || { flywheel_no_jdk_message; exit 1; }
CSV="${1:-$ROOT/../shared/datasets/housing.csv}"
if [ ! -f "$CSV" ]; then
  echo "skipped: $CSV is absent (the shared datasets folder is not here)" >&2
  exit 0
fi
cd "$HERE"
[ -d target/lib ] || "$ROOT/mvnw" -q -B dependency:copy-dependencies -DoutputDirectory=target/lib
rm -rf target/classes && mkdir -p target/classes
"$JAVA_HOME/bin/javac" -d target/classes -cp 'target/lib/*' src/main/java/csvbench/CsvBench.java
"$JAVA_HOME/bin/java" -Xms512m -Xmx512m -cp 'target/classes:target/lib/*' csvbench.CsvBench "$CSV" "${@:2}"
"$JAVA_HOME/bin/java" -cp 'target/classes:target/lib/*' csvbench.CsvBench --malformed
