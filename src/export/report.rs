//! The session report as a renderer-neutral document: sections of plain-text paragraphs, lists
//! and tables. [`super::html`] and [`super::markdown`] render the same document, so both
//! formats say the same things and all escaping happens in one place per format.

use super::snapshot::{hyperparameters, model_title, DatasetSource, SessionSnapshot};
use super::{fmt_interval, fmt_rate, fmt_with_interval};
use crate::core::metrics::{why_left_out, AuditReport, Rate, DISPARITIES, TOO_SMALL_TO_JUDGE};
use crate::core::roles::{Binning, PositiveRule, Roles};

/// One block of a section. All strings are plain text (renderers escape them).
#[derive(Clone, Debug, PartialEq)]
pub enum Block {
    Paragraph(String),
    List(Vec<String>),
    Table {
        headers: Vec<String>,
        rows: Vec<Vec<String>>,
    },
    /// Where the caller's chart images go (HTML only).
    Charts,
}

/// A titled section.
#[derive(Clone, Debug, PartialEq)]
pub struct Section {
    pub title: String,
    pub blocks: Vec<Block>,
}

/// The privacy note every export ends with.
pub const PRIVACY_NOTE: &str = "Generated locally by Fairground on your own computer; nothing was uploaded. \
     The data, the model and this report never left it.";

/// Describes the roles in one sentence per role.
pub fn roles_lines(r: &Roles) -> Vec<String> {
    let positive = match &r.positive {
        PositiveRule::Values(v) => format!("positive when the value is one of: {}", v.join(", ")),
        PositiveRule::AtLeast(c) => format!("positive when the value is at least {c}"),
    };
    let mut lines = vec![format!("Target: {} ({positive})", r.target)];
    if r.sensitive.is_empty() {
        lines.push("Sensitive attribute: none".into());
    }
    for s in &r.sensitive {
        let binning = match &s.binning {
            Binning::None => String::new(),
            Binning::Quantiles(q) => format!(", binned into {q} quantile groups"),
            Binning::Cuts(c) => {
                format!(", cut at {}", c.iter().map(|x| x.to_string()).collect::<Vec<_>>().join(", "))
            }
        };
        lines.push(format!("Sensitive attribute: {}{binning}", s.column));
    }
    if r.sensitive.len() > 1 {
        lines.push("The sensitive attributes are crossed into intersectional groups.".into());
    }
    if !r.exclude.is_empty() {
        lines.push(format!("Excluded from the features: {}", r.exclude.join(", ")));
    }
    lines.push(if r.drop_sensitive {
        "The model was trained without the sensitive attribute(s) and audited by them.".into()
    } else {
        "The sensitive attribute(s) were among the model's features.".into()
    });
    lines.push(format!("Groups smaller than {} rows are flagged as {TOO_SMALL_TO_JUDGE}.", r.min_group_size));
    lines
}

/// The per-group audit table (with intervals when the report has them) and the overall row.
pub fn audit_table(a: &AuditReport) -> Block {
    let mut headers = vec!["Group".to_string(), "Rows".to_string()];
    headers.extend(Rate::summary().map(|r| r.label.to_string()));
    let mut rows: Vec<Vec<String>> = a
        .groups
        .iter()
        .map(|(name, m)| {
            let ci = a.ci.as_ref().and_then(|c| c.groups.get(name));
            let mut row = vec![name.clone(), m.count.to_string()];
            row.extend(
                Rate::summary().map(|r| fmt_with_interval(r.of(m), ci.and_then(|c| c.get(r.key)).copied().flatten())),
            );
            row
        })
        .collect();
    let mut overall = vec!["All rows".to_string(), a.overall.count.to_string()];
    overall.extend(Rate::summary().map(|r| fmt_rate(r.of(&a.overall))));
    rows.push(overall);
    Block::Table { headers, rows }
}

/// A sentence on how the intervals were computed, or that there are none.
pub fn interval_note(a: &AuditReport) -> String {
    match &a.ci {
        Some(ci) => format!(
            "Parentheses give {:.0}% bootstrap percentile intervals ({} resamples within groups{}).",
            ci.level * 100.0,
            ci.resamples,
            a.seed.map(|s| format!(", seed {s}")).unwrap_or_default()
        ),
        None => "No confidence intervals were computed; with small groups the rates can move a lot by chance.".into(),
    }
}

