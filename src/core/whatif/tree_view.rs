//! The fitted decision tree as a structure the page can draw, in the original units of the data.
//!
//! The tree is fitted on encoded features: a numeric column standardised as z = (x − mean)/std,
//! a categorical column as one-hot slots. A numeric split z ≤ t is shown as x ≤ t·std + mean
//! (std > 0, so the direction is kept); a split on a one-hot slot is shown as "is the category"
//! / "is not", with the levels that the slot stands for (a rare-merged `other` slot lists all
//! its levels). A missing cell follows the training median's (or mode's) branch, as the
//! encoder imputes it. Each node carries its training-row count and positive share, which is
//! what the model's score is at a leaf.

use super::editor::cell_text;
use super::{check_row, model_name, WhatIfError};
use crate::core::encode::{Encoder, FeatureEncoding};
use crate::core::models::tree::TreeModel;
use crate::core::models::FittedModel;
use crate::core::table::Cell;
use crate::core::train::Trained;
use serde::{Deserialize, Serialize};

/// A branch direction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    Left,
    Right,
}

/// The test at an internal node.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TreeSplit {
    /// Rows with `column ≤ threshold` go left, the others right.
    Numeric {
        column: String,
        /// Index of the feature in the encoder (and in a row's cells).
        feature: usize,
        /// In the column's original units.
        threshold: f64,
        /// The encoded (standardised) threshold the tree stores.
        encoded_threshold: f64,
    },
    /// Rows whose category is `category` go `in_category`, the others the other way.
    Category {
        column: String,
        feature: usize,
        /// The one-hot slot's name (a level, or `other`).
        category: String,
        /// The levels this slot stands for (one level, or every level merged into `other`).
        levels: Vec<String>,
        in_category: Side,
        not_in_category: Side,
    },
}

/// One node of the tree view.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TreeViewNode {
    /// Index in [`TreeView::nodes`]; the root is 0.
    pub id: usize,
    pub depth: usize,
    /// Training rows reaching the node and how many are positive.
    pub count: usize,
    pub positives: usize,
    /// positives / count; `None` for a node no training row reaches.
    pub positive_share: Option<f64>,
    /// `None` for a leaf.
    pub split: Option<TreeSplit>,
    pub left: Option<usize>,
    pub right: Option<usize>,
}

/// The whole tree, with the path of a selected row.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TreeView {
    pub nodes: Vec<TreeViewNode>,
    pub leaves: usize,
    pub depth: usize,
    /// Node ids from the root to the selected row's leaf, when a row was given.
    pub path: Option<Vec<usize>>,
}

/// Builds the tree view, with the path of `row` (cells, e.g. edited) when given.
///
/// # Errors
/// [`WhatIfError::WrongModel`] when the model is not a tree; a row of the wrong length.
pub fn tree_view(trained: &Trained, row: Option<&[Cell]>) -> Result<TreeView, WhatIfError> {
    let FittedModel::Tree(tree) = &trained.model else {
        return Err(WhatIfError::WrongModel { needed: "tree", model: model_name(&trained.model) });
    };
    view_of(trained, tree, row)
}

/// The view of tree `k` of a tree model: the single tree (k = 0), or one tree of a random
/// forest or of gradient boosting (a boosted tree's nodes show the counts and positive shares
/// of the training rows that reached them; its leaf values are log-odds steps, not shown here).
///
/// # Errors
/// [`WhatIfError::WrongModel`] for a model without trees, [`WhatIfError::NoSuchTree`] (counting
/// from 1, as people do) for `k` past the last tree; a row of the wrong length.
pub fn tree_view_of(trained: &Trained, k: usize, row: Option<&[Cell]>) -> Result<TreeView, WhatIfError> {
    let count = trained.model.tree_count();
    if count == 0 {
        return Err(WhatIfError::WrongModel { needed: "tree-based", model: model_name(&trained.model) });
    }
    let Some(tree) = trained.model.tree(k) else {
        return Err(WhatIfError::NoSuchTree { asked: k.saturating_add(1), count });
    };
    view_of(trained, tree, row)
}

fn view_of(trained: &Trained, tree: &TreeModel, row: Option<&[Cell]>) -> Result<TreeView, WhatIfError> {
    let encoder = &trained.encoder;
    let feature_of = encoder.feature_of();
    let nodes = tree
        .nodes
        .iter()
        .enumerate()
        .map(|(id, n)| {
            let split = if n.is_leaf() { None } else { split_of(encoder, &feature_of, n.feature, n.threshold) };
            TreeViewNode {
                id,
                depth: n.depth,
                count: n.count,
                positives: n.positives,
                positive_share: (n.count > 0).then(|| n.positives as f64 / n.count as f64),
                split,
                left: n.left,
                right: n.right,
            }
        })
        .collect();
    let mut view = TreeView { nodes, leaves: tree.leaves(), depth: tree.depth(), path: None };
    if let Some(cells) = row {
        check_row(encoder, cells)?;
        view.path = Some(view.route(encoder, cells));
    }
    Ok(view)
}

