//! The model card of Mitchell et al. (2019), "Model Cards for Model Reporting" (FAT* '19):
//! model details, intended use, out-of-scope uses, factors, metrics, evaluation data, training
//! data, quantitative analyses (by group, with intervals), ethical considerations, caveats and
//! recommendations. Everything measurable comes from the [`SessionSnapshot`]; what only a
//! person can know comes from [`ModelCardFields`], whose defaults are prompts marked
//! [`TO_BE_COMPLETED`]. Rendered as Markdown and as JSON (the [`ModelCard`] struct).

use super::markdown::render;
use super::report::{
    all_warnings, audit_table, disparity_table, four_fifths_verdict, interval_note, undefined_notes, Block, Section,
};
use super::snapshot::{hyperparameters, model_title, AppliedRule, ChosenMitigation, DatasetSource, SessionSnapshot};
use super::{ExportError, APP_VERSION};
use crate::core::metrics::{GroupMetrics, DISPARITIES, RATES};
use crate::core::postprocess::GroupOutcome;
use crate::core::roles::Binning;
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

/// The marker that starts every field the model owner has not written yet.
pub const TO_BE_COMPLETED: &str = "[To be completed by the model owner]";

/// What only a person can know, editable in the page before export.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModelCardFields {
    pub model_name: String,
    pub owners: String,
    pub contact: String,
    pub licence: String,
    pub intended_use: String,
    pub intended_users: String,
    pub out_of_scope_uses: String,
    pub ethical_considerations: String,
}

impl Default for ModelCardFields {
    fn default() -> Self {
        let p = |prompt: &str| format!("{TO_BE_COMPLETED} {prompt}");
        ModelCardFields {
            model_name: p("What is this model called?"),
            owners: p("Who built this model and who is responsible for it?"),
            contact: p("Where should questions or reports of problems go?"),
            licence: p("Under which licence may others use this model?"),
            intended_use: p("What is the model for, and which decisions will it inform?"),
            intended_users: p("Who will use it, and how much will they rely on it?"),
            out_of_scope_uses: p("Which uses would be harmful or unsupported (other populations, other decisions, fully automated decisions)?"),
            ethical_considerations: p("Which people could be harmed by mistakes, what sensitive data was used, and how were risks mitigated?"),
        }
    }
}

impl ModelCardFields {
    /// The names of the fields still at (or starting with) the prompt.
    pub fn pending(&self) -> Vec<&'static str> {
        [
            ("model_name", &self.model_name),
            ("owners", &self.owners),
            ("contact", &self.contact),
            ("licence", &self.licence),
            ("intended_use", &self.intended_use),
            ("intended_users", &self.intended_users),
            ("out_of_scope_uses", &self.out_of_scope_uses),
            ("ethical_considerations", &self.ethical_considerations),
        ]
        .into_iter()
        .filter(|(_, v)| v.trim().is_empty() || v.trim_start().starts_with(TO_BE_COMPLETED))
        .map(|(k, _)| k)
        .collect()
    }
}

/// A value with its interval, if one was computed.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    pub value: Option<f64>,
    pub interval: Option<[f64; 2]>,
}

/// One group's row of the quantitative analyses.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupAnalysis {
    pub group: String,
    pub count: u64,
    /// Every rate of [`RATES`] with its interval.
    pub metrics: IndexMap<String, Estimate>,
}

/// Model details (Mitchell et al. §4.1).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ModelDetails {
    pub name: String,
    pub owners: String,
    pub contact: String,
    pub licence: String,
    pub model_type: String,
    pub hyperparameters: IndexMap<String, String>,
    pub split_seed: u64,
    pub developed_with: String,
}

/// Intended use (§4.2).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IntendedUse {
    pub primary_uses: String,
    pub primary_users: String,
}

/// Factors (§4.3).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Factors {
    /// The sensitive attributes the model was audited by (with their binning).
    pub relevant_factors: Vec<String>,
    /// The groups evaluated.
    pub evaluation_groups: Vec<String>,
}

/// Metrics (§4.4).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    pub performance_measures: Vec<String>,
    pub decision_thresholds: IndexMap<String, f64>,
    pub variation_approaches: String,
}

/// Evaluation or training data (§4.5, §4.6).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DataDescription {
    pub dataset: String,
    pub source: String,
    pub citation: Option<String>,
    pub licence: Option<String>,
    pub rows: Option<usize>,
    pub description: String,
}

