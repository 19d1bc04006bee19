#!/usr/bin/env bash
# Profiling benchmark (docs/benchmarks.md): times `flywheel data profile FILE --json` end to end,
# JVM start included, against Debian's pandas (read_csv, then describe(include='all')) on the same
# generated CSV, alternating, ROUNDS rounds each. Prints the medians and the ratio.
# Usage: benchmarks/profile/run.sh [rows] [rounds]
# Needs /usr/bin/python3 with pandas (apt-get install python3-pandas).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
ROWS="${1:-1000000}"
ROUNDS="${2:-3}"
/usr/bin/python3 -c 'import pandas' 2>/dev/null \
  || { echo "pandas is missing: apt-get install -y python3-pandas" >&2; exit 1; }

"$ROOT/flywheel" --version >/dev/null   # builds the CLI jar if needed
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
CSV="$WORK/bench.csv"
/usr/bin/python3 "$HERE/generate.py" "$CSV" "$ROWS"
echo "file: $ROWS rows x 10 columns, $(du -h "$CSV" | cut -f1)"
echo "java: $("$ROOT/flywheel" --version | tail -1)"
echo "pandas: $(/usr/bin/python3 -c 'import pandas; print(pandas.__version__)')"

now() { date +%s.%N; }
flywheel_times=()
pandas_times=()
flywheel_cpu=()
pandas_cpu=()
for round in $(seq 1 "$ROUNDS"); do
  # Alternate which side goes first, to spread machine noise over both.
  for side in $( ((round % 2)) && echo "flywheel pandas" || echo "pandas flywheel"); do
    start=$(now)
    # CPU seconds (user + system, all threads) as well as wall time: on a shared machine the
    # CPU figure moves much less with other processes' load.
    if [ "$side" = flywheel ]; then
      /usr/bin/time -f '%U %S' -o "$WORK/cpu" "$ROOT/flywheel" data profile -q "$CSV" --json > /dev/null
    else
      /usr/bin/time -f '%U %S' -o "$WORK/cpu" /usr/bin/python3 "$HERE/pandas_profile.py" "$CSV" > /dev/null
    fi
    t=$(echo "$(now) - $start" | bc -l)
    c=$(awk '{print $1 + $2}' "$WORK/cpu")
    printf 'round %d %-8s %6.2f s wall %6.2f s cpu\n' "$round" "$side" "$t" "$c"
    if [ "$side" = flywheel ]; then
      flywheel_times+=("$t"); flywheel_cpu+=("$c")
    else
      pandas_times+=("$t"); pandas_cpu+=("$c")
    fi
  done
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
f=$(median "${flywheel_times[@]}")
p=$(median "${pandas_times[@]}")
printf 'median wall: flywheel %.2f s, pandas %.2f s, ratio flywheel/pandas %.2f (goal: at most 2.00)\n' \
  "$f" "$p" "$(echo "$f / $p" | bc -l)"
fc=$(median "${flywheel_cpu[@]}")
pc=$(median "${pandas_cpu[@]}")
printf 'median cpu:  flywheel %.2f s, pandas %.2f s, ratio flywheel/pandas %.2f\n' \
  "$fc" "$pc" "$(echo "$fc / $pc" | bc -l)"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
