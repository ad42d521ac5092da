use super::*;
use crate::core::encode::EncoderSpec;
use crate::core::explain::tests_support::shapley_by_permutations;
use crate::core::models::tree::{self, Node, TreeParams};
use crate::core::rng::Rng;
use crate::core::roles::tests::{cat, num, table};
use crate::core::table::Table;

/// The path-dependent value function by its definition: fixed columns follow the row, the
/// others average both branches by training covers.
fn value(tree: &TreeModel, node: usize, x: &[f64], feature_of: &[usize], present: &[bool]) -> f64 {
    let n = &tree.nodes[node];
    match (n.left, n.right) {
        (Some(l), Some(r)) => {
            if present[feature_of[n.feature]] {
                let next = if x[n.feature] <= n.threshold { l } else { r };
                value(tree, next, x, feature_of, present)
            } else {
                cover_share(tree, node, l) * value(tree, l, x, feature_of, present)
                    + cover_share(tree, node, r) * value(tree, r, x, feature_of, present)
            }
        }
        _ => n.value(),
    }
}

fn check_against_brute_force(e: &Encoder, tree: &TreeModel, cells: &[Cell]) {
    let ex = tree_shap(e, tree, cells);
    let mut x = vec![0.0; e.width];
    e.encode_cells_into(cells, &mut x);
    let feature_of = e.feature_of();
    let brute = shapley_by_permutations(e.features.len(), &|p: &[bool]| value(tree, 0, &x, &feature_of, p));
    for (v, b) in ex.values.iter().zip(&brute) {
        assert!((v.shap - b).abs() < 1e-12, "{}: {} vs {b} ({cells:?})", v.feature, v.shap);
    }
    assert!(ex.additivity_gap().abs() < 1e-12, "{ex:?}");
    assert!((ex.base_value - value(tree, 0, &x, &feature_of, &vec![false; e.features.len()])).abs() < 1e-12);
}

fn leaf(count: usize, positives: usize, depth: usize) -> Node {
    Node {
        feature: 0,
        threshold: 0.0,
        left: None,
        right: None,
        count,
        positives,
        depth,
        weight: count as f64,
        positive_weight: positives as f64,
    }
}

fn split(feature: usize, threshold: f64, l: usize, r: usize, count: usize, positives: usize, depth: usize) -> Node {
    Node {
        feature,
        threshold,
        left: Some(l),
        right: Some(r),
        count,
        positives,
        depth,
        weight: count as f64,
        positive_weight: positives as f64,
    }
}

fn small_table() -> Table {
    table(vec![
        num("x", &[-1.0, 1.0, 0.5, -0.5, 2.0, -2.0]),
        cat("c", &["a", "b", "c", "a", "b", "c"]),
        num("z", &[0.0, 1.0, 0.2, 0.9, 0.1, 0.7]),
    ])
}

#[test]
fn hand_built_tree_with_repeated_one_hot_splits_equals_brute_force() {
    let t = small_table();
    let e =
        Encoder::fit(&t, &[0, 1, 2], &[0, 1, 2, 3, 4, 5], &EncoderSpec { rare_min_count: 1, ..EncoderSpec::default() })
            .unwrap();
    assert_eq!(e.encoded_names(), vec!["x", "c=a", "c=b", "c=c", "z"]);
    // The root splits on c=a, its left child on c=b (the same original column twice on a
    // path), node 8 on c=c below c=a (again c), others on x and z.
    let tree = TreeModel {
        nodes: vec![
            split(1, 0.5, 1, 2, 100, 37, 0),
            split(2, 0.5, 3, 4, 75, 28, 1),
            split(4, 0.3, 7, 8, 25, 9, 1),
            split(0, 0.0, 5, 6, 50, 18, 2),
            leaf(25, 10, 2),
            leaf(30, 3, 3),
            leaf(20, 15, 3),
            leaf(15, 2, 2),
            split(3, 0.5, 9, 10, 10, 7, 2),
            leaf(8, 6, 3),
            leaf(2, 1, 3),
        ],
    };
    for r in 0..t.n_rows {
        check_against_brute_force(&e, &tree, &e.cells_of_row(&t, r));
    }
    // Every combination of the three columns, including a missing category (→ the mode).
    for x in [-3.0, 3.0] {
        for c in [Cell::Cat(0), Cell::Cat(1), Cell::Cat(2), Cell::Missing] {
            for z in [Cell::Num(-1.0), Cell::Num(5.0)] {
                check_against_brute_force(&e, &tree, &[Cell::Num(x), c, z]);
            }
        }
    }
    // One value per original column: three values for five encoded columns.
    assert_eq!(tree_shap(&e, &tree, &e.cells_of_row(&t, 0)).values.len(), 3);
}

