"""Times the `lime` package (LimeTabularExplainer, 5,000 samples, K = 10, quartile discretiser)
on the same data as benches/explain.rs (run that first: it writes
$TMPDIR/fairground_explain_bench.csv) with scikit-learn's LogisticRegression on one-hot +
standardised features, as Fairground's logistic model. Prints the median explain time.

Then the same for the adult data (static/data/adult.csv, 14 columns), as in the reference run.
Run single-threaded for a fair comparison with the single-threaded Rust code:
    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 python benches/time_lime.py
(python: the venv of tests/fixtures/reference/requirements.lock.txt, which bash scripts/references.sh creates)
"""
import os
import tempfile
import time

import numpy as np
import pandas as pd
import lime.lime_tabular
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

df = pd.read_csv(os.path.join(tempfile.gettempdir(), "fairground_explain_bench.csv"))
y = (df.pop("y") == "yes").astype(int).to_numpy()
num = [c for c in df.columns if c.startswith("x")]
cat = [c for c in df.columns if c.startswith("c")]
levels = {c: sorted(df[c].unique()) for c in cat}
X = np.column_stack([df[c].to_numpy(float) for c in num] + [df[c].map(levels[c].index).to_numpy(float) for c in cat])
cat_idx = list(range(len(num), len(num) + len(cat)))
n_train = int(0.7 * len(X))
pipe = make_pipeline(
    ColumnTransformer([("num", StandardScaler(), list(range(len(num)))),
                       ("cat", OneHotEncoder(handle_unknown="ignore"), cat_idx)]),
    LogisticRegression(max_iter=1000))
pipe.fit(X[:n_train], y[:n_train])
explainer = lime.lime_tabular.LimeTabularExplainer(
    X[:n_train], feature_names=num + cat, categorical_features=cat_idx,
    categorical_names={i: levels[c] for i, c in zip(cat_idx, cat)}, discretize_continuous=True, random_state=42)
times = []
for i in range(20):
    t0 = time.perf_counter()
    explainer.explain_instance(X[n_train + i], pipe.predict_proba, num_features=10, num_samples=5000)
    times.append(time.perf_counter() - t0)
t0 = time.perf_counter()
lime.lime_tabular.LimeTabularExplainer(
    X[:n_train], feature_names=num + cat, categorical_features=cat_idx, discretize_continuous=True, random_state=42)
init = time.perf_counter() - t0
print("lime %s: explain_instance median %.1f ms (min %.1f ms); explainer init %.1f ms"
      % (lime.__version__ if hasattr(lime, "__version__") else "0.2.0.1", 1000 * np.median(times), 1000 * min(times), 1000 * init))

adult = pd.read_csv(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "static", "data", "adult.csv"))
ya = (adult.pop("income-per-year").str.strip() == ">50K").astype(int).to_numpy()
anum = [c for c in adult.columns if pd.api.types.is_numeric_dtype(adult[c])]
acat = [c for c in adult.columns if c not in anum]
alev = {c: sorted(adult[c].astype(str).unique()) for c in acat}
cols = list(adult.columns)
XA = np.column_stack([adult[c].to_numpy(float) if c in anum else adult[c].astype(str).map(alev[c].index).to_numpy(float) for c in cols])
acat_idx = [cols.index(c) for c in acat]
anum_idx = [cols.index(c) for c in anum]
na = int(0.7 * len(XA))
apipe = make_pipeline(
    ColumnTransformer([("num", StandardScaler(), anum_idx), ("cat", OneHotEncoder(handle_unknown="ignore"), acat_idx)]),
    LogisticRegression(max_iter=1000))
apipe.fit(XA[:na], ya[:na])
aexp = lime.lime_tabular.LimeTabularExplainer(
    XA[:na], feature_names=cols, categorical_features=acat_idx,
    categorical_names={i: alev[c] for i, c in zip(acat_idx, acat)}, discretize_continuous=True, random_state=42)
times = []
for i in range(20):
    t0 = time.perf_counter()
    aexp.explain_instance(XA[na + i], apipe.predict_proba, num_features=10, num_samples=5000)
    times.append(time.perf_counter() - t0)
print("lime on adult: explain_instance median %.1f ms (min %.1f ms)" % (1000 * np.median(times), 1000 * min(times)))
