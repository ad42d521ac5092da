//! In-processing mitigation by the reductions approach (Agarwal, Beygelzimer, Dudík, Langford &
//! Wallach 2018, "A Reductions Approach to Fair Classification"), following Fairlearn 0.15's
//! `fairlearn.reductions` line by line: the moments ([`Moment`]: `DemographicParity`,
//! `EqualizedOdds`, `TruePositiveRateParity`, `FalsePositiveRateParity`, `ErrorRateParity` with a
//! difference bound ε, the objective `ErrorRate`), the best response of the learner (relabel each
//! row by the sign of its cost difference, weight it by its size, fit the base learner with those
//! sample weights; a constant predictor when every row gets the same label, as Fairlearn's
//! `DummyClassifier`), [`exp_gradient`] (`ExponentiatedGradient`, with its linear-program step
//! [`simplex`]) and [`grid_search`] (`GridSearch` and its `_GridGenerator`).
//!
//! Where Fairground differs from Fairlearn:
//! - The base learner is Fairground's own model ([`crate::core::models`], any that takes sample
//!   weights). Its logistic regression minimises scikit-learn's objective (C = 1/α) but solves it
//!   by Newton's method to (nearly) machine precision, where scikit-learn's default `lbfgs` stops at
//!   a gradient tolerance of 1e-4. Each best response therefore differs from scikit-learn's by up to
//!   ~1e-4 in the coefficients, a row near the decision boundary can be labelled differently, and
//!   the algorithm may take a slightly different path. tests/reductions_reference.rs measures
//!   both sides. Against Fairlearn with scikit-learn's `newton-cholesky` solver at tolerance
//!   1e-12 (the same function as ours) everything agrees, for all five constraints, with and
//!   without the linear-program step: the multipliers of every iteration and the weights to 1e-6,
//!   the iterations and base-learner calls exactly, the expected decision per row to 1e-6, the
//!   coefficients to 1e-4 (our Newton's method stops at a Newton decrement of 1e-12 per unit of
//!   weight, a few 1e-6 short of scikit-learn's 1e-13 gradient); on COMPAS the test accuracy and
//!   disparity of the expected decision equal that Fairlearn's to 1e-9 (on Adult the matrices
//!   differ: our reader takes its `?` cells for missing values). Against
//!   Fairlearn with the default `LogisticRegression()` (lbfgs): accuracy within − 0.005 and
//!   disparity within + 0.01 of Fairlearn's, except COMPAS under equalized odds (0.0877 against
//!   0.0763: lbfgs stopping early leads Fairlearn's game elsewhere; with the exact learner
//!   Fairlearn gives our 0.0877).
//! - A predictor's decision is score > 0.5 (log-odds > 0 for logistic regression), as
//!   scikit-learn's `predict`.
//! - The linear-program step uses a dense simplex ([`simplex`]) instead of HiGHS; where the
//!   program has several optima the vertex may differ (the game value does not).
//! - Every sum over rows runs in row order with `libm` for exp and pow, so native code and
//!   WebAssembly agree to the bit.

pub mod exp_gradient;
pub mod grid_search;
pub mod simplex;

use crate::core::models::logistic::{self, LogisticModel, RowEntries};
use crate::core::models::newton::NEWTON_MAX_WIDTH;
use crate::core::models::{self, FittedModel, ModelError, ModelSpec};
use ndarray::ArrayView2;
use serde::{Deserialize, Serialize};

/// The fairness constraint of a reduction (Fairlearn's moment classes).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Constraint {
    /// `DemographicParity`: P[h = 1 | A = a] = P[h = 1].
    DemographicParity,
    /// `EqualizedOdds`: P[h = 1 | A = a, Y = y] = P[h = 1 | Y = y] for y = 0, 1.
    EqualizedOdds,
    /// `TruePositiveRateParity` (equal opportunity): the condition for Y = 1 only.
    EqualOpportunity,
    /// `FalsePositiveRateParity`: the condition for Y = 0 only.
    FalsePositiveRateParity,
    /// `ErrorRateParity`: P[h ≠ Y | A = a] = P[h ≠ Y].
    ErrorRateParity,
}

