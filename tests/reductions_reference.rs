//! The reductions (exponentiated gradient, grid search; `core::mitigation::reductions`) against
//! Fairlearn 0.15, from tests/fixtures/reductions/make_reductions.py:
//! - small.csv / small.json: scikit-learn's logistic regression solved to machine precision
//!   (`newton-cholesky`, tol 1e-12) as the base learner, the same function as ours, so the
//!   algorithm's path is compared step by step for every constraint: the multipliers of every
//!   iteration, the iterations, the predictors (coefficients), their weights and the expected
//!   decision per row; grid search's multipliers, each grid model's error and violation, the
//!   model chosen.
//! - adult.json / compas_sex.json: Fairlearn with the default `LogisticRegression()` on
//!   scikit-learn's split; ours (our encoder keeping every category, as scikit-learn's one-hot
//!   encoder does, and our Newton-solved logistic regression) must reach
//!   a test disparity of the expected decision within Fairlearn's + 0.01 (one measured
//!   exception, see below) and an expected accuracy within Fairlearn's − 0.005; against Fairlearn
//!   with the exact learner on the same matrix (COMPAS), the same accuracy and disparity to 1e-9;
//!   grid search's multipliers equal Fairlearn's.
// Test code: clippy.toml frees #[test] functions, not the helpers beside them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use fairground::core::encode::{Encoder, EncoderSpec};
use fairground::core::ingest::{read_csv, IngestOptions};
use fairground::core::mitigation::reductions::exp_gradient::{self, ExpGradientParams};
use fairground::core::mitigation::reductions::grid_search::{self, GridSearchParams};
use fairground::core::mitigation::reductions::{Constraint, Predictor};
use fairground::core::models::{FittedModel, ModelSpec};
use fairground::core::roles::{code_groups, prepare, Binning, PositiveRule, Roles, SensitiveSpec};
use ndarray::Array2;
use serde_json::Value;

/// Coefficients of a best response: our Newton's method stops once the Newton decrement is
/// below 1e-12 per unit of row weight, which leaves up to a few 1e-6 (relative) in the
/// coefficients where scikit-learn's `newton-cholesky` at tol 1e-12 goes on to 1e-13; the
/// decisions, and so the whole path, are the same.
const COEF_TOL: f64 = 1e-4;

fn path(rel: &str) -> String {
    format!("{}/{rel}", env!("CARGO_MANIFEST_DIR"))
}

fn json(rel: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path(rel)).unwrap()).unwrap()
}

fn floats(v: &Value) -> Vec<f64> {
    v.as_array().unwrap().iter().map(|x| x.as_f64().unwrap()).collect()
}

struct Small {
    x: Array2<f64>,
    y: Vec<bool>,
    groups: Vec<u32>,
    names: Vec<String>,
}

fn small() -> Small {
    let mut reader = csv::Reader::from_path(path("tests/fixtures/reductions/small.csv")).unwrap();
    let (mut rows, mut y, mut g) = (vec![], vec![], vec![]);
    for rec in reader.records() {
        let rec = rec.unwrap();
        for j in 0..3 {
            rows.push(rec[j].parse::<f64>().unwrap());
        }
        g.push(rec[3].to_string());
        y.push(&rec[4] == "1");
    }
    let groups = code_groups(&g);
    Small { x: Array2::from_shape_vec((y.len(), 3), rows).unwrap(), y, groups: groups.codes, names: groups.names }
}

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol * b.abs().max(1.0)
}

fn assert_all_close(what: &str, ours: &[f64], theirs: &[f64], tol: f64) {
    assert_eq!(ours.len(), theirs.len(), "{what}: lengths {ours:?} vs {theirs:?}");
    for (i, (a, b)) in ours.iter().zip(theirs).enumerate() {
        assert!(close(*a, *b, tol), "{what}[{i}]: ours {a} vs Fairlearn's {b}\nours {ours:?}\ntheirs {theirs:?}");
    }
}

fn assert_predictor(what: &str, ours: &Predictor, theirs: &Value, tol: f64) {
    match ours {
        Predictor::Constant(v) => assert_eq!(theirs["constant"].as_i64(), Some(i64::from(*v)), "{what}: {theirs}"),
        Predictor::Model(FittedModel::Logistic(m)) => {
            assert!(close(m.intercept, theirs["intercept"].as_f64().unwrap(), tol), "{what}: {m:?} vs {theirs}");
            assert_all_close(what, &m.coef, &floats(&theirs["coef"]), tol);
        }
        other => panic!("{what}: unexpected {other:?}"),
    }
}

