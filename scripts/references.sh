#!/usr/bin/env bash
# Regenerates every reference output the native tests compare against: the scripts under
# tests/fixtures/ (reference.py and threshold_same_rows.py, then every make_*.py) run from the
# repository root, each writing its committed output in place. Compare with `git diff`: the
# numbers must not move; timings and the Python version recorded in some files do.
#
# The Python packages are pinned in tests/fixtures/reference/requirements.lock.txt. A venv is
# created from it once (default target/ref-venv, override with FAIRGROUND_REF_VENV=DIR; it is
# rebuilt when the lock file changes), or FAIRGROUND_REF_PYTHON=/path/to/python uses an existing
# interpreter that already has those packages. Needs python3 with the venv module (Debian:
# python3-venv) and PyPI for the first run.
set -euo pipefail
cd "$(dirname "$0")/.."
LOCK=tests/fixtures/reference/requirements.lock.txt
PY=${FAIRGROUND_REF_PYTHON:-}
if [ -z "$PY" ]; then
  VENV=${FAIRGROUND_REF_VENV:-target/ref-venv}
  if [ ! -x "$VENV/bin/python" ] || ! cmp -s "$LOCK" "$VENV/lock.txt"; then
    echo "[references] creating $VENV from $LOCK" >&2
    rm -rf "$VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$LOCK"
    cp "$LOCK" "$VENV/lock.txt"
  fi
  PY=$VENV/bin/python
fi
# Single-threaded BLAS: sums in a fixed order, so reruns give the same last bits.
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 PYTHONHASHSEED=0
run() {
  echo "[references] $*" >&2
  "$PY" "$@"
}
# reference.py also prints its whole result on stdout; the files are what counts.
quiet() { run "$@" >/dev/null; }

# 1. scikit-learn's logistic regression, Fairlearn, lime and AIF360 on the three datasets
#    (tests/fixtures/reference/SOURCE.md says what the files hold).
R=tests/fixtures/reference
quiet $R/reference.py static/data/adult.csv --target income-per-year --positive '>50K' \
  --sensitive sex --privileged Male --out $R/out_adult.json --preds-out $R/out_adult_preds.csv
quiet $R/reference.py static/data/german_sex_age.csv --target credit --positive 1 \
  --sensitive sex --privileged male --drop personal_status \
  --out $R/out_german_sex.json --preds-out $R/out_german_sex_preds.csv
quiet $R/reference.py $R/data/compas-scores-two-years.csv --target two_year_recid --positive 1 \
  --sensitive sex --privileged Female \
  --features sex,age,age_cat,race,juv_fel_count,juv_misd_count,juv_other_count,priors_count,c_charge_degree \
  --out $R/out_compas_sex.json --preds-out $R/out_compas_sex_preds.csv
for name in adult german_sex compas_sex; do
  run $R/threshold_same_rows.py $R/out_${name}_preds.csv $R/out_${name}_threshold_same_rows.json
done

# 2. Every make_*.py generator beside its outputs (some read the prediction files above).
find tests/fixtures -name 'make_*.py' | LC_ALL=C sort | while read -r script; do
  run "$script"
done
echo "[references] done; review the changes with: git diff --stat tests/fixtures" >&2
