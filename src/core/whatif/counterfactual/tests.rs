//! Tests of the counterfactual searches (brute force and re-scoring, on synthetic data).

use super::*;
use crate::core::encode::FeatureEncoding;
use crate::core::whatif::{score_cells, testdata};

#[test]
fn smallest_changes_flip_the_decision_and_touch_only_unlocked_features() {
    let (t, tr) = testdata::trained_logistic(800, 5);
    let bank = RowBank::new(&t, &tr);
    let mut spec = MinimalChangeSpec::for_trained(&tr);
    assert_eq!(spec.locked, vec!["g".to_string()], "the sensitive attribute is locked by default");
    spec.locked.push("color".into());
    let mut checked = 0;
    let mut pairs = 0;
    for &row in tr.test_table_rows().iter().take(40) {
        let cells = tr.encoder.cells_of_row(&t, row);
        let r = minimal_change(&tr, &bank, &cells, &spec).unwrap();
        assert!(!r.found.is_empty(), "x alone can always flip this model: {r:?}");
        for cf in &r.found {
            // Re-scored independently: the decision really flips.
            let s = score_cells(&tr, &cf.cells).unwrap();
            assert_eq!(s, cf.score);
            assert_ne!(s >= 0.5, r.original_decision, "{cf:?}");
            assert!((1..=2).contains(&cf.changes.len()));
            for c in &cf.changes {
                assert!(c.column != "g" && c.column != "color", "locked feature changed: {c:?}");
            }
            // Exactly the listed cells differ.
            let differing = cells.iter().zip(&cf.cells).filter(|(a, b)| a != b).count();
            assert_eq!(differing, cf.changes.len());
            // A pair needs both changes: each alone keeps the decision.
            if cf.changes.len() == 2 {
                pairs += 1;
                for c in &cf.changes {
                    let i = tr.encoder.features.iter().position(|f| f.name == c.column).unwrap();
                    let mut one = cells.clone();
                    one[i] = c.to_cell;
                    assert_eq!(score_cells(&tr, &one).unwrap() >= 0.5, r.original_decision);
                }
            }
        }
        assert!(r.found.windows(2).all(|w| w[0].distance <= w[1].distance));
        // The single change of x is the smallest one: brute force over every training value of
        // x (fewer than 1000, so none is thinned out).
        let x_std = match tr.encoder.features[0].encoding {
            FeatureEncoding::Numeric { std, .. } => std,
            _ => unreachable!(),
        };
        let Cell::Num(own_x) = cells[0] else { panic!() };
        let brute = tr
            .train_table_rows()
            .iter()
            .map(|&r| t.columns[0].numeric.as_ref().unwrap()[r])
            .filter(|&v| {
                let mut c = cells.clone();
                c[0] = Cell::Num(v);
                (score_cells(&tr, &c).unwrap() >= 0.5) != r.original_decision
            })
            .map(|v| (v - own_x).abs() / x_std)
            .fold(f64::INFINITY, f64::min);
        let single_x = r.found.iter().find(|cf| cf.changes.len() == 1 && cf.changes[0].column == "x");
        match single_x {
            Some(cf) => assert!((cf.distance - brute).abs() < 1e-12, "{} vs {brute}", cf.distance),
            // Not among the best five: then five nearer ones were found.
            None => assert!(r.found.len() == 5 && r.found.iter().all(|cf| cf.distance <= brute)),
        }
        // A reported pair is nearer than either of its features changed alone.
        for cf in r.found.iter().filter(|cf| cf.changes.len() == 2) {
            for single in r.found.iter().filter(|s| s.changes.len() == 1) {
                if cf.changes.iter().any(|c| c.column == single.changes[0].column) {
                    assert!(cf.distance < single.distance);
                }
            }
        }
        checked += 1;
    }
    assert_eq!(checked, 40);
    assert!(pairs > 0, "some rows are flipped most cheaply by two features together");
}

/// Distance by hand from the cells: |a − b| / std for numerics, 1 per differing category,
/// added (L1) or as √Σ squares (L2).
fn brute_distance(tr: &Trained, a: &[Cell], b: &[Cell], metric: DistanceMetric) -> f64 {
    let terms = tr.encoder.features.iter().zip(a.iter().zip(b)).map(|(f, (x, y))| match (&f.encoding, x, y) {
        (FeatureEncoding::Numeric { std, .. }, Cell::Num(p), Cell::Num(q)) => (p - q).abs() / std,
        (FeatureEncoding::Categorical { .. }, p, q) => f64::from(u8::from(p != q)),
        other => panic!("unexpected {other:?}"),
    });
    match metric {
        DistanceMetric::L1 => terms.sum(),
        DistanceMetric::L2 => terms.map(|t| t * t).sum::<f64>().sqrt(),
    }
}

