//! The decision tree grows as scikit-learn's `DecisionTreeClassifier` does, node for node: the
//! same split feature and threshold at every internal node, the same row count and positive
//! share at every node, the same leaves. Reference: tests/fixtures/models/tree_structure.json,
//! made by make_tree_structure.py in that folder (scikit-learn 1.9.1, Gini, Fairground's
//! TreeParams defaults) on tree_table.csv, a numeric-only table whose values are exact in
//! float32 (scikit-learn's trees work in float32), so thresholds must be equal to the bit.
// Test code: clippy.toml frees #[test] functions, not the helpers beside them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use fairground::core::models::tree::{fit, TreeModel, TreeParams};
use ndarray::Array2;
use serde_json::Value;

fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/models/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn table() -> (Array2<f64>, Vec<bool>) {
    let mut reader = csv::Reader::from_path(fixture("tree_table.csv")).unwrap();
    let width = reader.headers().unwrap().len() - 1;
    let (mut cells, mut y) = (Vec::new(), Vec::new());
    for record in reader.records() {
        let record = record.unwrap();
        cells.extend((0..width).map(|j| record[j].parse::<f64>().unwrap()));
        y.push(&record[width] == "1");
    }
    (Array2::from_shape_vec((y.len(), width), cells).unwrap(), y)
}

/// Walks both trees from their roots; returns the number of nodes compared.
fn compare(ours: &TreeModel, o: usize, theirs: &[Value], t: usize, path: &str) -> usize {
    let a = &ours.nodes[o];
    let b = &theirs[t];
    assert_eq!(a.count as u64, b["count"].as_u64().unwrap(), "{path}: rows in the node");
    let share = b["positive_share"].as_f64().unwrap();
    assert!((a.value() - share).abs() <= 1e-12, "{path}: positive share {} vs scikit-learn {share}", a.value());
    if b["left"].is_null() {
        assert!(a.is_leaf(), "{path}: scikit-learn stops here, Fairground splits on x{} at {}", a.feature, a.threshold);
        return 1;
    }
    assert!(!a.is_leaf(), "{path}: scikit-learn splits on x{} at {}, Fairground stops", b["feature"], b["threshold"]);
    assert_eq!(a.feature as u64, b["feature"].as_u64().unwrap(), "{path}: split feature");
    assert_eq!(a.threshold, b["threshold"].as_f64().unwrap(), "{path}: threshold on x{}", a.feature);
    let (ol, or) = (a.left.unwrap(), a.right.unwrap());
    let (tl, tr) = (b["left"].as_u64().unwrap() as usize, b["right"].as_u64().unwrap() as usize);
    1 + compare(ours, ol, theirs, tl, &format!("{path}L")) + compare(ours, or, theirs, tr, &format!("{path}R"))
}

#[test]
fn tree_equals_scikit_learn_node_for_node() {
    let reference: Value =
        serde_json::from_str(&std::fs::read_to_string(fixture("tree_structure.json")).unwrap()).unwrap();
    let params = TreeParams::default();
    let p = &reference["params"];
    assert_eq!(
        (params.max_depth.unwrap() as u64, params.min_samples_split as u64, params.min_samples_leaf as u64),
        (
            p["max_depth"].as_u64().unwrap(),
            p["min_samples_split"].as_u64().unwrap(),
            p["min_samples_leaf"].as_u64().unwrap()
        ),
        "the fixture was made with Fairground's defaults"
    );
    let (x, y) = table();
    let tree = fit(x.view(), &y, &params).unwrap();
    let theirs = reference["nodes"].as_array().unwrap();
    let compared = compare(&tree, 0, theirs, 0, "root ");
    assert_eq!(compared, theirs.len(), "every scikit-learn node was matched");
    assert_eq!(tree.nodes.len(), theirs.len(), "no extra nodes");
    assert!(theirs.len() > 31, "a tree deep enough to test: {} nodes", theirs.len());
}
