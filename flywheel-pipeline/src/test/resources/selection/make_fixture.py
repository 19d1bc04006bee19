"""Writes mi.csv and mi_expected.json: scikit-learn's feature-selection scores on a small
seeded data set, for FeatureSelectorTest. Run with Debian's /usr/bin/python3 (python3-sklearn).

mutual_info_classif treats dense columns as continuous: the Ross (2014) kNN estimator with
n_neighbors=3, after scaling to unit variance and a 1e-10 jitter. Flywheel's estimator is the
same, with its own seeded jitter, so values agree to well under 1e-6 on tie-free columns.
"""
import json

import numpy as np
from sklearn.feature_selection import VarianceThreshold, mutual_info_classif, mutual_info_regression

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
# A regression target on the same columns: mutual_info_regression, the KSG estimator
# (Kraskov et al. 2004, Chebyshev distance, 3 neighbours), target scaled and jittered too.
target = 2.0 * strong - weak + rng.normal(0, 1, n)
with open("mi_regression_target.csv", "w") as f:
    f.write("target\n")
    for v in target:
        f.write(repr(float(v)) + "\n")
mi_reg = mutual_info_regression(X, target, n_neighbors=3, random_state=0)

json.dump(
    {
        "names": names,
        "mutual_info": [float(v) for v in mi],
        "mutual_info_regression": [float(v) for v in mi_reg],
        "variance": [float(v) for v in var],
    },
    open("mi_expected.json", "w"),
    indent=1,
)
