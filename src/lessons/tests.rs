//! Consistency tests of the lesson and quiz data, grading, mock interviews and progress.

use std::collections::{BTreeMap, BTreeSet};

use super::*;

const PRESETS: &[&str] =
    &["historical_bias", "representation_bias", "label_bias", "proxy_bias", "measurement_bias", "fair_baseline"];
const MODELS: &[&str] = &["logistic", "tree", "naive_bayes"];
/// Constraint names of `fairground mitigate --constraint` (docs/cli.md).
const CONSTRAINTS: &[&str] = &[
    "single_threshold",
    "group_thresholds",
    "demographic_parity",
    "equal_opportunity",
    "false_positive_rate_parity",
    "equalized_odds",
];

fn all_text() -> Vec<&'static str> {
    let mut out = Vec::new();
    for l in LESSONS {
        out.extend([l.title, l.summary]);
        out.extend(l.interview.iter().copied());
        for s in l.steps {
            out.push(s.heading);
            out.extend(s.body.iter().copied());
            out.extend(s.check);
        }
    }
    for q in questions() {
        out.extend([q.prompt, q.explanation]);
        if let QuestionKind::Choice { options, .. } = q.kind {
            out.extend(options.iter().copied());
        }
    }
    out
}

#[test]
fn lessons_are_complete_and_numbered() {
    assert_eq!(LESSONS.len(), 10);
    let mut ids = BTreeSet::new();
    for (i, l) in LESSONS.iter().enumerate() {
        assert_eq!(usize::from(l.number), i + 1, "lesson {} is out of order", l.id);
        assert!(ids.insert(l.id), "duplicate lesson id {}", l.id);
        assert!(l.steps.len() >= 3, "lesson {} has {} steps", l.id, l.steps.len());
        assert!(l.interview.len() >= 3, "lesson {} has too few interview bullets", l.id);
        assert!(l.steps.iter().filter(|s| s.experiment.is_some()).count() >= 1, "lesson {} has no experiment", l.id);
        for s in l.steps {
            assert!(!s.heading.is_empty() && !s.body.is_empty(), "empty step in {}", l.id);
            assert!(s.body.iter().all(|p| p.len() > 40), "a paragraph of {} is suspiciously short", l.id);
        }
        assert_eq!(lesson(l.id).map(|x| x.number), Some(l.number));
    }
    assert!(lesson("nope").is_none());
}

#[test]
fn experiments_name_known_presets_models_and_constraints() {
    for l in LESSONS {
        for s in l.steps {
            match s.experiment {
                Some(Experiment::SynthPreset { preset, model, .. }) => {
                    assert!(PRESETS.contains(&preset), "{preset}");
                    assert!(MODELS.contains(&model), "{model}");
                }
                Some(Experiment::ProxyTable { preset }) => assert!(PRESETS.contains(&preset)),
                Some(Experiment::Bundled { dataset, .. }) => assert!(["adult", "german", "compas"].contains(&dataset)),
                Some(Experiment::Mitigate { constraint }) => assert!(CONSTRAINTS.contains(&constraint), "{constraint}"),
                Some(Experiment::BaseRates { a, b }) => assert!(a > 0.0 && a < 1.0 && b > 0.0 && b < 1.0),
                Some(Experiment::ExplainRow { methods, lime_seeds }) => {
                    assert!(!methods.is_empty() && lime_seeds >= 1);
                    assert!(methods.iter().all(|m| ["shap", "lime", "kernel_shap"].contains(m)));
                }
                Some(Experiment::MembershipInference { attack }) => {
                    assert!(["confidence_threshold", "shadow_model"].contains(&attack))
                }
                Some(Experiment::DpSgd { noise, clip, q, steps }) => {
                    assert!(noise >= 0.0 && clip > 0.0 && q > 0.0 && q <= 1.0 && steps > 0)
                }
                Some(Experiment::LaplaceCount { epsilon }) => assert!(epsilon > 0.0),
                Some(Experiment::TreeDepth { depth }) => assert!(depth >= 1),
                Some(Experiment::SecureAggregation { clients }) => assert!(clients >= 2),
                _ => {}
            }
        }
    }
    // The six bias presets are all used in lesson 1 (the baseline may appear anywhere).
    let used: BTreeSet<&str> = LESSONS
        .iter()
        .flat_map(|l| l.steps.iter())
        .filter_map(|s| match s.experiment {
            Some(Experiment::SynthPreset { preset, .. }) | Some(Experiment::ProxyTable { preset }) => Some(preset),
            _ => None,
        })
        .collect();
    for p in ["historical_bias", "representation_bias", "label_bias", "proxy_bias", "measurement_bias"] {
        assert!(used.contains(p), "preset {p} is never used");
    }
}

