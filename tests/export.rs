//! Exports built from a real session: a small CSV with hostile column and group names is
//! loaded, trained, audited with bootstrap intervals and mitigated through the same code the
//! worker runs; every expected number is read back from that snapshot (the exports must repeat
//! it, formatted by `fmt_rate`, not compute anything of their own).
// Test code: clippy.toml frees #[test] functions, not the helpers beside them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use fairground::core::metrics::{AuditOptions, BootstrapSpec, Thresholds, RATES};
use fairground::core::models::ModelSpec;
use fairground::core::postprocess::{self, Constraint, MitigationSpec, Objective};
use fairground::core::roles::{Binning, PositiveRule, Roles, SensitiveSpec};
use fairground::core::split::SplitSpec;
use fairground::core::train::TrainSpec;
use fairground::export::*;
use fairground::protocol::{ReplyBody, Request, TrainView};
use fairground::session::Session;
use proptest::prelude::*;

const GROUP_SCRIPT: &str = "<script>alert(1)</script>";
const GROUP_AMP: &str = "A&B|`c` \"q\" 'a'";
const COLUMN_IMG: &str = "<img src=x onerror=alert(1)>";

fn csv_text() -> String {
    let mut s = format!("age,\"{}\",approved\n", COLUMN_IMG.replace('"', "\"\""));
    for i in 0..400 {
        let group = if i % 3 == 0 { GROUP_SCRIPT } else { GROUP_AMP };
        let age = 20 + (i * 7) % 50;
        let bonus = if group == GROUP_AMP { 6 } else { 0 };
        let approved = if age + bonus > 45 || i % 11 == 0 { "yes" } else { "no" };
        s.push_str(&format!("{age},\"{}\",{approved}\n", group.replace('"', "\"\"")));
    }
    s
}

fn roles() -> Roles {
    Roles {
        target: "approved".into(),
        positive: PositiveRule::Values(vec!["yes".into()]),
        sensitive: vec![SensitiveSpec { column: COLUMN_IMG.into(), binning: Binning::None }],
        exclude: vec![],
        drop_sensitive: false,
        min_group_size: 30,
        model_outputs: vec![],
        include: vec![],
        max_levels: None,
    }
}

/// A full snapshot from a real session, plus the train view (for the CSV test).
fn snapshot() -> (SessionSnapshot, TrainView) {
    let mut session = Session::new();
    let mut progress = |_: f64, _: &str| {};
    let ReplyBody::Loaded { dataset } =
        session.handle(Request::LoadCsv { name: "loans<b>.csv".into() }, Some(csv_text().as_bytes()), &mut progress)
    else {
        panic!("not loaded")
    };
    let spec = TrainSpec { roles: roles(), split: SplitSpec::default(), model: ModelSpec::default(), weights: None };
    let ReplyBody::Trained { result } = session.handle(Request::Train { spec: spec.clone() }, None, &mut progress)
    else {
        panic!("not trained")
    };
    let auditor = result.test.auditor().unwrap();
    let options = AuditOptions {
        thresholds: Thresholds::Single(0.5),
        bootstrap: Some(BootstrapSpec { resamples: 200, confidence: 0.95, seed: 7 }),
        ..AuditOptions::default()
    };
    let audit = auditor.report(&options).unwrap();
    let mspec =
        MitigationSpec { constraint: Constraint::DemographicParity, objective: Objective::Accuracy, tolerance: 0.02 };
    let mitigation = postprocess::mitigate(&auditor, &mspec).unwrap();
    let mut s = SessionSnapshot::new(
        DatasetSummary::from_info(&dataset, DatasetSource::Uploaded),
        spec.model.clone(),
        Seeds { split: spec.split.seed, bootstrap: Some(7) },
        spec.split.test_fraction,
    );
    s.roles = Some(roles());
    s.train = Some(result.summary.clone());
    s.audit = Some(audit);
    s.mitigation = Some(ChosenMitigation { applied: AppliedRule::Randomised, result: mitigation });
    s.explanations.push(ReportedExplanation {
        surrogate: None,
        row_index: 3,
        method: "lime".into(),
        output_space: "probability".into(),
        base_value: Some(0.41),
        prediction: 0.734,
        items: vec![("age".into(), "age > 40".into(), 0.21), (COLUMN_IMG.into(), GROUP_SCRIPT.into(), -0.05)],
    });
    s.warnings.push("Proxy warning: `zip` | predicts <group> & more".into());
    (s, result)
}

