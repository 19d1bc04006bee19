"""Writes mi.csv and mi_expected.json: scikit-learn's feature-selection scores on a small
seeded data set, for FeatureSelectorTest. Run with Debian's /usr/bin/python3 (python3-sklearn).

mutual_info_classif treats dense columns as continuous: the Ross (2014) kNN estimator with
n_neighbors=3, after scaling to unit variance and a 1e-10 jitter. Flywheel's estimator is the
same, with its own seeded jitter, so values agree to well under 1e-6 on tie-free columns.
"""
import json

import numpy as np
from sklearn.feature_selection import VarianceThreshold, mutual_info_classif

rng = np.random.default_rng(7)
n = 400
y = rng.integers(0, 3, n)
strong = y * 1.5 + rng.normal(0, 1, n)
weak = (y == 2) * 0.6 + rng.normal(0, 1, n)
noise = rng.normal(0, 3, n)
skew = np.exp(rng.normal(0, 1, n)) + 0.3 * y
X = np.column_stack([strong, weak, noise, skew])
names = ["strong", "weak", "noise", "skew"]

with open("mi.csv", "w") as f:
    f.write(",".join(names) + ",label\n")
    for i in range(n):
        f.write(",".join(repr(float(v)) for v in X[i]) + "," + str(int(y[i])) + "\n")

mi = mutual_info_classif(X, y, n_neighbors=3, random_state=0)
var = VarianceThreshold().fit(X).variances_
json.dump(
    {"names": names, "mutual_info": [float(v) for v in mi], "variance": [float(v) for v in var]},
    open("mi_expected.json", "w"),
    indent=1,
)