/// Quantitative analyses (§4.7).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuantitativeAnalyses {
    /// e.g. 0.95; `None` without bootstrap intervals.
    pub interval_level: Option<f64>,
    pub resamples: Option<usize>,
    pub bootstrap_seed: Option<u64>,
    pub reference_group: Option<String>,
    pub groups: Vec<GroupAnalysis>,
    pub overall: Option<GroupAnalysis>,
    pub disparities: IndexMap<String, Estimate>,
    pub four_fifths_rule_passed: Option<bool>,
    /// The chosen mitigation's effect, when there is one.
    pub mitigation: Option<MitigationEffect>,
    /// Every mitigation tried, on one plane (the Mitigate step's), when it was built.
    #[serde(default)]
    pub mitigations_considered: Option<crate::core::mitigation::plane::Plane>,
}

/// A metric before and after mitigation: `[before, after]`.
pub type BeforeAfter = [Option<f64>; 2];

/// What the chosen mitigation changed (expected values on the test rows).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MitigationEffect {
    pub constraint: String,
    pub objective: String,
    pub tolerance: f64,
    pub applied: AppliedRule,
    pub accuracy: BeforeAfter,
    pub demographic_parity_difference: BeforeAfter,
    pub equalized_odds_difference: BeforeAfter,
    /// By group: selection_rate, true_positive_rate, false_positive_rate, accuracy.
    pub groups: IndexMap<String, IndexMap<String, BeforeAfter>>,
    pub levelled_down: Vec<String>,
}

fn mitigation_effect(m: &ChosenMitigation) -> MitigationEffect {
    let (b, a) = (m.before(), m.after());
    let groups = b
        .groups
        .iter()
        .map(|(g, x)| {
            let y = a.groups.get(g);
            let pair = |f: fn(&GroupOutcome) -> Option<f64>| [f(x), y.and_then(f)];
            let metrics = [
                ("selection_rate", pair(|o| o.selection_rate)),
                ("true_positive_rate", pair(|o| o.true_positive_rate)),
                ("false_positive_rate", pair(|o| o.false_positive_rate)),
                ("accuracy", pair(|o| o.accuracy)),
            ];
            (g.clone(), metrics.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
        })
        .collect();
    let spec = m.spec();
    MitigationEffect {
        constraint: spec.constraint.name().to_string(),
        objective: spec.objective.name().to_string(),
        tolerance: spec.tolerance,
        applied: m.applied,
        accuracy: [b.accuracy, a.accuracy],
        demographic_parity_difference: [
            b.disparities.demographic_parity_difference,
            a.disparities.demographic_parity_difference,
        ],
        equalized_odds_difference: [b.disparities.equalized_odds_difference, a.disparities.equalized_odds_difference],
        groups,
        levelled_down: m.result.levelled_down.clone(),
    }
}

/// The model card, as written to JSON (keys in this order).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ModelCard {
    pub model_details: ModelDetails,
    pub intended_use: IntendedUse,
    pub out_of_scope_uses: String,
    pub factors: Factors,
    pub metrics: Metrics,
    pub evaluation_data: DataDescription,
    pub training_data: DataDescription,
    pub quantitative_analyses: QuantitativeAnalyses,
    pub ethical_considerations: String,
    pub caveats_and_recommendations: Vec<String>,
    /// Fields still to be completed by the model owner.
    pub needs_owner_input: Vec<String>,
    pub generated_locally: String,
}

/// The section titles of the Markdown card, in Mitchell et al.'s order.
pub const CARD_SECTIONS: [&str; 10] = [
    "Model Details",
    "Intended Use",
    "Out-of-Scope Uses",
    "Factors",
    "Metrics",
    "Evaluation Data",
    "Training Data",
    "Quantitative Analyses",
    "Ethical Considerations",
    "Caveats and Recommendations",
];

fn analysis(name: &str, m: &GroupMetrics, ci: Option<&IndexMap<String, Option<[f64; 2]>>>) -> GroupAnalysis {
    let metrics = RATES
        .iter()
        .map(|r| {
            (r.key.to_string(), Estimate { value: r.of(m), interval: ci.and_then(|c| c.get(r.key)).copied().flatten() })
        })
        .collect();
    GroupAnalysis { group: name.to_string(), count: m.count, metrics }
}