/// The four-fifths verdict in words.
pub fn four_fifths_verdict(a: &AuditReport) -> String {
    let ratio = a.disparities.demographic_parity_ratio;
    match a.disparities.four_fifths_rule_passed {
        Some(true) => format!(
            "Four-fifths rule: passed (the lowest selection rate is {} of the highest, at least 0.800).",
            fmt_rate(ratio)
        ),
        Some(false) => format!(
            "Four-fifths rule: failed (the lowest selection rate is {} of the highest, below 0.800).",
            fmt_rate(ratio)
        ),
        None => "Four-fifths rule: undefined (fewer than two groups, or no group was selected at all).".into(),
    }
}

/// The disparities table with intervals, each labelled with the library whose definition it
/// follows.
pub fn disparity_table(a: &AuditReport) -> Block {
    let rows = DISPARITIES
        .iter()
        .map(|d| {
            let ci = a.ci.as_ref().and_then(|c| c.disparities.get(d.key)).copied().flatten();
            vec![d.label.to_string(), fmt_rate(d.of(&a.disparities)), fmt_interval(ci), d.defined_by.describe()]
        })
        .collect();
    Block::Table { headers: vec!["Disparity".into(), "Value".into(), "Interval".into(), "Definition".into()], rows }
}

/// Why some disparities are undefined or leave groups out, one sentence each (empty when none).
pub fn undefined_notes(a: &AuditReport) -> Vec<String> {
    let mut notes: Vec<String> = Vec::new();
    for d in &DISPARITIES {
        for why in why_left_out(d, a.groups.iter()) {
            if !notes.contains(&why) {
                notes.push(why);
            }
        }
    }
    notes
}

fn dataset_section(s: &SessionSnapshot) -> Section {
    let d = &s.dataset;
    let mut lines = vec![
        format!("Name: {}", d.name),
        format!("Source: {}", d.source.describe()),
        format!("Rows: {}", d.rows),
        format!("Columns: {}", d.columns.len()),
    ];
    match &d.source {
        DatasetSource::Bundled { citation, licence, .. } => {
            lines.push(format!("Citation: {citation}"));
            lines.push(format!("Licence: {licence}"));
        }
        DatasetSource::Synthetic { seed, settings, .. } => {
            lines.push(format!("Generator seed: {seed}"));
            for (k, v) in settings {
                lines.push(format!("Generator setting {k}: {v}"));
            }
        }
        DatasetSource::Uploaded => lines.push("Citation and licence: your file; you know where it came from.".into()),
    }
    let mut blocks = vec![Block::List(lines)];
    if !d.columns.is_empty() {
        blocks.push(Block::Table {
            headers: vec!["Column".into(), "Kind".into(), "Missing cells".into()],
            rows: d
                .columns
                .iter()
                .map(|c| vec![c.name.clone(), format!("{:?}", c.kind).to_lowercase(), c.missing.to_string()])
                .collect(),
        });
    }
    Section { title: "Dataset".into(), blocks }
}

/// The model section of an uploaded output: what the user told us about it.
fn external_model_section(e: &crate::protocol::ExternalModel, s: &SessionSnapshot) -> Section {
    let mut lines = vec![
        format!("Model: external — your own model's output column '{}', not trained here (Fairground never saw the model itself).", e.column),
        match e.kind.as_str() {
            "score" => format!(
                "A score in its own units; positive when {} ({} is positive).",
                e.rule(),
                if e.higher_is_positive { "higher" } else { "lower" }
            ),
            _ => format!("A hard decision; positive when {}.", e.rule()),
        },
        format!("Audited on {}.", e.rows),
        format!("Post-processing rules fitted on {}.", e.fit_rows),
    ];
    if !e.calibration {
        lines.push("The Brier score and calibration are not reported: the output is not a probability.".into());
    }
    if let Some(t) = &s.train {
        lines.push(format!(
            "Accuracy at your rule: {}; ROC AUC: {}",
            fmt_rate(Some(t.test_accuracy)),
            fmt_rate(t.test_auc)
        ));
    }
    Section { title: "Model and hyperparameters".into(), blocks: vec![Block::List(lines)] }
}

/// The disparities the comparison table shows.
pub const COMPARED_DISPARITIES: [&str; 3] =
    ["demographic_parity_difference", "equalized_odds_difference", "equal_opportunity_difference"];