#[test]
fn questions_are_well_formed() {
    let mut ids = BTreeSet::new();
    let mut per_lesson: BTreeMap<&str, usize> = BTreeMap::new();
    for q in questions() {
        assert!(ids.insert(q.id), "duplicate question id {}", q.id);
        assert!(lesson(q.lesson).is_some(), "question {} names unknown lesson {}", q.id, q.lesson);
        assert!(!q.prompt.is_empty() && q.explanation.len() > 20, "question {} lacks text", q.id);
        *per_lesson.entry(q.lesson).or_default() += 1;
        match q.kind {
            QuestionKind::Choice { options, correct } => {
                assert!(options.len() >= 2, "{}", q.id);
                assert!(correct < options.len(), "{}: correct {} of {}", q.id, correct, options.len());
                let unique: BTreeSet<&str> = options.iter().copied().collect();
                assert_eq!(unique.len(), options.len(), "{} repeats an option", q.id);
            }
            QuestionKind::Numeric { answer, tolerance } => {
                assert!(answer.is_finite() && tolerance > 0.0 && tolerance.is_finite(), "{}", q.id)
            }
            QuestionKind::Live(_) => {}
        }
        assert_eq!(question(q.id).map(|x| x.id), Some(q.id));
    }
    let first: usize = LESSONS.iter().take(5).map(|l| per_lesson.get(l.id).copied().unwrap_or(0)).sum();
    let second: usize = LESSONS.iter().skip(5).map(|l| per_lesson.get(l.id).copied().unwrap_or(0)).sum();
    assert!(first >= 40, "lessons 1-5 have {first} questions");
    assert!(second >= 25, "lessons 6-10 have {second} questions");
    for l in LESSONS {
        assert!(per_lesson.get(l.id).copied().unwrap_or(0) >= 5, "lesson {} has too few questions", l.id);
    }
}

/// A group's confusion matrix for recomputing the lesson 2 answers.
struct Cm {
    tp: f64,
    fp: f64,
    fn_: f64,
    tn: f64,
}

impl Cm {
    fn selection(&self) -> f64 {
        (self.tp + self.fp) / (self.tp + self.fp + self.fn_ + self.tn)
    }
    fn tpr(&self) -> f64 {
        self.tp / (self.tp + self.fn_)
    }
    fn fpr(&self) -> f64 {
        self.fp / (self.fp + self.tn)
    }
    fn ppv(&self) -> f64 {
        self.tp / (self.tp + self.fp)
    }
}

