#!/usr/bin/python3
"""Writes sklearn_cases.json: metric inputs and scikit-learn's values for them.

Flywheel's MetricsParityTest reads every case and asserts that Flywheel's value is within
1e-9 of the one written here (relative to the value when it is larger than 1). The
definitions are in docs/metrics.md; this script is the reference they are checked against.

Run it with Debian's Python and scikit-learn (apt-get install python3-sklearn):

    /usr/bin/python3 flywheel-ml/src/test/resources/metrics/make_fixtures.py

It is deterministic (fixed seeds), so rerunning it on the same scikit-learn gives the same
file. Where scikit-learn has no value, the case says why in a comment of this script and
writes null, meaning "undefined: Flywheel leaves the metric out":

- auc with one class in the truth (sklearn raises);
- pr_auc with no positive row (sklearn warns and returns 0);
- multi-class auc / pr_auc: the mean over the classes where the one-vs-rest value is
  defined. With every class present this is exactly sklearn's macro average, and the
  script checks that; with a class absent sklearn raises (auc) or averages in a 0 (pr_auc),
  so the expected value is the mean of sklearn's own per-class values over the defined
  classes.

Brier for more than two classes is not in Debian's scikit-learn 1.2 (it arrived in 1.7 as
brier_score_loss on a multi-class y_true, which sums over classes without halving); it is
written here from its formula, mean over rows of sum over classes of (p_ik - [y_i = k])^2.
"""

import json
import math
import os
import sys
import warnings

import numpy as np
import sklearn
from sklearn.calibration import calibration_curve
from sklearn.metrics import (
    accuracy_score,
    average_precision_score,
    balanced_accuracy_score,
    brier_score_loss,
    confusion_matrix,
    f1_score,
    log_loss,
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_squared_error,
    median_absolute_error,
    precision_score,
    r2_score,
    recall_score,
    roc_auc_score,
)
from sklearn.preprocessing import label_binarize

LOG_LOSS_EPS = 1e-15
CALIBRATION_BINS = 10

# sklearn warns about undefined precision, absent classes and the like; the values it
# returns in those cases are what the fixtures record.
warnings.simplefilter("ignore")