/// Several models on the same rows: one line each.
fn comparison_section(c: &crate::core::outputs::Comparison) -> Section {
    let mut headers: Vec<String> = ["Model", "Kind", "Positive when", "Accuracy", "ROC AUC", "Four-fifths rule"]
        .iter()
        .map(|h| h.to_string())
        .collect();
    headers.extend(
        COMPARED_DISPARITIES
            .iter()
            .map(|k| DISPARITIES.iter().find(|d| d.key == *k).map_or(k.to_string(), |d| d.label.to_string())),
    );
    let rows = c
        .table
        .iter()
        .zip(&c.models)
        .map(|(row, m)| {
            let mut cells = vec![
                row.name.clone(),
                row.kind.clone(),
                match (m.threshold, m.higher_is_positive) {
                    (Some(t), Some(false)) => format!("≤ {}", crate::protocol::fmt_units(t)),
                    (Some(t), _) => format!("≥ {}", crate::protocol::fmt_units(t)),
                    _ => "its decisions".into(),
                },
                fmt_rate(row.accuracy),
                fmt_rate(row.roc_auc),
                match row.four_fifths_rule_passed {
                    Some(true) => "passes".into(),
                    Some(false) => "fails".into(),
                    None => fmt_rate(None),
                },
            ];
            cells.extend(COMPARED_DISPARITIES.iter().map(|k| {
                row.disparities
                    .iter()
                    .find(|d| d.name == *k)
                    .map_or(fmt_rate(None), |d| fmt_with_interval(d.value, d.interval))
            }));
            cells
        })
        .collect();
    Section {
        title: "Comparison of models".into(),
        blocks: vec![
            Block::Paragraph(format!(
                "Every model judged on the same {} rows{}. Rates and disparities follow Fairlearn's MetricFrame definitions.",
                c.rows,
                c.split_column.as_ref().map(|s| format!(" (marked test in '{s}')")).unwrap_or_default()
            )),
            Block::Table { headers, rows },
        ],
    }
}

fn model_section(s: &SessionSnapshot) -> Section {
    if let Some(e) = &s.external {
        return external_model_section(e, s);
    }
    let mut lines = vec![format!("Model: {} ({})", model_title(&s.model), s.model.name())];
    lines.extend(hyperparameters(&s.model).into_iter().map(|(k, v)| format!("{k}: {v}")));
    let mut blocks = vec![Block::List(lines)];
    if let Some(t) = &s.train {
        blocks.push(Block::List(vec![
            format!(
                "Training rows: {}; test rows: {}; rows dropped (missing target): {}",
                t.train_rows, t.test_rows, t.dropped_rows
            ),
            format!(
                "Training accuracy: {}; test accuracy: {}",
                fmt_rate(Some(t.train_accuracy)),
                fmt_rate(Some(t.test_accuracy))
            ),
            format!("Test ROC AUC: {}", fmt_rate(t.test_auc)),
            format!("Positive rate in the training rows: {}", fmt_rate(Some(t.positive_rate_train))),
        ]));
    } else {
        blocks.push(Block::Paragraph("No model has been trained yet.".into()));
    }
    Section { title: "Model and hyperparameters".into(), blocks }
}

fn seeds_section(s: &SessionSnapshot) -> Section {
    Section {
        title: "Seeds and split".into(),
        blocks: vec![Block::List(vec![
            format!("Split seed: {}", s.seeds.split),
            format!(
                "Bootstrap seed: {}",
                s.seeds.bootstrap.map_or("none (no intervals)".to_string(), |b| b.to_string())
            ),
            format!("Test fraction: {}", s.test_fraction),
            format!("App version: Fairground {}", s.app_version),
        ])],
    }
}

fn audit_sections(s: &SessionSnapshot) -> Vec<Section> {
    let Some(a) = &s.audit else {
        return vec![Section {
            title: "Audit by group".into(),
            blocks: vec![Block::Paragraph("No audit was computed.".into())],
        }];
    };
    let thresholds = a.thresholds.iter().map(|(g, t)| format!("{g}: {t}")).collect::<Vec<_>>().join("; ");
    let mut blocks = vec![Block::Paragraph(interval_note(a))];
    if !thresholds.is_empty() {
        blocks.push(Block::Paragraph(format!("Decision thresholds: {thresholds}.")));
    }
    blocks.push(audit_table(a));
    blocks.push(Block::Charts);
    let mut disparity = vec![
        Block::Paragraph(format!("Reference group: {}.", a.reference.group)),
        disparity_table(a),
        Block::Paragraph(four_fifths_verdict(a)),
    ];
    let notes = undefined_notes(a);
    if !notes.is_empty() {
        disparity.push(Block::List(notes));
    }
    if !a.small_groups.is_empty() {
        disparity.push(Block::Paragraph(format!(
            "Too small to judge (fewer rows than the minimum group size): {}.",
            a.small_groups.join(", ")
        )));
    }
    vec![Section { title: "Audit by group".into(), blocks }, Section { title: "Disparities".into(), blocks: disparity }]
}

