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
    Node { feature: 0, threshold: 0.0, left: None, right: None, count, positives, depth }
}

fn split(feature: usize, threshold: f64, l: usize, r: usize, count: usize, positives: usize, depth: usize) -> Node {
    Node { feature, threshold, left: Some(l), right: Some(r), count, positives, depth }
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
    let tree =
        tree::fit(xm.view(), &y, &TreeParams { max_depth: 6, min_samples_split: 10, min_samples_leaf: 5 }).unwrap();
    let one_hot_splits = tree.nodes.iter().filter(|nd| !nd.is_leaf() && (1..5).contains(&nd.feature)).count();
    assert!(one_hot_splits >= 2, "the tree should split on the dummies: {tree:?}");
    for r in (0..n).step_by(37) {
        check_against_brute_force(&e, &tree, &e.cells_of_row(&t, r));
    }
    // The base value is the training positive rate (the root's share).
    let ex = tree_shap(&e, &tree, &e.cells_of_row(&t, 0));
    assert!((ex.base_value - tree.nodes[0].value()).abs() < 1e-12);
}
