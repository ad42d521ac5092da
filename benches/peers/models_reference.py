#!/usr/bin/env python3
"""The Python side of `cargo bench --bench models` (issue 21), on one thread (OMP_NUM_THREADS=1):
the same steps on Fairground's own encoded Adult matrix and split (exported with
`fairground train --encoded-out`), so both sides fit the very same numbers.

    python benches/peers/models_reference.py      # from the repository root

- DecisionTreeClassifier(max_depth=5, min_samples_split=20, min_samples_leaf=10)
- HistGradientBoostingClassifier(max_iter=100, early_stopping=False), and with its defaults
- RandomForestClassifier() (100 trees, n_jobs=1)
- KNeighborsClassifier(): predict_proba of 2,000 test rows (algorithm auto = brute here)
- shap.TreeExplainer over the 100 boosted trees, one row (median of 100 rows, per row)
"""
import os

for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_v] = "1"

import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import shap  # noqa: E402
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier  # noqa: E402
from sklearn.neighbors import KNeighborsClassifier  # noqa: E402
from sklearn.tree import DecisionTreeClassifier  # noqa: E402

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
with tempfile.TemporaryDirectory() as tmp:
    out = os.path.join(tmp, "encoded.csv")
    subprocess.run(["cargo", "run", "--release", "--quiet", "--bin", "fairground", "--", "train", "--csv",
                    "static/data/adult.csv", "--target", "income-per-year", "--positive", ">50K", "--sensitive", "sex",
                    "--model", "naive_bayes", "--encoded-out", out, "--json"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    df = pd.read_csv(out)
names = list(df.columns[3:])
tr, te = df[df["split"] == "train"], df[df["split"] == "test"]
X, y, Xt = tr[names].to_numpy(float), tr["label"].to_numpy(), te[names].to_numpy(float)
print(f"Adult: {X.shape[0]} training rows x {X.shape[1]} encoded columns, {Xt.shape[0]} test rows")


def bench(step, f, reps=3, per=1):
    times, out = [], None
    for _ in range(reps):
        t = time.perf_counter()
        out = f()
        times.append(time.perf_counter() - t)
    m = float(np.median(times))
    if per > 1:
        print(f"| {step:<52} | {1000 * m / per:>10.3f} ms per unit ({per} units) | {reps:>3} |")
    else:
        print(f"| {step:<52} | {m:>10.3f} s | {reps:>3} |")
    return out


bench("train tree (depth 5)", lambda: DecisionTreeClassifier(max_depth=5, min_samples_split=20,
                                                             min_samples_leaf=10, random_state=0).fit(X, y))
gb = bench("train gradient boosting (100 trees, early stopping off)",
           lambda: HistGradientBoostingClassifier(early_stopping=False, random_state=0).fit(X, y))
bench("train gradient boosting (defaults: early stopping auto)",
      lambda: HistGradientBoostingClassifier(random_state=0).fit(X, y))
bench("train random forest (100 trees, defaults)", lambda: RandomForestClassifier(random_state=0, n_jobs=1).fit(X, y),
      reps=1)
ex = shap.TreeExplainer(gb)
rows = Xt[:100]
bench("TreeSHAP over 100 boosted trees, per row", lambda: [ex.shap_values(rows[i:i + 1]) for i in range(100)],
      per=100)
knn = KNeighborsClassifier().fit(X, y)
bench("k-NN (k = 5) predict_proba, per test row", lambda: knn.predict_proba(Xt[:2000]), reps=1, per=2000)
