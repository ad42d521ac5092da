#!/usr/bin/env python3
"""The Python side of the peer benchmark (issue 13; run by benches/peers.sh): the same steps as
src/bench/steps.rs with pandas, scikit-learn, Fairlearn, lime, shap and numpy, on the same files.

    python reference.py <dir> [id]   # reads <dir>/plan.json, writes <dir>/python[_<id>].json

Same work, step by step:
- parse_encode: pandas.read_csv from the bytes in memory, labels, a stratified 70/30 split,
  ColumnTransformer (median imputation + standardisation; most-frequent imputation + one-hot with
  categories seen < 10 times merged) fitted on train, applied to train and test.
- train_*: LogisticRegression(C = 1, lbfgs, max_iter 200), DecisionTreeClassifier(depth 5, min
  split 20, min leaf 10), GaussianNB on the encoded training rows; the deployed models of issue 21
  with their defaults: HistGradientBoostingClassifier(early_stopping=False) (100 trees, as
  Fairground's with early stopping off) and RandomForestClassifier(n_jobs=1) (100 trees).
- audit: one MetricFrame with every metric (rates, PPV, NPV, accuracy, balanced accuracy, F1, ROC
  AUC, Brier), by group, overall, differences and ratios. threshold_move: MetricFrame of the
  count metrics at new per-group thresholds.
- mitigate_*: Fairlearn ThresholdOptimizer (prefit, accuracy objective) on exactly the test scores
  of Fairground's logistic model (<id>_test_scores.csv, written by the native run), with the
  expected accuracy and remaining gap of its randomised rule (from _pmf_predict).
- exp_gradient: fairlearn.reductions.ExponentiatedGradient(LogisticRegression, DemographicParity,
  eps 0.01, max_iter 50) on the encoded training rows, one call.
- bootstrap: MetricFrame(n_boot = 20) of the same metrics, scaled ×10 to 200 resamples (its cost
  is linear in the resamples; 200 would take minutes per dataset).
- lime: LimeTabularExplainer.explain_instance, 5,000 samples, K = 10, quartile discretiser, on a
  scikit-learn pipeline (one-hot + standardise + logistic) over the original columns.
- treeshap: shap.TreeExplainer on the tree, 100 test rows, per row.
- treeshap_boosted: shap.TreeExplainer over the 100 boosted trees (built once, outside the timer),
  100 test rows, per row.
- kernelshap: shap.KernelExplainer over the original columns, 100 background rows, 2,048 samples.
- dp_sgd_epoch: no package does DP-SGD for scikit-learn models; a vectorised numpy loop with
  Poisson sampling, per-example clipping (C = 1) and Gaussian noise (sigma = 1.1) stands in
  (without a privacy accountant).
Single-threaded BLAS (the Rust code is single-threaded too).
"""
import os

for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS"):
    os.environ.setdefault(_v, "1")

import io  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import fairlearn.metrics as flm  # noqa: E402
from fairlearn.metrics import MetricFrame  # noqa: E402
from fairlearn.postprocessing import ThresholdOptimizer  # noqa: E402
from fairlearn.reductions import DemographicParity, ExponentiatedGradient  # noqa: E402
from sklearn.base import BaseEstimator, ClassifierMixin  # noqa: E402
from sklearn.compose import ColumnTransformer  # noqa: E402
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier  # noqa: E402
from sklearn.impute import SimpleImputer  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.metrics import (accuracy_score, balanced_accuracy_score, brier_score_loss, f1_score,  # noqa: E402
                             precision_score, roc_auc_score)
from sklearn.model_selection import train_test_split  # noqa: E402
from sklearn.naive_bayes import GaussianNB  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import OneHotEncoder, StandardScaler  # noqa: E402
from sklearn.tree import DecisionTreeClassifier  # noqa: E402
import lime  # noqa: E402
import lime.lime_tabular  # noqa: E402

try:
    import shap
except Exception as e:  # shap is optional: its steps are then missing (the smoke run fails)
    print("python: shap unavailable:", e, file=sys.stderr)
    shap = None

warnings.simplefilter("ignore")
BOOT, TREE_ROWS, MOVES, K_SAMPLES, K_BG, DP_BATCH = 200, 100, 5, 2048, 100, 256.0
MIN_REP_MS = 20.0
BOOT_PY = 20


