//! Each synthetic preset produces the effect it claims (src/core/synth.rs, PRESETS). The
//! thresholds are generous margins around what the generator's formulas imply, checked on a
//! held-out 30% with the logistic model; each test also checks the fair baseline does not show
//! the effect, so a test cannot pass merely because every dataset shows it.

use fairground::core::models::ModelSpec;
use fairground::core::roles::{Binning, PositiveRule, Roles, SensitiveSpec};
use fairground::core::split::SplitSpec;
use fairground::core::synth::{self, preset, SynthSpec};
use fairground::core::train::{train, TrainSpec};

/// Per group (A, B): selection rate and accuracy on the test rows, and the observed base rate.
struct ByGroup {
    selection: [f64; 2],
    accuracy: [f64; 2],
}

fn evaluate(spec: &SynthSpec, drop_sensitive: bool) -> ByGroup {
    let table = synth::generate(spec).unwrap();
    let train_spec = TrainSpec {
        roles: Roles {
            target: synth::TARGET.into(),
            positive: PositiveRule::Values(vec![synth::POSITIVE.into()]),
            sensitive: vec![SensitiveSpec { column: synth::SENSITIVE.into(), binning: Binning::None }],
            exclude: vec![],
            drop_sensitive,
            min_group_size: 30,
            model_outputs: vec![],
            include: vec![],
            max_levels: None,
        },
        split: SplitSpec::default(),
        model: ModelSpec::default(),
        weights: None,
    };
    let t = train(&table, &train_spec).unwrap();
    assert_eq!(t.prepared.groups.names, vec!["A", "B"]);
    let (groups, y) = (t.test_groups(), t.test_labels());
    let mut out = ByGroup { selection: [0.0; 2], accuracy: [0.0; 2] };
    for g in 0..2u32 {
        let idx: Vec<usize> = (0..groups.len()).filter(|&i| groups[i] == g).collect();
        let n = idx.len() as f64;
        out.selection[g as usize] = idx.iter().filter(|&&i| t.test_scores[i] >= 0.5).count() as f64 / n;
        out.accuracy[g as usize] = idx.iter().filter(|&&i| (t.test_scores[i] >= 0.5) == y[i]).count() as f64 / n;
    }
    eprintln!("{:?} drop={drop_sensitive}: selection {:?} accuracy {:?}", spec, out.selection, out.accuracy);
    out
}

fn spec(id: &str) -> SynthSpec {
    preset(id).unwrap().spec.clone()
}

#[test]
fn fair_baseline_shows_no_gap() {
    let r = evaluate(&spec("fair_baseline"), false);
    assert!((r.selection[0] - r.selection[1]).abs() < 0.05, "selection {:?}", r.selection);
    assert!((r.accuracy[0] - r.accuracy[1]).abs() < 0.04, "accuracy {:?}", r.accuracy);
}

#[test]
fn historical_bias_gives_a_selection_rate_gap() {
    // Base rates 0.40 and 0.15 at equal qualities: the model reproduces about that gap.
    let r = evaluate(&spec("historical_bias"), false);
    assert!(r.selection[0] - r.selection[1] > 0.15, "selection {:?}", r.selection);
}

#[test]
fn representation_bias_lowers_the_small_groups_accuracy() {
    let r = evaluate(&spec("representation_bias"), false);
    assert!(r.accuracy[0] - r.accuracy[1] > 0.05, "accuracy {:?}", r.accuracy);
    // With the same pattern shift but equal group sizes, the gap mostly closes.
    let equal = evaluate(&SynthSpec { group_b_share: 0.5, ..spec("representation_bias") }, false);
    assert!(
        equal.accuracy[0] - equal.accuracy[1] < (r.accuracy[0] - r.accuracy[1]) / 2.0,
        "equal groups {:?} vs small B {:?}",
        equal.accuracy,
        r.accuracy
    );
}

#[test]
fn label_bias_makes_the_observed_gap_exceed_the_true_one() {
    let s = synth::generate_with_truth(&SynthSpec { rows: 20_000, ..spec("label_bias") }).unwrap();
    let g = s.table.column("group").unwrap();
    let y = s.table.column("label").unwrap();
    let mut count = [0.0; 2];
    let mut observed = [0.0; 2];
    let mut truth = [0.0; 2];
    for r in 0..s.table.n_rows {
        let b = usize::from(g.text(r).as_deref() == Some("B"));
        count[b] += 1.0;
        observed[b] += f64::from(u8::from(y.text(r).as_deref() == Some("1")));
        truth[b] += f64::from(u8::from(s.true_label[r]));
    }
    let true_gap = truth[0] / count[0] - truth[1] / count[1];
    let observed_gap = observed[0] / count[0] - observed[1] / count[1];
    // True base rates are equal (0.4); 40% of B's positives flipped: observed gap ≈ 0.16.
    assert!(true_gap.abs() < 0.03, "true gap {true_gap}");
    assert!(observed_gap - true_gap > 0.1, "observed {observed_gap} vs true {true_gap}");
    let r = evaluate(&spec("label_bias"), false);
    assert!(r.selection[0] - r.selection[1] > 0.08, "the model inherits it: {:?}", r.selection);
}

#[test]
fn proxy_keeps_the_gap_when_the_sensitive_column_is_dropped() {
    let with_proxy = evaluate(&spec("proxy_bias"), true);
    assert!(with_proxy.selection[0] - with_proxy.selection[1] > 0.1, "selection {:?}", with_proxy.selection);
    // The same historical gap without a proxy: unawareness does remove most of the gap.
    let no_proxy = evaluate(&SynthSpec { proxy_strength: 0.0, ..spec("proxy_bias") }, true);
    assert!((no_proxy.selection[0] - no_proxy.selection[1]).abs() < 0.05, "selection {:?}", no_proxy.selection);
}

#[test]
fn measurement_bias_lowers_the_noisy_groups_accuracy() {
    let r = evaluate(&spec("measurement_bias"), false);
    assert!(r.accuracy[0] - r.accuracy[1] > 0.08, "accuracy {:?}", r.accuracy);
}
