//! The lesson data model: a lesson is a list of steps, and each step may name one experiment
//! for the playground to set up (the shape of PAIR's explorables, where a story is an array of
//! slides that each override a few parameters).
//!
//! Everything here is `&'static` data: it costs nothing at runtime, and it serialises to JSON
//! (with `serde`) for the UI. Nothing here computes a metric: the numbers a lesson talks about
//! come from the live experiment the UI runs.

use serde::{Deserialize, Serialize};

use super::leak;

/// One lesson: an ordered list of steps plus "how to say it in an interview" bullets.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Lesson {
    /// Stable identifier used in URLs, in [`crate::lessons::Question::lesson`] and in progress,
    /// e.g. `"bias"`.
    #[serde(deserialize_with = "leak::str")]
    pub id: &'static str,
    /// Position in the course, 1 to 10.
    pub number: u8,
    /// Short title for the lesson list.
    #[serde(deserialize_with = "leak::str")]
    pub title: &'static str,
    /// One or two sentences shown under the title.
    #[serde(deserialize_with = "leak::str")]
    pub summary: &'static str,
    /// The steps, in reading order.
    #[serde(deserialize_with = "leak::slice")]
    pub steps: &'static [LessonStep],
    /// "How to say it in an interview": short bullets a candidate can say out loud.
    #[serde(deserialize_with = "leak::strs")]
    pub interview: &'static [&'static str],
}

/// One step of a lesson: a few short paragraphs, optionally an experiment to set up and a hint
/// of what to look at in it.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct LessonStep {
    /// The step's heading.
    #[serde(deserialize_with = "leak::str")]
    pub heading: &'static str,
    /// Short plain paragraphs (render each as a `<p>`). Formulas are plain text or Unicode.
    #[serde(deserialize_with = "leak::strs")]
    pub body: &'static [&'static str],
    /// What the playground should set up when the reader reaches this step, if anything.
    pub experiment: Option<Experiment>,
    /// What to look at in the experiment (shown beside it), if anything.
    #[serde(deserialize_with = "leak::opt_str")]
    pub check: Option<&'static str>,
}