const PNG_1X1: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8,
    6, 0, 0, 0, 0x1f, 0x15, 0xc4, 0x89,
];

#[test]
fn html_report_is_self_contained_and_escaped() {
    let (s, _) = snapshot();
    let charts = [
        ChartImage {
            title: "Selection rate by group".into(),
            alt: "bars \"quoted\" <b>".into(),
            png: PNG_1X1.to_vec(),
        },
        ChartImage { title: "not a png".into(), alt: "x".into(), png: b"<svg onload=alert(1)>".to_vec() },
    ];
    let html = report_html(&s, &charts);
    let lower = html.to_lowercase();
    assert!(!lower.contains("<script"), "no script element");
    assert!(!lower.contains("<img src=x"), "hostile column name escaped");
    assert!(!lower.contains("<svg"), "non-PNG bytes are not embedded");
    assert!(!lower.contains("http:") && !lower.contains("https:") && !lower.contains("//"), "no URL");
    assert_eq!(lower.matches("http").count(), 1, "only the CSP meta's http-equiv");
    assert!(lower.contains("http-equiv=\"content-security-policy\""));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "group name shown as text");
    assert!(html.contains("A&amp;B|`c` &quot;q&quot; &#39;a&#39;"));
    assert!(html.contains(&format!("src=\"data:image/png;base64,{}\"", base64_standard(PNG_1X1))));
    assert!(html.contains("alt=\"bars &quot;quoted&quot; &lt;b&gt;\""));
    assert!(html.contains("nothing was uploaded"));
    // Every tag the report writes is one of ours.
    let allowed = [
        "!doctype",
        "html",
        "head",
        "meta",
        "title",
        "style",
        "body",
        "h1",
        "h2",
        "section",
        "p",
        "ul",
        "li",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "figure",
        "img",
        "figcaption",
    ];
    for tag in html.split('<').skip(1) {
        let name: String =
            tag.trim_start_matches('/').chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '!').collect();
        assert!(allowed.contains(&name.to_lowercase().as_str()), "unexpected tag <{name}");
        let inside = tag.split('>').next().unwrap().to_lowercase();
        assert!(!inside.contains(" on") && !inside.contains("javascript:"), "event handler in <{inside}>");
    }
}

