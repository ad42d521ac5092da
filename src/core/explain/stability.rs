//! A stability meter for LIME. LIME's explanation depends on its random samples, and reruns
//! can disagree (Alvarez-Melis & Jaakkola 2018, "On the robustness of interpretability
//! methods"; Visani et al. 2022, "Statistical stability indices for LIME"). The meter reruns
//! LIME k times with seeds `seed, seed + 1, …, seed + k − 1` (each run is reproducible as a
//! plain LIME call with its seed) and reports each feature's mean weight and spread, how often
//! the selected top-K sets agree (mean pairwise Jaccard index |A ∩ B| / |A ∪ B|), the spread
//! of R² and of the local prediction, and a verdict in plain words.

use super::lime::{LimeExplainer, LimeExplanation, LimeParams};
use super::{BlackBox, ExplainError};
use crate::core::table::Cell;
use serde::{Deserialize, Serialize};

/// Mean, standard deviation (population), minimum and maximum of a quantity over the runs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Spread {
    pub mean: f64,
    pub std: f64,
    pub min: f64,
    pub max: f64,
}

impl Spread {
    /// The spread of `values` (`None` when empty).
    pub fn of(values: &[f64]) -> Option<Self> {
        if values.is_empty() {
            return None;
        }
        let n = values.len() as f64;
        let mean = values.iter().sum::<f64>() / n;
        let std = libm::sqrt(values.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n);
        let min = values.iter().copied().fold(f64::INFINITY, f64::min);
        let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        Some(Self { mean, std, min, max })
    }
}

/// One feature across the runs. A run that did not select the feature counts as weight 0.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FeatureStability {
    pub feature: String,
    pub condition: String,
    pub weight: Spread,
    /// In how many runs the feature was among the selected K.
    pub selected_in: usize,
    /// True when the weight was positive in some runs and negative in others.
    pub sign_flips: bool,
}

/// How trustworthy the explanation looks across reruns.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StabilityLevel {
    Stable,
    Shaky,
    Unstable,
}

/// The stability meter's reading.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LimeStability {
    pub runs: usize,
    /// The seed of each run.
    pub seeds: Vec<u64>,
    /// Sorted by |mean weight|, largest first.
    pub features: Vec<FeatureStability>,
    /// Mean and minimum pairwise Jaccard index of the selected feature sets.
    pub jaccard_mean: f64,
    pub jaccard_min: f64,
    /// Spread of the weighted R² over the runs where it is defined (`None` if in none).
    pub r2: Option<Spread>,
    pub local_prediction: Spread,
    pub level: StabilityLevel,
    /// One or two sentences for a student.
    pub verdict: String,
    /// The individual runs.
    pub explanations: Vec<LimeExplanation>,
}

fn jaccard(a: &[usize], b: &[usize]) -> f64 {
    let inter = a.iter().filter(|x| b.contains(x)).count();
    let union = a.len() + b.len() - inter;
    if union == 0 {
        1.0
    } else {
        inter as f64 / union as f64
    }
}

/// Runs LIME `runs` times with seeds `params.seed + k` and summarises the agreement.
///
/// Verdict: *stable* when the top-K sets agree on average (Jaccard ≥ 0.9), no feature among
/// the three largest flips sign and their spread is at most 20 % of their mean; *unstable*
/// when Jaccard < 0.6, a top-3 feature flips sign, or a top-3 spread exceeds half its mean;
/// *shaky* otherwise.
///
/// # Errors
/// Fewer than 2 runs, or any error of [`LimeExplainer::explain`].
pub fn lime_stability(
    explainer: &LimeExplainer,
    black_box: &dyn BlackBox,
    cells: &[Cell],
    params: &LimeParams,
    runs: usize,
) -> Result<LimeStability, ExplainError> {
    if runs < 2 {
        return Err(ExplainError::TooFewRuns(runs));
    }
    let seeds: Vec<u64> = (0..runs as u64).map(|k| params.seed.wrapping_add(k)).collect();
    let explanations = seeds
        .iter()
        .map(|&seed| explainer.explain(black_box, cells, &LimeParams { seed, ..params.clone() }))
        .collect::<Result<Vec<_>, _>>()?;
    let m = explainer.n_features();
    let mut per_feature: Vec<Vec<f64>> = vec![vec![0.0; runs]; m];
    let mut names: Vec<Option<(String, String)>> = vec![None; m];
    let mut sets: Vec<Vec<usize>> = Vec::with_capacity(runs);
    for (r, ex) in explanations.iter().enumerate() {
        sets.push(ex.weights.iter().map(|w| w.feature_index).collect());
        for w in &ex.weights {
            if let Some(slot) = per_feature.get_mut(w.feature_index).and_then(|v| v.get_mut(r)) {
                *slot = w.weight;
            }
            if let Some(n) = names.get_mut(w.feature_index) {
                n.get_or_insert_with(|| (w.feature.clone(), w.condition.clone()));
            }
        }
    }
    let mut features: Vec<FeatureStability> = names
        .into_iter()
        .zip(&per_feature)
        .enumerate()
        .filter_map(|(j, (name, ws))| {
            let (feature, condition) = name?;
            Some(FeatureStability {
                feature,
                condition,
                weight: Spread::of(ws)?,
                selected_in: sets.iter().filter(|s| s.contains(&j)).count(),
                sign_flips: ws.iter().any(|w| *w > 0.0) && ws.iter().any(|w| *w < 0.0),
            })
        })
        .collect();
    features.sort_by(|a, b| b.weight.mean.abs().total_cmp(&a.weight.mean.abs()));
    let mut pairs = Vec::new();
    for (i, a) in sets.iter().enumerate() {
        for b in sets.iter().skip(i + 1) {
            pairs.push(jaccard(a, b));
        }
    }
    let jaccard_mean = pairs.iter().sum::<f64>() / pairs.len().max(1) as f64;
    let jaccard_min = pairs.iter().copied().fold(1.0, f64::min);
    let r2s: Vec<f64> = explanations.iter().filter_map(|e| e.r2).collect();
    let locals: Vec<f64> = explanations.iter().map(|e| e.local_prediction).collect();
    let local_prediction = Spread::of(&locals).unwrap_or(Spread { mean: 0.0, std: 0.0, min: 0.0, max: 0.0 });
    let (level, verdict) = verdict(&features, jaccard_mean, runs);
    Ok(LimeStability {
        runs,
        seeds,
        features,
        jaccard_mean,
        jaccard_min,
        r2: Spread::of(&r2s),
        local_prediction,
        level,
        verdict,
        explanations,
    })
}

