//! Reweighing (Kamiran & Calders 2012, as AIF360's `Reweighing`): each row of group g and
//! label y gets the weight w(g, y) = P(g)·P(y) / P(g, y), which makes group and label
//! independent in the weighted training data. Then the logistic model is retrained with these
//! weights (`TrainSpec::weights`) on the same split, so audits before and after compare on the
//! same test rows.

use crate::core::roles;
use crate::core::split;
use crate::core::table::Table;
use crate::core::train::{self, TrainError, TrainSpec, Trained};
use serde::{Deserialize, Serialize};

/// One (group, label) cell of the reweighing table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReweighingCell {
    pub group: String,
    pub label: bool,
    pub count: usize,
    /// P(g)·P(y) / P(g, y); `None` for an empty cell.
    pub weight: Option<f64>,
}

/// Reweighing weights per row and per cell.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Reweighing {
    /// One weight per row given.
    pub weights: Vec<f64>,
    /// Every (group, label) cell, groups in code order, negative label first.
    pub cells: Vec<ReweighingCell>,
}

/// Computes w(g, y) = n_g·n_y / (n·n_{g,y}) for every row. Rows whose group code has no name are
/// given weight 1.
pub fn reweighing_weights(labels: &[bool], groups: &[u32], names: &[String]) -> Reweighing {
    let g = names.len();
    let mut cell = vec![[0usize; 2]; g];
    let mut by_label = [0usize; 2];
    let mut n = 0usize;
    for (&y, &code) in labels.iter().zip(groups) {
        if let Some([negatives, positives]) = cell.get_mut(code as usize) {
            let [label_negatives, label_positives] = &mut by_label;
            if y {
                *positives += 1;
                *label_positives += 1;
            } else {
                *negatives += 1;
                *label_negatives += 1;
            }
            n += 1;
        }
    }
    let weight = |code: usize, y: usize| -> Option<f64> {
        let c = cell.get(code)?;
        let n_gy = *c.get(y)?;
        let n_y = *by_label.get(y)?;
        (n_gy > 0).then(|| c.iter().sum::<usize>() as f64 * n_y as f64 / (n as f64 * n_gy as f64))
    };
    let weights =
        labels.iter().zip(groups).map(|(&y, &code)| weight(code as usize, usize::from(y)).unwrap_or(1.0)).collect();
    let cells = names
        .iter()
        .enumerate()
        .flat_map(|(code, name)| {
            [false, true].map(|label| ReweighingCell {
                group: name.clone(),
                label,
                count: cell.get(code).and_then(|c| c.get(usize::from(label))).copied().unwrap_or(0),
                weight: weight(code, usize::from(label)),
            })
        })
        .collect();
    Reweighing { weights, cells }
}

/// Trains the spec's model twice on the same split: as given, and with reweighing weights
/// computed on the training rows (the spec's own weights are ignored).
///
/// # Errors
/// As [`train::train`].
pub fn train_reweighed(table: &Table, spec: &TrainSpec) -> Result<(Trained, Trained, Reweighing), TrainError> {
    let prepared = roles::prepare_with_split(table, &spec.roles, spec.split.split_column.as_deref())?;
    let split = split::split(table, &prepared, &spec.split)?;
    let y_train: Vec<bool> = split.train.iter().filter_map(|&p| prepared.y.get(p).copied()).collect();
    let g_train: Vec<u32> = split.train.iter().filter_map(|&p| prepared.groups.codes.get(p).copied()).collect();
    let rw = reweighing_weights(&y_train, &g_train, &prepared.groups.names);
    let mut all = vec![1.0; prepared.rows.len()];
    for (&p, w) in split.train.iter().zip(&rw.weights) {
        if let Some(slot) = all.get_mut(p) {
            *slot = *w;
        }
    }
    let plain_spec = TrainSpec { weights: None, ..spec.clone() };
    let before = train::train_prepared(table, prepared.clone(), split.clone(), &plain_spec)?;
    let weighted_spec = TrainSpec { weights: Some(all), ..spec.clone() };
    let after = train::train_prepared(table, prepared, split, &weighted_spec)?;
    Ok((before, after, rw))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::metrics::{audit, AuditOptions, Predictions};
    use crate::core::models::ModelSpec;
    use crate::core::rng::Rng;
    use crate::core::roles::tests::{cat, num, table};
    use crate::core::roles::{Binning, PositiveRule, Roles, SensitiveSpec};
    use crate::core::split::SplitSpec;

    #[test]
    fn reweighed_logistic_narrows_the_selection_gap_on_the_same_test_rows() {
        // Group A has a much higher base rate; the group is a feature, so the plain model
        // learns it. Reweighing removes the group–label dependence from the training data.
        let mut rng = Rng::new(12);
        let (mut x, mut g, mut y) = (vec![], vec![], vec![]);
        for _ in 0..3000 {
            let a = rng.bernoulli(0.5);
            let label = rng.bernoulli(if a { 0.7 } else { 0.2 });
            x.push(rng.normal() + if label { 0.8 } else { 0.0 });
            g.push(if a { "A" } else { "B" });
            y.push(if label { "yes" } else { "no" });
        }
        let t = table(vec![num("x", &x), cat("g", &g), cat("y", &y)]);
        let spec = TrainSpec {
            roles: Roles {
                target: "y".into(),
                positive: PositiveRule::Values(vec!["yes".into()]),
                sensitive: vec![SensitiveSpec { column: "g".into(), binning: Binning::None }],
                exclude: vec![],
                drop_sensitive: false,
                min_group_size: 30,
                model_outputs: vec![],
                include: vec![],
                max_levels: None,
            },
            split: SplitSpec::default(),
            model: ModelSpec::default(),
            weights: None,
        };
        let (before, after, rw) = train_reweighed(&t, &spec).unwrap();
        assert_eq!(before.split, after.split, "same test rows");
        assert_eq!(rw.cells.len(), 4);
        let gap = |trained: &Trained| {
            let r = audit(
                &trained.test_labels(),
                Predictions::Scores(&trained.test_scores),
                &trained.test_groups(),
                &trained.prepared.groups.names,
                &AuditOptions::default(),
            )
            .unwrap();
            r.disparities.demographic_parity_difference.unwrap()
        };
        let (gb, ga) = (gap(&before), gap(&after));
        assert!(ga < gb - 0.1, "selection-rate gap before {gb}, after {ga}");
    }

    #[test]
    fn weights_by_hand_make_group_and_label_independent() {
        // a: 3 rows (2 positive), b: 1 row (negative). n = 4, n_pos = 2, n_neg = 2.
        // w(a, 1) = 3·2 / (4·2) = 0.75; w(a, 0) = 3·2 / (4·1) = 1.5; w(b, 0) = 1·2 / (4·1) = 0.5.
        let rw = reweighing_weights(&[true, true, false, false], &[0, 0, 0, 1], &["a".into(), "b".into()]);
        assert_eq!(rw.weights, vec![0.75, 0.75, 1.5, 0.5]);
        assert_eq!(rw.cells[3].weight, None, "b has no positive rows");
        // Weighted positive share is 0.5 in both groups that have both labels.
        let a_pos = 2.0 * 0.75 / (2.0 * 0.75 + 1.5);
        assert_eq!(a_pos, 0.5);
    }
}