def classification(name, truth, probabilities, positive=None, labels=None):
    y = np.asarray(truth, dtype=np.int64)
    p = np.asarray(probabilities, dtype=np.float64)
    k = p.shape[1]
    classes = list(range(k))
    if labels is None:
        labels = [chr(ord("a") + c) for c in classes]
    # Flywheel's predicted class: the most probable, ties to the lower index (numpy argmax).
    y_pred = np.argmax(p, axis=1)
    expected = {
        "accuracy": accuracy_score(y, y_pred),
        "balanced_accuracy": balanced_accuracy_score(y, y_pred),
    }
    binary = k == 2
    if binary:
        expected["precision"] = precision_score(
            y, y_pred, pos_label=positive, average="binary", zero_division=0
        )
        expected["recall"] = recall_score(
            y, y_pred, pos_label=positive, average="binary", zero_division=0
        )
        expected["f1"] = f1_score(
            y, y_pred, pos_label=positive, average="binary", zero_division=0
        )
        is_pos = y == positive
        both = 0 < is_pos.sum() < len(y)
        expected["auc"] = roc_auc_score(is_pos, p[:, positive]) if both else None
        expected["pr_auc"] = (
            average_precision_score(is_pos, p[:, positive]) if is_pos.any() else None
        )
        expected["log_loss"] = log_loss(y, p, eps=LOG_LOSS_EPS, labels=classes)
        expected["brier"] = brier_score_loss(y, p[:, positive], pos_label=positive)
    else:
        # labels=None: macro over the classes in the truth or the predictions.
        expected["precision"] = precision_score(y, y_pred, average="macro", zero_division=0)
        expected["recall"] = recall_score(y, y_pred, average="macro", zero_division=0)
        expected["f1"] = f1_score(y, y_pred, average="macro", zero_division=0)
        aucs = [
            roc_auc_score(y == c, p[:, c]) for c in classes if 0 < (y == c).sum() < len(y)
        ]
        aps = [average_precision_score(y == c, p[:, c]) for c in classes if (y == c).any()]
        expected["auc"] = float(np.mean(aucs)) if aucs else None
        expected["pr_auc"] = float(np.mean(aps)) if aps else None
        if len(aucs) == k:
            macro = roc_auc_score(y, p, multi_class="ovr", average="macro", labels=classes)
            assert abs(macro - expected["auc"]) < 1e-12, (name, macro, expected["auc"])
        if len(aps) == k:
            macro = average_precision_score(label_binarize(y, classes=classes), p, average="macro")
            assert abs(macro - expected["pr_auc"]) < 1e-12, (name, macro, expected["pr_auc"])
        expected["log_loss"] = log_loss(y, p, eps=LOG_LOSS_EPS, labels=classes)
        onehot = np.eye(k)[y]
        expected["brier"] = float(np.mean(np.sum((p - onehot) ** 2, axis=1)))
    case = {
        "name": name,
        "task": "classification",
        "labels": labels,
        "positive": positive if binary else None,
        "truth": y.tolist(),
        "probabilities": p.tolist(),
        "expected": {key: none_or_float(v) for key, v in expected.items()},
        "confusion_matrix": confusion_matrix(y, y_pred, labels=classes).tolist(),
    }
    if binary:
        scores = p[:, positive]
        fraction_positive, mean_predicted = calibration_curve(
            y, scores, n_bins=CALIBRATION_BINS, strategy="uniform", pos_label=positive
        )
        # The bin of each row and the row counts, exactly as calibration_curve finds them.
        edges = np.linspace(0.0, 1.0, CALIBRATION_BINS + 1)
        bin_ids = np.searchsorted(edges[1:-1], scores)
        counts = np.bincount(bin_ids, minlength=CALIBRATION_BINS)
        occupied = np.nonzero(counts)[0]
        case["calibration"] = {
            "bins": [int(b) for b in occupied],
            "lower": [float(edges[b]) for b in occupied],
            "upper": [float(edges[b + 1]) for b in occupied],
            "count": [int(counts[b]) for b in occupied],
            "mean_predicted": mean_predicted.tolist(),
            "fraction_positive": fraction_positive.tolist(),
        }
    return case


def regression(name, truth, predicted):
    y = np.asarray(truth, dtype=np.float64)
    q = np.asarray(predicted, dtype=np.float64)
    expected = {
        "rmse": math.sqrt(mean_squared_error(y, q)),
        "mae": mean_absolute_error(y, q),
        "r2": r2_score(y, q),
        "mape": mean_absolute_percentage_error(y, q),
        "median_ae": median_absolute_error(y, q),
    }
    return {
        "name": name,
        "task": "regression",
        "truth": y.tolist(),
        "predicted": q.tolist(),
        "expected": {key: none_or_float(v) for key, v in expected.items()},
    }


def none_or_float(v):
    return None if v is None else float(v)


def binary_rows(positive_probabilities):
    return [[1.0 - s, s] for s in positive_probabilities]


def dirichlet(rng, n, k):
    return rng.dirichlet(np.ones(k), size=n)


