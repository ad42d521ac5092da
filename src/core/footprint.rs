//! A footprint estimate: floating-point operations (FLOPs) of training and scoring, turned into
//! time, energy and CO₂ under stated assumptions. It is an order-of-magnitude teaching estimate
//! in the spirit of Strubell, Ganesh & McCallum 2019 and Lacoste et al. 2019 (ML CO₂ calculator):
//! energy = time × power, emissions = energy × grid carbon intensity.
//!
//! Counting model (n rows, d encoded columns; a transcendental function — exp, log — counts as
//! [`TRANSCENDENTAL_FLOPS`] operations; a comparison counts as one):
//! - logistic regression, per L-BFGS iteration: [`LBFGS_EVALS_PER_ITERATION`] loss-and-gradient
//!   evaluations of 4·n·d + 3·T·n each (X·β, Xᵀ·r, exp and log1p per row) plus the two-loop
//!   recursion 4·m·(d + 1) with memory m = 10: about 8·n·d per iteration;
//! - decision tree: presorting d·n·log₂n, then per level every row is scanned once per feature
//!   for the Gini split (≈ 10 operations): 10·n·d·depth;
//! - Gaussian naive Bayes: mean and variance per class and feature, 4·n·d;
//! - DP-SGD: per step the expected q·n rows cost 7·d + 2·T (gradient, norm, clip), plus noise
//!   (d + 1)·T: steps·(q·n·(7d + 2T) + (d + 1)·T);
//! - FedAvg: rounds·Σ_selected local_epochs·nₖ·(4·d + T) plus averaging;
//! - scoring one row: logistic 2·d + T, tree depth comparisons, naive Bayes 2·(4·d + T).

use crate::core::models::FittedModel;
use crate::core::train::Trained;
use serde::{Deserialize, Serialize};

/// Operations counted for one exp or log.
pub const TRANSCENDENTAL_FLOPS: f64 = 20.0;
/// Loss-and-gradient evaluations per L-BFGS iteration (More–Thuente usually accepts the first
/// or second trial step).
pub const LBFGS_EVALS_PER_ITERATION: f64 = 2.0;
const LBFGS_MEMORY: f64 = 10.0;

/// A piece of work to count.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Workload {
    TrainLogistic { rows: u64, features: u64, iterations: u64 },
    TrainTree { rows: u64, features: u64, depth: u64 },
    TrainNaiveBayes { rows: u64, features: u64 },
    DpSgd { rows: u64, features: u64, sampling_rate: f64, steps: u64 },
    FedAvg { rows_per_round: u64, features: u64, rounds: u64, local_epochs: u64 },
    ScoreLogistic { rows: u64, features: u64 },
    ScoreTree { rows: u64, depth: u64 },
    ScoreNaiveBayes { rows: u64, features: u64 },
}

impl Workload {
    /// The FLOPs of this work under the counting model of the module doc.
    pub fn flops(&self) -> f64 {
        let t = TRANSCENDENTAL_FLOPS;
        match *self {
            Workload::TrainLogistic { rows, features, iterations } => {
                let (n, d) = (rows as f64, features as f64);
                iterations as f64
                    * (LBFGS_EVALS_PER_ITERATION * (4.0 * n * d + 3.0 * t * n) + 4.0 * LBFGS_MEMORY * (d + 1.0))
            }
            Workload::TrainTree { rows, features, depth } => {
                let (n, d) = (rows as f64, features as f64);
                d * n * libm::log2(n.max(2.0)) + 10.0 * n * d * depth as f64
            }
            Workload::TrainNaiveBayes { rows, features } => 4.0 * rows as f64 * features as f64,
            Workload::DpSgd { rows, features, sampling_rate, steps } => {
                let d = features as f64;
                steps as f64 * (sampling_rate * rows as f64 * (7.0 * d + 2.0 * t) + (d + 1.0) * t)
            }
            Workload::FedAvg { rows_per_round, features, rounds, local_epochs } => {
                let d = features as f64;
                rounds as f64 * (local_epochs as f64 * rows_per_round as f64 * (4.0 * d + t) + 2.0 * (d + 1.0))
            }
            Workload::ScoreLogistic { rows, features } => rows as f64 * (2.0 * features as f64 + t),
            Workload::ScoreTree { rows, depth } => rows as f64 * depth as f64,
            Workload::ScoreNaiveBayes { rows, features } => rows as f64 * 2.0 * (4.0 * features as f64 + t),
        }
    }
}