impl Constraint {
    /// The CLI names, in the order the CLI lists them.
    pub const NAMES: [&'static str; 5] = [
        "demographic_parity",
        "equalized_odds",
        "equal_opportunity",
        "false_positive_rate_parity",
        "error_rate_parity",
    ];

    /// The CLI and JSON name.
    pub fn name(self) -> &'static str {
        match self {
            Constraint::DemographicParity => "demographic_parity",
            Constraint::EqualizedOdds => "equalized_odds",
            Constraint::EqualOpportunity => "equal_opportunity",
            Constraint::FalsePositiveRateParity => "false_positive_rate_parity",
            Constraint::ErrorRateParity => "error_rate_parity",
        }
    }

    /// The constraint of a CLI name.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "demographic_parity" => Some(Constraint::DemographicParity),
            "equalized_odds" => Some(Constraint::EqualizedOdds),
            "equal_opportunity" => Some(Constraint::EqualOpportunity),
            "false_positive_rate_parity" => Some(Constraint::FalsePositiveRateParity),
            "error_rate_parity" => Some(Constraint::ErrorRateParity),
            _ => None,
        }
    }
}

/// Why a reduction could not run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ReductionError {
    #[error(transparent)]
    Model(#[from] ModelError),
    #[error(
        "The matrix has {rows} rows but {labels} labels and {groups} group codes were given; give one of each per row."
    )]
    Length { rows: usize, labels: usize, groups: usize },
    #[error("There are no training rows for the reduction. Use a split with training rows.")]
    NoRows,
    #[error("The training rows hold only one group of the sensitive column; the {0} constraint needs at least two.")]
    OneGroup(&'static str),
    #[error("The bound ε must be a number above 0, but it is {0}. Give e.g. --eps 0.01.")]
    BadEps(f64),
    #[error("The grid size must be at least 1, but it is {0}. Give e.g. --grid-size 10.")]
    BadGridSize(usize),
    #[error("The {0} cannot be trained with sample weights, which the reductions need. Use logistic regression, a tree, a forest or gradient boosting.")]
    WeightsUnsupported(&'static str),
    #[error("The reduction was cancelled.")]
    Cancelled,
}

/// One Lagrange multiplier of a constraint: Fairlearn's index entry (`sign`, `event`, `group_id`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConstraintKey {
    /// `+` (the group's rate above the overall one) or `-` (below).
    pub sign: String,
    /// `all`, `label=0` or `label=1`.
    pub event: String,
    pub group: String,
}

/// A best response: a fitted model, or a constant decision (Fairlearn's `DummyClassifier`, used
/// when every row is relabelled the same way).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Predictor {
    Constant(bool),
    Model(FittedModel),
}

impl Predictor {
    /// The 0/1 decision of each encoded row.
    pub fn predict(&self, x: ArrayView2<f64>) -> Vec<f64> {
        match self {
            Predictor::Constant(v) => vec![f64::from(u8::from(*v)); x.nrows()],
            Predictor::Model(FittedModel::Logistic(m)) => x
                .rows()
                .into_iter()
                .map(|r| {
                    let z = m.intercept + r.iter().zip(&m.coef).map(|(v, c)| v * c).sum::<f64>();
                    f64::from(u8::from(z > 0.0))
                })
                .collect(),
            Predictor::Model(m) => m.score(x).into_iter().map(|s| f64::from(u8::from(s > 0.5))).collect(),
        }
    }
}

/// A moment loaded with the training rows (Fairlearn's `UtilityParity.load_data`) and the
/// objective `ErrorRate` (costs 1).
#[derive(Clone, Debug)]
pub(crate) struct Moment {
    n: usize,
    y: Vec<f64>,
    /// The event of each row (an index into `events`), `None` for rows outside every event.
    row_event: Vec<Option<usize>>,
    /// The group code of each row.
    row_group: Vec<usize>,
    /// g(h = 1) − g(h = 0) and g(h = 0) per row (1 and 0, or 1 − 2y and y for error rate parity).
    utility_diff: Vec<f64>,
    utility0: Vec<f64>,
    /// Event names in sorted order.
    events: Vec<String>,
    /// (event, group) pairs present in the rows, sorted by event name then group code.
    pairs: Vec<(usize, usize)>,
    /// P(event) and P(event, group) of each pair.
    prob_event: Vec<f64>,
    prob_pair: Vec<f64>,
    /// Events and groups in order of first appearance (the grid's basis order).
    events_seen: Vec<usize>,
    groups_seen: Vec<usize>,
    group_names: Vec<String>,
    pub(crate) eps: f64,
}

