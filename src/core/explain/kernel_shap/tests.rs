use super::*;
use crate::core::encode::EncoderSpec;
use crate::core::explain::tests_support::brute_force_shapley;
use crate::core::models::logistic::sigmoid;
use crate::core::models::{naive_bayes, NaiveBayesParams};
use crate::core::roles::tests::{cat, num, table};
use crate::core::table::Table;
use ndarray::Array2;

fn numeric_table(m: usize, n: usize, seed: u64) -> (Table, Encoder) {
    let mut rng = Rng::new(seed);
    let cols = (0..m).map(|j| num(&format!("x{j}"), &(0..n).map(|_| rng.normal()).collect::<Vec<_>>())).collect();
    let t = table(cols);
    let rows: Vec<usize> = (0..n).collect();
    let e = Encoder::fit(&t, &(0..m).collect::<Vec<_>>(), &rows, &EncoderSpec::default()).unwrap();
    (t, e)
}

/// A model with an interaction, so Shapley values are not a plain linear split.
fn nonlinear(rows: ArrayView2<f64>) -> Vec<f64> {
    rows.rows()
        .into_iter()
        .map(|r| {
            let lin: f64 = r
                .iter()
                .enumerate()
                .map(|(j, v)| (0.3 + 0.1 * j as f64) * v * if j % 2 == 0 { 1.0 } else { -1.0 })
                .sum();
            sigmoid(lin + 0.8 * r[0] * r[1])
        })
        .collect()
}

#[test]
fn exact_enumeration_equals_shapley_by_permutations() {
    let (t, e) = numeric_table(5, 40, 1);
    let bg = e.encode_rows(&t, &(0..15).collect::<Vec<_>>());
    let x: Vec<f64> = e.encode_rows(&t, &[30]).row(0).to_vec();
    let f = |v: ArrayView2<f64>| nonlinear(v);
    let mut c = Coalitions::new(&e, &x, bg.view(), &f);
    let (base, fx, phi) = exact(&mut c);
    let brute = brute_force_shapley(&e, &x, bg.view(), &|a: &Array2<f64>| nonlinear(a.view()));
    for (p, b) in phi.iter().zip(&brute) {
        assert!((p - b).abs() < 1e-12, "{p} vs {b}");
    }
    assert!((base + phi.iter().sum::<f64>() - fx).abs() < 1e-12);
    assert!((fx - nonlinear(ndarray::ArrayView2::from_shape((1, 5), &x).unwrap())[0]).abs() < 1e-15);
}

#[test]
fn naive_bayes_exact_shap_with_one_hot_features_equals_brute_force() {
    let mut rng = Rng::new(4);
    let n = 200;
    let a: Vec<f64> = (0..n).map(|_| rng.normal()).collect();
    let g: Vec<&str> = (0..n).map(|_| ["p", "q", "r"][rng.index(3)]).collect();
    let y: Vec<bool> = (0..n).map(|i| a[i] + if g[i] == "p" { 1.0 } else { 0.0 } + rng.normal() > 0.5).collect();
    let t = table(vec![num("a", &a), cat("g", &g)]);
    let rows: Vec<usize> = (0..n).collect();
    let e = Encoder::fit(&t, &[0, 1], &rows, &EncoderSpec::default()).unwrap();
    let xm = e.encode_rows(&t, &rows);
    let model = FittedModel::NaiveBayes(naive_bayes::fit(xm.view(), &y, &NaiveBayesParams::default()).unwrap());
    let bg = e.encode_rows(&t, &(0..50).collect::<Vec<_>>());
    let cells = e.cells_of_row(&t, 120);
    let ex = kernel_shap(&e, &model, &cells, bg.view(), 2048, 42).unwrap();
    assert!(ex.exact && ex.coalitions == Some(4));
    let x: Vec<f64> = xm.row(120).to_vec();
    let brute = brute_force_shapley(&e, &x, bg.view(), &|m: &Array2<f64>| model.score(m.view()));
    for (v, b) in ex.values.iter().zip(&brute) {
        assert!((v.shap - b).abs() < 1e-12);
    }
    assert!(ex.additivity_gap().abs() < 1e-12);
}