#[test]
fn nearest_counterfactual_is_the_nearest_by_brute_force() {
    let (t, tr) = testdata::trained_logistic(300, 6);
    let bank = RowBank::new(&t, &tr);
    let train_rows = tr.train_table_rows();
    for (metric, pool) in [
        (DistanceMetric::L1, CandidatePool::All),
        (DistanceMetric::L2, CandidatePool::All),
        (DistanceMetric::L1, CandidatePool::Train),
        (DistanceMetric::L2, CandidatePool::Test),
    ] {
        let spec = NearestSpec { metric, pool, ..NearestSpec::for_trained(&tr) };
        for &row in tr.test_table_rows().iter().take(25) {
            let cells = tr.encoder.cells_of_row(&t, row);
            let r = nearest_counterfactual(&tr, &bank, &cells, &spec).unwrap();
            let own = score_cells(&tr, &cells).unwrap() >= 0.5;
            let mut best = f64::INFINITY;
            let mut count = 0;
            for other in &tr.prepared.rows {
                let in_train = train_rows.contains(other);
                let in_pool = match pool {
                    CandidatePool::All => true,
                    CandidatePool::Train => in_train,
                    CandidatePool::Test => !in_train,
                };
                let oc = tr.encoder.cells_of_row(&t, *other);
                let os = score_cells(&tr, &oc).unwrap() >= 0.5;
                if in_pool && os != own && oc[4] == cells[4] {
                    count += 1;
                    best = best.min(brute_distance(&tr, &cells, &oc, metric));
                }
            }
            assert_eq!(r.candidates, count);
            let cf = &r.found[0];
            assert!((cf.distance - best).abs() < 1e-9, "{metric:?}: {} vs brute force {best}", cf.distance);
            assert_eq!(cf.cells[4], cells[4], "the locked group is kept");
            assert_ne!(cf.score >= 0.5, own);
            let CounterfactualKind::NearestRow { table_row, train, .. } = cf.kind else { panic!() };
            assert_eq!(tr.encoder.cells_of_row(&t, table_row), cf.cells);
            assert_eq!(train, train_rows.contains(&table_row));
            match pool {
                CandidatePool::Train => assert!(train),
                CandidatePool::Test => assert!(!train),
                CandidatePool::All => {}
            }
        }
    }
}

#[test]
fn none_found_is_reported_honestly() {
    let (t, tr) = testdata::trained_logistic(400, 7);
    let bank = RowBank::new(&t, &tr);
    // Lock everything but the noise column: its coefficient is tiny, so a row far from the
    // threshold cannot be flipped through it.
    let mut spec = MinimalChangeSpec::for_trained(&tr);
    spec.locked = vec!["x".into(), "color".into(), "hours".into(), "g".into()];
    let row = (0..t.n_rows).find(|&r| tr.encoder.cells_of_row(&t, r)[0] == Cell::Num(bank_max_x(&t))).unwrap();
    let cells = tr.encoder.cells_of_row(&t, row);
    let r = minimal_change(&tr, &bank, &cells, &spec).unwrap();
    assert!(r.original_score > 0.95, "{}", r.original_score);
    assert!(r.found.is_empty());
    assert!(r.message.unwrap().starts_with("None found within the observed ranges"));
    assert!(r.candidates > 0);
    // Nearest row with a group value no row of the opposite decision has: none.
    let mut nspec = NearestSpec::for_trained(&tr);
    nspec.threshold = 0.0;
    let n = nearest_counterfactual(&tr, &bank, &cells, &nspec).unwrap();
    assert!(n.found.is_empty() && n.message.is_some(), "at threshold 0 every row is positive");
}

fn bank_max_x(t: &crate::core::table::Table) -> f64 {
    t.columns[0].numeric.as_ref().unwrap().iter().copied().fold(f64::MIN, f64::max)
}

#[test]
fn bad_requests_are_typed_errors() {
    let (t, tr) = testdata::trained_logistic(200, 8);
    let bank = RowBank::new(&t, &tr);
    let cells = tr.encoder.cells_of_row(&t, 0);
    let mut spec = MinimalChangeSpec::for_trained(&tr);
    spec.max_features = 3;
    assert!(matches!(minimal_change(&tr, &bank, &cells, &spec), Err(WhatIfError::BadFeatureCount(3))));
    let mut n = NearestSpec::for_trained(&tr);
    n.threshold = 1.5;
    assert!(matches!(nearest_counterfactual(&tr, &bank, &cells, &n), Err(WhatIfError::BadThreshold(_))));
    n.threshold = 0.5;
    n.locked = vec!["nope".into()];
    assert!(matches!(nearest_counterfactual(&tr, &bank, &cells, &n), Err(WhatIfError::NotAFeature { .. })));
}