#[test]
fn report_numbers_equal_the_snapshot() {
    let (s, _) = snapshot();
    let html = report_html(&s, &[]);
    let md = report_markdown(&s);
    let a = s.audit.as_ref().unwrap();
    let ci = a.ci.as_ref().unwrap();
    assert!(html.contains("95% bootstrap percentile intervals (200 resamples within groups, seed 7)"));
    for (name, m) in &a.groups {
        for (key, value) in [("selection_rate", m.selection_rate), ("true_positive_rate", m.true_positive_rate)] {
            let interval = ci.groups[name][key];
            assert!(interval.is_some(), "{name} {key}");
            let cell = fmt_with_interval(value, interval);
            assert!(html.contains(&format!("<td>{}</td>", html_escape(&cell))), "{name} {key} {cell}");
            assert!(md.contains(&format!("| {} |", markdown_escape(&cell))) || md.contains(&format!(" {cell} |")));
        }
        assert!(html.contains(&format!("<td>{}</td><td>{}</td>", html_escape(name), m.count)));
    }
    let dp = fmt_with_interval(a.disparities.demographic_parity_difference, None);
    assert!(html.contains(&format!("<td>Demographic parity difference</td><td>{dp}</td>")));
    // Each disparity names the library whose definition it follows.
    assert!(html.contains("Fairlearn&#39;s demographic_parity_difference"));
    assert!(html.contains("Fairground&#39;s own aggregate"));
    let verdict = if a.disparities.four_fifths_rule_passed.unwrap() { "passed" } else { "failed" };
    assert!(html.contains(&format!("Four-fifths rule: {verdict}")), "{verdict}");
    assert!(md.contains(&format!("Four-fifths rule: {verdict}")));
    let m = s.mitigation.as_ref().unwrap();
    let after = fmt_rate(m.result.optimum.accuracy);
    assert!(html.contains(&format!("Accuracy: {} → {after}", fmt_rate(m.result.unmitigated.accuracy))));
    let t = s.train.as_ref().unwrap();
    assert!(html.contains(&format!("test accuracy: {}", fmt_rate(Some(t.test_accuracy)))));
    assert!(html.contains("Split seed: 42") && md.contains("Split seed: 42"));
    assert!(html.contains("<td>+0.210</td>") && html.contains("<td>-0.050</td>"), "explanation weights");
    for section in [
        "Dataset",
        "Roles",
        "Model and hyperparameters",
        "Seeds and split",
        "Audit by group",
        "Disparities",
        "Mitigation",
        "Explanations",
        "Warnings",
        "Privacy",
    ] {
        assert!(html.contains(&format!("<h2>{section}</h2>")), "{section}");
        assert!(md.contains(&format!("## {section}\n")), "{section}");
    }
    assert!(html.contains("Your file (opened locally, never uploaded)"));
}

#[test]
fn markdown_escapes_user_strings() {
    let (s, _) = snapshot();
    let md = report_markdown(&s);
    assert!(!md.contains("<script") && !md.contains("<img"), "no raw HTML");
    assert!(md.contains("&lt;script\\>alert(1)&lt;/script\\>"));
    assert!(md.contains("A&amp;B\\|\\`c\\` \"q\" 'a'"), "pipe and backticks escaped in table cells");
    assert!(md.contains("Proxy warning: \\`zip\\` \\| predicts &lt;group\\> &amp; more"));
    // Every table row has as many unescaped pipes as its header.
    for block in md.split("\n\n").filter(|b| b.starts_with('|')) {
        let pipes = |l: &str| l.replace("\\|", "").matches('|').count();
        let mut lines = block.lines();
        let header = pipes(lines.next().unwrap());
        for l in lines {
            assert_eq!(pipes(l), header, "{l}");
        }
    }
}

#[test]
fn bundled_dataset_cites_its_source() {
    let (mut s, _) = snapshot();
    s.dataset.source = DatasetSource::bundled("adult").unwrap();
    let html = report_html(&s, &[]);
    assert!(html.contains("Citation: Becker, B. &amp; Kohavi, R. (1996)"));
    assert!(html.contains("Licence: CC BY 4.0"));
    assert!(!html.contains("http:") && !html.contains("https:"), "the DOI is written without a URL");
}