/// What the playground should set up for a step. The UI matches on this and opens the right
/// panel with these parameters; each variant documents what the lead must wire.
///
/// Serialised with a `"kind"` tag in snake_case, e.g.
/// `{"kind":"synth_preset","preset":"proxy_bias","model":"logistic","drop_sensitive":true}`.
/// Read back through one flat struct of optional fields ([`ExperimentFields`]) rather than
/// serde's derived reader for internally tagged enums, which buffers and is several times larger
/// in the page's module; same JSON.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Experiment {
    /// One part (1 to 4) of the lender's story ([`crate::lessons::story`]): the applicants as
    /// dots by credit score, a threshold slider (one shared in parts 1 and 2, one per group in
    /// parts 3 and 4) starting from what the previous part kept, each group's rates and the
    /// lender's profit; part 4 adds buttons that set the most profitable thresholds meeting
    /// each criterion.
    Story { part: u8 },
    /// Generate the synthetic data set `preset` (ids of the synthetic-data presets:
    /// `"historical_bias"`, `"representation_bias"`, `"label_bias"`, `"proxy_bias"`,
    /// `"measurement_bias"`, `"fair_baseline"`), train `model` (`"logistic"`, `"tree"` or
    /// `"naive_bayes"`, as `fairground train --model`) with the sensitive column excluded when
    /// `drop_sensitive` is true (as `--drop-sensitive`), and open the audit: per-group accuracy,
    /// selection rate, FPR and FNR on the test split.
    SynthPreset {
        #[serde(deserialize_with = "leak::str")]
        preset: &'static str,
        #[serde(deserialize_with = "leak::str")]
        model: &'static str,
        drop_sensitive: bool,
    },
    /// Like [`Experiment::SynthPreset`] with the model trained without the sensitive column, then
    /// show the proxy table: how well each remaining feature predicts the sensitive attribute.
    ProxyTable {
        #[serde(deserialize_with = "leak::str")]
        preset: &'static str,
    },
    /// Load the bundled data set `dataset` (`"adult"`, `"german"` or `"compas"`, ids of
    /// [`crate::catalog::BUNDLED`]) with `sensitive` as the sensitive column, train the default
    /// model and open the audit with its disparities (demographic parity, equal opportunity,
    /// equalized odds, predictive parity). If the data set is not bundled, fall back to the
    /// `"fair_baseline"` preset and say so.
    Bundled {
        #[serde(deserialize_with = "leak::str")]
        dataset: &'static str,
        #[serde(deserialize_with = "leak::str")]
        sensitive: &'static str,
    },
    /// Open the mitigation step on the current model with `constraint`, one of the constraint
    /// names of `fairground mitigate --constraint` (`single_threshold`, `group_thresholds`,
    /// `demographic_parity`, `equal_opportunity`, `false_positive_rate_parity`,
    /// `equalized_odds`), next to the unmitigated model, showing per-group rates and accuracy.
    Mitigate {
        #[serde(deserialize_with = "leak::str")]
        constraint: &'static str,
    },
    /// The impossibility slider: two groups with base rates `a` and `b` (each in (0, 1)) as
    /// starting values. The reader sets PPV and FNR (shared by both groups) and the panel shows
    /// each group's implied FPR from [`crate::lessons::implied_fpr`].
    BaseRates { a: f64, b: f64 },
    /// Explain one test row of the current model with each of `methods` (`"shap"`, `"lime"`,
    /// `"kernel_shap"`, as `fairground explain --method`) side by side. When `lime_seeds` > 1,
    /// also run LIME with that many seeds (seed, seed+1, …) and show how its top features move.
    ExplainRow {
        #[serde(deserialize_with = "leak::strs")]
        methods: &'static [&'static str],
        lime_seeds: u8,
    },
    /// A tree-depth slider starting at `depth`: train a decision tree per depth and plot test
    /// accuracy and the number of leaves against depth, and show the tree at the chosen depth.
    TreeDepth { depth: u8 },
    /// Train a deliberately overfit model on half the data and run the membership-inference
    /// attack `attack` (`"confidence_threshold"` or `"shadow_model"`); show the attack's ROC
    /// curve and AUC on members against non-members.
    MembershipInference {
        #[serde(deserialize_with = "leak::str")]
        attack: &'static str,
    },
    /// The Laplace-mechanism toy: a counting query (sensitivity 1) answered with noise of scale
    /// 1/`epsilon`; show the output distributions on two neighbouring data sets and an epsilon
    /// slider.
    LaplaceCount { epsilon: f64 },
    /// DP-SGD for logistic regression with noise multiplier `noise` (σ), clipping norm `clip`
    /// (C), sampling rate `q` and `steps`; show ε at δ from the accountant, test accuracy,
    /// per-group accuracy and the membership-inference AUC, with sliders for the four values.
    DpSgd { noise: f64, clip: f64, q: f64, steps: u32 },
    /// FedAvg across simulated clients, split IID (`non_iid` false) or by group (`non_iid`
    /// true); show accuracy and per-group metrics against centralised training.
    FedAvg { non_iid: bool },
    /// Secure aggregation with pairwise additive masks for `clients` clients: the server's view
    /// (masked updates) beside the true sum it recovers.
    SecureAggregation { clients: u8 },
    /// Adversarial examples on the linear model: for a chosen row, the minimal L2 and L∞
    /// perturbations that flip its decision and an FGSM-style attack; when
    /// `adversarial_training` is true, also train with adversarial examples and compare
    /// clean accuracy and robustness.
    Adversarial { adversarial_training: bool },
    /// Open the model-card export for the current session (Mitchell et al. 2019 sections).
    ModelCard,
    /// The drift check: compare the training data with newer data (or a shifted copy) feature
    /// by feature and show per-group metrics before and after.
    Drift,
    /// The footprint estimate: floating-point operations of what was trained in the session,
    /// turned into time and energy under the assumptions shown.
    Footprint,
}