/// Every numeric question's answer recomputed here from the figures in its prompt; the prompt
/// must contain those figures (so editing one without the other fails).
#[test]
fn numeric_answers_check_out() {
    let a = Cm { tp: 30.0, fp: 20.0, fn_: 10.0, tn: 40.0 };
    let b = Cm { tp: 18.0, fp: 10.0, fn_: 12.0, tn: 60.0 };
    let matrices = "Group A: TP = 30, FP = 20, FN = 10, TN = 40. Group B: TP = 18, FP = 10, FN = 12, TN = 60.";
    let linear = |w: [f64; 2], b: f64, x: [f64; 2]| w[0] * x[0] + w[1] * x[1] + b;
    let expected: Vec<(&str, f64, Vec<&str>)> = vec![
        ("bias-flag-ratio", (60.0 / 300.0) / (20.0 / 400.0), vec!["20 of 400", "60 of 300"]),
        ("def-num-dpd", a.selection() - b.selection(), vec![matrices]),
        ("def-num-dpr", b.selection() / a.selection(), vec![matrices]),
        ("def-num-eod", (a.tpr() - b.tpr()).max(a.fpr() - b.fpr()), vec![matrices]),
        ("def-num-ppv", b.ppv(), vec![matrices]),
        ("imp-num-a", implied_fpr(0.4, 0.8, 0.2).unwrap(), vec!["p = 0.4", "PPV = 0.8", "FNR = 0.2"]),
        ("imp-num-b", implied_fpr(0.2, 0.8, 0.2).unwrap(), vec!["p = 0.2", "PPV = 0.8", "FNR = 0.2"]),
        ("imp-num-c", implied_fpr(0.5, 0.75, 0.1).unwrap(), vec!["p = 0.5", "PPV = 0.75", "FNR = 0.1"]),
        // Linear SHAP wᵢ(xᵢ − meanᵢ) and IG with the mean as baseline.
        ("exp-num-linear-shap", -0.5 * (2.0 - 4.0), vec!["0.8·x₁ − 0.5·x₂", "x₁ = 1 and x₂ = 4", "x₁ = 3, x₂ = 2"]),
        ("exp-num-ig", 0.8 * (3.0 - 1.0), vec!["0.8·x₁", "x′ = (1, 4)", "x₁ = 3"]),
        // Shapley value of A: average of v(A) − v(∅) and v(AB) − v(B).
        (
            "exp-num-shapley-game",
            ((10.0 - 0.0) + (50.0 - 20.0)) / 2.0,
            vec!["0, with A alone 10", "B alone 20", "both 50"],
        ),
        ("pa-num-advantage", 80.0 / 100.0 - 30.0 / 100.0, vec!["80 of the members", "30 of the non-members"]),
        ("dp-num-laplace-scale", 1.0 / 0.5, vec!["sensitivity 1", "ε = 0.5"]),
        ("dp-num-factor", libm::exp(libm::log(3.0)), vec!["ε = ln 3"]),
        ("dp-num-batch", 0.01 * 20_000.0, vec!["n = 20,000", "q = 0.01"]),
        (
            "fl-num-average",
            (100.0 * 0.2 + 300.0 * 0.6) / 400.0,
            vec!["100 examples and weight 0.2", "300 examples and weight 0.6"],
        ),
        ("fl-num-mask", -2.0 - 3.0 + 4.0, vec!["u₂ = −2", "r₁₂ = 3", "r₂₃ = 4"]),
        (
            "rob-num-l2",
            linear([3.0, 4.0], -2.0, [1.0, 1.0]) / libm::sqrt(9.0 + 16.0),
            vec!["3·x₁ + 4·x₂ − 2", "x = (1, 1)"],
        ),
        ("rob-num-linf", linear([3.0, 4.0], -2.0, [1.0, 1.0]) / 7.0, vec!["3·x₁ + 4·x₂ − 2", "x = (1, 1)"]),
        ("rob-num-fgsm", linear([3.0, 4.0], -2.0, [0.5, 0.5]), vec!["3·x₁ + 4·x₂ − 2", "ε = 0.5"]),
        ("gov-num-energy", 300.0 * (2e15 / 1e12) / 3.6e6, vec!["2 × 10¹⁵", "10¹²", "300 W"]),
        ("gov-num-carbon", 0.5 * 400.0, vec!["0.5 kWh", "400 g"]),
    ];
    let numeric: BTreeSet<&str> =
        questions().filter(|q| matches!(q.kind, QuestionKind::Numeric { .. })).map(|q| q.id).collect();
    let covered: BTreeSet<&str> = expected.iter().map(|(id, _, _)| *id).collect();
    assert_eq!(numeric, covered, "every numeric question must be recomputed here");
    for (id, value, figures) in expected {
        let q = question(id).unwrap();
        let QuestionKind::Numeric { answer, tolerance } = q.kind else { panic!("{id} is not numeric") };
        assert!((answer - value).abs() <= tolerance, "{id}: stored {answer}, recomputed {value}");
        for f in figures {
            assert!(q.prompt.contains(f), "{id}: prompt lacks {f:?}");
        }
    }
}

/// Lesson 3's worked example: with PPV 0.8 and FNR 0.2, base rates 0.4 and 0.2 force FPRs of
/// 80/600 and 40/800 (counting 1,000 people, as the lesson text does).
#[test]
fn chouldechova_identity_holds_on_lesson_3_example() {
    let l = lesson("impossibility").unwrap();
    let text: String = l.steps.iter().flat_map(|s| s.body.iter().copied()).collect::<Vec<_>>().join(" ");
    assert!(text.contains("80/600") && text.contains("40/800"));
    for (p, fp, negatives) in [(0.4, 80.0, 600.0), (0.2, 40.0, 800.0)] {
        let n = 1000.0;
        let tp: f64 = 0.8 * p * n; // FNR 0.2
        assert!((tp / (tp + fp) - 0.8).abs() < 1e-12, "PPV of the worked example");
        assert!((implied_fpr(p, 0.8, 0.2).unwrap() - fp / negatives).abs() < 1e-12);
    }
}

#[test]
fn grading_choice_numeric_and_live() {
    let q = question("def-eo-rate").unwrap();
    assert!(grade(q, Answer::Choice(2), &[]).is_correct());
    let wrong = grade(q, Answer::Choice(0), &[]);
    assert_eq!(wrong.outcome, Outcome::Incorrect);
    assert_eq!(wrong.expected, "True positive rate");
    assert_eq!(grade(q, Answer::Choice(99), &[]).outcome, Outcome::Incorrect);
    assert_eq!(grade(q, Answer::Number(2.0), &[]).outcome, Outcome::Incorrect);

    let n = question("def-num-dpd").unwrap(); // 0.22 ± 0.005
    assert!(grade(n, Answer::Number(0.223), &[]).is_correct());
    assert_eq!(grade(n, Answer::Number(0.23), &[]).outcome, Outcome::Incorrect);
    assert_eq!(grade(n, Answer::Number(f64::NAN), &[]).outcome, Outcome::Incorrect);
    assert_eq!(grade(n, Answer::Number(0.22), &[]).expected, "0.22");

    let live = question("bias-live-fpr").unwrap();
    assert_eq!(grade(live, Answer::Choice(0), &[]).outcome, Outcome::NotAnswerable);
    let groups = [
        LiveGroup {
            name: "A".into(),
            count: 50,
            base_rate: Some(0.3),
            selection_rate: Some(0.3),
            tpr: Some(0.8),
            fpr: Some(0.1),
            ppv: Some(0.7),
            accuracy: Some(0.8),
        },
        LiveGroup {
            name: "B".into(),
            count: 50,
            base_rate: Some(0.3),
            selection_rate: Some(0.4),
            tpr: Some(0.8),
            fpr: Some(0.3),
            ppv: Some(0.6),
            accuracy: Some(0.7),
        },
    ];
    let g = grade(live, Answer::Choice(1), &groups);
    assert!(g.is_correct());
    assert_eq!(g.expected, "B");
    assert!(g.detail.unwrap().contains("B 0.300"));
}