fn caveats(s: &SessionSnapshot) -> Vec<String> {
    let mut c = all_warnings(s);
    match &s.audit {
        Some(a) => {
            if a.ci.is_none() {
                c.push(
                    "No confidence intervals were computed: compute them before trusting differences between groups."
                        .into(),
                );
            }
            if a.disparities.four_fifths_rule_passed == Some(false) {
                c.push(format!(
                    "Selection rates fail the four-fifths rule (ratio {}): review the decision thresholds and the data before use.",
                    super::fmt_rate(a.disparities.demographic_parity_ratio)
                ));
            }
            let undefined: Vec<&str> = a
                .groups
                .iter()
                .filter(|(_, m)| m.true_positive_rate.is_none() || m.false_positive_rate.is_none())
                .map(|(n, _)| n.as_str())
                .collect();
            if !undefined.is_empty() {
                c.push(format!(
                    "Some rates are undefined for {} (a group without positive or negative examples).",
                    undefined.join(", ")
                ));
            }
        }
        None => c.push("The model has not been audited by group.".into()),
    }
    if s.roles.as_ref().is_some_and(|r| r.drop_sensitive) {
        c.push(
            "The sensitive attribute was left out of the features, but other features may still act as proxies for it."
                .into(),
        );
    }
    if let Some(m) = &s.mitigation {
        if m.applied == AppliedRule::Randomised {
            c.push("The mitigated rule is randomised: two people with the same score in the same group may receive different decisions.".into());
        }
        if !m.result.levelled_down.is_empty() {
            c.push(format!(
                "The mitigation levels down {}: their outcomes are worse than under their own best rule.",
                m.result.levelled_down.join(", ")
            ));
        }
    }
    if s.dataset.source == DatasetSource::Uploaded {
        c.push("The data's origin and licence are not recorded by Fairground; document them here.".into());
    }
    c.push("The numbers come from one train/test split; another split or population may give other numbers.".into());
    c.push("Fairness criteria can conflict (Chouldechova 2017; Kleinberg et al. 2016): when base rates differ, equal calibration and equal error rates cannot all hold.".into());
    c
}