impl Moment {
    /// Loads the rows. `groups` are codes into `group_names`.
    pub(crate) fn load(
        constraint: Constraint,
        y: &[bool],
        groups: &[u32],
        group_names: &[String],
        eps: f64,
    ) -> Result<Self, ReductionError> {
        let n = y.len();
        if n == 0 {
            return Err(ReductionError::NoRows);
        }
        let label = |v: bool| if v { "label=1" } else { "label=0" };
        let event_of = |v: bool| -> Option<&'static str> {
            match constraint {
                Constraint::DemographicParity | Constraint::ErrorRateParity => Some("all"),
                Constraint::EqualizedOdds => Some(label(v)),
                Constraint::EqualOpportunity => v.then_some("label=1"),
                Constraint::FalsePositiveRateParity => (!v).then_some("label=0"),
            }
        };
        let mut events: Vec<String> = y.iter().filter_map(|&v| event_of(v)).map(str::to_string).collect();
        events.sort();
        events.dedup();
        let row_event: Vec<Option<usize>> =
            y.iter().map(|&v| event_of(v).and_then(|e| events.iter().position(|x| x == e))).collect();
        let row_group: Vec<usize> = groups.iter().map(|&g| g as usize).collect();
        let n_groups = group_names.len().max(row_group.iter().map(|g| g + 1).max().unwrap_or(0));
        let mut count_event = vec![0usize; events.len()];
        let mut count_pair = vec![vec![0usize; n_groups]; events.len()];
        let mut events_seen = Vec::new();
        let mut groups_seen = Vec::new();
        for (e, &g) in row_event.iter().zip(&row_group) {
            if !groups_seen.contains(&g) {
                groups_seen.push(g);
            }
            if let Some(e) = *e {
                if !events_seen.contains(&e) {
                    events_seen.push(e);
                }
                if let Some(c) = count_event.get_mut(e) {
                    *c += 1;
                }
                if let Some(c) = count_pair.get_mut(e).and_then(|row| row.get_mut(g)) {
                    *c += 1;
                }
            }
        }
        if groups_seen.len() < 2 {
            return Err(ReductionError::OneGroup(constraint.name()));
        }
        let nf = n as f64;
        let mut pairs = Vec::new();
        let mut prob_pair = Vec::new();
        for (e, row) in count_pair.iter().enumerate() {
            for (g, &c) in row.iter().enumerate() {
                if c > 0 {
                    pairs.push((e, g));
                    prob_pair.push(c as f64 / nf);
                }
            }
        }
        let prob_event = count_event.iter().map(|&c| c as f64 / nf).collect();
        let yf: Vec<f64> = y.iter().map(|&v| f64::from(u8::from(v))).collect();
        let (utility_diff, utility0) = if constraint == Constraint::ErrorRateParity {
            (yf.iter().map(|v| 1.0 - 2.0 * v).collect(), yf.clone())
        } else {
            (vec![1.0; n], vec![0.0; n])
        };
        Ok(Moment {
            n,
            y: yf,
            row_event,
            row_group,
            utility_diff,
            utility0,
            events,
            pairs,
            prob_event,
            prob_pair,
            events_seen,
            groups_seen,
            group_names: group_names.to_vec(),
            eps,
        })
    }

    /// The number of multipliers (twice the pairs: `+` then `-`).
    pub(crate) fn len(&self) -> usize {
        2 * self.pairs.len()
    }

    /// The multipliers' keys, in Fairlearn's index order.
    pub(crate) fn index(&self) -> Vec<ConstraintKey> {
        ["+", "-"]
            .iter()
            .flat_map(|sign| {
                self.pairs.iter().map(move |&(e, g)| ConstraintKey {
                    sign: (*sign).to_string(),
                    event: self.events.get(e).cloned().unwrap_or_default(),
                    group: self.group_names.get(g).cloned().unwrap_or_else(|| g.to_string()),
                })
            })
            .collect()
    }

    fn pair_of(&self, e: usize, g: usize) -> Option<usize> {
        self.pairs.iter().position(|&p| p == (e, g))
    }

    /// The objective: the error rate Σ|y − h| / n.
    pub(crate) fn error(&self, pred: &[f64]) -> f64 {
        self.y.iter().zip(pred).map(|(y, p)| (y - p).abs()).sum::<f64>() / self.n as f64
    }

    /// The constraint violations γ (Fairlearn's `gamma`): for each pair, `+`: mean within the
    /// pair − mean within its event, `-`: the opposite.
    pub(crate) fn gamma(&self, pred: &[f64]) -> Vec<f64> {
        let mut sum_event = vec![0.0; self.events.len()];
        let mut sum_pair = vec![0.0; self.pairs.len()];
        let pair_index = self.pair_lookup();
        for i in 0..self.n {
            let (Some(Some(e)), Some(&g)) = (self.row_event.get(i), self.row_group.get(i)) else { continue };
            let u = self.utility_diff.get(i).copied().unwrap_or(0.0) * pred.get(i).copied().unwrap_or(0.0)
                + self.utility0.get(i).copied().unwrap_or(0.0);
            if let Some(s) = sum_event.get_mut(*e) {
                *s += u;
            }
            if let Some(s) =
                pair_index.get(*e).and_then(|r| r.get(g)).copied().flatten().and_then(|p| sum_pair.get_mut(p))
            {
                *s += u;
            }
        }
        let nf = self.n as f64;
        let plus: Vec<f64> = self
            .pairs
            .iter()
            .zip(&sum_pair)
            .zip(&self.prob_pair)
            .map(|((&(e, _), sp), pp)| {
                let se = sum_event.get(e).copied().unwrap_or(0.0);
                let pe = self.prob_event.get(e).copied().unwrap_or(1.0);
                -(se / pe - sp / pp) / nf
            })
            .collect();
        plus.iter().copied().chain(plus.iter().map(|v| -v)).collect()
    }

    fn pair_lookup(&self) -> Vec<Vec<Option<usize>>> {
        let n_groups = self.pairs.iter().map(|p| p.1 + 1).max().unwrap_or(0);
        let mut t = vec![vec![None; n_groups]; self.events.len()];
        for (k, &(e, g)) in self.pairs.iter().enumerate() {
            if let Some(slot) = t.get_mut(e).and_then(|r| r.get_mut(g)) {
                *slot = Some(k);
            }
        }
        t
    }

    /// λ⁺ − λ⁻ per pair.
    pub(crate) fn signed(&self, lambda: &[f64]) -> Vec<f64> {
        let p = self.pairs.len();
        (0..p).map(|k| lambda.get(k).copied().unwrap_or(0.0) - lambda.get(p + k).copied().unwrap_or(0.0)).collect()
    }

    /// The cost difference of each row (`ErrorRate`'s 2y − 1 plus the constraints' signed
    /// weights `utility_diff · U λ`).
    pub(crate) fn signed_weights(&self, lambda: &[f64]) -> Vec<f64> {
        let ls = self.signed(lambda);
        let mut per_event = vec![0.0; self.events.len()];
        for (&(e, _), v) in self.pairs.iter().zip(&ls) {
            if let Some(s) = per_event.get_mut(e) {
                *s += v;
            }
        }
        let lookup = self.pair_lookup();
        (0..self.n)
            .map(|i| {
                let objective = 2.0 * self.y.get(i).copied().unwrap_or(0.0) - 1.0;
                let (Some(Some(e)), Some(&g)) = (self.row_event.get(i), self.row_group.get(i)) else {
                    return objective;
                };
                let pair = lookup.get(*e).and_then(|r| r.get(g)).copied().flatten();
                let own = pair
                    .map_or(0.0, |p| ls.get(p).copied().unwrap_or(0.0) / self.prob_pair.get(p).copied().unwrap_or(1.0));
                let ev = per_event.get(*e).copied().unwrap_or(0.0) / self.prob_event.get(*e).copied().unwrap_or(1.0);
                objective + self.utility_diff.get(i).copied().unwrap_or(0.0) * (ev - own)
            })
            .collect()
    }

    /// Fairlearn 0.15's `project_lambda`: within each event, shift the signed multipliers by the
    /// weighted median of λ/P(group | event), then split into positive and negative parts.
    pub(crate) fn project(&self, lambda: &[f64]) -> Vec<f64> {
        let mut ls = self.signed(lambda);
        for e in 0..self.events.len() {
            let members: Vec<usize> =
                (0..self.pairs.len()).filter(|&k| self.pairs.get(k).map(|p| p.0) == Some(e)).collect();
            let pe = self.prob_event.get(e).copied().unwrap_or(1.0);
            let prob: Vec<f64> = members.iter().map(|&k| self.prob_pair.get(k).copied().unwrap_or(0.0) / pe).collect();
            let normalized: Vec<f64> =
                members.iter().zip(&prob).map(|(&k, p)| ls.get(k).copied().unwrap_or(0.0) / p).collect();
            let mut order: Vec<usize> = (0..members.len()).collect();
            order.sort_by(|&a, &b| {
                normalized.get(a).partial_cmp(&normalized.get(b)).unwrap_or(std::cmp::Ordering::Equal)
            });
            let half = prob.iter().sum::<f64>() / 2.0;
            let mut cumulative = 0.0;
            let mut median = order.last().copied();
            for &o in &order {
                cumulative += prob.get(o).copied().unwrap_or(0.0);
                if cumulative >= half {
                    median = Some(o);
                    break;
                }
            }
            let shift = median.and_then(|m| normalized.get(m)).copied().unwrap_or(0.0);
            for (&k, p) in members.iter().zip(&prob) {
                if let Some(v) = ls.get_mut(k) {
                    *v -= p * shift;
                }
            }
        }
        ls.iter().map(|v| v.max(0.0)).chain(ls.iter().map(|v| (-v).max(0.0))).collect()
    }

    /// The grid's basis (Fairlearn's `pos_basis`/`neg_basis` columns): for each event in order of
    /// appearance, each group in order of appearance but the last, the pair it names (if present).
    pub(crate) fn basis(&self) -> Vec<Option<usize>> {
        let last = self.groups_seen.len().saturating_sub(1);
        self.events_seen
            .iter()
            .flat_map(|&e| self.groups_seen.iter().take(last).map(move |&g| self.pair_of(e, g)))
            .collect()
    }

    /// The rows' labels (0/1).
    pub(crate) fn labels(&self) -> &[f64] {
        &self.y
    }
}