#[test]
fn mock_interview_is_seeded_distinct_and_spread() {
    for seed in [0, 1, 42, 2026] {
        let a = mock_interview(seed, 10);
        let b = mock_interview(seed, 10);
        assert_eq!(a.iter().map(|q| q.id).collect::<Vec<_>>(), b.iter().map(|q| q.id).collect::<Vec<_>>());
        assert_eq!(a.len(), 10);
        let ids: BTreeSet<&str> = a.iter().map(|q| q.id).collect();
        assert_eq!(ids.len(), 10, "questions repeat");
        let lessons: BTreeSet<&str> = a.iter().map(|q| q.lesson).collect();
        assert!(lessons.len() >= 5, "seed {seed} spans only {} lessons", lessons.len());
        assert!(a.iter().all(|q| !matches!(q.kind, QuestionKind::Live(_))));
    }
    let seeds: BTreeSet<Vec<&str>> = (0..5).map(|s| mock_interview(s, 10).iter().map(|q| q.id).collect()).collect();
    assert!(seeds.len() > 1, "different seeds should give different interviews");
    // Asking for more than exist returns every static question once.
    let all = mock_interview(7, 10_000);
    let statics = questions().filter(|q| !matches!(q.kind, QuestionKind::Live(_))).count();
    assert_eq!(all.len(), statics);
}