impl ModelCard {
    /// Fills the card from the snapshot's numbers and the owner's fields.
    pub fn build(s: &SessionSnapshot, fields: &ModelCardFields) -> ModelCard {
        let (citation, licence) = match &s.dataset.source {
            DatasetSource::Bundled { citation, licence, .. } => (Some(citation.clone()), Some(licence.clone())),
            _ => (None, None),
        };
        let data = |rows: Option<usize>, description: String| DataDescription {
            dataset: s.dataset.name.clone(),
            source: s.dataset.source.describe(),
            citation: citation.clone(),
            licence: licence.clone(),
            rows,
            description,
        };
        let t = s.train.as_ref();
        let a = s.audit.as_ref();
        let relevant_factors = s
            .roles
            .iter()
            .flat_map(|r| &r.sensitive)
            .map(|f| match &f.binning {
                Binning::None => f.column.clone(),
                Binning::Quantiles(q) => format!("{} ({q} quantile groups)", f.column),
                Binning::Cuts(c) => format!("{} (cut at {c:?})", f.column),
            })
            .collect();
        let mitigation = s.mitigation.as_ref().map(mitigation_effect);
        ModelCard {
            model_details: ModelDetails {
                name: fields.model_name.clone(),
                owners: fields.owners.clone(),
                contact: fields.contact.clone(),
                licence: fields.licence.clone(),
                model_type: match &s.external {
                    Some(e) => format!(
                        "external: the user's own model, known here only by its output column '{}' ({}; positive when {}); not trained in Fairground",
                        e.column,
                        e.kind,
                        e.rule()
                    ),
                    None => format!("{} ({}), a binary classifier", model_title(&s.model), s.model.name()),
                },
                hyperparameters: if s.external.is_some() {
                    IndexMap::new()
                } else {
                    hyperparameters(&s.model).into_iter().map(|(k, v)| (k.to_string(), v)).collect()
                },
                split_seed: s.seeds.split,
                developed_with: format!("Fairground {}", s.app_version),
            },
            intended_use: IntendedUse { primary_uses: fields.intended_use.clone(), primary_users: fields.intended_users.clone() },
            out_of_scope_uses: fields.out_of_scope_uses.clone(),
            factors: Factors {
                relevant_factors,
                evaluation_groups: a.map(|a| a.groups.keys().cloned().collect()).unwrap_or_default(),
            },
            metrics: Metrics {
                performance_measures: RATES
                    .iter()
                    .map(|r| r.key)
                    .chain(DISPARITIES.iter().map(|d| d.key))
                    .map(String::from)
                    .collect(),
                decision_thresholds: a.map(|a| a.thresholds.clone()).unwrap_or_default(),
                variation_approaches: a.map(interval_note).unwrap_or_else(|| "Not audited.".into()),
            },
            evaluation_data: data(
                t.map(|t| t.test_rows),
                format!(
                    "The held-out test split: a share of {} of the rows, stratified by target and group, split seed {}.",
                    s.test_fraction, s.seeds.split
                ),
            ),
            training_data: data(
                t.map(|t| t.train_rows),
                match t {
                    Some(t) => format!(
                        "The remaining rows; positive rate {}; {} rows without a target were dropped.",
                        super::fmt_rate(Some(t.positive_rate_train)),
                        t.dropped_rows
                    ),
                    None => "No model has been trained yet.".into(),
                },
            ),
            quantitative_analyses: QuantitativeAnalyses {
                interval_level: a.and_then(|a| a.ci.as_ref()).map(|c| c.level),
                resamples: a.and_then(|a| a.ci.as_ref()).map(|c| c.resamples),
                bootstrap_seed: a.and_then(|a| a.seed),
                reference_group: a.map(|a| a.reference.group.clone()),
                groups: a
                    .map(|a| {
                        a.groups
                            .iter()
                            .map(|(n, m)| analysis(n, m, a.ci.as_ref().and_then(|c| c.groups.get(n))))
                            .collect()
                    })
                    .unwrap_or_default(),
                overall: a.map(|a| analysis("All rows", &a.overall, None)),
                disparities: a
                    .map(|a| {
                        DISPARITIES
                            .iter()
                            .map(|d| {
                                let interval = a.ci.as_ref().and_then(|c| c.disparities.get(d.key)).copied().flatten();
                                (d.key.to_string(), Estimate { value: d.of(&a.disparities), interval })
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
                four_fifths_rule_passed: a.and_then(|a| a.disparities.four_fifths_rule_passed),
                mitigation,
                mitigations_considered: s.mitigations_considered.clone(),
            },
            ethical_considerations: fields.ethical_considerations.clone(),
            caveats_and_recommendations: caveats(s),
            needs_owner_input: fields.pending().into_iter().map(String::from).collect(),
            generated_locally: format!("Generated locally by Fairground {APP_VERSION}; nothing was uploaded."),
        }
    }

    /// The card as pretty-printed JSON (keys in [`ModelCard`]'s field order).
    ///
    /// # Errors
    /// [`ExportError::Json`] if serialisation fails (it does not for these types).
    pub fn to_json(&self) -> Result<String, ExportError> {
        serde_json::to_string_pretty(self).map_err(|e| ExportError::Json(e.to_string()))
    }

    /// The card as Markdown, with [`CARD_SECTIONS`] as level-2 headings. `snapshot` supplies
    /// the per-group tables (the same numbers as [`ModelCard::build`] read).
    pub fn to_markdown(&self, s: &SessionSnapshot) -> String {
        let d = &self.model_details;
        let p = |t: &str| Block::Paragraph(t.to_string());
        let data = |x: &DataDescription| {
            let mut l = vec![format!("Dataset: {}", x.dataset), format!("Source: {}", x.source)];
            l.extend(x.citation.iter().map(|c| format!("Citation: {c}")));
            l.extend(x.licence.iter().map(|c| format!("Licence: {c}")));
            l.push(format!("Rows: {}", x.rows.map_or("unknown".into(), |r| r.to_string())));
            vec![Block::List(l), p(&x.description)]
        };
        let mut quantitative = Vec::new();
        match &s.audit {
            Some(a) => {
                quantitative.push(p(&interval_note(a)));
                quantitative.push(audit_table(a));
                quantitative.push(p(&format!("Reference group: {}.", a.reference.group)));
                quantitative.push(disparity_table(a));
                quantitative.push(p(&four_fifths_verdict(a)));
                let notes = undefined_notes(a);
                if !notes.is_empty() {
                    quantitative.push(Block::List(notes));
                }
            }
            None => quantitative.push(p("Not audited.")),
        }
        if let Some(m) = &s.mitigation {
            let rows = m
                .before()
                .groups
                .iter()
                .map(|(g, b)| {
                    let after = m.after().groups.get(g);
                    vec![
                        g.clone(),
                        format!(
                            "{} → {}",
                            super::fmt_rate(b.selection_rate),
                            super::fmt_rate(after.and_then(|x| x.selection_rate))
                        ),
                        format!(
                            "{} → {}",
                            super::fmt_rate(b.true_positive_rate),
                            super::fmt_rate(after.and_then(|x| x.true_positive_rate))
                        ),
                        format!(
                            "{} → {}",
                            super::fmt_rate(b.accuracy),
                            super::fmt_rate(after.and_then(|x| x.accuracy))
                        ),
                    ]
                })
                .collect();
            quantitative.push(p(&format!("After mitigation ({}):", m.spec().constraint.name().replace('_', " "))));
            quantitative.push(Block::Table {
                headers: ["Group", "Selection rate", "TPR", "Accuracy"].iter().map(|h| h.to_string()).collect(),
                rows,
            });
        }
        if let Some(plane) = &s.mitigations_considered {
            quantitative.push(p("Mitigations considered:"));
            quantitative.push(p(&super::report::plane_note(plane)));
            quantitative.push(super::report::plane_table(plane));
        }
        let mut hyper = vec![format!("Type: {}", d.model_type)];
        hyper.extend(d.hyperparameters.iter().map(|(k, v)| format!("{k}: {v}")));
        let sections = vec![
            Section {
                title: CARD_SECTIONS[0].into(),
                blocks: vec![
                    Block::List(vec![
                        format!("Name: {}", d.name),
                        format!("Owners: {}", d.owners),
                        format!("Contact: {}", d.contact),
                        format!("Licence: {}", d.licence),
                        format!("Developed with: {}", d.developed_with),
                        format!("Split seed: {}", d.split_seed),
                    ]),
                    Block::List(hyper),
                ],
            },
            Section {
                title: CARD_SECTIONS[1].into(),
                blocks: vec![Block::List(vec![
                    format!("Primary uses: {}", self.intended_use.primary_uses),
                    format!("Primary users: {}", self.intended_use.primary_users),
                ])],
            },
            Section { title: CARD_SECTIONS[2].into(), blocks: vec![p(&self.out_of_scope_uses)] },
            Section {
                title: CARD_SECTIONS[3].into(),
                blocks: vec![Block::List(vec![
                    format!("Relevant factors: {}", or_none(&self.factors.relevant_factors)),
                    format!("Evaluation groups: {}", or_none(&self.factors.evaluation_groups)),
                ])],
            },
            Section {
                title: CARD_SECTIONS[4].into(),
                blocks: vec![
                    p(&format!("Performance measures: {}.", self.metrics.performance_measures.join(", "))),
                    p(&format!(
                        "Decision thresholds: {}.",
                        or_none(
                            &self
                                .metrics
                                .decision_thresholds
                                .iter()
                                .map(|(g, t)| format!("{g}: {t}"))
                                .collect::<Vec<_>>()
                        )
                    )),
                    p(&format!("Variation: {}", self.metrics.variation_approaches)),
                ],
            },
            Section { title: CARD_SECTIONS[5].into(), blocks: data(&self.evaluation_data) },
            Section { title: CARD_SECTIONS[6].into(), blocks: data(&self.training_data) },
            Section { title: CARD_SECTIONS[7].into(), blocks: quantitative },
            Section { title: CARD_SECTIONS[8].into(), blocks: vec![p(&self.ethical_considerations)] },
            Section {
                title: CARD_SECTIONS[9].into(),
                blocks: vec![Block::List(self.caveats_and_recommendations.clone())],
            },
            Section {
                title: "About this card".into(),
                blocks: vec![
                    p(&format!("Still to be completed by the model owner: {}.", or_none(&self.needs_owner_input))),
                    p(&self.generated_locally),
                ],
            },
        ];
        let title = if self.needs_owner_input.iter().any(|f| f == "model_name") {
            match &s.external {
                Some(e) => format!("Model card: your model's output '{}' on {}", e.column, s.dataset.name),
                None => format!("Model card: {} trained on {}", model_title(&s.model), s.dataset.name),
            }
        } else {
            format!("Model card: {}", d.name)
        };
        render(&title, &sections)
    }
}

fn or_none(items: &[String]) -> String {
    if items.is_empty() {
        "none".into()
    } else {
        items.join(", ")
    }
}
