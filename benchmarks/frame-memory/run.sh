#!/usr/bin/env bash
# Frame memory (docs/benchmarks.md): reads a generated all-numeric CSV (default 1M rows x 10
# columns) through CsvSource and FrameBuilder and prints the frame's size, the heap it retains
# and the peak heap of the read, against the raw doubles. Serial GC, so peaks are not blurred by
# concurrent collection. Usage: benchmarks/frame-memory/run.sh [rows]
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
ROWS="${1:-1000000}"
"$ROOT/flywheel" --version >/dev/null   # builds the CLI jar if needed
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
/usr/bin/python3 - "$WORK/numeric.csv" "$ROWS" <<'PY'
import random, sys
path, rows = sys.argv[1], int(sys.argv[2])
rng = random.Random(42)
with open(path, "w") as f:
    f.write(",".join(f"x{i}" for i in range(10)) + "\n")
    for _ in range(rows):
        f.write(",".join(f"{rng.gauss(0, 100):.6f}" for _ in range(10)) + "\n")
PY
. "$ROOT/.mvn/find-jdk.sh"
flywheel_find_jdk
"$JAVA_HOME/bin/java" -XX:+UseSerialGC -Xmx2g --enable-native-access=ALL-UNNAMED \
  -cp "$ROOT/flywheel-cli/target/flywheel.jar" "$HERE/FrameMemory.java" "$WORK/numeric.csv"