impl Experiment {
    /// The variant's name as serialised (the `"kind"` tag), e.g. `"synth_preset"`.
    pub fn kind(&self) -> &'static str {
        match self {
            Experiment::Story { .. } => "story",
            Experiment::SynthPreset { .. } => "synth_preset",
            Experiment::ProxyTable { .. } => "proxy_table",
            Experiment::Bundled { .. } => "bundled",
            Experiment::Mitigate { .. } => "mitigate",
            Experiment::BaseRates { .. } => "base_rates",
            Experiment::ExplainRow { .. } => "explain_row",
            Experiment::TreeDepth { .. } => "tree_depth",
            Experiment::MembershipInference { .. } => "membership_inference",
            Experiment::LaplaceCount { .. } => "laplace_count",
            Experiment::DpSgd { .. } => "dp_sgd",
            Experiment::FedAvg { .. } => "fed_avg",
            Experiment::SecureAggregation { .. } => "secure_aggregation",
            Experiment::Adversarial { .. } => "adversarial",
            Experiment::ModelCard => "model_card",
            Experiment::Drift => "drift",
            Experiment::Footprint => "footprint",
        }
    }
}

/// Every field any [`Experiment`] has, each optional: what its JSON is read into.
#[derive(Deserialize)]
struct ExperimentFields {
    kind: String,
    part: Option<u8>,
    preset: Option<String>,
    model: Option<String>,
    drop_sensitive: Option<bool>,
    dataset: Option<String>,
    sensitive: Option<String>,
    constraint: Option<String>,
    a: Option<f64>,
    b: Option<f64>,
    methods: Option<Vec<String>>,
    lime_seeds: Option<u8>,
    depth: Option<u8>,
    attack: Option<String>,
    epsilon: Option<f64>,
    noise: Option<f64>,
    clip: Option<f64>,
    q: Option<f64>,
    steps: Option<u32>,
    non_iid: Option<bool>,
    clients: Option<u8>,
    adversarial_training: Option<bool>,
}

impl ExperimentFields {
    /// The experiment these fields describe; `None` for an unknown kind or a missing field.
    fn experiment(self) -> Option<Experiment> {
        let text = |s: Option<String>| s.map(leak::string);
        Some(match self.kind.as_str() {
            "story" => Experiment::Story { part: self.part? },
            "synth_preset" => Experiment::SynthPreset {
                preset: text(self.preset)?,
                model: text(self.model)?,
                drop_sensitive: self.drop_sensitive?,
            },
            "proxy_table" => Experiment::ProxyTable { preset: text(self.preset)? },
            "bundled" => Experiment::Bundled { dataset: text(self.dataset)?, sensitive: text(self.sensitive)? },
            "mitigate" => Experiment::Mitigate { constraint: text(self.constraint)? },
            "base_rates" => Experiment::BaseRates { a: self.a?, b: self.b? },
            "explain_row" => Experiment::ExplainRow {
                methods: leak::vec(self.methods?.into_iter().map(leak::string).collect()),
                lime_seeds: self.lime_seeds?,
            },
            "tree_depth" => Experiment::TreeDepth { depth: self.depth? },
            "membership_inference" => Experiment::MembershipInference { attack: text(self.attack)? },
            "laplace_count" => Experiment::LaplaceCount { epsilon: self.epsilon? },
            "dp_sgd" => Experiment::DpSgd { noise: self.noise?, clip: self.clip?, q: self.q?, steps: self.steps? },
            "fed_avg" => Experiment::FedAvg { non_iid: self.non_iid? },
            "secure_aggregation" => Experiment::SecureAggregation { clients: self.clients? },
            "adversarial" => Experiment::Adversarial { adversarial_training: self.adversarial_training? },
            "model_card" => Experiment::ModelCard,
            "drift" => Experiment::Drift,
            "footprint" => Experiment::Footprint,
            _ => return None,
        })
    }
}

impl<'de> Deserialize<'de> for Experiment {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let fields = ExperimentFields::deserialize(d)?;
        let kind = fields.kind.clone();
        fields
            .experiment()
            .ok_or_else(|| serde::de::Error::custom(format!("experiment {kind:?}: unknown kind or a field missing")))
    }
}