fn keys(index: &[fairground::core::mitigation::reductions::ConstraintKey]) -> Vec<Vec<String>> {
    index.iter().map(|k| vec![k.sign.clone(), k.event.clone(), k.group.clone()]).collect()
}

fn their_keys(v: &Value) -> Vec<Vec<String>> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|k| k.as_array().unwrap().iter().map(|s| s.as_str().unwrap().to_string()).collect())
        .collect()
}

/// The exponentiated gradient's whole path equals Fairlearn's, for each constraint, with and
/// without the linear-program step.
#[test]
fn exponentiated_gradient_follows_fairlearn_step_by_step() {
    let s = small();
    let fx = json("tests/fixtures/reductions/small.json");
    for name in Constraint::NAMES {
        let constraint = Constraint::from_name(name).unwrap();
        for (key, lp) in [("eg_no_lp", false), ("eg", true)] {
            let theirs = &fx["constraints"][name][key];
            let params = ExpGradientParams { run_linprog_step: lp, ..ExpGradientParams::new(constraint) };
            let eg =
                exp_gradient::fit(&ModelSpec::default(), &params, s.x.view(), &s.y, &s.groups, &s.names, &mut |_| true)
                    .unwrap();
            let what = format!("{name}/{key}");
            assert_eq!(keys(&eg.index), their_keys(&fx["constraints"][name]["index"]), "{what}");
            assert!(close(eg.nu, theirs["nu"].as_f64().unwrap(), 1e-12), "{what}: nu {}", eg.nu);
            let lambdas = theirs["lambda_vecs_eg"].as_array().unwrap();
            assert_eq!(eg.lambda_vecs.len(), lambdas.len(), "{what}: iterations");
            for (t, (ours, l)) in eg.lambda_vecs.iter().zip(lambdas).enumerate() {
                assert_all_close(&format!("{what} λ at iteration {t}"), ours, &floats(l), 1e-6);
            }
            assert_eq!(eg.best_iter as u64, theirs["best_iter"].as_u64().unwrap(), "{what}: best_iter");
            assert_eq!(eg.last_iter as u64, theirs["last_iter"].as_u64().unwrap(), "{what}: last_iter");
            assert_eq!(eg.n_oracle_calls as u64, theirs["n_oracle_calls"].as_u64().unwrap(), "{what}: oracle calls");
            assert_all_close(&format!("{what} weights"), &eg.weights, &floats(&theirs["weights"]), 1e-6);
            let preds = theirs["predictors"].as_array().unwrap();
            assert_eq!(eg.predictors.len(), preds.len(), "{what}: predictors");
            for (i, (p, t)) in eg.predictors.iter().zip(preds).enumerate() {
                assert_predictor(&format!("{what} predictor {i}"), p, t, COEF_TOL);
            }
            assert_all_close(&format!("{what} pmf"), &eg.expected_decision(s.x.view()), &floats(&theirs["pmf"]), 1e-6);
        }
    }
}

#[test]
fn grid_search_equals_fairlearn() {
    let s = small();
    let fx = json("tests/fixtures/reductions/small.json");
    for name in Constraint::NAMES {
        let constraint = Constraint::from_name(name).unwrap();
        let theirs = &fx["constraints"][name]["grid"];
        let gs = grid_search::fit(
            &ModelSpec::default(),
            &GridSearchParams::new(constraint),
            s.x.view(),
            &s.y,
            &s.groups,
            &s.names,
            &mut |_, _| true,
        )
        .unwrap();
        assert_eq!(keys(&gs.index), their_keys(&theirs["index"]), "{name}");
        let lambdas = theirs["lambda_vecs"].as_array().unwrap();
        assert_eq!(gs.points.len(), lambdas.len(), "{name}");
        let objectives = floats(&theirs["objectives"]);
        let gammas = floats(&theirs["gamma_max"]);
        for (i, p) in gs.points.iter().enumerate() {
            assert_all_close(&format!("{name} grid λ {i}"), &p.lambda, &floats(&lambdas[i]), 1e-12);
            assert!(close(p.error, objectives[i], 1e-12), "{name} grid {i}: error {} vs {}", p.error, objectives[i]);
            assert!(close(p.violation, gammas[i], 1e-9), "{name} grid {i}: γ {} vs {}", p.violation, gammas[i]);
            assert_predictor(&format!("{name} grid predictor {i}"), &p.predictor, &theirs["predictors"][i], COEF_TOL);
        }
        assert_eq!(gs.best as u64, theirs["best_idx"].as_u64().unwrap(), "{name}: chosen point");
    }
}

