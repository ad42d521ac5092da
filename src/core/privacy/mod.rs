//! Privacy attacks and defences for the lessons: membership inference (Shokri et al. 2017;
//! Yeom et al. 2018), DP-SGD for logistic regression (Abadi et al. 2016) with a Rényi-DP
//! accountant (Mironov 2017; Mironov, Talwar & Zhang 2019, as Google's `dp-accounting`), a
//! Laplace counting query (Dwork et al. 2006), and federated averaging (McMahan et al. 2017) with
//! pairwise-masked secure aggregation (Bonawitz et al. 2017).
//!
//! Every function takes encoded rows (`ArrayView2<f64>`, as [`crate::core::encode::Encoder`]
//! makes them), boolean labels and, where per-group results are asked for, group codes. All
//! randomness comes from seeded [`crate::core::rng::Rng`] streams and every transcendental
//! function from `libm`, so native code and WebAssembly agree to the bit.

pub mod accountant;
pub mod dpsgd;
pub mod federated;
pub mod linear;
pub mod membership;
pub mod tradeoff;

pub use accountant::{
    check_delta, default_orders, epsilon_from_rdp, privacy_spent, rdp_poisson_gaussian, Accountant, PrivacySpent,
    DEFAULT_ORDER_COUNT,
};
pub use dpsgd::{
    clip, clipped_gradient_norms, dp_sgd, gradient_descent, laplace_count, laplace_releases, laplace_sample,
    DpSgdResult, DpSgdSpec, DpSgdStep, LaplaceCount, MAX_STEPS,
};
pub use federated::{
    fed_avg, secure_aggregate, split_clients, ClientSplit, FedAvgResult, FedAvgSpec, RoundInfo, Rows,
    SecureAggregation, FIXED_POINT_SCALE, RING_BITS,
};
pub use linear::{accuracy, group_accuracy, LinearWeights};
pub use membership::{
    membership_inference, shadow_attack, threshold_attack, AttackResult, MembershipReport, MembershipSpec,
};
pub use tradeoff::{dp_tradeoff, TradeoffPoint};

/// Why a privacy computation could not run. Each message says what to change.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PrivacyError {
    #[error("The data do not fit together: {0}")]
    Shape(String),
    #[error("There are no rows to work with.")]
    NoRows,
    #[error("The sampling rate q must be in (0, 1]; {0} was given.")]
    SamplingRate(f64),
    #[error("The noise multiplier σ must be a finite number ≥ 0; {0} was given.")]
    NoiseMultiplier(f64),
    #[error("The clipping norm C must be > 0 (use infinity for no clipping); {0} was given.")]
    ClipNorm(f64),
    #[error("The learning rate must be a finite number > 0; {0} was given.")]
    LearningRate(f64),
    #[error("δ must be in (0, 1/n) = (0, {limit}) for n = {n} rows, so that no single person's record can leak with probability 1/n; {delta} was given.")]
    Delta { delta: f64, n: usize, limit: f64 },
    #[error("ε must be a finite number > 0; {0} was given.")]
    Epsilon(f64),
    #[error("A Rényi order must be > 1; {0} was given.")]
    Order(f64),
    #[error("{0}")]
    BadSetting(String),
    #[error("Training a model failed: {0}")]
    Model(#[from] crate::core::models::ModelError),
    #[error("Computing metrics failed: {0}")]
    Metrics(#[from] crate::core::metrics::MetricsError),
}

/// Checks that rows, labels (and groups, when given) agree in number and that there are rows.
pub(crate) fn check_shape(x: ndarray::ArrayView2<f64>, y: &[bool], groups: Option<&[u32]>) -> Result<(), PrivacyError> {
    if x.nrows() != y.len() {
        return Err(PrivacyError::Shape(format!("{} rows but {} labels.", x.nrows(), y.len())));
    }
    if let Some(g) = groups {
        if g.len() != y.len() {
            return Err(PrivacyError::Shape(format!("{} labels but {} group codes.", y.len(), g.len())));
        }
    }
    if y.is_empty() {
        return Err(PrivacyError::NoRows);
    }
    if x.iter().any(|v| !v.is_finite()) {
        return Err(PrivacyError::Shape("the encoded rows hold a value that is not a finite number.".into()));
    }
    Ok(())
}

#[cfg(test)]
pub(crate) mod testdata {
    use crate::core::rng::Rng;
    use ndarray::Array2;

    /// Rows from a logistic model with two groups: x ~ N(0, 1)^d (plus a group shift on the
    /// first column), P(y = 1) = σ(x₀ − 0.5·x₁ + 0.3·x₂); group 1 is a fifth of the rows.
    pub fn logistic_data(n: usize, d: usize, seed: u64) -> (Array2<f64>, Vec<bool>, Vec<u32>) {
        let mut rng = Rng::new(seed);
        let mut x = Array2::zeros((n, d));
        let mut y = Vec::with_capacity(n);
        let mut g = Vec::with_capacity(n);
        for i in 0..n {
            let grp = u32::from(rng.bernoulli(0.2));
            for j in 0..d {
                x[(i, j)] = rng.normal() + if j == 0 { 0.5 * f64::from(grp) } else { 0.0 };
            }
            let x1 = if d > 1 { x[(i, 1)] } else { 0.0 };
            let x2 = if d > 2 { x[(i, 2)] } else { 0.0 };
            let z = x[(i, 0)] - 0.5 * x1 + 0.3 * x2;
            y.push(rng.bernoulli(crate::core::models::logistic::sigmoid(2.0 * z)));
            g.push(grp);
        }
        (x, y, g)
    }
}