/// The base learner of a reduction, fitted once per best response on the same training rows.
///
/// For logistic regression (up to [`NEWTON_MAX_WIDTH`] encoded columns) the rows' non-zero
/// entries are gathered once per run ([`RowEntries`]) instead of once per fit, each fit starts
/// from an earlier best response when that is better than zero (`warm`: the one whose signed
/// multipliers `key` were nearest, and the last one; Newton's method then stops at the same
/// precision, in fewer steps), and the decisions on the training rows are read
/// from those entries (the same sums as [`Predictor::predict`]: zero entries only add ±0). A call
/// with exactly the cost differences of an earlier one returns that call's predictor (the fit is
/// deterministic), as happens at the first iteration, where every scaled multiplier vector gives
/// the unconstrained problem.
pub(crate) struct Oracle<'x, 's> {
    spec: &'s ModelSpec,
    x: ArrayView2<'x, f64>,
    rows: Option<RowEntries>,
    warm: bool,
    last: Option<LogisticModel>,
    /// Each logistic best response with the key of its call.
    fitted: Vec<(Vec<f64>, LogisticModel)>,
    /// The cost differences of recent calls and their predictors.
    recent: Vec<(Vec<f64>, Predictor)>,
}

/// How many earlier calls [`Oracle`] remembers.
const RECENT_CALLS: usize = 4;

