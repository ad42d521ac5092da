//! Small synthetic tables for the what-if tests: a label driven by `x` (strongly), `color`
//! (red helps) and the group `g` (A helps a little), plus a pure-noise column `noise` and a
//! discrete `hours` column.

use crate::core::models::{ModelSpec, TreeParams};
use crate::core::rng::Rng;
use crate::core::roles::tests::{cat, num, table};
use crate::core::roles::{Binning, PositiveRule, Roles, SensitiveSpec};
use crate::core::split::SplitSpec;
use crate::core::table::Table;
use crate::core::train::{train, TrainSpec, Trained};

/// Columns: x, noise, color, hours, g, y (features: x, noise, color, hours, g).
pub fn synthetic(n: usize, seed: u64) -> Table {
    synthetic_with(n, seed, 0.8)
}

/// As [`synthetic`] with the given log-odds effect of `color = red`.
pub fn synthetic_with(n: usize, seed: u64, red_effect: f64) -> Table {
    let mut rng = Rng::new(seed);
    let (mut x, mut noise, mut color, mut hours, mut g, mut y) = (vec![], vec![], vec![], vec![], vec![], vec![]);
    let colors = ["red", "green", "blue"];
    for _ in 0..n {
        let gi = if rng.bernoulli(0.4) { "B" } else { "A" };
        let c = colors[rng.index(3)];
        let xi = rng.normal();
        let h = (20 + 5 * rng.index(8)) as f64;
        let z = 1.5 * xi
            + if c == "red" { red_effect } else { 0.0 }
            + if gi == "A" { 0.3 } else { 0.0 }
            + 0.03 * (h - 37.5)
            + 0.5 * rng.normal();
        x.push(xi);
        noise.push(rng.normal());
        color.push(c);
        hours.push(h);
        g.push(gi);
        y.push(if z > 0.3 { "yes" } else { "no" });
    }
    table(vec![
        num("x", &x),
        num("noise", &noise),
        cat("color", &color),
        num("hours", &hours),
        cat("g", &g),
        cat("y", &y),
    ])
}

pub fn spec(model: ModelSpec) -> TrainSpec {
    TrainSpec {
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
        model,
        weights: None,
    }
}

pub fn trained_logistic(n: usize, seed: u64) -> (Table, Trained) {
    let t = synthetic(n, seed);
    let tr = train(&t, &spec(ModelSpec::default())).unwrap();
    (t, tr)
}

/// A tree on data where `color = red` matters as much as `x`, so that it splits on both.
pub fn trained_tree(n: usize, seed: u64) -> (Table, Trained) {
    let t = synthetic_with(n, seed, 2.0);
    let p = TreeParams { max_depth: 6, min_samples_split: 10, min_samples_leaf: 5 };
    let tr = train(&t, &spec(ModelSpec::Tree(p))).unwrap();
    (t, tr)
}
