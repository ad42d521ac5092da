//! The registry of experiment controls: for each lesson experiment, the `data-testid` of every
//! control its text names (a slider, a picker, a run button) and of the element where its live
//! number appears. The page's components carry these exact strings, a native test reads the
//! component sources to check each one is there, and the e2e journey drives every lesson's
//! experiment through them.

use super::Experiment;

/// The controls of one experiment and where its live result shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Controls {
    /// Test ids of the controls the lesson names, in the order a learner uses them.
    pub controls: &'static [&'static str],
    /// Test id of the element that shows the experiment's live number.
    pub live: &'static str,
}

const TRY: Controls = Controls { controls: &["try-experiment"], live: "results" };

/// The controls of experiment `e`.
pub fn controls(e: &Experiment) -> Controls {
    match e {
        Experiment::SynthPreset { .. }
        | Experiment::ProxyTable { .. }
        | Experiment::Bundled { .. }
        | Experiment::Mitigate { .. }
        | Experiment::ModelCard => TRY,
        Experiment::ExplainRow { lime_seeds, .. } if *lime_seeds > 1 => {
            Controls { controls: &["run-lime-seeds"], live: "lime-seeds-result" }
        }
        Experiment::ExplainRow { .. } => TRY,
        Experiment::Story { part } if *part >= 4 => Controls {
            controls: &["story-threshold-a", "story-threshold-b", "story-policies", "story-keep"],
            live: "story-profit",
        },
        Experiment::Story { part } if *part >= 3 => {
            Controls { controls: &["story-threshold-a", "story-threshold-b", "story-keep"], live: "story-rates" }
        }
        Experiment::Story { .. } => Controls { controls: &["story-threshold", "story-keep"], live: "story-rates" },
        Experiment::BaseRates { .. } => Controls {
            controls: &["base-rate-a", "base-rate-b", "shared-ppv", "shared-fnr", "shared-fpr"],
            live: "fpr-a",
        },
        Experiment::TreeDepth { .. } => Controls { controls: &["run-tree-depths"], live: "tree-depth-chart" },
        Experiment::MembershipInference { .. } => Controls { controls: &["run-membership"], live: "attack-auc" },
        Experiment::LaplaceCount { .. } => {
            Controls { controls: &["laplace-epsilon", "run-laplace"], live: "laplace-curves" }
        }
        Experiment::DpSgd { .. } => {
            Controls { controls: &["dp-clip", "dp-q", "dp-steps", "run-dp-sgd"], live: "privacy-result" }
        }
        Experiment::FedAvg { .. } => Controls { controls: &["fedavg-non-iid", "run-fedavg"], live: "fedavg-groups" },
        Experiment::SecureAggregation { .. } => {
            Controls { controls: &["run-secure-aggregation"], live: "privacy-result" }
        }
        Experiment::Adversarial { .. } => {
            Controls { controls: &["fgsm-epsilon", "adversarial-row", "run-adversarial"], live: "linf-check" }
        }
        Experiment::Drift => Controls { controls: &["drift-shift", "run-drift"], live: "drift-result" },
        Experiment::Footprint => Controls { controls: &["run-footprint"], live: "privacy-result" },
    }
}

/// The other side of the impossibility: with FPR and FNR shared by both groups, each group's
/// PPV = p(1 − FNR) / (p(1 − FNR) + (1 − p)·FPR). `None` when nobody is selected or an input
/// is out of range.
pub fn implied_ppv(base_rate: f64, fpr: f64, fnr: f64) -> Option<f64> {
    let ok = base_rate > 0.0 && base_rate < 1.0 && (0.0..=1.0).contains(&fpr) && (0.0..=1.0).contains(&fnr);
    let tp = base_rate * (1.0 - fnr);
    let selected = tp + (1.0 - base_rate) * fpr;
    (ok && selected > 0.0).then(|| tp / selected).filter(|v| v.is_finite())
}

/// The Laplace mechanism's two output densities for a count query (sensitivity 1) at `epsilon`:
/// on a data set whose true count is 0 and on its neighbour with count 1, at `points` evenly
/// spaced outputs over [`LAPLACE_RANGE`]. Each item is (output, density without, density with).
/// Their ratio never exceeds e^ε (the ε-DP guarantee). Empty for ε ≤ 0 or not finite.
pub fn laplace_curves(epsilon: f64, points: usize) -> Vec<(f64, f64, f64)> {
    if !(epsilon.is_finite() && epsilon > 0.0) || points < 2 {
        return Vec::new();
    }
    let (lo, hi) = LAPLACE_RANGE;
    let density = |x: f64, centre: f64| 0.5 * epsilon * (-(x - centre).abs() * epsilon).exp();
    (0..points)
        .map(|i| {
            let x = lo + (hi - lo) * i as f64 / (points - 1) as f64;
            (x, density(x, 0.0), density(x, 1.0))
        })
        .collect()
}