def timed(reps, f, per=1, warm=True):
    """As the Rust timer: a first, uncounted warm-up call (counted when one repetition is asked
    and it took >= 1 s, or when warm is False), then each repetition calls f until MIN_REP_MS
    have passed."""
    t0 = time.perf_counter()
    out = f()
    first = (time.perf_counter() - t0) * 1e3
    if not warm or (reps <= 1 and first >= 1000.0):
        return [first / per], out
    times = []
    for _ in range(max(1, reps)):
        t0, calls = time.perf_counter(), 0
        while True:
            out = f()
            calls += 1
            elapsed = (time.perf_counter() - t0) * 1e3
            if elapsed >= MIN_REP_MS or calls >= 10_000:
                break
        times.append(elapsed / (calls * per))
    return times, out


def at_half(f):
    return lambda y, s: f(y, (np.asarray(s) >= 0.5).astype(int))


def npv(y, p):
    n = np.sum(p == 0)
    return float(np.sum((p == 0) & (y == 0)) / n) if n else float("nan")


def safe_auc(y, s):
    return roc_auc_score(y, s) if len(np.unique(y)) == 2 else float("nan")


COUNT = {
    "selection_rate": flm.selection_rate, "tpr": flm.true_positive_rate, "fpr": flm.false_positive_rate,
    "tnr": flm.true_negative_rate, "fnr": flm.false_negative_rate,
    "ppv": lambda y, p: precision_score(y, p, zero_division=0), "npv": npv, "accuracy": accuracy_score,
    "balanced_accuracy": balanced_accuracy_score, "f1": lambda y, p: f1_score(y, p, zero_division=0),
}
ALL = {k: at_half(f) for k, f in COUNT.items()}
ALL.update({"roc_auc": safe_auc, "brier": brier_score_loss})


class Score(ClassifierMixin, BaseEstimator):
    """A prefit 'model' whose P(positive) is the score column (Fairground's scores)."""

    def fit(self, X, y=None):
        self.classes_ = np.array([0, 1])
        return self

    def predict_proba(self, X):
        s = np.asarray(X["score"], dtype=float)
        return np.column_stack([1 - s, s])

    def predict(self, X):
        return (self.predict_proba(X)[:, 1] >= 0.5).astype(int)


FAIRLEARN = {
    "demographic_parity": "demographic_parity", "equal_opportunity": "true_positive_rate_parity",
    "false_positive_rate_parity": "false_positive_rate_parity", "equalized_odds": "equalized_odds",
}


def gap(c, y, p, g):
    def spread(mask):
        rates = [p[(g == k) & mask].mean() for k in np.unique(g) if np.any((g == k) & mask)]
        return max(rates) - min(rates)
    every = np.ones_like(y, dtype=bool)
    if c == "demographic_parity":
        return spread(every)
    if c == "equal_opportunity":
        return spread(y == 1)
    if c == "false_positive_rate_parity":
        return spread(y == 0)
    return max(spread(y == 1), spread(y == 0))


def dp_sgd_epoch(X, y, seed=42, clip=1.0, sigma=1.1, lr=1.0):
    n, d = X.shape
    q = min(1.0, DP_BATCH / n)
    steps = max(1, round(n / DP_BATCH))
    rng = np.random.default_rng(seed)
    Xa = np.hstack([X, np.ones((n, 1))])
    w = np.zeros(d + 1)
    for _ in range(steps):
        mask = rng.random(n) < q
        xb, yb = Xa[mask], y[mask]
        p = 1.0 / (1.0 + np.exp(-(xb @ w)))
        G = (p - yb)[:, None] * xb
        norms = np.linalg.norm(G, axis=1)
        G *= np.minimum(1.0, clip / np.maximum(norms, 1e-12))[:, None]
        w -= lr * (G.sum(0) + rng.normal(0.0, sigma * clip, d + 1)) / (q * n)
    return float(np.mean(((Xa @ w) >= 0) == (y == 1)))