impl<'x, 's> Oracle<'x, 's> {
    pub(crate) fn new(spec: &'s ModelSpec, x: ArrayView2<'x, f64>, warm: bool) -> Self {
        let rows = matches!(spec, ModelSpec::Logistic(_)).then(|| x.ncols() <= NEWTON_MAX_WIDTH).unwrap_or(false);
        Oracle {
            spec,
            x,
            rows: rows.then(|| RowEntries::of(x)),
            warm,
            last: None,
            fitted: Vec::new(),
            recent: Vec::new(),
        }
    }

    /// The best response to cost differences `signed`: rows relabelled by sign, weighted by size
    /// (normalised to sum to the row count when `normalise`, as the exponentiated gradient does;
    /// raw, as grid search does), fitted by the base learner, or a constant when every row gets
    /// the same label.
    ///
    /// `key` says which earlier calls were near this one (the exponentiated gradient gives the
    /// signed multipliers λ⁺ − λ⁻, on which the cost differences depend linearly).
    pub(crate) fn best_response(
        &mut self,
        signed: &[f64],
        normalise: bool,
        key: &[f64],
    ) -> Result<Predictor, ReductionError> {
        let same = |a: &[f64]| a.len() == signed.len() && a.iter().zip(signed).all(|(p, q)| p.to_bits() == q.to_bits());
        if let Some((_, h)) = self.recent.iter().find(|(s, _)| same(s)) {
            return Ok(h.clone());
        }
        let labels: Vec<bool> = signed.iter().map(|w| *w > 0.0).collect();
        let mut weights: Vec<f64> = signed.iter().map(|w| w.abs()).collect();
        if normalise {
            let total: f64 = weights.iter().sum();
            if total > 0.0 {
                let n = weights.len() as f64;
                for w in &mut weights {
                    *w = n * *w / total;
                }
            }
        }
        let h = match labels.first().copied() {
            None => Predictor::Constant(false),
            Some(first) if labels.iter().all(|&l| l == first) => Predictor::Constant(first),
            Some(_) => match (self.spec, &self.rows) {
                (ModelSpec::Logistic(params), Some(rows)) => {
                    let mut starts: Vec<&LogisticModel> = Vec::new();
                    if self.warm {
                        let distance =
                            |k: &[f64]| -> f64 { k.iter().zip(key).map(|(a, b)| (a - b).abs()).sum::<f64>() };
                        let nearest = self.fitted.iter().min_by(|a, b| {
                            distance(&a.0).partial_cmp(&distance(&b.0)).unwrap_or(std::cmp::Ordering::Equal)
                        });
                        starts.extend(nearest.map(|n| &n.1));
                        starts.extend(self.last.as_ref().filter(|l| nearest.is_none_or(|n| n.1 != **l)));
                    }
                    let m = logistic::fit_weighted_rows(rows, self.x.ncols(), &labels, &weights, params, &starts)?;
                    if self.warm {
                        self.fitted.push((key.to_vec(), m.clone()));
                    }
                    self.last = Some(m.clone());
                    Predictor::Model(FittedModel::Logistic(m))
                }
                _ => Predictor::Model(models::fit(self.spec, self.x, &labels, Some(&weights))?),
            },
        };
        if self.recent.len() >= RECENT_CALLS {
            self.recent.remove(0);
        }
        self.recent.push((signed.to_vec(), h.clone()));
        Ok(h)
    }