struct Case {
    name: &'static str,
    /// Whether both sides encode the same matrix (Adult's `?` cells are missing values to our
    /// reader, imputed with the column's mode, but a category of their own to scikit-learn's
    /// one-hot encoder; COMPAS has none).
    same_matrix: bool,
    csv: &'static str,
    target: &'static str,
    positive: &'static str,
}

/// Our pipeline on scikit-learn's split: the encoded training and test rows, labels, groups.
struct Encoded {
    x_train: Array2<f64>,
    x_test: Array2<f64>,
    y_train: Vec<bool>,
    y_test: Vec<bool>,
    g_train: Vec<u32>,
    g_test: Vec<u32>,
    names: Vec<String>,
}

fn encode(case: &Case) -> Encoded {
    let preds = read_csv(
        &std::fs::read(path(&format!("tests/fixtures/reference/out_{}_preds.csv", case.name))).unwrap(),
        IngestOptions::default(),
    )
    .unwrap()
    .table;
    let c = preds.column("row_index").unwrap();
    let mut test: Vec<usize> = (0..preds.n_rows).map(|r| c.text(r).unwrap().parse::<usize>().unwrap()).collect();
    test.sort_unstable();
    let table = read_csv(&std::fs::read(path(case.csv)).unwrap(), IngestOptions::default()).unwrap().table;
    let roles = Roles {
        sensitive: vec![SensitiveSpec { column: "sex".into(), binning: Binning::None }],
        ..Roles::new(case.target, PositiveRule::Values(vec![case.positive.into()]))
    };
    let prepared = prepare(&table, &roles).unwrap();
    assert_eq!(prepared.dropped_rows, 0);
    let is_test: std::collections::HashSet<usize> = test.iter().copied().collect();
    let train: Vec<usize> = (0..prepared.rows.len()).filter(|i| !is_test.contains(i)).collect();
    // scikit-learn's one-hot encoder keeps every category: so does ours here (no merging of rare
    // ones), so both sides see the same matrix and only the solvers differ.
    let spec = EncoderSpec { rare_min_count: 1, max_levels: 100_000 };
    let encoder = Encoder::fit(&table, &prepared.feature_columns, &train, &spec).unwrap();
    let pick = |rows: &[usize], v: &[bool]| rows.iter().map(|&r| v[r]).collect::<Vec<bool>>();
    let pick_g = |rows: &[usize]| rows.iter().map(|&r| prepared.groups.codes[r]).collect::<Vec<u32>>();
    Encoded {
        x_train: encoder.encode_rows(&table, &train),
        x_test: encoder.encode_rows(&table, &test),
        y_train: pick(&train, &prepared.y),
        y_test: pick(&test, &prepared.y),
        g_train: pick_g(&train),
        g_test: pick_g(&test),
        names: prepared.groups.names.clone(),
    }
}

/// Fairlearn's difference between groups of the expected decision `p` for a constraint.
fn disparity(constraint: Constraint, p: &[f64], y: &[bool], g: &[u32], n_groups: usize) -> f64 {
    let mean = |keep: &dyn Fn(usize) -> bool, value: &dyn Fn(usize) -> f64| -> Vec<f64> {
        (0..n_groups as u32)
            .filter_map(|grp| {
                let rows: Vec<usize> = (0..p.len()).filter(|&i| g[i] == grp && keep(i)).collect();
                (!rows.is_empty()).then(|| rows.iter().map(|&i| value(i)).sum::<f64>() / rows.len() as f64)
            })
            .collect()
    };
    let spread = |v: Vec<f64>| {
        v.iter().copied().fold(f64::NEG_INFINITY, f64::max) - v.iter().copied().fold(f64::INFINITY, f64::min)
    };
    let sel = || spread(mean(&|_| true, &|i| p[i]));
    let tpr = || spread(mean(&|i| y[i], &|i| p[i]));
    let fpr = || spread(mean(&|i| !y[i], &|i| p[i]));
    match constraint {
        Constraint::DemographicParity => sel(),
        Constraint::EqualizedOdds => tpr().max(fpr()),
        Constraint::EqualOpportunity => tpr(),
        Constraint::FalsePositiveRateParity => fpr(),
        Constraint::ErrorRateParity => spread(mean(&|_| true, &|i| if y[i] { 1.0 - p[i] } else { p[i] })),
    }
}