/// The outputs [`laplace_curves`] spans.
pub const LAPLACE_RANGE: (f64, f64) = (-5.0, 6.0);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn laplace_curves_keep_their_ratio_within_e_to_the_epsilon() {
        for eps in [0.1, 0.5, 1.0, 3.0] {
            let curves = laplace_curves(eps, 111);
            assert_eq!(curves.len(), 111);
            let worst = curves.iter().map(|(_, a, b)| (a / b).max(b / a)).fold(0.0, f64::max);
            assert!(worst <= eps.exp() * (1.0 + 1e-12), "{eps}: {worst}");
            assert!(worst >= eps.exp() * (1.0 - 1e-9), "outside [0, 1] the ratio is exactly e^ε: {worst}");
        }
        assert!(laplace_curves(0.0, 10).is_empty());
    }

    #[test]
    fn shared_fpr_and_fnr_force_ppv_apart() {
        // p = 0.4 and 0.2, FPR 0.1, FNR 0.2: PPV 0.32/0.38 and 0.16/0.24.
        let a = implied_ppv(0.4, 0.1, 0.2).unwrap();
        let b = implied_ppv(0.2, 0.1, 0.2).unwrap();
        assert!((a - 0.32 / 0.38).abs() < 1e-12 && (b - 0.16 / 0.24).abs() < 1e-12, "{a} {b}");
        // Round trip with the FPR identity.
        let fpr = crate::lessons::implied_fpr(0.3, a, 0.2).unwrap();
        assert!((implied_ppv(0.3, fpr, 0.2).unwrap() - a).abs() < 1e-12);
        assert_eq!(implied_ppv(0.3, 0.0, 1.0), None, "nobody selected");
    }
    use crate::lessons::LESSONS;

    /// The page's component sources, read as text.
    const UI: &[&str] = &[
        include_str!("../ui/components/learn.rs"),
        include_str!("../ui/components/privacy.rs"),
        include_str!("../ui/components/fairness.rs"),
        include_str!("../ui/components/story.rs"),
    ];

    #[test]
    fn every_control_a_lesson_names_is_on_the_page() {
        let mut checked = 0;
        for lesson in LESSONS {
            for step in lesson.steps {
                let Some(e) = step.experiment else { continue };
                let c = controls(&e);
                assert!(!c.controls.is_empty(), "{}: {e:?} names no control", lesson.id);
                for id in c.controls.iter().chain([&c.live]) {
                    let quoted = format!("\"{id}\"");
                    assert!(
                        UI.iter().any(|src| src.contains(&quoted)),
                        "{} / {}: no element with data-testid {quoted} in ui/components",
                        lesson.id,
                        step.heading
                    );
                    checked += 1;
                }
            }
        }
        assert!(checked > 30, "{checked}");
    }

    #[test]
    fn the_texts_that_name_a_control_get_it() {
        // The controls the issue found missing: each lesson text names it, and the registry has it.
        let named = |lesson: &str, heading_part: &str| {
            LESSONS
                .iter()
                .filter(|l| l.id == lesson)
                .flat_map(|l| l.steps)
                .find(|s| s.heading.contains(heading_part))
                .and_then(|s| s.experiment)
                .map(|e| controls(&e).controls)
                .unwrap_or_default()
        };
        assert!(named("differential-privacy", "Laplace").contains(&"laplace-epsilon"));
        assert!(named("robustness", "Adversarial examples").contains(&"adversarial-row"));
        assert!(named("robustness", "fast gradient").contains(&"fgsm-epsilon"));
        assert!(named("governance", "drift").contains(&"drift-shift"));
        assert!(named("impossibility", "equalise").contains(&"shared-fpr"));
        assert!(named("explainability", "LIME").contains(&"run-lime-seeds"));
        assert!(named("federated", "IID").contains(&"fedavg-non-iid"));
    }

    #[test]
    fn the_texts_describe_each_control_as_the_page_labels_it() {
        // (lesson, step heading, words of the control's label on the page).
        let described = [
            ("impossibility", "Try to equalise everything", "Or share FPR instead of PPV"),
            ("explainability", "LIME: a simple model near the row", "Run LIME with"),
            ("differential-privacy", "The Laplace mechanism", "ε (privacy loss)"),
            ("differential-privacy", "DP-SGD", "clipping norm C"),
            ("federated", "IID and non-IID clients", "Split the clients by group"),
            ("robustness", "Adversarial examples", "Test row to flip"),
            ("robustness", "The fast gradient sign method", "FGSM ε"),
            ("governance", "Monitor: drift and degradation", "before and after"),
        ];
        let ui = UI.concat();
        for (lesson, heading, label) in described {
            let step = LESSONS
                .iter()
                .filter(|l| l.id == lesson)
                .flat_map(|l| l.steps)
                .find(|s| s.heading == heading)
                .unwrap_or_else(|| panic!("{lesson} / {heading}"));
            let text = step.body.join(" ");
            assert!(text.contains("On the page") && text.contains(label), "{lesson} / {heading}: {text}");
            assert!(step.experiment.is_some(), "{lesson} / {heading}");
            // The words are the page's own (case aside), so the learner can find the control.
            assert!(ui.to_lowercase().contains(&label.to_lowercase()), "{label} is not on the page");
        }
    }
}