/// The hardware and grid assumptions. Defaults are documented on each field.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Assumptions {
    /// Sustained double-precision GFLOP/s of the code on one laptop core. Default 5: scalar,
    /// memory-bound loops reach a small fraction of a modern core's vector peak (tens of GFLOP/s).
    pub gflops_per_second: f64,
    /// Power drawn while computing, in watts. Default 15 (a laptop CPU package under load; the
    /// screen and the rest of the machine are not counted).
    pub watts: f64,
    /// Grid carbon intensity, g CO₂e per kWh. Default 475 (IEA world average electricity, 2019).
    pub grams_co2_per_kwh: f64,
}

impl Default for Assumptions {
    fn default() -> Self {
        Self { gflops_per_second: 5.0, watts: 15.0, grams_co2_per_kwh: 475.0 }
    }
}

/// One stated assumption, for display.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Assumption {
    pub name: String,
    pub value: f64,
    pub unit: String,
    pub note: String,
}

/// The estimate.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Footprint {
    pub workloads: Vec<Workload>,
    /// FLOPs per workload, in order.
    pub flops_each: Vec<f64>,
    pub flops: f64,
    pub seconds: f64,
    pub joules: f64,
    pub kwh: f64,
    pub grams_co2: f64,
    pub assumptions: Vec<Assumption>,
}

/// Why an estimate could not be made.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FootprintError {
    #[error("The assumption \"{name}\" must be a finite number > 0; {value} was given.")]
    Assumption { name: &'static str, value: f64 },
    #[error("Workload {index} does not give a finite operation count; check its sampling rate ({detail}).")]
    Workload { index: usize, detail: String },
}

/// Counts the workloads and converts: seconds = FLOPs / (GFLOP/s·10⁹), joules = seconds × watts,
/// kWh = joules / 3.6·10⁶, g CO₂e = kWh × intensity.
///
/// # Errors
/// An assumption that is not a finite positive number.
pub fn estimate(workloads: &[Workload], a: &Assumptions) -> Result<Footprint, FootprintError> {
    for (name, value) in
        [("gflops_per_second", a.gflops_per_second), ("watts", a.watts), ("grams_co2_per_kwh", a.grams_co2_per_kwh)]
    {
        if !(value > 0.0 && value.is_finite()) {
            return Err(FootprintError::Assumption { name, value });
        }
    }
    let flops_each: Vec<f64> = workloads.iter().map(Workload::flops).collect();
    if let Some((index, _)) = flops_each.iter().enumerate().find(|(_, f)| !(f.is_finite() && **f >= 0.0)) {
        return Err(FootprintError::Workload { index, detail: format!("{:?}", workloads.get(index)) });
    }
    let flops: f64 = flops_each.iter().sum();
    let seconds = flops / (a.gflops_per_second * 1e9);
    let joules = seconds * a.watts;
    let kwh = joules / 3.6e6;
    let note = |s: &str| s.to_string();
    let assumptions = vec![
        Assumption {
            name: "sustained speed".into(),
            value: a.gflops_per_second,
            unit: "GFLOP/s".into(),
            note: note("one laptop core running scalar f64 loops; vector peak is several times higher"),
        },
        Assumption {
            name: "power".into(),
            value: a.watts,
            unit: "W".into(),
            note: note("laptop CPU package under load; screen, memory and idle draw not counted"),
        },
        Assumption {
            name: "grid carbon intensity".into(),
            value: a.grams_co2_per_kwh,
            unit: "g CO2e/kWh".into(),
            note: note("IEA world average for electricity, 2019; a low-carbon grid is under 100"),
        },
        Assumption {
            name: "cost of exp/log".into(),
            value: TRANSCENDENTAL_FLOPS,
            unit: "FLOPs".into(),
            note: note("a libm exp or log counted as 20 operations"),
        },
        Assumption {
            name: "L-BFGS evaluations per iteration".into(),
            value: LBFGS_EVALS_PER_ITERATION,
            unit: "evaluations".into(),
            note: note("loss and gradient evaluations per More–Thuente line search"),
        },
    ];
    Ok(Footprint {
        workloads: workloads.to_vec(),
        flops_each,
        flops,
        seconds,
        joules,
        kwh,
        grams_co2: kwh * a.grams_co2_per_kwh,
        assumptions,
    })
}