#[test]
fn progress_round_trips_through_json() {
    let mut p = Progress::default();
    p.record("def-eo-rate", true);
    p.record("bias-historical", false);
    p.record("bias-historical", true);
    p.record("def-eo-rate", false);
    assert_eq!(p.answered_count(), 2);
    assert_eq!(p.correct_count(), 1);
    assert_eq!(p.lesson_counts("bias"), (1, 1));
    assert_eq!(p.lesson_counts("definitions"), (1, 0));
    let json = p.to_json();
    assert_eq!(
        json,
        r#"{"version":2,"answered":["bias-historical","def-eo-rate"],"correct":["bias-historical"],"boxes":{"bias-historical":1,"def-eo-rate":0}}"#
    );
    assert_eq!(Progress::from_json(&json).unwrap(), p);
    assert!(matches!(Progress::from_json("not json"), Err(ProgressError::Parse(_))));
    assert!(matches!(Progress::from_json(r#"{"version":3}"#), Err(ProgressError::Version(3))));
    // Missing fields default; a correct id that was never answered is dropped.
    let q = Progress::from_json(r#"{"correct":["x"]}"#).unwrap();
    assert_eq!(q, Progress::default());
}

/// Today's stored format (version 1: no version field, no boxes) is migrated: right answers
/// start in box 1, misses in box 0, so the misses come back first.
#[test]
fn version_one_progress_is_migrated() {
    let v1 = r#"{"answered":["bias-historical","def-eo-rate","imp-statement"],"correct":["bias-historical","imp-statement"]}"#;
    let p = Progress::from_json(v1).unwrap();
    assert_eq!(p.version, PROGRESS_VERSION);
    assert_eq!(p.boxes.get("bias-historical"), Some(&1));
    assert_eq!(p.boxes.get("def-eo-rate"), Some(&0));
    assert_eq!(p.boxes.len(), 3);
    assert!(p.to_json().starts_with(r#"{"version":2,"#));
    assert_eq!(Progress::from_json(&p.to_json()).unwrap(), p);
    // Boxes of unanswered ids are dropped, and boxes are capped.
    let odd = Progress::from_json(r#"{"version":2,"answered":["a"],"correct":["a"],"boxes":{"a":99,"b":1}}"#).unwrap();
    assert_eq!(odd.boxes.get("a"), Some(&TOP_BOX));
    assert_eq!(odd.boxes.get("b"), None);
}

/// Spaced repetition: missed questions return first, then unanswered, then by box.
#[test]
fn missed_questions_return_first() {
    let mut p = Progress::default();
    p.record("a", true);
    p.record("a", true);
    p.record("b", true);
    p.record("c", false);
    assert_eq!(p.review_order(&["a", "b", "c", "d"]), vec!["c", "d", "b", "a"]);
    p.record("c", true);
    assert_eq!(p.review_order(&["a", "b", "c", "d"])[0], "d");
    // The quick quiz puts a missed question first.
    let mut p = Progress::default();
    p.record("gov-distillation", false);
    for seed in 0..5 {
        let q = quick_quiz(seed, 10, &p);
        assert_eq!(q.len(), 10);
        assert_eq!(q[0].id, "gov-distillation");
        let ids: BTreeSet<&str> = q.iter().map(|q| q.id).collect();
        assert_eq!(ids.len(), 10);
    }
    assert_eq!(
        quick_quiz(3, 10, &Progress::default()).iter().map(|q| q.id).collect::<Vec<_>>(),
        mock_interview(3, 10).iter().map(|q| q.id).collect::<Vec<_>>()
    );
}

#[test]
fn data_serialises_for_the_ui() {
    let json = serde_json::to_string(LESSONS).unwrap();
    assert!(json.contains(r#""kind":"synth_preset","preset":"historical_bias""#));
    let q = serde_json::to_string(question("bias-live-fpr").unwrap()).unwrap();
    assert!(q.contains(r#""kind":{"kind":"live","question":"higher_fpr"}"#), "{q}");
    let a: Answer = serde_json::from_str(r#"{"kind":"choice","value":2}"#).unwrap();
    assert_eq!(a, Answer::Choice(2));
}

#[test]
fn language_follows_fairlearn() {
    for t in all_text() {
        let lower = t.to_lowercase();
        assert!(!lower.contains("debias"), "say assess/mitigate, not debias: {t}");
        assert!(!t.contains("  "), "double space in: {t}");
    }
}

#[test]
fn types_are_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<Lesson>();
    check::<Question>();
    check::<LiveGroup>();
    check::<LiveAnswer>();
    check::<Graded>();
    check::<Progress>();
}

#[test]
fn the_fewest_edits_question_reads_the_counterfactual_search() {
    use crate::lessons::{grade_live, FlipFacts, LiveAnswer, LiveData};
    let q = questions().find(|q| q.id == "xai-live-fewest-edits").expect("the question exists");
    let QuestionKind::Live(live) = q.kind else { panic!("not live") };
    // Without a search there is nothing to ask.
    assert_eq!(live.answer_live(&LiveData::default()), None);
    let facts = |fewest: Option<usize>| FlipFacts {
        row: 17,
        positive: false,
        fewest,
        example: fewest.map(|_| "hours_per_week: 40 → 60".to_string()),
        candidates: 250,
    };
    for (fewest, correct) in [(Some(1), 0), (Some(2), 1), (None, 2)] {
        let data = LiveData { groups: vec![], flip: Some(facts(fewest)) };
        let Some(LiveAnswer::Choice { options, correct: c, detail }) = live.answer_live(&data) else { panic!() };
        assert_eq!(options, vec!["1 feature", "2 features", NO_FLIP_WITHIN_TWO]);
        assert_eq!(c, correct, "{detail}");
        assert!(detail.contains("row 17") || detail.contains("Row 17"), "{detail}");
        assert!(grade_live(q, Answer::Choice(correct), &data).is_correct());
        assert!(!grade_live(q, Answer::Choice((correct + 1) % 3), &data).is_correct());
    }
}

// ---- Issue 23, section 1: one test per fixed item where a test can hold it. ----

/// Text of one lesson (steps, checks, interview bullets) and of its questions.
fn lesson_text(id: &str) -> String {
    let l = lesson(id).expect("lesson exists");
    let mut out: Vec<&str> = l.interview.to_vec();
    for s in l.steps {
        out.extend(s.body.iter().copied());
        out.extend(s.check);
    }
    for q in questions_for(id) {
        out.extend([q.prompt, q.explanation]);
    }
    out.join(" ")
}

/// Item 9: every option of every multiple-choice question has its own note, and the note of
/// the right option says so.
#[test]
fn every_option_of_every_choice_question_is_explained() {
    for q in questions() {
        if let QuestionKind::Choice { options, correct } = q.kind {
            let notes = option_notes(q.id).unwrap_or_else(|| panic!("{} has no option notes", q.id));
            assert_eq!(notes.len(), options.len(), "{}: {} notes for {} options", q.id, notes.len(), options.len());
            for (i, n) in notes.iter().enumerate() {
                assert!(n.len() > 15, "{} option {i}: note too short", q.id);
                assert_eq!(n.starts_with("Right"), i == correct, "{} option {i}: {n}", q.id);
            }
            let g = grade(q, Answer::Choice(correct), &[]);
            assert_eq!(g.chosen_note, notes.get(correct).copied());
        }
    }
    // No stale notes for questions that no longer exist or are not multiple choice.
    for (id, _) in super::notes::NOTES {
        assert!(matches!(question(id).map(|q| q.kind), Some(QuestionKind::Choice { .. })), "stale notes for {id}");
    }
}

/// Item 9: options are shuffled by a seed per attempt: each order is a permutation, equal
/// attempts repeat, retries differ, and the right answer does not sit at one place.
#[test]
fn options_are_shuffled_by_attempt() {
    let mut first_place = BTreeSet::new();
    for q in questions() {
        if let QuestionKind::Choice { options, correct } = q.kind {
            let n = options.len();
            let orders: BTreeSet<Vec<usize>> = (0..8).map(|a| option_order(q.id, a, n)).collect();
            for o in &orders {
                let mut sorted = o.clone();
                sorted.sort_unstable();
                assert_eq!(sorted, (0..n).collect::<Vec<_>>(), "{}", q.id);
            }
            assert!(orders.len() > 1, "{}: the same order on every attempt", q.id);
            assert_eq!(option_order(q.id, 3, n), option_order(q.id, 3, n));
            first_place.insert(option_order(q.id, 0, n).iter().position(|i| *i == correct));
        }
    }
    assert!(first_place.len() >= 3, "the right answer sits at {first_place:?} only");
}

/// Item 1: the label-bias lesson says label-conditioned criteria can't fix label bias while a
/// label-free constraint or corrected labels partly can; it no longer says nothing downstream helps.
#[test]
fn label_bias_is_stated_without_contradiction() {
    let t = lesson_text("bias");
    assert!(t.contains("label-free constraint"), "lesson 1 must name the label-free route");
    assert!(t.contains("corrected labels"));
    assert!(!t.contains("nothing downstream"), "lesson 1 still says nothing downstream helps");
    assert!(!t.contains("No threshold, constraint or reweighting"));
}

/// Item 2: AIF360's statistical parity difference is signed, unprivileged − privileged.
#[test]
fn aif360_statistical_parity_is_signed() {
    let t = lesson_text("definitions");
    assert!(t.contains("statistical_parity_difference is signed: unprivileged minus privileged"), "{t}");
    assert!(!t.contains("max − min selection rate; AIF360"));
}

/// Item 3: dropping the column loses measurement only if collection stops too.
#[test]
fn dropping_the_column_keeps_measurement() {
    let t = lesson_text("bias");
    assert!(t.contains("only if you also stopped collecting it"));
    assert!(!t.contains("takes away your ability to measure the gap"));
}

/// Item 4: the PPV = 1 exception in the lesson, its question and the identity.
#[test]
fn the_ppv_one_exception_is_taught() {
    let t = lesson_text("impossibility");
    assert!(t.contains("PPV = 1"), "lesson 3 must name the PPV = 1 exception");
    let q = question("imp-exceptions").unwrap();
    let QuestionKind::Choice { options, correct } = q.kind else { panic!() };
    assert!(options[correct].contains("PPV = 1"), "{}", options[correct]);
    assert_eq!(implied_fpr(0.4, 1.0, 0.5), Some(0.0));
    assert_eq!(implied_fpr(0.2, 1.0, 0.5), Some(0.0));
}

/// Item 6: the tree-depth explanation agrees with the lesson (accuracy plateaus first).
#[test]
fn tree_depth_explanation_agrees_with_the_lesson() {
    let q = question("exp-tree-depth").unwrap();
    assert!(!q.explanation.contains("long before accuracy stops improving"), "{}", q.explanation);
    assert!(q.explanation.contains("stops improving at a modest depth"));
}

/// Item 7: randomised thresholds are taught, and the criminal-justice card calls the choice contested.
#[test]
fn equalized_odds_needs_randomised_thresholds_and_is_contested() {
    let t = lesson_text("choosing");
    assert!(t.contains("randomised thresholds"));
    assert!(t.contains("contested"));
    let q = question("choose-justice").unwrap();
    assert!(q.explanation.contains("not the settled one"), "{}", q.explanation);
}

/// Item 8: counterfactuals are taught before the live question, whose third option is honest.
#[test]
fn counterfactuals_are_taught_and_the_third_option_is_honest() {
    let l = lesson("explainability").unwrap();
    assert!(l.steps.iter().any(|s| s.heading.contains("Counterfactual")), "no counterfactual step");
    let t = lesson_text("explainability");
    assert!(t.contains("Recourse"));
    assert!(!all_text().iter().any(|t| t.contains("more than 2")));
}

/// Item 9: the listed overclaims and throwaway distractors are gone.
#[test]
fn overclaims_and_throwaway_distractors_are_gone() {
    let text = all_text().join(" ");
    for gone in [
        "a worse step for everyone",
        "the one source where more data really helps",
        "chance of the bound failing",
        "chance the guarantee fails",
        "Its users' passwords",
        "Overfitting encrypts the training data",
        "Always 1",
    ] {
        assert!(!text.contains(gone), "still says: {gone}");
    }
    // Explanations that add something beyond the answer's name.
    for id in ["pa-inversion", "rob-reward-hacking"] {
        assert!(question(id).unwrap().explanation.len() > 120, "{id}'s explanation restates the answer");
    }
}

/// Item 5: the lesson states that secure aggregation masks uniformly modulo 2^32 after
/// quantising, which is what `core::privacy::secure_aggregate` does (tested there).
#[test]
fn secure_aggregation_lesson_matches_the_demo() {
    let t = lesson_text("federated");
    assert!(t.contains("modulo 2^32") && t.contains("fixed-point"), "lesson 8 must say how the masks work");
}

// ---- Issue 23, section 4: the open mock interview. ----

#[test]
fn the_open_interview_has_answers_rubrics_and_probes() {
    use crate::lessons::coach::EventKind;
    use crate::lessons::interview::{case, prompt, CASES, PROMPTS, RUBRIC};
    assert!(PROMPTS.len() >= 25, "{} prompts", PROMPTS.len());
    let mut ids = BTreeSet::new();
    for p in PROMPTS {
        assert!(ids.insert(p.id), "duplicate prompt {}", p.id);
        assert!(lesson(p.lesson).is_some(), "{} names unknown lesson {}", p.id, p.lesson);
        assert!(p.prompt.ends_with('?') || p.prompt.ends_with('.'), "{}", p.id);
        assert!(p.answer.len() > 250, "{}: model answer too short", p.id);
        assert!(p.rubric.iter().all(|r| r.len() > 10), "{}: an empty rubric point", p.id);
        assert!((1..=2).contains(&p.probes.len()), "{}: {} probes", p.id, p.probes.len());
        assert!(p.probes.iter().all(|q| q.ends_with('?')), "{}: a probe is not a question", p.id);
        assert_eq!(prompt(p.id).map(|x| x.id), Some(p.id));
    }
    assert_eq!(RUBRIC.len(), 5);
    // Both source guides' sample questions, in our own words.
    for id in [
        "iv-incompatible",
        "iv-dp-protects",
        "iv-fair-model",
        "iv-private-recsys",
        "iv-interpretable",
        "iv-governance",
        "iv-carbon",
        "iv-who-harmed",
        "iv-data-assumptions",
        "iv-explain-decision",
        "iv-monitoring",
    ] {
        assert!(prompt(id).is_some(), "missing sample question {id}");
    }
    // The issue's two probes.
    let probes: Vec<&str> = PROMPTS.iter().flat_map(|p| p.probes.iter().copied()).collect();
    assert!(probes.iter().any(|q| q.contains("drop the sensitive attribute")));
    assert!(probes.iter().any(|q| q.contains("unknown at inference")));
    assert!(CASES.len() >= 3);
    for c in CASES {
        assert_eq!(case(c.id).map(|x| x.id), Some(c.id));
        assert!(c.minutes > 0 && c.brief.len() > 80 && c.debrief.len() > 80, "{}", c.id);
        for needed in [
            EventKind::ProxiesChecked,
            EventKind::IntervalsComputed,
            EventKind::ConstraintRun,
            EventKind::RowExplained,
            EventKind::ReportExported,
        ] {
            assert!(c.steps.iter().any(|s| s.event == needed), "{} lacks {needed:?}", c.id);
        }
    }
}

// ---- Issue 23, section 3: predict-then-reveal, questions inside steps, library calls, topics. ----

fn step_exists(lesson_id: &str, heading: &str) -> bool {
    lesson(lesson_id).is_some_and(|l| l.steps.iter().any(|s| s.heading == heading))
}

#[test]
fn every_experiment_step_has_a_prediction_and_library_calls() {
    use crate::lessons::guide::{calls_for, prediction, PREDICTIONS};
    for l in LESSONS {
        for s in l.steps {
            if let Some(e) = s.experiment {
                let p =
                    prediction(l.id, s.heading).unwrap_or_else(|| panic!("{} / {}: no prediction", l.id, s.heading));
                assert!(p.options.len() >= 2 && p.prompt.ends_with('?'), "{} / {}", l.id, s.heading);
                assert!(!calls_for(&e).is_empty());
                assert!(calls_for(&e).iter().all(|c| !c.call.is_empty() && !c.convention.is_empty()));
            }
        }
    }
    let mut seen = BTreeSet::new();
    for p in PREDICTIONS {
        assert!(step_exists(p.lesson, p.step), "prediction names unknown step {} / {}", p.lesson, p.step);
        assert!(seen.insert((p.lesson, p.step)), "two predictions for {} / {}", p.lesson, p.step);
    }
}

#[test]
fn inline_questions_name_real_steps_of_their_lesson() {
    use crate::lessons::guide::{inline_questions, is_inline, INLINE};
    let mut seen = BTreeSet::new();
    for (l, s, qs) in INLINE {
        assert!(step_exists(l, s), "unknown step {l} / {s}");
        for id in *qs {
            let q = question(id).unwrap_or_else(|| panic!("unknown question {id}"));
            assert_eq!(q.lesson, *l, "{id} belongs to {}", q.lesson);
            assert!(seen.insert(*id), "{id} is asked in two steps");
        }
    }
    // Every lesson asks at least three questions inside its steps.
    for l in LESSONS {
        let n: usize = l.steps.iter().map(|s| inline_questions(l.id, s.heading).len()).sum();
        assert!(n >= 3, "lesson {} asks {n} questions inside its steps", l.id);
    }
    assert!(is_inline("bias-historical") && !is_inline("bias-flag-ratio"));
}

#[test]
fn every_topic_of_issue_23_maps_to_where_it_is_taught() {
    use crate::lessons::guide::TOPICS;
    for (topic, l, s) in TOPICS {
        assert!(step_exists(l, s), "{topic}: unknown step {l} / {s}");
    }
    for needed in [
        "calibration within groups",
        "independence / separation / sufficiency",
        "randomised thresholds",
        "Shapley axioms",
        "RDP → (ε, δ)",
        "local vs central DP",
        "uncertainty of small-group metrics",
        "recourse",
        "intersectionality",
        "model inversion",
        "model extraction",
    ] {
        assert!(TOPICS.iter().any(|(t, _, _)| *t == needed), "topic {needed} is not mapped");
    }
}

#[test]
fn one_story_runs_through_lessons_1_to_4_before_the_real_data() {
    use crate::lessons::story::PARTS;
    for (k, l) in LESSONS.iter().enumerate() {
        let parts: Vec<(usize, u8)> = l
            .steps
            .iter()
            .enumerate()
            .filter_map(|(i, s)| match s.experiment {
                Some(Experiment::Story { part }) => Some((i, part)),
                _ => None,
            })
            .collect();
        if k >= 4 {
            assert!(parts.is_empty(), "lesson {} has a story part", l.id);
            continue;
        }
        // Exactly one part per lesson, numbered as the lesson, and registered in story::PARTS.
        assert_eq!(parts.iter().map(|p| p.1).collect::<Vec<_>>(), vec![l.number], "lesson {}", l.id);
        let (at, part) = parts[0];
        assert!(PARTS.iter().any(|p| p.number == part && p.lesson == l.id), "{}: part {part}", l.id);
        // The story comes before the lesson's real data sets.
        let real = l.steps.iter().position(|s| {
            matches!(
                s.experiment,
                Some(Experiment::Bundled { .. })
                    | Some(Experiment::SynthPreset { .. })
                    | Some(Experiment::ProxyTable { .. })
                    | Some(Experiment::Mitigate { .. })
            )
        });
        assert!(real.is_none_or(|r| at < r), "lesson {}: the story comes after the real data", l.id);
        // Each part after the first says it starts from the previous lesson's result.
        let text = l.steps[at].body.join(" ");
        assert!(text.contains("Harbour Credit") || text.contains("lender"), "{}", l.id);
        if l.number > 1 {
            assert!(text.contains(&format!("kept in lesson {}", l.number - 1)), "lesson {}: {text}", l.id);
        }
    }
}

#[test]
fn every_topic_has_a_question_from_the_lesson_that_teaches_it() {
    use crate::lessons::guide::{inline_questions, topic_questions, TOPICS, TOPIC_QUESTIONS};
    for (topic, l, step) in TOPICS {
        let ids = topic_questions(topic);
        assert!(!ids.is_empty(), "topic {topic} has no question");
        for id in ids {
            let q = question(id).unwrap_or_else(|| panic!("{topic}: unknown question {id}"));
            assert_eq!(q.lesson, *l, "{topic}: {id} belongs to {}", q.lesson);
            if let QuestionKind::Choice { options, .. } = q.kind {
                assert_eq!(option_notes(id).map(<[_]>::len), Some(options.len()), "{id}: options not all explained");
            }
        }
        // At least one of them is asked in the very step that teaches the topic.
        assert!(
            ids.iter().any(|id| inline_questions(l, step).contains(id)) || !step_exists(l, step),
            "{topic}: none of {ids:?} is asked in {l} / {step}"
        );
    }
    for (topic, _) in TOPIC_QUESTIONS {
        assert!(TOPICS.iter().any(|(t, _, _)| t == topic), "questions for unmapped topic {topic}");
    }
}
