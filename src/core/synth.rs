//! A seeded synthetic data generator whose controls switch on, one at a time, the sources of
//! unfairness that Suresh & Guttag's framework names ("A Framework for Understanding Sources of
//! Harm throughout the Machine Learning Life Cycle", EAAMO 2021): historical bias,
//! representation bias, measurement bias (of features and of labels) and proxies. Every preset
//! in [`PRESETS`] produces one of them; `fair_baseline` produces none.
//!
//! The story: people in two groups, `A` and `B`, apply for something; `label` = 1 means a
//! positive outcome was recorded. Each row is drawn as follows.
//! 1. Group: `B` with probability [`SynthSpec::group_b_share`] (representation).
//! 2. Qualities u₁…u_k ~ N(0, 1), independent, the same distribution in both groups.
//! 3. Merit s = w_g · u with ‖w_g‖ = 1. Group A weighs the features w_A ∝ (k, k−1, …, 1); group B
//!    uses (1 − p)·w_A + p·w_alt, renormalised, with w_alt ∝ (1, −2, 3, −4, …) reversed in
//!    importance and orthogonal-ish to w_A; p = [`SynthSpec::pattern_shift`]. A model fitted
//!    mostly on A learns A's pattern.
//! 4. Outcome: `true_label` = 1 when s + σε > c_g, ε ~ N(0, 1), σ = [`SynthSpec::label_noise`],
//!    with the cut-offs c_g set so that P(1 | A) = `base_rate` and P(1 | B) = `base_rate` −
//!    `base_rate_gap`. Equally qualified people of group B get the positive outcome less often:
//!    historical bias, recorded faithfully.
//! 5. Recorded label: `true_label`, except that a share [`SynthSpec::label_flip`] of group B's
//!    positives is recorded as 0 (label bias: the record, not the world, is wrong).
//! 6. Features x_j = u_j + noise_g·N(0, 1), with per-group noise (measurement bias), rounded to
//!    three decimals.
//! 7. `zip_code` (Z01–Z10): with probability [`SynthSpec::proxy_strength`] one of the group's own
//!    five codes (A: Z01–Z05, B: Z06–Z10), otherwise any of the ten. With equal groups Cramér's
//!    V(zip_code, group) equals the proxy strength.
//!
//! The table is written as CSV and read back with [`crate::core::ingest::read_csv`], so it has
//! exactly the shape an upload of the same file would have. Columns: `x1`…`xk`, `zip_code`,
//! `group`, `label`.

use crate::core::ingest::{read_csv, IngestError, IngestOptions};
use crate::core::rng::Rng;
use crate::core::table::Table;
use serde::{Deserialize, Serialize};
use std::fmt::Write as _;

/// The target column of every synthetic table.
pub const TARGET: &str = "label";
/// Its positive value.
pub const POSITIVE: &str = "1";
/// The sensitive column.
pub const SENSITIVE: &str = "group";
/// The proxy column.
pub const PROXY: &str = "zip_code";

/// The controls of the generator.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SynthSpec {
    /// Rows to generate (1–2,000,000).
    pub rows: usize,
    pub seed: u64,
    /// Numeric features x1…xk (1–100).
    pub features: usize,
    /// Share of rows in group B, in [0.01, 0.99] (representation bias when small).
    pub group_b_share: f64,
    /// Base rate of the true outcome in group A, in [0.02, 0.98].
    pub base_rate: f64,
    /// Group B's base rate is `base_rate − base_rate_gap` at equal qualities (historical bias).
    pub base_rate_gap: f64,
    /// Share of group B's positive outcomes recorded as negative, in [0, 1] (label bias).
    pub label_flip: f64,
    /// How strongly `zip_code` follows the group, in [0, 1] (proxy).
    pub proxy_strength: f64,
    /// Standard deviation of the measurement noise on group A's and group B's features
    /// (measurement bias when they differ), in [0, 10].
    pub noise_a: f64,
    pub noise_b: f64,
    /// How differently group B's outcome depends on the features, in [0, 1].
    pub pattern_shift: f64,
    /// Standard deviation of the noise in the outcome itself (how predictable it is), in [0, 5].
    pub label_noise: f64,
}

/// The fair baseline: equal groups, equal base rates, exact labels, no proxy, equal noise.
pub const BASELINE: SynthSpec = SynthSpec {
    rows: 5000,
    seed: 42,
    features: 4,
    group_b_share: 0.5,
    base_rate: 0.4,
    base_rate_gap: 0.0,
    label_flip: 0.0,
    proxy_strength: 0.0,
    noise_a: 0.3,
    noise_b: 0.3,
    pattern_shift: 0.0,
    label_noise: 0.5,
};

