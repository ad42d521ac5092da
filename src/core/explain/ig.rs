//! Integrated gradients (Sundararajan, Taly & Yan 2017) for logistic regression, in closed form.
//!
//! IGₖ(x) = (xₖ − x′ₖ) ∫₀¹ ∂F/∂xₖ (x′ + t(x − x′)) dt along the straight line from the baseline
//! x′ (the background mean of the encoded columns) to x, summed over each original column's
//! encoded columns. For the log-odds F = z(x) = b + β·x the gradient is constant, so
//! IGₖ = βₖ (xₖ − x′ₖ): exactly the linear SHAP values. For the probability F = σ(z) the path
//! is linear in z, and ∫₀¹ σ′(z′ + t(z − z′)) dt = (σ(z) − σ(z′)) / (z − z′) (σ′(z) when z = z′),
//! so IGₖ = βₖ (xₖ − x′ₖ) (σ(z) − σ(z′)) / (z − z′). Completeness: Σ IG = F(x) − F(x′).

use super::shap_linear::{column_means, per_feature};
use super::ShapParams;
use super::{background_matrix, check_cells, values_of, AttributionMethod, ExplainError, OutputSpace, ShapExplanation};
use crate::core::encode::Encoder;
use crate::core::models::logistic::{sigmoid, LogisticModel};
use crate::core::models::FittedModel;
use crate::core::table::{Cell, Table};
use crate::core::train::Trained;

/// Integrated gradients of a logistic model at `cells` from `baseline` (encoded).
pub fn logistic_ig(
    encoder: &Encoder,
    model: &LogisticModel,
    cells: &[Cell],
    baseline: &[f64],
    space: OutputSpace,
) -> ShapExplanation {
    let mut x = vec![0.0; encoder.width];
    encoder.encode_cells_into(cells, &mut x);
    let z = model.log_odds(&x);
    let z0 = model.log_odds(baseline);
    let scale = match space {
        OutputSpace::LogOdds => 1.0,
        OutputSpace::Probability if (z - z0).abs() > 1e-9 => (sigmoid(z) - sigmoid(z0)) / (z - z0),
        OutputSpace::Probability => sigmoid(z) * (1.0 - sigmoid(z)),
    };
    let contrib: Vec<f64> =
        model.coef.iter().zip(x.iter().zip(baseline)).map(|(b, (xk, mk))| scale * b * (xk - mk)).collect();
    let phi = per_feature(encoder, &contrib);
    let (base_value, output) = match space {
        OutputSpace::LogOdds => (z0, z),
        OutputSpace::Probability => (sigmoid(z0), sigmoid(z)),
    };
    ShapExplanation {
        method: AttributionMethod::IntegratedGradients,
        output_space: space,
        base_value,
        output,
        prediction: sigmoid(z),
        values: values_of(encoder, cells, &phi),
        background_rows: 0,
        coalitions: None,
        exact: true,
    }
}

/// Integrated gradients of the trained logistic model at `cells`, from the mean of a seeded
/// background sample of `params.background` training rows, in `space`.
///
/// # Errors
/// The model is not logistic regression, a wrong number of cells, or an empty background.
pub fn integrated_gradients(
    table: &Table,
    trained: &Trained,
    cells: &[Cell],
    params: &ShapParams,
    space: OutputSpace,
) -> Result<ShapExplanation, ExplainError> {
    check_cells(&trained.encoder, cells)?;
    let FittedModel::Logistic(model) = &trained.model else {
        return Err(ExplainError::NotLogistic(match trained.model {
            FittedModel::Tree(_) => "decision tree",
            FittedModel::GradientBoosting(_) => "gradient-boosted tree model",
            FittedModel::RandomForest(_) => "random forest",
            FittedModel::Knn(_) => "k-nearest-neighbours model",
            FittedModel::Scoring(_) => "mitigated variant",
            _ => "naive Bayes model",
        }));
    };
    let bg = background_matrix(table, trained, params.background, params.seed)?;
    let mut e = logistic_ig(&trained.encoder, model, cells, &column_means(bg.view()), space);
    e.background_rows = bg.nrows();
    Ok(e)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::encode::EncoderSpec;
    use crate::core::explain::shap_linear::linear_shap;
    use crate::core::roles::tests::{cat, num, table};

    #[test]
    fn equals_linear_shap_in_log_odds_and_a_riemann_sum_in_probability() {
        let t = table(vec![num("x", &[1.0, 2.0, 3.0, 4.0, 9.0]), cat("c", &["a", "b", "a", "b", "b"])]);
        let e =
            Encoder::fit(&t, &[0, 1], &[0, 1, 2, 3, 4], &EncoderSpec { rare_min_count: 1, ..EncoderSpec::default() })
                .unwrap();
        let m = LogisticModel { intercept: 0.2, coef: vec![1.5, -0.7, 0.9] };
        let bg = e.encode_rows(&t, &[0, 1, 2, 3]);
        let base = column_means(bg.view());
        let cells = e.cells_of_row(&t, 4);
        let ig = logistic_ig(&e, &m, &cells, &base, OutputSpace::LogOdds);
        let shap = linear_shap(&e, &m, &cells, bg.view());
        for (a, b) in ig.values.iter().zip(&shap.values) {
            assert!((a.shap - b.shap).abs() < 1e-12);
        }
        // Probability space: a midpoint Riemann sum of the gradient σ′(z)·β along the path.
        let p = logistic_ig(&e, &m, &cells, &base, OutputSpace::Probability);
        assert!(p.additivity_gap().abs() < 1e-12);
        let mut x = vec![0.0; e.width];
        e.encode_cells_into(&cells, &mut x);
        let steps = 20_000;
        let mut acc = vec![0.0; e.width];
        for s in 0..steps {
            let t = (s as f64 + 0.5) / steps as f64;
            let pt: Vec<f64> = base.iter().zip(&x).map(|(b, v)| b + t * (v - b)).collect();
            let sg = sigmoid(m.log_odds(&pt));
            for (k, a) in acc.iter_mut().enumerate() {
                *a += sg * (1.0 - sg) * m.coef[k] / steps as f64;
            }
        }
        let per_col: Vec<f64> = acc.iter().zip(x.iter().zip(&base)).map(|(g, (v, b))| g * (v - b)).collect();
        let riemann = per_feature(&e, &per_col);
        for (a, r) in p.values.iter().zip(&riemann) {
            assert!((a.shap - r).abs() < 1e-7, "{} vs {r}", a.shap);
        }
    }
}
