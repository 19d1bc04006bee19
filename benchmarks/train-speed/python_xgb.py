"""Times Debian's python3-xgboost training call on the benchmark data.

Same parameters as Flywheel's candidate: 100 rounds, depth 6, eta 0.3, binary:logistic,
tree_method=hist (Debian's 1.7 defaults to exact), nthread=2. Only xgb.train is timed; the
DMatrix is built once, outside the timing. Prints one line: the seconds of each timed training.
Usage: /usr/bin/python3 python_xgb.py DATA.csv WARMUP TIMED
"""
import sys
import time

import numpy as np
import xgboost as xgb

data = np.loadtxt(sys.argv[1], delimiter=",", skiprows=1, dtype=np.float32)
warmup, timed = int(sys.argv[2]), int(sys.argv[3])
dtrain = xgb.DMatrix(data[:, :-1], label=data[:, -1], missing=np.nan)
params = {"objective": "binary:logistic", "tree_method": "hist", "nthread": 2, "max_depth": 6,
          "eta": 0.3, "min_child_weight": 1, "subsample": 1, "colsample_bytree": 1, "lambda": 1,
          "alpha": 0, "gamma": 0, "seed": 42, "verbosity": 0}
times = []
for i in range(warmup + timed):
    start = time.perf_counter()
    booster = xgb.train(params, dtrain, num_boost_round=100)
    elapsed = time.perf_counter() - start
    if i >= warmup:
        times.append(elapsed)
print("xgboost", xgb.__version__, " ".join(f"{t:.4f}" for t in times))