#[test]
fn coalition_choice_covers_everything_when_the_budget_allows() {
    let mut rng = Rng::new(1);
    // M = 4: sizes 1 (with complements, 8 masks) and 2 (6 masks): all 2^4 − 2.
    let (masks, weights) = choose_coalitions(4, 100, &mut rng);
    assert_eq!(masks.len(), 14);
    let mut distinct = masks.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), 14);
    assert!((weights.iter().sum::<f64>() - 1.0).abs() < 1e-12, "normalised kernel weights");
    // A tight budget: size 1 fully (2·14 masks), the rest sampled, total = budget.
    let (masks, weights) = choose_coalitions(14, 200, &mut rng);
    assert_eq!(masks.len(), 200);
    assert!((weights.iter().sum::<f64>() - 1.0).abs() < 1e-9);
}

#[test]
fn full_budget_sampling_is_exact_and_small_budget_is_close() {
    // With every coalition in the budget the weighted regression recovers exact values.
    let (t, e) = numeric_table(6, 60, 2);
    let bg = e.encode_rows(&t, &(0..20).collect::<Vec<_>>());
    let x: Vec<f64> = e.encode_rows(&t, &[50]).row(0).to_vec();
    let f = |v: ArrayView2<f64>| nonlinear(v);
    let mut c = Coalitions::new(&e, &x, bg.view(), &f);
    let (_, _, exact_phi) = exact(&mut c);
    let (_, _, phi, n) = sampled(&mut c, 1000, &mut Rng::new(3));
    assert_eq!(n, 64);
    for (p, q) in phi.iter().zip(&exact_phi) {
        assert!((p - q).abs() < 1e-9, "{p} vs {q}");
    }

    // 14 features (beyond exact enumeration): 2,048 of 16,382 coalitions.
    let (t, e) = numeric_table(14, 60, 5);
    let bg = e.encode_rows(&t, &(0..20).collect::<Vec<_>>());
    let x: Vec<f64> = e.encode_rows(&t, &[55]).row(0).to_vec();
    let mut c = Coalitions::new(&e, &x, bg.view(), &f);
    let (base, fx, exact_phi) = exact(&mut c);
    let (b2, f2, phi, n) = sampled(&mut c, 2048, &mut Rng::new(9));
    assert_eq!(n, 2050);
    assert!((b2 - base).abs() < 1e-12 && (f2 - fx).abs() < 1e-12);
    assert!((b2 + phi.iter().sum::<f64>() - f2).abs() < 1e-12, "efficiency is exact");
    let scale = exact_phi.iter().fold(0.0f64, |a, v| a.max(v.abs()));
    let worst = phi.iter().zip(&exact_phi).fold(0.0f64, |a, (p, q)| a.max((p - q).abs()));
    assert!(worst < 0.05 * scale, "worst {worst} vs scale {scale}: {phi:?} vs {exact_phi:?}");
    // Same seed, same values.
    let (_, _, again, _) = sampled(&mut c, 2048, &mut Rng::new(9));
    assert_eq!(phi, again);
}

#[test]
fn logistic_shortcut_gives_the_same_coalition_values_as_scoring_rows() {
    let mut rng = Rng::new(8);
    let n = 80;
    let a: Vec<f64> = (0..n).map(|_| rng.normal()).collect();
    let g: Vec<&str> = (0..n).map(|_| ["p", "q", "r"][rng.index(3)]).collect();
    let b: Vec<f64> = (0..n).map(|_| rng.uniform()).collect();
    let t = table(vec![num("a", &a), cat("g", &g), num("b", &b)]);
    let rows: Vec<usize> = (0..n).collect();
    let e = Encoder::fit(&t, &[0, 1, 2], &rows, &EncoderSpec { rare_min_count: 1, ..EncoderSpec::default() }).unwrap();
    let lm = crate::core::models::LogisticModel { intercept: 0.3, coef: vec![1.1, -0.4, 0.2, 0.9, -2.0] };
    let model = FittedModel::Logistic(lm.clone());
    let bg = e.encode_rows(&t, &(0..30).collect::<Vec<_>>());
    let x: Vec<f64> = e.encode_rows(&t, &[70]).row(0).to_vec();
    let f = |v: ArrayView2<f64>| model.score(v);
    let masks: Vec<Vec<bool>> = (0..8usize).map(|s| (0..3).map(|j| s >> j & 1 == 1).collect()).collect();
    let slow = Coalitions::new(&e, &x, bg.view(), &f).values(&masks);
    let fast = Coalitions::new(&e, &x, bg.view(), &f).logistic(&lm).values(&masks);
    for (p, q) in slow.iter().zip(&fast) {
        assert!((p - q).abs() < 1e-14, "{p} vs {q}");
    }
}