#[test]
fn fitted_tree_on_one_hot_data_equals_brute_force() {
    let mut rng = Rng::new(3);
    let n = 600;
    let levels = ["north", "south", "east", "west"];
    let c: Vec<&str> = (0..n).map(|_| levels[rng.index(4)]).collect();
    let x: Vec<f64> = (0..n).map(|_| rng.normal()).collect();
    let z: Vec<f64> = (0..n).map(|_| rng.uniform()).collect();
    let y: Vec<bool> = (0..n)
        .map(|i| {
            let effect = match c[i] {
                "north" => -1.5,
                "south" => 0.0,
                "east" => 1.0,
                _ => 2.5,
            };
            let s = x[i] + effect + z[i] + 0.5 * rng.normal();
            s > 0.5
        })
        .collect();
    let t = table(vec![num("x", &x), cat("c", &c), num("z", &z)]);
    let rows: Vec<usize> = (0..n).collect();
    let e = Encoder::fit(&t, &[0, 1, 2], &rows, &EncoderSpec::default()).unwrap();
    let xm = e.encode_rows(&t, &rows);
    let tree = tree::fit(xm.view(), &y, &TreeParams { max_depth: Some(6), min_samples_split: 10, min_samples_leaf: 5 })
        .unwrap();
    let one_hot_splits = tree.nodes.iter().filter(|nd| !nd.is_leaf() && (1..5).contains(&nd.feature)).count();
    assert!(one_hot_splits >= 2, "the tree should split on the dummies: {tree:?}");
    for r in (0..n).step_by(37) {
        check_against_brute_force(&e, &tree, &e.cells_of_row(&t, r));
    }
    // The base value is the training positive rate (the root's share).
    let ex = tree_shap(&e, &tree, &e.cells_of_row(&t, 0));
    assert!((ex.base_value - tree.nodes[0].value()).abs() < 1e-12);
}

/// The one-hot table of `fitted_tree_on_one_hot_data_equals_brute_force`, with its encoder and
/// encoded rows, for the ensembles.
fn one_hot_data(n: usize, seed: u64) -> (Table, Encoder, ndarray::Array2<f64>, Vec<bool>) {
    let mut rng = Rng::new(seed);
    let levels = ["north", "south", "east", "west"];
    let c: Vec<&str> = (0..n).map(|_| levels[rng.index(4)]).collect();
    let x: Vec<f64> = (0..n).map(|_| rng.normal()).collect();
    let z: Vec<f64> = (0..n).map(|_| rng.uniform()).collect();
    let u: Vec<f64> = (0..n).map(|_| rng.normal()).collect();
    let y: Vec<bool> = (0..n)
        .map(|i| {
            let effect = [-1.5, 0.0, 1.0, 2.5][levels.iter().position(|l| *l == c[i]).unwrap()];
            x[i] * z[i] + effect + u[i] + 0.5 * rng.normal() > 0.5
        })
        .collect();
    let t = table(vec![num("x", &x), cat("c", &c), num("z", &z), num("u", &u)]);
    let rows: Vec<usize> = (0..n).collect();
    let e = Encoder::fit(&t, &[0, 1, 2, 3], &rows, &EncoderSpec::default()).unwrap();
    let xm = e.encode_rows(&t, &rows);
    (t, e, xm, y)
}

/// The path-dependent value function of a tree with arbitrary covers and node values.
fn value_of(shap_tree: &ShapTree, node: usize, x: &[f64], feature_of: &[usize], present: &[bool]) -> f64 {
    let n = &shap_tree.nodes[node];
    match n.children {
        Some((l, r)) => {
            if present[feature_of[n.feature]] {
                let next = if x[n.feature] <= n.threshold { l } else { r };
                value_of(shap_tree, next, x, feature_of, present)
            } else {
                shap_tree.share(node, l) * value_of(shap_tree, l, x, feature_of, present)
                    + shap_tree.share(node, r) * value_of(shap_tree, r, x, feature_of, present)
            }
        }
        None => n.value,
    }
}

#[test]
fn forest_shap_equals_brute_force_and_adds_up_in_probability() {
    use crate::core::models::forest::{self, ForestParams};
    let (t, e, xm, y) = one_hot_data(400, 5);
    let p = ForestParams { n_estimators: 6, max_depth: Some(5), ..ForestParams::default() };
    let f = forest::fit(xm.view(), &y, None, &p).unwrap();
    let trees: Vec<ShapTree> = f.trees.iter().map(ShapTree::of_tree).collect();
    let feature_of = e.feature_of();
    for r in (0..400).step_by(53) {
        let cells = e.cells_of_row(&t, r);
        let ex = forest_shap(&e, &f, &cells);
        let mut x = vec![0.0; e.width];
        e.encode_cells_into(&cells, &mut x);
        let v = |present: &[bool]| {
            trees.iter().map(|st| value_of(st, 0, &x, &feature_of, present)).sum::<f64>() / trees.len() as f64
        };
        let brute = shapley_by_permutations(e.features.len(), &v);
        for (a, b) in ex.values.iter().zip(&brute) {
            assert!((a.shap - b).abs() < 1e-12, "{}: {} vs {b}", a.feature, a.shap);
        }
        assert!(ex.additivity_gap().abs() < 1e-9, "{}", ex.additivity_gap());
        assert_eq!(ex.output_space, OutputSpace::Probability);
        assert!((ex.output - f.score(xm.slice(ndarray::s![r..r + 1, ..]))[0]).abs() < 1e-12);
    }
}