def main():
    rng = np.random.default_rng(20260707)
    cases = []

    # --- binary -------------------------------------------------------------------------
    cases.append(
        classification(
            "binary: tied scores (rows 3 and 4 share 0.4)",
            [1, 0, 1, 1, 0, 0, 1, 1],
            binary_rows([0.9, 0.8, 0.7, 0.4, 0.4, 0.2, 0.6, 0.1]),
            positive=1,
        )
    )
    cases.append(
        classification(
            "binary: the same rows with class 0 as the positive label",
            [1, 0, 1, 1, 0, 0, 1, 1],
            binary_rows([0.9, 0.8, 0.7, 0.4, 0.4, 0.2, 0.6, 0.1]),
            positive=0,
        )
    )
    cases.append(
        classification(
            "binary: constant scores (every row 0.5; argmax ties go to class 0)",
            [0, 1, 1, 0, 1, 1, 0, 1, 1, 1],
            binary_rows([0.5] * 10),
            positive=1,
        )
    )
    cases.append(
        classification(
            "binary: constant scores of 0.7 (everything predicted positive)",
            [0, 1, 1, 0, 1, 0],
            binary_rows([0.7] * 6),
            positive=1,
        )
    )
    cases.append(
        classification(
            "binary: the positive class is absent from the split",
            [0, 0, 0, 0, 0],
            binary_rows([0.1, 0.6, 0.3, 0.3, 0.9]),
            positive=1,
        )
    )
    cases.append(
        classification(
            "binary: only the positive class is present",
            [1, 1, 1, 1],
            binary_rows([0.2, 0.8, 0.55, 0.9]),
            positive=1,
        )
    )
    cases.append(
        classification(
            "binary: perfect predictions with probabilities 0 and 1 (log loss clips)",
            [0, 1, 1, 0, 1, 0],
            binary_rows([0.0, 1.0, 1.0, 0.0, 1.0, 0.0]),
            positive=1,
        )
    )
    cases.append(
        classification(
            "binary: confidently wrong (probability 0 for the true class, clipped to 1e-15)",
            [0, 1, 1, 0],
            binary_rows([1.0, 0.0, 0.3, 1e-17]),
            positive=1,
        )
    )
    cases.append(
        classification(
            "binary: scores on every calibration bin edge, 0 and 1 included",
            [0, 0, 1, 0, 1, 1, 0, 1, 1, 1, 1, 0, 1],
            binary_rows([0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 0.25, 0.35]),
            positive=1,
        )
    )
    cases.append(
        classification(
            "binary: rows that do not sum to 1 (log loss renormalises the clipped row)",
            [0, 1, 1, 0, 1],
            [[0.2, 0.2], [0.1, 0.5], [0.6, 0.3], [0.0, 0.5], [0.25, 0.0]],
            positive=1,
        )
    )
    y = rng.integers(0, 2, size=1500)
    s = np.clip(rng.normal(0.35 + 0.3 * y, 0.2), 0.0, 1.0)
    cases.append(
        classification(
            "binary: random, 1500 rows, continuous scores", y.tolist(), binary_rows(s), 1
        )
    )
    y = (rng.random(2000) < 0.2).astype(int)
    s = np.round(np.clip(rng.normal(0.3 + 0.25 * y, 0.15), 0.0, 1.0), 2)
    cases.append(
        classification(
            "binary: random, 2000 imbalanced rows, scores rounded to 0.01 (many ties)",
            y.tolist(),
            binary_rows(s),
            1,
        )
    )
    y = rng.integers(0, 2, size=301)
    s = rng.random(301)
    cases.append(
        classification(
            "binary: random, 301 rows, positive 0, scores unrelated to the truth",
            y.tolist(),
            binary_rows(s),
            0,
        )
    )

    # --- multi-class --------------------------------------------------------------------
    cases.append(
        classification(
            "multi-class: 3 classes, class 2 is never predicted",
            [0, 1, 2, 2, 1, 0, 2, 1],
            [
                [0.7, 0.2, 0.1],
                [0.2, 0.5, 0.3],
                [0.5, 0.2, 0.3],
                [0.3, 0.4, 0.3],
                [0.1, 0.8, 0.1],
                [0.6, 0.1, 0.3],
                [0.4, 0.35, 0.25],
                [0.3, 0.3, 0.4],
            ],
        )
    )
    cases.append(
        classification(
            "multi-class: 4 classes, class 3 absent from the truth but predicted once",
            [0, 1, 2, 0, 1, 2, 0],
            [
                [0.6, 0.2, 0.1, 0.1],
                [0.1, 0.6, 0.2, 0.1],
                [0.1, 0.1, 0.2, 0.6],
                [0.4, 0.4, 0.1, 0.1],
                [0.2, 0.5, 0.2, 0.1],
                [0.2, 0.2, 0.5, 0.1],
                [0.25, 0.25, 0.25, 0.25],
            ],
        )
    )
    cases.append(
        classification(
            "multi-class: 3 classes, class 1 neither in the truth nor predicted",
            [0, 2, 2, 0, 2],
            [
                [0.8, 0.1, 0.1],
                [0.3, 0.2, 0.5],
                [0.6, 0.1, 0.3],
                [0.5, 0.0, 0.5],
                [0.2, 0.3, 0.5],
            ],
        )
    )
    cases.append(
        classification(
            "multi-class: constant scores (1/3 each; argmax ties go to class 0)",
            [0, 1, 2, 1, 2, 2],
            [[1 / 3, 1 / 3, 1 / 3]] * 6,
        )
    )
    cases.append(
        classification(
            "multi-class: perfect one-hot predictions (log loss clips)",
            [2, 0, 1, 1, 0],
            [[0.0, 0.0, 1.0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 1.0, 0.0], [1.0, 0.0, 0.0]],
        )
    )
    cases.append(
        classification(
            "multi-class: one class only in the truth",
            [1, 1, 1],
            [[0.2, 0.5, 0.3], [0.6, 0.3, 0.1], [0.1, 0.1, 0.8]],
        )
    )
    y = rng.integers(0, 5, size=1200)
    p = dirichlet(rng, 1200, 5)
    p[np.arange(1200), y] += rng.random(1200)
    p = p / p.sum(axis=1, keepdims=True)
    cases.append(classification("multi-class: random, 5 classes, 1200 rows", y.tolist(), p))
    y = rng.integers(0, 3, size=900)
    p = np.round(dirichlet(rng, 900, 3), 1)
    p[:, 2] = 1.0 - p[:, 0] - p[:, 1]
    p = np.clip(p, 0.0, 1.0)
    p = p / p.sum(axis=1, keepdims=True)
    cases.append(
        classification(
            "multi-class: random, 3 classes, 900 rows, coarse scores (many ties)", y.tolist(), p
        )
    )

    # --- regression ---------------------------------------------------------------------
    cases.append(regression("regression: small", [3.0, -0.5, 2.0, 7.0], [2.5, 0.0, 2.0, 8.0]))
    cases.append(
        regression(
            "regression: zero targets (MAPE divides by machine epsilon)",
            [0.0, 1.0, 0.0, 2.0, 4.0],
            [0.5, 1.0, 0.0, 1.0, 5.0],
        )
    )
    cases.append(
        regression("regression: perfect predictions", [1.5, 2.5, -3.0, 10.0], [1.5, 2.5, -3.0, 10.0])
    )
    cases.append(
        regression("regression: constant truth, imperfect (r2 is 0)", [4.0] * 5, [4.0, 3.0, 5.0, 4.0, 4.5])
    )
    cases.append(regression("regression: constant truth, exact (r2 is 1)", [4.0] * 3, [4.0] * 3))
    cases.append(regression("regression: constant predictions", [1.0, 2.0, 3.0, 4.0, 5.0], [3.0] * 5))
    y = rng.normal(10, 5, size=2000)
    cases.append(
        regression(
            "regression: random, 2000 rows (even: median of the middle two)",
            y,
            y + rng.normal(0, 2, size=2000),
        )
    )
    y = rng.normal(0, 1, size=999)
    cases.append(
        regression("regression: random, 999 rows around zero", y, y + rng.normal(0, 0.5, size=999))
    )
    y = np.round(rng.uniform(15000, 500000, size=1000), 0)
    cases.append(
        regression(
            "regression: random, housing-like scale, 1000 rows",
            y,
            y + rng.normal(0, 48000, size=1000),
        )
    )

    here = os.path.dirname(os.path.abspath(__file__))
    out = {
        "generator": "make_fixtures.py",
        "sklearn": sklearn.__version__,
        "numpy": np.__version__,
        "python": sys.version.split()[0],
        "cases": cases,
    }
    with open(os.path.join(here, "sklearn_cases.json"), "w") as f:
        json.dump(out, f, allow_nan=False, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {len(cases)} cases with scikit-learn {sklearn.__version__}")


if __name__ == "__main__":
    main()