#[test]
fn model_card_has_every_section_and_real_numbers() {
    let (s, _) = snapshot();
    let fields = ModelCardFields::default();
    let card = ModelCard::build(&s, &fields);
    let md = card.to_markdown(&s);
    for section in CARD_SECTIONS {
        assert!(md.contains(&format!("\n## {section}\n")), "{section}");
    }
    assert_eq!(card.needs_owner_input.len(), 8, "every owner field is still a prompt");
    assert!(md.contains(&markdown_escape(TO_BE_COMPLETED)));
    let json: serde_json::Value = serde_json::from_str(&card.to_json().unwrap()).unwrap();
    let keys: Vec<&str> = json.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "model_details",
            "intended_use",
            "out_of_scope_uses",
            "factors",
            "metrics",
            "evaluation_data",
            "training_data",
            "quantitative_analyses",
            "ethical_considerations",
            "caveats_and_recommendations",
            "needs_owner_input",
            "generated_locally"
        ]
    );
    let a = s.audit.as_ref().unwrap();
    let ci = a.ci.as_ref().unwrap();
    let groups = json["quantitative_analyses"]["groups"].as_array().unwrap();
    assert_eq!(groups.len(), a.groups.len());
    for g in groups {
        let name = g["group"].as_str().unwrap();
        let m = &a.groups[name];
        assert_eq!(g["count"].as_u64().unwrap(), m.count);
        for rate in RATES {
            let (key, v) = (rate.key, rate.of(m));
            assert_eq!(g["metrics"][key]["value"].as_f64(), v, "{name} {key}");
            let interval = ci.groups[name][key].map(|[lo, hi]| vec![lo, hi]);
            let got = g["metrics"][key]["interval"].as_array().map(|a| a.iter().map(|x| x.as_f64().unwrap()).collect());
            assert_eq!(got, interval, "{name} {key}");
        }
    }
    assert_eq!(json["quantitative_analyses"]["interval_level"].as_f64(), Some(0.95));
    assert_eq!(json["training_data"]["rows"].as_u64(), Some(s.train.as_ref().unwrap().train_rows as u64));
    assert_eq!(json["evaluation_data"]["rows"].as_u64(), Some(s.train.as_ref().unwrap().test_rows as u64));
    let m = s.mitigation.as_ref().unwrap();
    let effect = &json["quantitative_analyses"]["mitigation"];
    assert_eq!(effect["constraint"], "demographic_parity");
    assert_eq!(effect["accuracy"][0].as_f64(), m.result.unmitigated.accuracy);
    assert_eq!(effect["accuracy"][1].as_f64(), m.result.optimum.accuracy, "the randomised rule was applied");
    for (g, outcome) in &m.result.optimum.groups {
        assert_eq!(effect["groups"][g]["selection_rate"][1].as_f64(), outcome.selection_rate, "{g}");
    }
    assert!(md.starts_with("# Model card: Logistic regression trained on loans&lt;b\\>.csv\n"), "{}", &md[..80]);

    let filled = ModelCardFields {
        model_name: "Loan screen".into(),
        owners: "Credit team".into(),
        contact: "credit@example.org".into(),
        licence: "MIT".into(),
        intended_use: "Teaching".into(),
        intended_users: "Students".into(),
        out_of_scope_uses: "Real loans".into(),
        ethical_considerations: "Synthetic data only".into(),
    };
    let card = ModelCard::build(&s, &filled);
    assert!(card.needs_owner_input.is_empty());
    let md = card.to_markdown(&s);
    assert!(md.starts_with("# Model card: Loan screen\n"));
    assert!(md.contains("Owners: Credit team"));
    let hostile = ModelCardFields { ethical_considerations: "<script>x</script> | `y`".into(), ..filled };
    let md = ModelCard::build(&s, &hostile).to_markdown(&s);
    assert!(md.contains("&lt;script\\>x&lt;/script\\> \\| \\`y\\`") && !md.contains("<script"));
}