fn mitigation_section(s: &SessionSnapshot) -> Section {
    let Some(m) = &s.mitigation else {
        return Section {
            title: "Mitigation".into(),
            blocks: vec![Block::Paragraph("No mitigation was chosen.".into())],
        };
    };
    let spec = m.spec();
    let (before, after) = (m.before(), m.after());
    let mut blocks = vec![Block::List(vec![
        format!("Constraint: {}", spec.constraint.name().replace('_', " ")),
        format!("Objective: {}", spec.objective.name().replace('_', " ")),
        format!("Tolerance: {}", spec.tolerance),
        format!(
            "Rule applied: {}",
            match m.applied {
                super::AppliedRule::Randomised => "randomised thresholds (the exact optimum)",
                super::AppliedRule::Deterministic => "one plain threshold per group",
            }
        ),
    ])];
    let mut rows = Vec::new();
    for (name, b) in &before.groups {
        let a = after.groups.get(name);
        let pair = |x: Option<f64>, y: Option<f64>| format!("{} → {}", fmt_rate(x), fmt_rate(y));
        rows.push(vec![
            name.clone(),
            pair(b.selection_rate, a.and_then(|g| g.selection_rate)),
            pair(b.true_positive_rate, a.and_then(|g| g.true_positive_rate)),
            pair(b.false_positive_rate, a.and_then(|g| g.false_positive_rate)),
            pair(b.positive_predictive_value, a.and_then(|g| g.positive_predictive_value)),
            pair(b.accuracy, a.and_then(|g| g.accuracy)),
        ]);
    }
    blocks.push(Block::Table {
        headers: ["Group (before → after)", "Selection rate", "TPR", "FPR", "PPV", "Accuracy"]
            .iter()
            .map(|h| h.to_string())
            .collect(),
        rows,
    });
    let db = &before.disparities;
    let da = &after.disparities;
    blocks.push(Block::List(vec![
        format!("Accuracy: {} → {}", fmt_rate(before.accuracy), fmt_rate(after.accuracy)),
        format!("Balanced accuracy: {} → {}", fmt_rate(before.balanced_accuracy), fmt_rate(after.balanced_accuracy)),
        format!(
            "Demographic parity difference: {} → {}",
            fmt_rate(db.demographic_parity_difference),
            fmt_rate(da.demographic_parity_difference)
        ),
        format!(
            "Equal opportunity difference: {} → {}",
            fmt_rate(db.equal_opportunity_difference),
            fmt_rate(da.equal_opportunity_difference)
        ),
        format!(
            "Equalized odds difference: {} → {}",
            fmt_rate(db.equalized_odds_difference),
            fmt_rate(da.equalized_odds_difference)
        ),
    ]));
    if !m.result.levelled_down.is_empty() {
        blocks.push(Block::Paragraph(format!(
            "Levelling down: the constraint lowers these groups below their own best rule: {}.",
            m.result.levelled_down.join(", ")
        )));
    }
    Section { title: "Mitigation".into(), blocks }
}

fn explanation_section(s: &SessionSnapshot) -> Section {
    if s.explanations.is_empty() {
        return Section {
            title: "Explanations".into(),
            blocks: vec![Block::Paragraph("No rows were explained.".into())],
        };
    }
    let mut blocks = Vec::new();
    for e in &s.explanations {
        let base = e.base_value.map(|b| format!("; base value {}", fmt_rate(Some(b)))).unwrap_or_default();
        // An uploaded output's model is not here: what is explained is its global surrogate.
        let of = e
            .surrogate
            .as_ref()
            .map(|s| format!(" of a {s} fitted to your model's outputs, not of your model itself"))
            .unwrap_or_default();
        blocks.push(Block::Paragraph(format!(
            "Row {} explained by {}{of} ({}): prediction {}{base}.",
            e.row_index,
            e.method,
            e.output_space,
            fmt_rate(Some(e.prediction))
        )));
        blocks.push(Block::Table {
            headers: vec!["Feature".into(), "Condition or value".into(), "Weight".into()],
            rows: e
                .items
                .iter()
                .map(|(f, c, w)| {
                    vec![f.clone(), c.clone(), if w.is_finite() { format!("{w:+.3}") } else { "undefined".into() }]
                })
                .collect(),
        });
    }
    Section { title: "Explanations".into(), blocks }
}