fn verdict(features: &[FeatureStability], jaccard_mean: f64, runs: usize) -> (StabilityLevel, String) {
    let top: Vec<&FeatureStability> = features.iter().take(3).collect();
    let flips: Vec<&str> = top.iter().filter(|f| f.sign_flips).map(|f| f.condition.as_str()).collect();
    let rel = |f: &&FeatureStability| if f.weight.mean == 0.0 { 0.0 } else { f.weight.std / f.weight.mean.abs() };
    let worst = top.iter().map(rel).fold(0.0, f64::max);
    let agree =
        format!("the selected features agree {:.0} % of the time across {runs} runs (Jaccard)", 100.0 * jaccard_mean);
    if !flips.is_empty() {
        return (
            StabilityLevel::Unstable,
            format!(
                "Unstable: {} changes sign between runs, and {agree}. Do not read this explanation as fact; use more samples or SHAP.",
                flips.join(", ")
            ),
        );
    }
    if jaccard_mean < 0.6 || worst > 0.5 {
        return (
            StabilityLevel::Unstable,
            format!(
                "Unstable: {agree}, and the largest weights vary by up to {:.0} % of their size. Try more samples or fewer features.",
                100.0 * worst
            ),
        );
    }
    if jaccard_mean >= 0.9 && worst <= 0.2 {
        return (
            StabilityLevel::Stable,
            format!("Stable: {agree}, and the three largest weights vary by at most {:.0} %.", 100.0 * worst),
        );
    }
    (
        StabilityLevel::Shaky,
        format!(
            "Somewhat stable: {agree}; the largest weights vary by up to {:.0} %. Trust the top features' direction more than their exact size.",
            100.0 * worst
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::encode::{Encoder, EncoderSpec};
    use crate::core::explain::lime::tests::{num_of, FnBox};
    use crate::core::rng::Rng;
    use crate::core::roles::tests::{num, table};

    #[test]
    fn jaccard_is_overlap_over_union() {
        assert_eq!(jaccard(&[1, 2, 3], &[2, 3, 4]), 0.5);
        assert_eq!(jaccard(&[], &[]), 1.0);
    }

    #[test]
    fn a_clear_signal_is_stable_and_pure_noise_features_are_not() {
        let mut rng = Rng::new(2);
        let n = 300;
        let cols: Vec<_> =
            (0..6).map(|j| num(&format!("x{j}"), &(0..n).map(|_| rng.normal()).collect::<Vec<_>>())).collect();
        let t = table(cols);
        let rows: Vec<usize> = (0..n).collect();
        let e = Encoder::fit(&t, &(0..6).collect::<Vec<_>>(), &rows, &EncoderSpec::default()).unwrap();
        let lx = LimeExplainer::fit(&t, &e, &rows).unwrap();
        let cells: Vec<Cell> = (0..6).map(|_| Cell::Num(1.5)).collect();
        // Strong effects of x0 and x1 only: K = 2 should pick them every time.
        let clear = FnBox { m: 6, f: |r: &[Cell]| 0.5 + 0.3 * num_of(&r[0]) - 0.2 * num_of(&r[1]) };
        let p = LimeParams { num_samples: 1000, num_features: 2, ..LimeParams::default() };
        let s = lime_stability(&lx, &clear, &cells, &p, 5).unwrap();
        assert_eq!(s.level, StabilityLevel::Stable, "{}", s.verdict);
        assert_eq!(s.jaccard_mean, 1.0);
        assert_eq!(s.seeds, vec![42, 43, 44, 45, 46]);
        assert_eq!(s.features[0].feature, "x0");
        assert_eq!(s.explanations[2], lx.explain(&clear, &cells, &LimeParams { seed: 44, ..p.clone() }).unwrap());
        // No signal at all, K = 2 of 6: which features win is down to the samples.
        let noise = FnBox { m: 6, f: |r: &[Cell]| 0.5 + 1e-3 * (num_of(&r[0]) * 1e3).sin() };
        let s = lime_stability(&lx, &noise, &cells, &p, 5).unwrap();
        assert_eq!(s.level, StabilityLevel::Unstable, "{}", s.verdict);
        assert!(matches!(lime_stability(&lx, &clear, &cells, &p, 1), Err(ExplainError::TooFewRuns(1))));
    }
}