impl Default for SynthSpec {
    fn default() -> Self {
        BASELINE
    }
}

/// A named setting of the controls that reproduces one seed concept.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Preset {
    pub id: &'static str,
    pub title: &'static str,
    /// The concept it demonstrates, in the words of the lessons.
    pub concept: &'static str,
    /// What to look for.
    pub description: &'static str,
    pub spec: SynthSpec,
}

/// The presets, the fair baseline first.
pub const PRESETS: &[Preset] = &[
    Preset {
        id: "fair_baseline",
        title: "Fair baseline",
        concept: "none",
        description: "Two equal groups with the same base rate, exact labels, equally precise features and a \
                      zip code unrelated to the group. A model's selection rates and accuracy are about equal \
                      across groups.",
        spec: BASELINE,
    },
    Preset {
        id: "historical_bias",
        title: "Historical bias",
        concept: "training-data bias (historical bias)",
        description: "Equally qualified members of group B received the positive outcome less often: base rate \
                      0.40 in A, 0.15 in B. A model trained on these records reproduces the gap in its \
                      selection rates, however accurate it is.",
        spec: SynthSpec { base_rate_gap: 0.25, ..BASELINE },
    },
    Preset {
        id: "representation_bias",
        title: "Representation bias",
        concept: "representation bias",
        description: "Group B is 8% of the rows, and its outcome depends on the features differently. The \
                      model learns group A's pattern, so it is less accurate for group B.",
        spec: SynthSpec { group_b_share: 0.08, pattern_shift: 0.8, ..BASELINE },
    },
    Preset {
        id: "label_bias",
        title: "Label bias",
        concept: "label bias",
        description: "The world is fair (equal true base rates) but 40% of group B's positive outcomes were \
                      recorded as negative. The recorded base-rate gap is larger than the true one, and a \
                      model trained on the records inherits it.",
        spec: SynthSpec { label_flip: 0.4, ..BASELINE },
    },
    Preset {
        id: "proxy_bias",
        title: "Proxy (feature) bias",
        concept: "feature/proxy bias",
        description: "The historical gap of 0.25 again, and zip_code follows the group closely. Dropping the \
                      group column (fairness through unawareness) does not remove the selection-rate gap: the \
                      zip code stands in for it.",
        spec: SynthSpec { base_rate_gap: 0.25, proxy_strength: 0.9, ..BASELINE },
    },
    Preset {
        id: "measurement_bias",
        title: "Measurement bias",
        concept: "measurement bias",
        description: "Group B's features are measured with much more noise (standard deviation 1.5 against \
                      0.3). The same model is markedly less accurate for group B.",
        spec: SynthSpec { noise_b: 1.5, ..BASELINE },
    },
];

/// The preset with this id.
pub fn preset(id: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.id == id)
}