fn split_of(encoder: &Encoder, feature_of: &[usize], slot: usize, t: f64) -> Option<TreeSplit> {
    let fi = *feature_of.get(slot)?;
    let f = encoder.features.get(fi)?;
    Some(match &f.encoding {
        FeatureEncoding::Numeric { mean, std, .. } => {
            TreeSplit::Numeric { column: f.name.clone(), feature: fi, threshold: t * std + mean, encoded_threshold: t }
        }
        FeatureEncoding::Categorical { slot_of_code, slot_names, levels, .. } => {
            let k = slot.saturating_sub(f.offset) as u32;
            let side = |v: f64| if v <= t { Side::Left } else { Side::Right };
            TreeSplit::Category {
                column: f.name.clone(),
                feature: fi,
                category: slot_names.get(k as usize).cloned().unwrap_or_default(),
                levels: slot_of_code
                    .iter()
                    .zip(levels)
                    .filter(|(s, _)| **s == Some(k))
                    .map(|(_, l)| l.clone())
                    .collect(),
                in_category: side(1.0),
                not_in_category: side(0.0),
            }
        }
    })
}

impl TreeView {
    /// Routes a row through the tree using the splits in original units only (the tests check
    /// that this agrees with the encoded tree). Returns node ids from the root to a leaf.
    pub fn route(&self, encoder: &Encoder, cells: &[Cell]) -> Vec<usize> {
        let mut path = vec![0];
        let mut at = 0;
        while let Some(node) = self.nodes.get(at) {
            let (Some(split), Some(l), Some(r)) = (&node.split, node.left, node.right) else { break };
            let side = match split {
                TreeSplit::Numeric { feature, threshold, .. } => {
                    let v = match (cells.get(*feature), encoder.features.get(*feature).map(|f| &f.encoding)) {
                        (Some(Cell::Num(v)), _) if v.is_finite() => *v,
                        (_, Some(FeatureEncoding::Numeric { median, .. })) => *median,
                        _ => f64::NAN,
                    };
                    if v <= *threshold {
                        Side::Left
                    } else {
                        Side::Right
                    }
                }
                TreeSplit::Category { feature, levels, in_category, not_in_category, .. } => {
                    let text = match (cells.get(*feature), encoder.features.get(*feature)) {
                        (Some(Cell::Cat(c)), Some(f)) => cell_text(f, Cell::Cat(*c)),
                        (_, Some(f)) => match &f.encoding {
                            FeatureEncoding::Categorical { mode, .. } => cell_text(f, Cell::Cat(*mode)),
                            FeatureEncoding::Numeric { .. } => String::new(),
                        },
                        _ => String::new(),
                    };
                    if levels.contains(&text) {
                        *in_category
                    } else {
                        *not_in_category
                    }
                }
            };
            at = if side == Side::Left { l } else { r };
            path.push(at);
        }
        path
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::table::Table;
    use crate::core::whatif::testdata;

    fn encoded_path(tr: &Trained, tree: &TreeModel, t: &Table, row: usize) -> Vec<usize> {
        let x = tr.encoder.encode_rows(t, &[row]);
        tree.path(x.row(0))
    }

    #[test]
    fn counts_add_up_and_original_thresholds_route_like_the_encoded_tree() {
        let (t, tr) = testdata::trained_tree(1500, 31);
        let FittedModel::Tree(tree) = &tr.model else { panic!() };
        let v = tree_view(&tr, None).unwrap();
        assert_eq!(v.nodes[0].count, tr.summary.train_rows);
        let mut saw_numeric = false;
        let mut saw_category = false;
        for n in &v.nodes {
            if let (Some(l), Some(r)) = (n.left, n.right) {
                assert_eq!(v.nodes[l].count + v.nodes[r].count, n.count, "node {}", n.id);
                assert_eq!(v.nodes[l].positives + v.nodes[r].positives, n.positives);
                assert!(n.split.is_some());
                match n.split.as_ref().unwrap() {
                    TreeSplit::Numeric { .. } => saw_numeric = true,
                    TreeSplit::Category { in_category, not_in_category, levels, .. } => {
                        saw_category = true;
                        assert_ne!(in_category, not_in_category);
                        assert!(!levels.is_empty());
                    }
                }
            } else {
                assert!(n.split.is_none());
            }
        }
        assert!(saw_numeric && saw_category, "the synthetic label uses x and color: {v:#?}");
        // Every row, training and test, takes the same path in original units.
        for row in 0..t.n_rows {
            let cells = tr.encoder.cells_of_row(&t, row);
            assert_eq!(v.route(&tr.encoder, &cells), encoded_path(&tr, tree, &t, row), "row {row}");
        }
        // The selected row's path ends in a leaf whose share is the row's score.
        let row = tr.test_table_rows()[0];
        let cells = tr.encoder.cells_of_row(&t, row);
        let with_path = tree_view(&tr, Some(&cells)).unwrap();
        let leaf = *with_path.path.as_ref().unwrap().last().unwrap();
        assert!(with_path.nodes[leaf].split.is_none());
        assert_eq!(with_path.nodes[leaf].positive_share.unwrap(), tr.test_scores[0]);
    }

    #[test]
    fn numeric_threshold_is_in_original_units() {
        let (_, tr) = testdata::trained_tree(1500, 32);
        let FittedModel::Tree(tree) = &tr.model else { panic!() };
        let v = tree_view(&tr, None).unwrap();
        for (n, raw) in v.nodes.iter().zip(&tree.nodes) {
            if let Some(TreeSplit::Numeric { feature, threshold, encoded_threshold, .. }) = &n.split {
                let FeatureEncoding::Numeric { mean, std, .. } = tr.encoder.features[*feature].encoding else {
                    panic!()
                };
                assert_eq!(*encoded_threshold, raw.threshold);
                assert!(((threshold - mean) / std - raw.threshold).abs() < 1e-9);
            }
        }
        let (_, logistic) = testdata::trained_logistic(200, 1);
        assert!(matches!(tree_view(&logistic, None), Err(WhatIfError::WrongModel { needed: "tree", .. })));
    }
}