    /// The 0/1 decision of each training row ([`Predictor::predict`] on them).
    pub(crate) fn predict(&self, h: &Predictor) -> Vec<f64> {
        match (h, &self.rows) {
            (Predictor::Model(FittedModel::Logistic(m)), Some(rows)) => (0..rows.nrows())
                .map(|i| {
                    let (cols, vals) = rows.row(i);
                    let mut sum = 0.0;
                    for (&j, &v) in cols.iter().zip(vals) {
                        sum += v * m.coef.get(j).copied().unwrap_or(0.0);
                    }
                    f64::from(u8::from(m.intercept + sum > 0.0))
                })
                .collect(),
            _ => h.predict(self.x),
        }
    }
}

/// Checks the inputs shared by both reductions.
pub(crate) fn check_inputs(
    spec: &ModelSpec,
    x: ArrayView2<f64>,
    y: &[bool],
    groups: &[u32],
    eps: f64,
) -> Result<(), ReductionError> {
    if x.nrows() != y.len() || y.len() != groups.len() {
        return Err(ReductionError::Length { rows: x.nrows(), labels: y.len(), groups: groups.len() });
    }
    if !(eps > 0.0 && eps.is_finite()) {
        return Err(ReductionError::BadEps(eps));
    }
    match spec {
        ModelSpec::NaiveBayes(_) => Err(ReductionError::WeightsUnsupported("Gaussian naive Bayes")),
        ModelSpec::Knn(_) => Err(ReductionError::WeightsUnsupported("k-nearest neighbours")),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> Vec<String> {
        vec!["a".into(), "b".into()]
    }

    #[test]
    fn demographic_parity_gamma_is_the_gap_to_the_overall_rate() {
        let y = [true, false, true, false];
        let g = [0, 0, 1, 1];
        let m = Moment::load(Constraint::DemographicParity, &y, &g, &names(), 0.01).unwrap();
        // Group a selects 1 of 2, group b 0 of 2; overall 1/4.
        let gamma = m.gamma(&[1.0, 0.0, 0.0, 0.0]);
        assert_eq!(m.len(), 4);
        assert!((gamma[0] - 0.25).abs() < 1e-15 && (gamma[1] + 0.25).abs() < 1e-15, "{gamma:?}");
        assert!((gamma[2] + 0.25).abs() < 1e-15 && (gamma[3] - 0.25).abs() < 1e-15);
        let keys = m.index();
        assert_eq!((keys[0].sign.as_str(), keys[0].event.as_str(), keys[0].group.as_str()), ("+", "all", "a"));
        assert_eq!(keys[3].sign, "-");
    }

    #[test]
    fn equal_opportunity_sees_only_positive_rows() {
        let y = [true, false, true, false];
        let g = [0, 0, 1, 1];
        let m = Moment::load(Constraint::EqualOpportunity, &y, &g, &names(), 0.01).unwrap();
        assert_eq!(m.len(), 4);
        assert_eq!(m.index()[0].event, "label=1");
        // The negative rows' cost differences are the objective's alone.
        let w = m.signed_weights(&[1.0, 0.0, 0.0, 0.0]);
        assert_eq!(w[1], -1.0);
        assert_eq!(w[3], -1.0);
        assert!(w[0] != 1.0);
    }

    #[test]
    fn the_oracle_reads_the_rows_entries_as_the_dense_rows_and_remembers_calls() {
        let mut rng = crate::core::rng::Rng::new(9);
        let n = 300;
        let x =
            ndarray::Array2::from_shape_fn(
                (n, 6),
                |(_, j)| {
                    if j < 2 {
                        rng.normal()
                    } else {
                        f64::from(rng.bernoulli(0.4))
                    }
                },
            );
        let y: Vec<bool> = (0..n).map(|i| x[[i, 0]] + x[[i, 3]] + 0.5 * rng.normal() > 0.5).collect();
        let g: Vec<u32> = (0..n).map(|i| u32::from(x[[i, 2]] > 0.0)).collect();
        let m = Moment::load(Constraint::DemographicParity, &y, &g, &names(), 0.01).unwrap();
        let spec = ModelSpec::default();
        let mut warm = Oracle::new(&spec, x.view(), true);
        let mut cold = Oracle::new(&spec, x.view(), false);
        assert!(warm.rows.is_some());
        for lambda in [[0.0, 0.0, 0.0, 0.0], [3.0, 0.0, 0.0, 3.0], [5.0, 0.0, 0.0, 5.0], [0.0, 2.0, 2.0, 0.0]] {
            let signed = m.signed_weights(&lambda);
            let key = m.signed(&lambda);
            let (a, b) =
                (warm.best_response(&signed, true, &key).unwrap(), cold.best_response(&signed, true, &key).unwrap());
            // The decisions read from the entries are the dense ones, to the bit.
            assert_eq!(warm.predict(&a), a.predict(x.view()));
            // A warm start reaches the optimum a cold one reaches (to the solver's precision: the
            // Newton decrement below 1e-12 per unit of weight).
            match (&a, &b) {
                (Predictor::Model(FittedModel::Logistic(p)), Predictor::Model(FittedModel::Logistic(q))) => {
                    assert!((p.intercept - q.intercept).abs() < 1e-5, "{p:?} vs {q:?}");
                    assert!(p.coef.iter().zip(&q.coef).all(|(u, v)| (u - v).abs() < 1e-5), "{p:?} vs {q:?}");
                }
                other => panic!("{other:?}"),
            }
            // The same call again gives the same predictor.
            assert_eq!(warm.best_response(&signed, true, &key).unwrap(), a);
        }
        assert_eq!(warm.fitted.len(), 4, "each distinct call fitted once");
    }
}