#[test]
fn predictions_csv_neutralises_formulas_and_keeps_numbers() {
    let (_, view) = snapshot();
    let header = vec!["name".to_string(), "=HYPERLINK(\"x\")".to_string()];
    let hostile = ["=cmd|' /C calc'!A0", "@SUM(1)", "-2+3", "-3.5", "\t=1", "+2", "1e5", "plain, with comma"];
    let rows: Vec<PredictionRow> = hostile
        .iter()
        .enumerate()
        .map(|(i, cell)| PredictionRow {
            row_index: 10 + i,
            cells: vec![(*cell).to_string(), format!("v{i}")],
            split: SplitPart::Test,
            score: view.test.scores[i],
            prediction: view.test.scores[i] >= 0.5,
            app: Some(AppColumns {
                group: view.test.groups.names[view.test.groups.codes[i] as usize].clone(),
                threshold: 0.5,
                mitigated_probability: (i % 2 == 0).then_some(0.25),
                mitigated_decision: (i % 2 == 0).then_some(false),
            }),
        })
        .collect();
    let text = predictions_csv(&header, &rows, true).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let head: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(head[..2], ["name", "'=HYPERLINK(\"x\")"]);
    assert_eq!(head[2..6], PREDICTION_COLUMNS);
    assert_eq!(head[6..], APP_COLUMNS);
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let expected = ["'=cmd|' /C calc'!A0", "'@SUM(1)", "'-2+3", "-3.5", "'\t=1", "+2", "1e5", "plain, with comma"];
    for (i, (r, want)) in records.iter().zip(expected).enumerate() {
        assert_eq!(&r[0], want);
        assert_eq!(r[2].parse::<usize>().unwrap(), 10 + i);
        assert_eq!(&r[3], "test");
        assert_eq!(r[4].parse::<f64>().unwrap(), view.test.scores[i], "full precision");
        assert_eq!(&r[5], if view.test.scores[i] >= 0.5 { "1" } else { "0" });
        assert_eq!(&r[7], "0.5");
        assert_eq!(&r[8], if i % 2 == 0 { "0.25" } else { "" });
        let group = &r[6];
        assert!(group == GROUP_AMP || group == GROUP_SCRIPT, "{group}");
    }
    assert_eq!(records.len(), hostile.len());
}

fn uploaded_with_secrets() -> ShareState {
    ShareState {
        source: DataSource::Uploaded,
        roles: Some(Roles {
            target: "secret_income".into(),
            positive: PositiveRule::Values(vec!["secret_value".into()]),
            sensitive: vec![SensitiveSpec { column: "secret_race".into(), binning: Binning::None }],
            exclude: vec!["secret_ssn".into()],
            drop_sensitive: true,
            min_group_size: 30,
            model_outputs: vec![],
            include: vec![],
            max_levels: None,
        }),
        model: ModelSpec::Tree(Default::default()),
        split_seed: 99,
        bootstrap_seed: Some(5),
        test_fraction: 0.25,
        split_column: Some("secret_fold".into()),
        thresholds: vec![GroupThreshold { group: "secret_group".into(), threshold: 0.4 }],
        mitigation: Some(MitigationSpec {
            constraint: Constraint::EqualOpportunity,
            objective: Objective::Accuracy,
            tolerance: 0.05,
        }),
        selected_row: Some(123_457),
        view: ShareView { step: Some("fairness".into()), lesson: None },
        // The user's own output column: a column name of the file, never in a link.
        outputs: vec![fairground::core::outputs::OutputSpec {
            column: "secret_score".into(),
            kind: fairground::core::outputs::OutputKind::Score(Default::default()),
        }],
    }
}

#[test]
fn uploaded_file_links_reveal_nothing_of_the_file() {
    let state = uploaded_with_secrets();
    let fragment = state.to_fragment().unwrap();
    let bytes = base64url_decode(fragment.strip_prefix("v=2&s=").unwrap()).unwrap();
    assert!(!bytes.windows(6).any(|w| w == b"secret"), "{bytes:?}");
    // What the link carries, read without the reader's own privacy rule.
    let written: ShareState = fairground::core::wire::from_bytes(&bytes).unwrap();
    assert_eq!((written.roles, written.selected_row, written.split_column), (None, None, None));
    assert!(written.thresholds.is_empty() && written.outputs.is_empty());
    let decoded = ShareState::from_fragment(&fragment).unwrap();
    assert_eq!(decoded.roles, None);
    assert!(decoded.thresholds.is_empty());
    assert_eq!(decoded.selected_row, None);
    // What is kept: model, hyperparameters, seeds, test fraction (and the mitigation request and view).
    assert_eq!(decoded.model, state.model);
    assert_eq!((decoded.split_seed, decoded.bootstrap_seed, decoded.test_fraction), (99, Some(5), 0.25));
    assert_eq!(decoded.mitigation, state.mitigation);
    assert_eq!(decoded, state.shareable());
    // A hand-made link that carries roles for an uploaded file is stripped when read.
    let forged = fairground::core::wire::to_bytes(&state).unwrap();
    let decoded = ShareState::from_fragment(&format!("v=2&s={}", base64url(&forged))).unwrap();
    assert_eq!(decoded.roles, None);
    assert!(decoded.thresholds.is_empty());
    assert_eq!(decoded, state.shareable());
}

