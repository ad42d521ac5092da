#!/usr/bin/env python3
"""Times Fairlearn on the rows `cargo bench --bench audit` writes to the temp directory
(fairground_bench_<groups>.csv: group, y_true, score), for the ratios in the benchmark report.

    python benches/reference_timings.py   # the venv of tests/fixtures/reference/requirements.lock.txt
"""
import os
import tempfile
import time
import warnings

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.metrics import accuracy_score, balanced_accuracy_score, brier_score_loss, f1_score, roc_auc_score

import fairlearn.metrics as flm
from fairlearn.metrics import MetricFrame
from fairlearn.postprocessing import ThresholdOptimizer

warnings.simplefilter("ignore")


class Score(ClassifierMixin, BaseEstimator):
    def fit(self, X, y=None):
        self.classes_ = np.array([0, 1])
        return self

    def predict_proba(self, X):
        s = np.asarray(X["score"], dtype=float)
        return np.column_stack([1 - s, s])

    def predict(self, X):
        return (self.predict_proba(X)[:, 1] >= 0.5).astype(int)


def median(f, reps):
    t = []
    for _ in range(reps):
        t0 = time.perf_counter()
        f()
        t.append(time.perf_counter() - t0)
    return sorted(t)[len(t) // 2] * 1e3


COUNT_METRICS = {
    "selection_rate": flm.selection_rate, "tpr": flm.true_positive_rate, "fpr": flm.false_positive_rate,
    "tnr": flm.true_negative_rate, "fnr": flm.false_negative_rate, "accuracy": accuracy_score,
    "balanced_accuracy": balanced_accuracy_score, "f1": f1_score,
}

for groups in (2, 5):
    path = os.path.join(tempfile.gettempdir(), f"fairground_bench_{groups}.csv")
    df = pd.read_csv(path)
    y, s, g = df["y_true"].values, df["score"].values, df["group"].values
    pred = (s >= 0.5).astype(int)

    def metricframe():
        mf = MetricFrame(metrics=COUNT_METRICS, y_true=y, y_pred=pred, sensitive_features=g)
        mf.difference(), mf.ratio()
        mf2 = MetricFrame(metrics={"roc_auc": roc_auc_score, "brier": brier_score_loss}, y_true=y, y_pred=s,
                          sensitive_features=g)
        mf2.by_group
        flm.demographic_parity_difference(y, pred, sensitive_features=g)
        flm.equalized_odds_difference(y, pred, sensitive_features=g)

    print(f"{groups} groups: MetricFrame, all metrics + disparities at one threshold: {median(metricframe, 5):.1f} ms")
    try:
        t = median(lambda: MetricFrame(metrics=COUNT_METRICS, y_true=y, y_pred=pred, sensitive_features=g,
                                       n_boot=20, ci_quantiles=[0.025, 0.975], random_state=1), 1)
        print(f"{groups} groups: MetricFrame bootstrap, 20 resamples (count metrics only): {t:.0f} ms "
              f"-> 1,000 resamples ~ {t * 50:.0f} ms")
    except TypeError as e:
        print("MetricFrame has no bootstrap here:", e)
    X = pd.DataFrame({"score": s})
    for c in ["demographic_parity", "true_positive_rate_parity", "false_positive_rate_parity", "equalized_odds"]:
        def fit():
            ThresholdOptimizer(estimator=Score().fit(X), constraints=c, objective="accuracy_score",
                               predict_method="predict_proba", prefit=True).fit(X, y, sensitive_features=g)
        print(f"{groups} groups: ThresholdOptimizer fit {c}: {median(fit, 3):.1f} ms")