/// The training and scoring work of a trained model. L-BFGS iterations are not recorded by the
/// trainer, so logistic regression is counted at `logistic_iterations` (its `max_iterations` is an
/// upper bound).
pub fn workloads_of(trained: &Trained, logistic_iterations: u64) -> Vec<Workload> {
    let n = trained.summary.train_rows as u64;
    let scored = (trained.summary.train_rows + trained.summary.test_rows) as u64;
    let d = trained.encoder.width as u64;
    match &trained.model {
        FittedModel::Logistic(_) => vec![
            Workload::TrainLogistic { rows: n, features: d, iterations: logistic_iterations },
            Workload::ScoreLogistic { rows: scored, features: d },
        ],
        FittedModel::Tree(t) => vec![
            Workload::TrainTree { rows: n, features: d, depth: t.depth() as u64 },
            Workload::ScoreTree { rows: scored, depth: t.depth() as u64 },
        ],
        FittedModel::NaiveBayes(_) => vec![
            Workload::TrainNaiveBayes { rows: n, features: d },
            Workload::ScoreNaiveBayes { rows: scored, features: d },
        ],
        // Ensembles: one tree's work per tree, counted as one tree over trees × rows (a forest
        // searches `max_features` columns per node, boosting every column).
        FittedModel::RandomForest(f) => {
            let trees = f.trees.len() as u64;
            let depth = f.trees.iter().map(|t| t.depth()).max().unwrap_or(0) as u64;
            vec![
                Workload::TrainTree { rows: n * trees, features: f.max_features as u64, depth },
                Workload::ScoreTree { rows: scored * trees, depth },
            ]
        }
        FittedModel::GradientBoosting(m) => {
            let trees = m.trees.len() as u64;
            let depth = m.trees.iter().map(|t| t.tree.depth()).max().unwrap_or(0) as u64;
            vec![
                Workload::TrainTree { rows: n * trees, features: d, depth },
                Workload::ScoreTree { rows: scored * trees, depth },
            ]
        }
        // k-NN: training stores the rows; scoring is a distance per (scored, training) pair,
        // counted as a dot product of the encoded width (an upper bound: the index skips most).
        FittedModel::Knn(_) => vec![Workload::ScoreLogistic { rows: scored * n, features: d }],
        // A mitigated variant is never trained as such (only explained): its scoring counted
        // as one logistic pass.
        FittedModel::Scoring(_) => vec![Workload::ScoreLogistic { rows: scored, features: d }],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_follow_the_stated_model() {
        // Hand arithmetic: NB on 1,000 × 10 = 4·10⁴ FLOPs; at 5 GFLOP/s that is 8 µs, × 15 W =
        // 1.2·10⁻⁴ J.
        let f = estimate(&[Workload::TrainNaiveBayes { rows: 1000, features: 10 }], &Assumptions::default()).unwrap();
        assert_eq!(f.flops, 4e4);
        assert!((f.seconds - 8e-6).abs() < 1e-18);
        assert!((f.joules - 1.2e-4).abs() < 1e-15);
        assert!((f.grams_co2 - 1.2e-4 / 3.6e6 * 475.0).abs() < 1e-18);
        // Logistic: 2·(4·1000·10 + 60·1000) + 40·11 = 200,440 per iteration.
        assert_eq!(Workload::TrainLogistic { rows: 1000, features: 10, iterations: 1 }.flops(), 200_440.0);
        assert_eq!(f.assumptions.len(), 5);
    }

    #[test]
    fn bad_assumptions_are_rejected_and_json_round_trips() {
        let bad = Assumptions { watts: 0.0, ..Default::default() };
        assert!(matches!(estimate(&[], &bad), Err(FootprintError::Assumption { name: "watts", .. })));
        let nan = Workload::DpSgd { rows: 10, features: 2, sampling_rate: f64::NAN, steps: 3 };
        assert!(matches!(estimate(&[nan], &Assumptions::default()), Err(FootprintError::Workload { index: 0, .. })));
        let f = estimate(&[Workload::TrainTree { rows: 100, features: 3, depth: 4 }], &Assumptions::default()).unwrap();
        let back: Footprint = serde_json::from_str(&serde_json::to_string(&f).unwrap()).unwrap();
        // serde_json reads floats back to within an ulp or so (no `float_roundtrip` feature).
        assert_eq!((back.workloads, back.assumptions), (f.workloads, f.assumptions));
        assert!((back.flops - f.flops).abs() < 1e-9 && (back.grams_co2 / f.grams_co2 - 1.0).abs() < 1e-12);
    }
}