#[test]
fn bundled_links_keep_everything() {
    let mut state = uploaded_with_secrets();
    state.source =
        DataSource::Synthetic { preset: "proxy_bias".into(), seed: 3, settings: vec![("rows".into(), 5000.0)] };
    let decoded = ShareState::from_fragment(&state.to_fragment().unwrap()).unwrap();
    assert_eq!(decoded, state);
}

fn finite() -> impl Strategy<Value = f64> {
    prop_oneof![any::<f64>().prop_filter("finite", |x| x.is_finite()), -10.0..10.0f64]
}

fn text() -> impl Strategy<Value = String> {
    "\\PC{0,12}"
}

fn model() -> impl Strategy<Value = ModelSpec> {
    use fairground::core::models::{LogisticParams, NaiveBayesParams, TreeParams};
    prop_oneof![
        (finite(), any::<u64>())
            .prop_map(|(alpha, max_iterations)| ModelSpec::Logistic(LogisticParams { alpha, max_iterations })),
        (0..40usize, 0..100usize, 0..100usize).prop_map(|(max_depth, min_samples_split, min_samples_leaf)| {
            ModelSpec::Tree(TreeParams { max_depth: Some(max_depth), min_samples_split, min_samples_leaf })
        }),
        finite().prop_map(|var_smoothing| ModelSpec::NaiveBayes(NaiveBayesParams { var_smoothing })),
    ]
}

fn roles_strategy() -> impl Strategy<Value = Roles> {
    let binning = prop_oneof![
        Just(Binning::None),
        (1..10u32).prop_map(Binning::Quantiles),
        prop::collection::vec(finite(), 0..4).prop_map(Binning::Cuts)
    ];
    let positive = prop_oneof![
        prop::collection::vec(text(), 1..3).prop_map(PositiveRule::Values),
        finite().prop_map(PositiveRule::AtLeast)
    ];
    (
        text(),
        positive,
        prop::collection::vec((text(), binning), 0..3),
        prop::collection::vec(text(), 0..3),
        any::<bool>(),
        0..1000usize,
    )
        .prop_map(|(target, positive, sensitive, exclude, drop_sensitive, min_group_size)| Roles {
            target,
            positive,
            sensitive: sensitive.into_iter().map(|(column, binning)| SensitiveSpec { column, binning }).collect(),
            exclude,
            drop_sensitive,
            min_group_size,
            model_outputs: vec![],
            include: vec![],
            max_levels: None,
        })
}