/// Why a table could not be generated.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SynthError {
    #[error("The number of rows must be between 1 and 2,000,000; {0} was asked for.")]
    Rows(usize),
    #[error("The number of features must be between 1 and 100; {0} was asked for.")]
    Features(usize),
    #[error("The control '{name}' must be a number in [{min}, {max}]; {value} was given.")]
    OutOfRange { name: &'static str, value: f64, min: f64, max: f64 },
    #[error(transparent)]
    Ingest(#[from] IngestError),
}

/// A generated table with what the generator knows and the data hide.
#[derive(Clone, Debug, PartialEq)]
pub struct Synthetic {
    pub table: Table,
    /// The outcome before label bias, per row.
    pub true_label: Vec<bool>,
}

impl SynthSpec {
    /// Checks every control.
    ///
    /// # Errors
    /// A count or control out of its documented range (NaN included).
    pub fn validate(&self) -> Result<(), SynthError> {
        if !(1..=2_000_000).contains(&self.rows) {
            return Err(SynthError::Rows(self.rows));
        }
        if !(1..=100).contains(&self.features) {
            return Err(SynthError::Features(self.features));
        }
        let checks: [(&'static str, f64, f64, f64); 9] = [
            ("group_b_share", self.group_b_share, 0.01, 0.99),
            ("base_rate", self.base_rate, 0.02, 0.98),
            ("base_rate_gap", self.base_rate_gap, -0.96, 0.96),
            ("label_flip", self.label_flip, 0.0, 1.0),
            ("proxy_strength", self.proxy_strength, 0.0, 1.0),
            ("noise_a", self.noise_a, 0.0, 10.0),
            ("noise_b", self.noise_b, 0.0, 10.0),
            ("pattern_shift", self.pattern_shift, 0.0, 1.0),
            ("label_noise", self.label_noise, 0.0, 5.0),
        ];
        for (name, value, min, max) in checks {
            if !(value >= min && value <= max) {
                return Err(SynthError::OutOfRange { name, value, min, max });
            }
        }
        let b = self.base_rate - self.base_rate_gap;
        if !(0.01..=0.99).contains(&b) {
            return Err(SynthError::OutOfRange {
                name: "base_rate_gap",
                value: self.base_rate_gap,
                min: self.base_rate - 0.99,
                max: self.base_rate - 0.01,
            });
        }
        Ok(())
    }
}

/// The standard normal CDF Φ(x) = ½·erfc(−x/√2).
pub fn normal_cdf(x: f64) -> f64 {
    0.5 * libm::erfc(-x / std::f64::consts::SQRT_2)
}

/// Φ⁻¹(p) by bisection (p clamped to [1e-12, 1 − 1e-12]); exact to about 1e-12.
pub fn normal_quantile(p: f64) -> f64 {
    let p = if p.is_nan() { 0.5 } else { p.clamp(1e-12, 1.0 - 1e-12) };
    let (mut lo, mut hi) = (-10.0f64, 10.0f64);
    for _ in 0..100 {
        let mid = 0.5 * (lo + hi);
        if normal_cdf(mid) < p {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}

fn unit(v: Vec<f64>) -> Vec<f64> {
    let norm = libm::sqrt(v.iter().map(|x| x * x).sum::<f64>());
    if norm > 0.0 {
        v.into_iter().map(|x| x / norm).collect()
    } else {
        v
    }
}

/// The two groups' feature weights (w_A, w_B), each of unit length.
fn weights(k: usize, shift: f64) -> (Vec<f64>, Vec<f64>) {
    let a = unit((0..k).map(|j| (k - j) as f64).collect());
    let alt = unit((0..k).map(|j| if j % 2 == 0 { (j + 1) as f64 } else { -((j + 1) as f64) }).collect());
    let b = unit(a.iter().zip(&alt).map(|(x, y)| (1.0 - shift) * x + shift * y).collect());
    (a, b)
}

/// Writes the synthetic data as CSV text and returns it with the true labels.
///
/// # Errors
/// A control out of range (see [`SynthSpec::validate`]).
pub fn to_csv(spec: &SynthSpec) -> Result<(String, Vec<bool>), SynthError> {
    spec.validate()?;
    let k = spec.features;
    let (w_a, w_b) = weights(k, spec.pattern_shift);
    let sd = libm::sqrt(1.0 + spec.label_noise * spec.label_noise);
    let cut_a = sd * normal_quantile(1.0 - spec.base_rate);
    let cut_b = sd * normal_quantile(1.0 - (spec.base_rate - spec.base_rate_gap));
    let mut rng = Rng::new(spec.seed);
    let mut out = String::with_capacity(spec.rows * (k * 7 + 12) + 64);
    for j in 1..=k {
        let _ = write!(out, "x{j},");
    }
    out.push_str("zip_code,group,label\n");
    let mut truth = Vec::with_capacity(spec.rows);
    let mut u = vec![0.0; k];
    for _ in 0..spec.rows {
        let is_b = rng.bernoulli(spec.group_b_share);
        for v in u.iter_mut() {
            *v = rng.normal();
        }
        let w = if is_b { &w_b } else { &w_a };
        let merit: f64 = w.iter().zip(&u).map(|(a, b)| a * b).sum();
        let latent = merit + spec.label_noise * rng.normal();
        let true_label = latent > if is_b { cut_b } else { cut_a };
        let flipped = is_b && true_label && rng.bernoulli(spec.label_flip);
        let label = true_label && !flipped;
        let noise = if is_b { spec.noise_b } else { spec.noise_a };
        for v in &u {
            let x = v + noise * rng.normal();
            // Three decimals, and never "-0.000" (it would read as a different text than "0.000").
            let x = libm::round(x * 1000.0) / 1000.0;
            let _ = write!(out, "{:.3},", if x == 0.0 { 0.0 } else { x });
        }
        let own = rng.bernoulli(spec.proxy_strength);
        let zip = if own { rng.below(5) + if is_b { 5 } else { 0 } } else { rng.below(10) };
        let _ = writeln!(out, "Z{:02},{},{}", zip + 1, if is_b { "B" } else { "A" }, u8::from(label));
        truth.push(true_label);
    }
    Ok((out, truth))
}

/// Generates the table and the true labels.
///
/// # Errors
/// A control out of range; or (with more than 60 million cells) the reader's size cap.
pub fn generate_with_truth(spec: &SynthSpec) -> Result<Synthetic, SynthError> {
    let (csv, true_label) = to_csv(spec)?;
    let table = read_csv(csv.as_bytes(), IngestOptions::default())?.table;
    Ok(Synthetic { table, true_label })
}

/// Generates the table (the shape an upload of the same CSV would give).
///
/// # Errors
/// As [`generate_with_truth`].
pub fn generate(spec: &SynthSpec) -> Result<Table, SynthError> {
    generate_with_truth(spec).map(|s| s.table)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::table::ColumnKind;

    #[test]
    fn quantile_inverts_the_cdf() {
        for p in [0.01, 0.2, 0.5, 0.6, 0.975] {
            assert!((normal_cdf(normal_quantile(p)) - p).abs() < 1e-10, "{p}");
        }
        // Φ⁻¹(0.975) = 1.959963985 (tables).
        assert!((normal_quantile(0.975) - 1.959_963_985).abs() < 1e-8);
    }

    #[test]
    fn shape_types_and_seeding() {
        let spec = SynthSpec { rows: 300, ..BASELINE };
        let t = generate(&spec).unwrap();
        assert_eq!(t.names(), vec!["x1", "x2", "x3", "x4", "zip_code", "group", "label"]);
        assert_eq!(t.n_rows, 300);
        assert_eq!(t.column("x1").unwrap().kind, ColumnKind::Numeric);
        assert_eq!(t.column("zip_code").unwrap().kind, ColumnKind::Categorical);
        assert_eq!(t.column("label").unwrap().kind, ColumnKind::Boolean);
        assert_eq!(t, generate(&spec).unwrap());
        assert_ne!(t, generate(&SynthSpec { seed: 7, ..spec.clone() }).unwrap());
        assert!(t.columns.iter().all(|c| c.missing == 0));
    }

    #[test]
    fn base_rates_group_shares_and_label_flips_follow_the_controls() {
        let spec = SynthSpec { rows: 40_000, group_b_share: 0.3, base_rate_gap: 0.2, label_flip: 0.5, ..BASELINE };
        let s = generate_with_truth(&spec).unwrap();
        let g = s.table.column("group").unwrap();
        let y = s.table.column("label").unwrap();
        let (mut n_b, mut true_b, mut true_a, mut obs_b) = (0.0f64, 0.0f64, 0.0f64, 0.0f64);
        for r in 0..s.table.n_rows {
            let b = g.text(r).as_deref() == Some("B");
            let label = y.text(r).as_deref() == Some("1");
            if b {
                n_b += 1.0;
                true_b += f64::from(u8::from(s.true_label[r]));
                obs_b += f64::from(u8::from(label));
            } else {
                true_a += f64::from(u8::from(s.true_label[r]));
                assert_eq!(label, s.true_label[r], "group A's labels are never flipped");
            }
        }
        let n_a = 40_000.0 - n_b;
        assert!((n_b / 40_000.0 - 0.3).abs() < 0.01);
        assert!((true_a / n_a - 0.4).abs() < 0.012, "{}", true_a / n_a);
        assert!((true_b / n_b - 0.2).abs() < 0.012, "{}", true_b / n_b);
        assert!((obs_b / true_b - 0.5).abs() < 0.03, "half of B's positives survive");
    }

    #[test]
    fn out_of_range_controls_are_refused() {
        assert_eq!(generate(&SynthSpec { rows: 0, ..BASELINE }), Err(SynthError::Rows(0)));
        assert!(matches!(
            generate(&SynthSpec { label_flip: f64::NAN, ..BASELINE }),
            Err(SynthError::OutOfRange { name: "label_flip", .. })
        ));
        assert!(matches!(
            generate(&SynthSpec { base_rate: 0.3, base_rate_gap: 0.5, ..BASELINE }),
            Err(SynthError::OutOfRange { name: "base_rate_gap", .. })
        ));
        let err = SynthSpec { features: 0, ..BASELINE }.validate().unwrap_err();
        assert!(err.to_string().contains("between 1 and 100; 0"), "{err}");
    }

    #[test]
    fn presets_are_valid_and_unique() {
        for p in PRESETS {
            p.spec.validate().unwrap();
            assert_eq!(preset(p.id), Some(p));
        }
        assert_eq!(PRESETS.len(), 6);
    }
}
