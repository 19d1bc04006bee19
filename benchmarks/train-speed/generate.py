"""Writes the training-speed data set: 100,000 rows x 20 features and a binary label.

Seeded, so every run (and both contenders) trains on the same numbers. The label depends on a
few features non-linearly, with noise, so trees have something to split on for every round.
Usage: /usr/bin/python3 generate.py OUT.csv
"""
import sys

import numpy as np

rows, width = 100_000, 20
rng = np.random.default_rng(20261126)
x = rng.standard_normal((rows, width)).astype(np.float32)
logit = 1.5 * x[:, 0] - x[:, 1] + 0.8 * x[:, 2] * x[:, 3] + np.sin(2 * x[:, 4]) + 0.5 * x[:, 5] ** 2 - 0.5
y = (rng.random(rows) < 1 / (1 + np.exp(-logit))).astype(np.int32)
header = ",".join([f"f{j}" for j in range(width)] + ["label"])
np.savetxt(sys.argv[1], np.column_stack([x, y]), delimiter=",", header=header, comments="",
           fmt=["%.7g"] * width + ["%d"])