fn shared_state() -> impl Strategy<Value = ShareState> {
    let source = prop_oneof![
        text().prop_map(|id| DataSource::Bundled { id }),
        (text(), any::<u64>(), prop::collection::vec((text(), finite()), 0..4))
            .prop_map(|(preset, seed, settings)| DataSource::Synthetic { preset, seed, settings }),
    ];
    let mitigation = prop::option::of(
        (
            prop::sample::select(vec![
                Constraint::SingleThreshold,
                Constraint::GroupThresholds,
                Constraint::DemographicParity,
                Constraint::EqualOpportunity,
                Constraint::FalsePositiveRateParity,
                Constraint::EqualizedOdds,
            ]),
            prop_oneof![
                Just(Objective::Accuracy),
                Just(Objective::BalancedAccuracy),
                (finite(), finite()).prop_map(|(fp, fn_)| Objective::Cost { fp, fn_ })
            ],
            finite(),
        )
            .prop_map(|(constraint, objective, tolerance)| MitigationSpec { constraint, objective, tolerance }),
    );
    (
        source,
        prop::option::of(roles_strategy()),
        model(),
        (any::<u64>(), prop::option::of(any::<u64>()), 0.001..0.999f64),
        prop::collection::vec((text(), finite()), 0..5),
        mitigation,
        prop::option::of(any::<usize>()),
        (prop::option::of(text()), prop::option::of(text())),
    )
        .prop_map(
            |(
                source,
                roles,
                model,
                (split_seed, bootstrap_seed, test_fraction),
                t,
                mitigation,
                selected_row,
                (step, lesson),
            )| {
                ShareState {
                    source,
                    roles,
                    model,
                    split_seed,
                    bootstrap_seed,
                    test_fraction,
                    split_column: None,
                    thresholds: t.into_iter().map(|(group, threshold)| GroupThreshold { group, threshold }).collect(),
                    mitigation,
                    selected_row,
                    view: ShareView { step, lesson },
                    outputs: vec![],
                }
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn bundled_and_synthetic_states_round_trip(state in shared_state()) {
        let fragment = state.to_fragment().unwrap();
        prop_assert!(fragment.len() <= MAX_FRAGMENT_LEN);
        prop_assert_eq!(ShareState::from_fragment(&fragment).unwrap(), state);
    }

    #[test]
    fn random_fragments_never_panic(s in "\\PC{0,300}") {
        // No panic, and whatever is accepted is a state that writes and reads back as itself.
        for fragment in [s.clone(), format!("v=2&s={s}")] {
            if let Ok(state) = ShareState::from_fragment(&fragment) {
                let again = state.to_fragment();
                prop_assert!(again.is_ok(), "{:?} read from {:?} cannot be written back", state, fragment);
                prop_assert_eq!(ShareState::from_fragment(&again.unwrap()).ok(), Some(state));
            }
        }
    }

    #[test]
    fn random_base64_payloads_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        if let Ok(state) = ShareState::from_fragment(&format!("v=2&s={}", base64url(&bytes))) {
            let again = state.to_fragment();
            prop_assert!(again.is_ok(), "{:?} cannot be written back", state);
            prop_assert_eq!(ShareState::from_fragment(&again.unwrap()).ok(), Some(state));
        }
    }

    #[test]
    fn html_escape_leaves_no_markup(s in "\\PC{0,60}") {
        let e = html_escape(&s);
        prop_assert!(!e.contains('<') && !e.contains('>') && !e.contains('"') && !e.contains('\''));
    }
}

#[test]
fn full_snapshot_round_trips_through_json() {
    let (s, _) = snapshot();
    let json = serde_json::to_string(&s).unwrap();
    let back: SessionSnapshot = serde_json::from_str(&json).unwrap();
    assert_eq!(back, s);
    if let Ok(dir) = std::env::var("FAIRGROUND_EXPORT_DUMP") {
        std::fs::write(format!("{dir}/report.html"), report_html(&s, &[])).unwrap();
        std::fs::write(format!("{dir}/report.md"), report_markdown(&s)).unwrap();
        let card = ModelCard::build(&s, &ModelCardFields::default());
        std::fs::write(format!("{dir}/card.md"), card.to_markdown(&s)).unwrap();
        std::fs::write(format!("{dir}/card.json"), card.to_json().unwrap()).unwrap();
    }
}

#[test]
fn an_empty_session_still_renders_every_section() {
    let dataset = DatasetSummary {
        name: "synthetic".into(),
        source: DatasetSource::Synthetic {
            preset: "proxy_bias".into(),
            seed: 9,
            settings: vec![("rows".into(), 500.0)],
        },
        rows: 500,
        columns: vec![],
        warnings: vec![],
    };
    let s = SessionSnapshot::new(dataset, ModelSpec::default(), Seeds { split: 1, bootstrap: None }, 0.3);
    let html = report_html(&s, &[]);
    for text in [
        "No roles were chosen.",
        "No model has been trained yet.",
        "No audit was computed.",
        "No mitigation was chosen.",
        "No rows were explained.",
        "Generator seed: 9",
        "Generator setting rows: 500",
    ] {
        assert!(html.contains(text), "{text}");
    }
    let card = ModelCard::build(&s, &ModelCardFields::default());
    let md = card.to_markdown(&s);
    for section in CARD_SECTIONS {
        assert!(md.contains(&format!("\n## {section}\n")), "{section}");
    }
    assert!(card.caveats_and_recommendations.contains(&"The model has not been audited by group.".to_string()));
}

#[test]
fn share_state_from_a_snapshot() {
    let (mut s, _) = snapshot();
    let state = ShareState::from_snapshot(&s, Some(3), ShareView { step: Some("mitigate".into()), lesson: None });
    assert_eq!(state.mitigation, Some(s.mitigation.as_ref().unwrap().spec()));
    assert_eq!(state.thresholds.len(), 2);
    // The snapshot's data came from a file: the link drops roles, thresholds and the row.
    let decoded = ShareState::from_fragment(&state.to_fragment().unwrap()).unwrap();
    assert_eq!((decoded.roles, decoded.thresholds.len(), decoded.selected_row), (None, 0, None));
    s.dataset.source = DatasetSource::bundled("adult").unwrap();
    let state = ShareState::from_snapshot(&s, Some(3), ShareView::default());
    assert_eq!(state.source, DataSource::Bundled { id: "adult".into() });
    assert_eq!(ShareState::from_fragment(&state.to_fragment().unwrap()).unwrap(), state);
}

#[test]
fn the_report_and_card_list_the_mitigations_considered() {
    use fairground::core::mitigation::plane::{Plane, PlanePoint};
    use fairground::core::mitigation::reductions::Constraint as Disparity;
    let (mut s, _) = snapshot();
    assert!(!report_markdown(&s).contains("Mitigations considered"));
    let point = |method: &str, label: &str, acc: f64, dis: f64| PlanePoint {
        method: method.into(),
        stage: "in".into(),
        label: label.into(),
        test_accuracy: Some(acc),
        test_disparity: Some(dis),
        fitted_on: "train".into(),
        test_accuracy_interval: Some([acc - 0.01, acc + 0.01]),
        test_disparity_interval: Some([dis - 0.02, dis + 0.02]),
    };
    s.mitigations_considered = Some(Plane {
        disparity: Disparity::DemographicParity,
        test_rows: 300,
        points: vec![
            point("exponentiated_gradient", "", 0.81, 0.03),
            point("grid_search_point", "2 (chosen)", 0.8, 0.05),
        ],
        skipped: vec![],
    });
    let md = report_markdown(&s);
    assert!(md.contains("## Mitigations considered"), "{md}");
    assert!(
        md.contains("| exponentiated gradient | in | train | 0.810 \\[0.800, 0.820\\] | 0.030 \\[0.010, 0.050\\] |"),
        "{md}"
    );
    assert!(md.contains("| grid search point 2 (chosen) |"), "{md}");
    let html = report_html(&s, &[]);
    assert!(html.contains("Mitigations considered") && html.contains("<td>0.050 [0.030, 0.070]</td>"), "{html}");
    let card = ModelCard::build(&s, &ModelCardFields::default());
    assert_eq!(card.quantitative_analyses.mitigations_considered.as_ref().map(|p| p.points.len()), Some(2));
    assert!(card.to_markdown(&s).contains("| exponentiated gradient | in | train |"));
}