def run(dir_, spec):
    data = open(os.path.join(dir_, spec["file"]), "rb").read()
    reps = spec["reps"]
    skip = set(spec.get("skip", [])) | set(spec.get("skip_python", []))
    target, positive, sens = spec["target"], spec["positive"], spec["sensitive"]
    timings, checks = [], {}

    def record(step, times):
        t = sorted(times)
        timings.append({"step": step, "median_ms": float(np.median(t)), "min_ms": t[0], "max_ms": t[-1],
                        "reps": len(t)})

    def step(name, f, n=reps, per=1, warm=True):
        if name in skip:
            return None
        times, out = timed(n, f, per, warm)
        record(name, times)
        print(f"  {name}: {np.median(times):.4g} ms", file=sys.stderr, flush=True)
        return out

    def parse():
        df = pd.read_csv(io.BytesIO(data), skipinitialspace=True, na_values=["?"])
        df = df[df[target].notna()].reset_index(drop=True)
        y = (df[target].astype(str).str.strip() == positive).to_numpy().astype(int)
        g = df[sens].astype(str).to_numpy()
        X = df.drop(columns=[target] + list(spec.get("exclude", [])))
        idx = np.arange(len(df))
        try:
            tr, te = train_test_split(idx, test_size=0.3, random_state=42, stratify=np.char.add(y.astype(str), g.astype(str)))
        except ValueError:  # a (label, group) stratum with one row: stratify by label only
            tr, te = train_test_split(idx, test_size=0.3, random_state=42, stratify=y)
        num = [c for c in X.columns if pd.api.types.is_numeric_dtype(X[c])]
        cat = [c for c in X.columns if c not in num]
        ct = ColumnTransformer([
            ("num", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), num),
            ("cat", make_pipeline(SimpleImputer(strategy="most_frequent"),
                                  OneHotEncoder(min_frequency=10, handle_unknown="infrequent_if_exist",
                                                sparse_output=False)), cat)])
        Xtr = ct.fit_transform(X.iloc[tr])
        Xte = ct.transform(X.iloc[te])
        return df, X, y, g, tr, te, num, cat, Xtr, Xte

    df, X, y, g, tr, te, num, cat, Xtr, Xte = step("parse_encode", parse)
    ytr, yte = y[tr], y[te]
    result = {"id": spec["id"], "rows": int(len(df)), "columns": int(df.shape[1]), "encoded_columns": int(Xtr.shape[1]),
              "train_rows": int(len(tr)), "test_rows": int(len(te))}

    models = {}
    for name, make in [("logistic", lambda: LogisticRegression(C=1.0, max_iter=200)),
                       ("tree", lambda: DecisionTreeClassifier(max_depth=5, min_samples_split=20, min_samples_leaf=10,
                                                               random_state=0)),
                       ("naive_bayes", lambda: GaussianNB(var_smoothing=1e-9))]:
        m = step(f"train_{name}", lambda: make().fit(Xtr, ytr))
        if m is not None:
            models[name] = m
            checks[f"{name}_test_accuracy"] = float(accuracy_score(yte, m.predict(Xte)))

    for name, make, n in [("gradient_boosting", lambda: HistGradientBoostingClassifier(early_stopping=False,
                                                                                    random_state=0), min(reps, 3)),
                          ("random_forest", lambda: RandomForestClassifier(random_state=0, n_jobs=1), 1)]:
        m = step(f"train_{name}", lambda: make().fit(Xtr, ytr), n=n)
        if m is not None:
            models[name] = m
            checks[f"{name}_test_accuracy"] = float(accuracy_score(yte, m.predict(Xte)))

    s = models["logistic"].predict_proba(Xte)[:, 1] if "logistic" in models else np.full(len(te), 0.5)
    gte = g[te]

    def audit():
        mf = MetricFrame(metrics=ALL, y_true=yte, y_pred=s, sensitive_features=gte)
        return mf.by_group, mf.overall, mf.difference(), mf.ratio()

    step("audit", audit)
    names = np.unique(gte)
    k = [0]

    def moves():
        for _ in range(MOVES):
            k[0] += 1
            th = {n: 0.3 + 0.001 * ((k[0] + 7 * i) % 400) for i, n in enumerate(names)}
            pred = (s >= np.vectorize(th.get)(gte)).astype(int)
            mf = MetricFrame(metrics=COUNT, y_true=yte, y_pred=pred, sensitive_features=gte)
            mf.by_group, mf.overall, mf.difference(), mf.ratio()

    step("threshold_move", moves, n=min(reps, 3), per=MOVES)

    sc = pd.read_csv(os.path.join(dir_, f"{spec['id']}_test_scores.csv"), dtype={"group": str})
    ys, ss, gs = sc["y_true"].to_numpy(), sc["score"].to_numpy(), sc["group"].astype(str).to_numpy()
    Xs = pd.DataFrame({"score": ss})
    for c, fl in FAIRLEARN.items():
        def fit(fl=fl):
            return ThresholdOptimizer(estimator=Score().fit(Xs), constraints=fl, objective="accuracy_score",
                                      predict_method="predict_proba", prefit=True).fit(Xs, ys, sensitive_features=gs)
        to = step(f"mitigate_{c}", fit, n=min(reps, 3))
        if to is not None:
            p = to._pmf_predict(Xs, sensitive_features=gs)[:, 1]
            checks[f"mitigate_{c}_accuracy"] = float(np.mean(np.where(ys == 1, p, 1 - p)))
            checks[f"mitigate_{c}_gap"] = float(gap(c, ys, p, gs))

    # Exponentiated gradient (issue #22): Fairlearn's ExponentiatedGradient with scikit-learn's
    # LogisticRegression on the same encoded training rows, demographic parity, eps 0.01, at most
    # 50 iterations (its defaults); one timed call.
    def exp_gradient():
        return ExponentiatedGradient(LogisticRegression(C=1.0, max_iter=200), DemographicParity(), eps=0.01,
                                     max_iter=50).fit(Xtr, ytr, sensitive_features=g[tr])
    eg = step("exp_gradient", exp_gradient, n=1, warm=False)
    if eg is not None:
        p = eg._pmf_predict(Xte)[:, 1]
        checks["exp_gradient_test_accuracy"] = float(np.mean(np.where(yte == 1, p, 1 - p)))

    # MetricFrame's bootstrap takes ~0.4 s per resample on Adult: time BOOT_PY resamples and scale
    # linearly to BOOT (the cost is one MetricFrame per resample).
    step("bootstrap", lambda: MetricFrame(metrics=ALL, y_true=yte, y_pred=s, sensitive_features=gte, n_boot=BOOT_PY,
                                          ci_quantiles=[0.025, 0.975], random_state=42), n=1, warm=False,
         per=BOOT_PY / BOOT)

    # The original columns as numbers (categories as codes) for lime and KernelSHAP.
    cols = list(X.columns)
    text = {c: X[c].fillna("(missing)").astype(str) for c in cat}
    levels = {c: sorted(text[c].unique()) for c in cat}
    raw = np.column_stack([X[c].fillna(X[c].iloc[tr].median()).to_numpy(float) if c in num
                           else text[c].map({v: i for i, v in enumerate(levels[c])}).to_numpy(float)
                           for c in cols])
    cat_idx = [cols.index(c) for c in cat]
    num_idx = [cols.index(c) for c in num]
    pipe = make_pipeline(ColumnTransformer([("num", StandardScaler(), num_idx),
                                            ("cat", OneHotEncoder(min_frequency=10, handle_unknown="infrequent_if_exist",
                                                                  sparse_output=False), cat_idx)]),
                         LogisticRegression(C=1.0, max_iter=200))
    pipe.fit(raw[tr], ytr)
    if "lime" not in skip:
        explainer = lime.lime_tabular.LimeTabularExplainer(
            raw[tr], feature_names=cols, categorical_features=cat_idx,
            categorical_names={i: levels[c] for i, c in zip(cat_idx, cat)}, discretize_continuous=True,
            random_state=42)
        step("lime", lambda: explainer.explain_instance(raw[te[0]], pipe.predict_proba, num_features=10,
                                                        num_samples=5000), n=min(reps, 5))
    if shap is not None and "tree" in models:
        rows = Xte[:TREE_ROWS]
        step("treeshap", lambda: shap.TreeExplainer(models["tree"]).shap_values(rows), per=len(rows))
    if shap is not None and "gradient_boosting" in models and "treeshap_boosted" not in skip:
        rows = Xte[:TREE_ROWS]
        boosted = shap.TreeExplainer(models["gradient_boosting"])
        step("treeshap_boosted", lambda: boosted.shap_values(rows), per=len(rows))
    if shap is not None:
        bg = raw[tr][np.random.default_rng(42).choice(len(tr), size=min(K_BG, len(tr)), replace=False)]
        f = lambda Z: pipe.predict_proba(Z)[:, 1]  # noqa: E731
        step("kernelshap", lambda: shap.KernelExplainer(f, bg).shap_values(raw[te[:1]], nsamples=K_SAMPLES,
                                                                           l1_reg=False, silent=True),
             n=min(reps, 3))
    acc = step("dp_sgd_epoch", lambda: dp_sgd_epoch(Xtr, ytr), n=min(reps, 3))
    if acc is not None:
        checks["dp_sgd_train_accuracy"] = acc
    result["timings"] = timings
    result["checks"] = checks
    return result


def main():
    dir_ = sys.argv[1]
    only = sys.argv[2] if len(sys.argv) > 2 else None
    plan = json.load(open(os.path.join(dir_, "plan.json")))
    out = []
    for spec in plan["datasets"]:
        if only is not None and spec["id"] != only:
            continue
        print(f"python: {spec['id']}", file=sys.stderr, flush=True)
        out.append(run(dir_, spec))
    from importlib.metadata import version
    versions = {"python": platform.python_version()}
    for pkg in ("numpy", "pandas", "scipy", "scikit-learn", "fairlearn", "lime", "shap"):
        try:
            versions[pkg] = version(pkg)
        except Exception:
            versions[pkg] = None
    name = f"python_{only}.json" if only else "python.json"
    json.dump({"versions": versions, "datasets": out}, open(os.path.join(dir_, name), "w"))


if __name__ == "__main__":
    main()