/// Every warning the session raised: the dataset's, the page's, and small groups.
pub fn all_warnings(s: &SessionSnapshot) -> Vec<String> {
    let mut w: Vec<String> = s.dataset.warnings.iter().chain(&s.warnings).cloned().collect();
    if let Some(t) = &s.train {
        if t.dropped_rows > 0 {
            w.push(format!("{} rows were dropped because their target was missing.", t.dropped_rows));
        }
    }
    if let Some(a) = &s.audit {
        if !a.small_groups.is_empty() {
            w.push(format!("Groups too small to judge: {}.", a.small_groups.join(", ")));
        }
    }
    w
}

/// A value with its interval: `0.123 [0.101, 0.140]`.
fn with_interval(value: Option<f64>, interval: Option<[f64; 2]>) -> String {
    match (value, interval) {
        (Some(_), Some([lo, hi])) => format!("{} [{}, {}]", fmt_rate(value), fmt_rate(Some(lo)), fmt_rate(Some(hi))),
        _ => fmt_rate(value),
    }
}

/// The one plane's rows (report and model card): method, stage, fitted on, test accuracy and
/// disparity with their 95 % intervals.
pub fn plane_table(plane: &crate::core::mitigation::plane::Plane) -> Block {
    let rows = plane
        .points
        .iter()
        .map(|p| {
            let method = p.method.replace('_', " ");
            vec![
                if p.label.is_empty() { method } else { format!("{method} {}", p.label) },
                p.stage.clone(),
                p.fitted_on.clone(),
                with_interval(p.test_accuracy, p.test_accuracy_interval),
                with_interval(p.test_disparity, p.test_disparity_interval),
            ]
        })
        .collect();
    Block::Table {
        headers: vec![
            "Method".into(),
            "Stage".into(),
            "Fitted on".into(),
            "Test accuracy [95 %]".into(),
            format!("{} difference [95 %]", plane.disparity.name().replace('_', " ")),
        ],
        rows,
    }
}

/// The one plane's sentence: what it measures.
pub fn plane_note(plane: &crate::core::mitigation::plane::Plane) -> String {
    let mut note = format!(
        "Every mitigation tried on this model, judged on the same {} test rows: the expected accuracy and the {} difference (max − min across groups) of each method's expected decision, with 95 % bootstrap intervals of the test rows. Pre- and in-processing were fitted on the training rows, post-processing on the rows named.",
        plane.test_rows,
        plane.disparity.name().replace('_', " ")
    );
    for s in &plane.skipped {
        note.push_str(&format!(" {} could not run: {}", s.method.replace('_', " "), s.reason));
    }
    note
}

fn considered_section(plane: &crate::core::mitigation::plane::Plane) -> Section {
    Section {
        title: "Mitigations considered".into(),
        blocks: vec![Block::Paragraph(plane_note(plane)), plane_table(plane)],
    }
}

/// The whole report, in order.
pub fn document(s: &SessionSnapshot) -> Vec<Section> {
    let mut sections = vec![dataset_section(s)];
    sections.push(Section {
        title: "Roles".into(),
        blocks: vec![match &s.roles {
            Some(r) => Block::List(roles_lines(r)),
            None => Block::Paragraph("No roles were chosen.".into()),
        }],
    });
    sections.push(model_section(s));
    sections.push(seeds_section(s));
    sections.extend(audit_sections(s));
    if let Some(c) = &s.comparison {
        sections.push(comparison_section(c));
    }
    sections.push(mitigation_section(s));
    if let Some(plane) = &s.mitigations_considered {
        sections.push(considered_section(plane));
    }
    sections.push(explanation_section(s));
    let warnings = all_warnings(s);
    sections.push(Section {
        title: "Warnings".into(),
        blocks: vec![if warnings.is_empty() { Block::Paragraph("None.".into()) } else { Block::List(warnings) }],
    });
    sections.push(Section { title: "Privacy".into(), blocks: vec![Block::Paragraph(PRIVACY_NOTE.into())] });
    sections
}