fn matches_fairlearn_on(case: &Case) {
    let fx = json(&format!("tests/fixtures/reductions/{}.json", case.name));
    let e = encode(case);
    for (name, theirs) in fx["constraints"].as_object().unwrap() {
        let constraint = Constraint::from_name(name).unwrap();
        let eg = exp_gradient::fit(
            &ModelSpec::default(),
            &ExpGradientParams::new(constraint),
            e.x_train.view(),
            &e.y_train,
            &e.g_train,
            &e.names,
            &mut |_| true,
        )
        .unwrap();
        let p = eg.expected_decision(e.x_test.view());
        let accuracy =
            p.iter().zip(&e.y_test).map(|(p, y)| if *y { *p } else { 1.0 - p }).sum::<f64>() / p.len() as f64;
        let disp = disparity(constraint, &p, &e.y_test, &e.g_test, e.names.len());
        let (their_acc, their_disp) =
            (theirs["test_accuracy"].as_f64().unwrap(), theirs["test_disparity"].as_f64().unwrap());
        eprintln!(
            "{} {name}: accuracy {accuracy:.4} (Fairlearn {their_acc:.4}), disparity {disp:.4} (Fairlearn {their_disp:.4}), {} predictors, {} oracle calls",
            case.name,
            eg.predictors.len(),
            eg.n_oracle_calls
        );
        // Fairlearn with scikit-learn's logistic regression solved to machine precision (the same
        // function as ours): the same randomised classifier, so the same numbers.
        let exact = &theirs["exact_learner"];
        eprintln!(
            "  Fairlearn with the exact learner: accuracy {}, disparity {}",
            exact["test_accuracy"], exact["test_disparity"]
        );
        if case.same_matrix {
            let (exact_acc, exact_disp) =
                (exact["test_accuracy"].as_f64().unwrap(), exact["test_disparity"].as_f64().unwrap());
            assert!(close(accuracy, exact_acc, 1e-9), "{} {name}: accuracy {accuracy} vs {exact_acc}", case.name);
            assert!(close(disp, exact_disp, 1e-9), "{} {name}: disparity {disp} vs {exact_disp}", case.name);
            assert_eq!(eg.predictors.len() as u64, exact["n_predictors"].as_u64().unwrap(), "{} {name}", case.name);
            assert_eq!(eg.n_oracle_calls as u64, exact["n_oracle_calls"].as_u64().unwrap(), "{} {name}", case.name);
        }
        // Against Fairlearn with the default LogisticRegression() (lbfgs, tol 1e-4), the issue's
        // bounds: accuracy within − 0.005, disparity within + 0.01. One measured exception:
        // COMPAS under equalized odds, 0.0877 against 0.0763 (+ 0.0113), where Fairlearn itself
        // gives 0.0877 with the exact learner (checked just above): lbfgs stopping early leads
        // the game elsewhere, not a difference of the algorithm.
        let disparity_bound = if (case.name, name.as_str()) == ("compas_sex", "equalized_odds") { 0.012 } else { 0.01 };
        assert!(accuracy >= their_acc - 0.005, "{} {name}: accuracy {accuracy} vs Fairlearn's {their_acc}", case.name);
        assert!(
            disp <= their_disp + disparity_bound,
            "{} {name}: disparity {disp} vs Fairlearn's {their_disp}",
            case.name
        );
        let (index, grid) =
            grid_search::grid(&GridSearchParams::new(constraint), &e.y_train, &e.g_train, &e.names).unwrap();
        assert_eq!(keys(&index), their_keys(&theirs["grid_index"]), "{} {name}", case.name);
        let their_grid = theirs["grid"].as_array().unwrap();
        assert_eq!(grid.len(), their_grid.len());
        for (i, (a, b)) in grid.iter().zip(their_grid).enumerate() {
            assert_all_close(&format!("{} {name} grid {i}", case.name), a, &floats(b), 1e-12);
        }
    }
}

#[test]
fn exponentiated_gradient_on_compas_is_as_fair_and_accurate_as_fairlearns() {
    matches_fairlearn_on(&Case {
        name: "compas_sex",
        same_matrix: true,
        csv: "tests/fixtures/reference/compas_features.csv",
        target: "two_year_recid",
        positive: "1",
    });
}

#[test]
fn exponentiated_gradient_on_adult_is_as_fair_and_accurate_as_fairlearns() {
    matches_fairlearn_on(&Case {
        name: "adult",
        same_matrix: false,
        csv: "static/data/adult.csv",
        target: "income-per-year",
        positive: ">50K",
    });
}
