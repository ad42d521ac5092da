//! Exact SHAP values of logistic regression in log-odds space (Lundberg & Lee 2017; the
//! `shap` package's `LinearExplainer` with interventional feature perturbation).
//!
//! The log-odds z(x) = b + Σₖ βₖ xₖ are linear in the encoded columns, so the interventional
//! value function v(S) = E_background[z(x_S, X_S̄)] is linear too and its Shapley values have a
//! closed form: feature f gets φ_f = Σ_{k ∈ f} βₖ (xₖ − x̄ₖ), summed over the encoded columns of
//! the original column f (a one-hot group counts once), where x̄ is the background mean. The
//! base value is z(x̄) and base + Σ φ = z(x) exactly.

use super::{values_of, AttributionMethod, OutputSpace, ShapExplanation};
use crate::core::encode::Encoder;
use crate::core::models::logistic::{sigmoid, LogisticModel};
use crate::core::table::Cell;
use ndarray::ArrayView2;

/// The mean of each encoded column over the background rows.
pub(crate) fn column_means(bg: ArrayView2<f64>) -> Vec<f64> {
    let n = bg.nrows().max(1) as f64;
    bg.columns().into_iter().map(|c| c.sum() / n).collect()
}

/// Per-feature sums of `per_column` over each feature's encoded columns.
pub(crate) fn per_feature(encoder: &Encoder, per_column: &[f64]) -> Vec<f64> {
    encoder
        .features
        .iter()
        .map(|f| per_column.get(f.offset..f.offset + f.width).map_or(0.0, |s| s.iter().sum()))
        .collect()
}

/// Exact SHAP values of the log-odds at `cells` against the background rows `bg` (encoded).
pub fn linear_shap(encoder: &Encoder, model: &LogisticModel, cells: &[Cell], bg: ArrayView2<f64>) -> ShapExplanation {
    let mut x = vec![0.0; encoder.width];
    encoder.encode_cells_into(cells, &mut x);
    let mean = column_means(bg);
    let contrib: Vec<f64> = model.coef.iter().zip(x.iter().zip(&mean)).map(|(b, (xk, mk))| b * (xk - mk)).collect();
    let phi = per_feature(encoder, &contrib);
    let output = model.log_odds(&x);
    ShapExplanation {
        method: AttributionMethod::Shap,
        output_space: OutputSpace::LogOdds,
        base_value: model.log_odds(&mean),
        output,
        prediction: sigmoid(output),
        values: values_of(encoder, cells, &phi),
        background_rows: bg.nrows(),
        coalitions: None,
        exact: true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::encode::EncoderSpec;
    use crate::core::explain::tests_support::brute_force_shapley;
    use crate::core::roles::tests::{cat, num, table};
    use ndarray::Array2;

    #[test]
    fn closed_form_equals_brute_force_shapley_and_adds_up() {
        let t = table(vec![
            num("x", &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]),
            cat("c", &["a", "b", "c", "a", "b", "a"]),
            num("y", &[0.5, -1.0, 2.0, 0.0, 1.0, 3.0]),
        ]);
        let e = Encoder::fit(
            &t,
            &[0, 1, 2],
            &[0, 1, 2, 3, 4, 5],
            &EncoderSpec { rare_min_count: 1, ..EncoderSpec::default() },
        )
        .unwrap();
        let m = LogisticModel { intercept: -0.3, coef: vec![0.8, 0.5, -0.2, 0.1, -0.6] };
        let bg = e.encode_rows(&t, &[0, 2, 3, 5]);
        let cells = e.cells_of_row(&t, 1);
        let ex = linear_shap(&e, &m, &cells, bg.view());
        assert!(ex.additivity_gap().abs() < 1e-12);
        let mut x = vec![0.0; e.width];
        e.encode_cells_into(&cells, &mut x);
        let f = |rows: &Array2<f64>| rows.rows().into_iter().map(|r| m.log_odds(r.as_slice().unwrap())).collect();
        let brute = brute_force_shapley(&e, &x, bg.view(), &f);
        for (v, b) in ex.values.iter().zip(&brute) {
            assert!((v.shap - b).abs() < 1e-9, "{} vs {b}", v.shap);
        }
        assert_eq!(ex.values[1].value, "b");
        assert_eq!(ex.output_space, OutputSpace::LogOdds);
    }
}
