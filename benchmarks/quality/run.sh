#!/usr/bin/env bash
# Quality and wall time of the default search (no `candidates` in the spec) with the default
# split, through the CLI, JVM start included: the selected model's test metrics on
# ../shared/datasets/adult.csv (target income) and housing.csv (target median_house_value).
# Goals (issue "Models 1/2"): adult accuracy >= 0.865 and AUC >= 0.92; housing RMSE <= 48,000;
# each run <= 90 s on 2 cores. See docs/benchmarks.md.
# Usage: benchmarks/quality/run.sh [datasets-dir]   (default: ../shared/datasets)
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
DATA="$(cd "${1:-$ROOT/../shared/datasets}" && pwd)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
cd "$ROOT"
./flywheel --version >/dev/null   # builds the jar first, outside the timing
cat > "$WORK/adult.yaml" <<YAML
name: adult
task: classification
target: income
source: {csv: '$DATA/adult.csv'}
YAML
cat > "$WORK/housing.yaml" <<YAML
name: housing
task: regression
target: median_house_value
source: {csv: '$DATA/housing.csv'}
YAML
for d in adult housing; do
  start=$(date +%s.%N)
  ./flywheel run "$WORK/$d.yaml" --workdir "$WORK/w-$d" --json --quiet > "$WORK/$d.json" || true
  end=$(date +%s.%N)
  /usr/bin/python3 - "$WORK/$d.json" "$d" "$(awk -v a="$start" -v b="$end" 'BEGIN {printf "%.1f", b - a}')" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
s = r["selected"]
t = {k: round(v, 4) for k, v in s["test"].items() if k in ("accuracy", "auc", "f1", "rmse", "mae", "r2")}
print(f"{sys.argv[2]}: {sys.argv[3]} s wall | selected {s['candidate']} "
      f"max_depth={s['params'].get('max_depth')} | test {t}")
for e in r["leaderboard"]:
    v = {k: round(x, 4) for k, x in e["validation"].items() if k in ("auc", "accuracy", "rmse")}
    print(f"   {e['candidate']:<9} depth={e['params'].get('max_depth')} "
          f"best_iteration={e.get('best_iteration')} train {e['train_seconds']} s validation {v}")
PY
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), cores: $(nproc)"