#[test]
fn boosted_shap_equals_brute_force_and_adds_up_in_log_odds() {
    use crate::core::models::boosting::{self, BoostingParams};
    let (t, e, xm, y) = one_hot_data(500, 6);
    let p = BoostingParams { max_iter: 8, max_leaf_nodes: Some(6), min_samples_leaf: 10, ..BoostingParams::default() };
    let m = boosting::fit(xm.view(), &y, None, &p).unwrap();
    assert_eq!(m.trees.len(), 8);
    let trees: Vec<ShapTree> = m.trees.iter().map(ShapTree::of_boosted).collect();
    let feature_of = e.feature_of();
    for r in (0..500).step_by(61) {
        let cells = e.cells_of_row(&t, r);
        let ex = boosted_shap(&e, &m, &cells);
        let mut x = vec![0.0; e.width];
        e.encode_cells_into(&cells, &mut x);
        let v = |present: &[bool]| trees.iter().map(|st| value_of(st, 0, &x, &feature_of, present)).sum::<f64>();
        let brute = shapley_by_permutations(e.features.len(), &v);
        for (a, b) in ex.values.iter().zip(&brute) {
            assert!((a.shap - b).abs() < 1e-12, "{}: {} vs {b}", a.feature, a.shap);
        }
        assert!(ex.additivity_gap().abs() < 1e-9, "{}", ex.additivity_gap());
        assert_eq!(ex.output_space, OutputSpace::LogOdds);
        let raw = m.raw(xm.slice(ndarray::s![r..r + 1, ..]))[0];
        assert!((ex.output - raw).abs() < 1e-12);
        assert!((ex.prediction - crate::core::models::logistic::sigmoid(raw)).abs() < 1e-15);
    }
}

/// A tree exported by tests/fixtures/models/make_shap_trees.py, as TreeSHAP walks it.
fn exported_tree(t: &serde_json::Value) -> ShapTree {
    let ints = |k: &str| -> Vec<i64> { t[k].as_array().unwrap().iter().map(|v| v.as_i64().unwrap()).collect() };
    let floats = |k: &str| -> Vec<f64> { t[k].as_array().unwrap().iter().map(|v| v.as_f64().unwrap()).collect() };
    let (left, right, feature) = (ints("left"), ints("right"), ints("feature"));
    let (threshold, cover, value) = (floats("threshold"), floats("cover"), floats("value"));
    let nodes: Vec<ShapNode> = (0..left.len())
        .map(|i| ShapNode {
            feature: feature[i].max(0) as usize,
            threshold: threshold[i],
            children: (left[i] >= 0).then(|| (left[i] as usize, right[i] as usize)),
            cover: cover[i],
            value: value[i],
        })
        .collect();
    fn depth(nodes: &[ShapNode], at: usize) -> usize {
        nodes[at].children.map_or(0, |(l, r)| 1 + depth(nodes, l).max(depth(nodes, r)))
    }
    let d = depth(&nodes, 0);
    ShapTree { nodes, depth: d }
}

#[test]
fn ensembles_equal_the_shap_packages_tree_explainer() {
    let fixture: serde_json::Value =
        serde_json::from_str(include_str!("../../../../tests/fixtures/models/shap_trees.json")).unwrap();
    let queries: Vec<Vec<f64>> = fixture["queries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_array().unwrap().iter().map(|v| v.as_f64().unwrap()).collect())
        .collect();
    let identity: Vec<usize> = (0..4).collect();
    for (key, mean) in [("random_forest", true), ("gradient_boosting", false)] {
        let model = &fixture[key];
        let trees: Vec<ShapTree> = model["trees"].as_array().unwrap().iter().map(exported_tree).collect();
        let k = if mean { trees.len() as f64 } else { 1.0 };
        let offset = model["baseline"].as_f64().unwrap_or(0.0);
        let expected = trees.iter().map(ShapTree::expected).sum::<f64>() / k + offset;
        let theirs = model["expected_value"].as_f64().unwrap();
        assert!((expected - theirs).abs() < 1e-9, "{key}: base {expected} vs shap {theirs}");
        for (q, row) in queries.iter().enumerate() {
            let mut phi = vec![0.0; 4];
            for t in &trees {
                t.add_phi(&identity, ndarray::ArrayView1::from(row.as_slice()), &mut phi);
            }
            for (j, p) in phi.iter().enumerate() {
                let theirs = model["shap"][q][j].as_f64().unwrap();
                assert!((p / k - theirs).abs() < 1e-9, "{key} row {q} column {j}: {} vs shap {theirs}", p / k);
            }
            // Additivity against scikit-learn's own output for the row.
            let output = trees.iter().map(|t| t.output(row)).sum::<f64>() / k + offset;
            let sk = model.get("predict_proba").or(model.get("decision_function")).unwrap()[q].as_f64().unwrap();
            assert!((output - sk).abs() < 1e-9, "{key} row {q}: {output} vs scikit-learn {sk}");
            assert!((expected + phi.iter().sum::<f64>() / k - output).abs() < 1e-9);
        }
    }
}
