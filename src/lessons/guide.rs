//! How the lessons are taught around their text: the guess a learner commits to before each
//! experiment (predict, then reveal), the questions asked inside the steps, the library call
//! that computes each number an experiment shows, and where each interview topic is taught.
//!
//! Steps are named by (lesson id, step heading), so the tables survive steps being reordered;
//! the tests check that every name resolves.

use serde::{Deserialize, Serialize};

use super::leak;

use super::live::LiveQuestion;
use super::model::Experiment;

/// What the learner guesses before running a step's experiment.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Prediction {
    #[serde(deserialize_with = "leak::str")]
    pub lesson: &'static str,
    #[serde(deserialize_with = "leak::str")]
    pub step: &'static str,
    /// The question, e.g. "Which group will have the higher FPR?".
    #[serde(deserialize_with = "leak::str")]
    pub prompt: &'static str,
    /// The guesses offered.
    #[serde(deserialize_with = "leak::strs")]
    pub options: &'static [&'static str],
    /// How the answer is revealed beside the guess.
    pub reveal: Reveal,
}

/// Where the revealed answer comes from. Serialised with a `"from"` tag; read back through a
/// flat struct (as `QuestionKind`).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(tag = "from", rename_all = "snake_case")]
pub enum Reveal {
    /// The live audit's answer to this question, shown with its numbers.
    Live(LiveQuestion),
    /// The experiment's own panel: the learner reads the numbers beside the guess.
    Panel,
}

impl<'de> Deserialize<'de> for Reveal {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Fields {
            from: String,
            question: Option<String>,
            tolerance: Option<f64>,
        }
        let f = Fields::deserialize(d)?;
        let read = match f.from.as_str() {
            "panel" => Some(Reveal::Panel),
            "live" => f.question.and_then(|q| LiveQuestion::from_tag(&q, f.tolerance)).map(Reveal::Live),
            _ => None,
        };
        read.ok_or_else(|| serde::de::Error::custom(format!("reveal {:?}: unknown or a field missing", f.from)))
    }
}

const SMALL_LARGE: &[&str] = &["The smaller group", "The larger group", "About the same"];
const GROUPS: &[&str] = &["Group A", "Group B", "About the same"];
const UP_DOWN: &[&str] = &["It goes up", "It goes down", "It hardly changes"];

/// One prediction per step that has an experiment.
pub static PREDICTIONS: &[Prediction] = &[
    Prediction {
        lesson: "bias",
        step: "The lender's story, part 1: one threshold",
        prompt: "With one threshold for everyone, which group will the lender approve less often?",
        options: GROUPS,
        reveal: Reveal::Panel,
    },
    Prediction {
        lesson: "definitions",
        step: "The lender's story, part 2: four rates on your threshold",
        prompt: "At your threshold, which rate will differ most between the groups?",
        options: &["Selection rate", "TPR", "FPR", "PPV"],
        reveal: Reveal::Panel,
    },
    Prediction {
        lesson: "impossibility",
        step: "The lender's story, part 3: a threshold per group",
        prompt: "Can two thresholds make TPR, FPR and PPV exactly equal on the lender's dots?",
        options: &["Yes, easily", "Only by approving no defaulter", "Never"],
        reveal: Reveal::Panel,
    },
    Prediction {
        lesson: "choosing",
        step: "The lender's story, part 4: choose, and pay for it",
        prompt: "Will equal opportunity cost the lender more than a tenth of its best profit?",
        options: &["More than a tenth", "Less than a tenth", "It costs nothing"],
        reveal: Reveal::Panel,
    },
    Prediction {
        lesson: "bias",
        step: "Historical bias",
        prompt: "Which group will the model select less often?",
        options: GROUPS,
        reveal: Reveal::Live(LiveQuestion::LowerSelectionRate),
    },
    Prediction {
        lesson: "bias",
        step: "Representation bias",
        prompt: "For which group will the model be less accurate?",
        options: SMALL_LARGE,
        reveal: Reveal::Live(LiveQuestion::LowerAccuracy),
    },
    Prediction {
        lesson: "bias",
        step: "Label bias",
        prompt: "Measured against the recorded labels, will the gaps look large or small?",
        options: &["Large", "Small", "No gap at all"],
        reveal: Reveal::Live(LiveQuestion::LargestGap),
    },
    Prediction {
        lesson: "bias",
        step: "Feature bias and proxies",
        prompt: "Trained without the group column, which group will be selected less often?",
        options: GROUPS,
        reveal: Reveal::Live(LiveQuestion::LowerSelectionRate),
    },
    Prediction {
        lesson: "bias",
        step: "Why dropping the column fails: the proxy table",
        prompt: "Will any remaining feature predict the group well?",
        options: &["Yes, one stands out", "No, all near chance"],
        reveal: Reveal::Panel,
    },
    Prediction {
        lesson: "bias",
        step: "Measurement bias",
        prompt: "Which error will the poorer measurement raise for the affected group?",
        options: &["False negatives", "False positives", "Neither"],
        reveal: Reveal::Live(LiveQuestion::HigherFnr),
    },
    Prediction {
        lesson: "bias",
        step: "Intersectionality",
        prompt: "Will some sex × race cell be further from the others than either margin suggests?",
        options: &["Yes", "No"],
        reveal: Reveal::Panel,
    },
    Prediction {
        lesson: "bias",
        step: "Detecting bias: subgroup analysis",
        prompt: "Which group will have the higher false positive rate?",
        options: &["Female", "Male", "About the same"],
        reveal: Reveal::Live(LiveQuestion::HigherFpr),
    },
    Prediction {
        lesson: "definitions",
        step: "Notation",
        prompt: "Which group will have the higher base rate?",
        options: &["Female", "Male", "About the same"],
        reveal: Reveal::Live(LiveQuestion::HigherBaseRate),
    },
    Prediction {
        lesson: "definitions",
        step: "How sure is a gap? Small groups",
        prompt: "Whose interval will be widest?",
        options: SMALL_LARGE,
        reveal: Reveal::Panel,
    },
    Prediction {
        lesson: "definitions",
        step: "All four on one model",
        prompt: "Which rate will differ most between the groups?",
        options: &["Selection rate", "TPR", "FPR", "PPV"],
        reveal: Reveal::Live(LiveQuestion::LargestGap),
    },
    Prediction {
        lesson: "impossibility",
        step: "Base rates",
        prompt: "With equal PPV and FNR, which group will have the higher FPR?",
        options: &["Base rate 0.4", "Base rate 0.2", "Equal"],
        reveal: Reveal::Panel,
    },
    Prediction {
        lesson: "impossibility",
        step: "A worked example",
        prompt: "At PPV 0.8 and FNR 0.2, how far apart will the FPRs be?",
        options: &["Less than 0.05", "0.05 to 0.1", "More than 0.1"],
        reveal: Reveal::Panel,
    },
    Prediction {
        lesson: "impossibility",
        step: "Try to equalise everything",
        prompt: "Can you make all three rates equal without equal base rates?",
        options: &["Yes, with PPV = 1", "Yes, with FNR = 0 alone", "Never"],
        reveal: Reveal::Panel,
    },
    Prediction {
        lesson: "impossibility",
        step: "A real case: the COMPAS debate",
        prompt: "Which will be closer to equal across races: PPV or FPR?",
        options: &["PPV", "FPR", "Both equally"],
        reveal: Reveal::Live(LiveQuestion::LargestGap),
    },
    Prediction {
        lesson: "choosing",
        step: "Card 1: hiring → equal opportunity",
        prompt: "Equalising TPR: will overall accuracy go up or down?",
        options: UP_DOWN,
        reveal: Reveal::Panel,
    },
    Prediction {
        lesson: "choosing",
        step: "Card 2: criminal justice → equalized odds",
        prompt: "Will both the TPR gap and the FPR gap shrink?",
        options: &["Both shrink", "Only the TPR gap", "Only the FPR gap"],
        reveal: Reveal::Panel,
    },
    Prediction {
        lesson: "choosing",
        step: "Card 3: lending → predictive parity",
        prompt: "Under one shared threshold, will the PPVs be close?",
        options: &["Close", "Far apart"],
        reveal: Reveal::Panel,
    },
    Prediction {
        lesson: "choosing",
        step: "When demographic parity fits",
        prompt: "Which group's selection rate will move most?",
        options: &["The lower-selected group's", "The higher-selected group's", "Both equally"],
        reveal: Reveal::Panel,
    },
    Prediction {
        lesson: "choosing",
        step: "A warning: levelling down",
        prompt: "Will the gap close mostly by one group's rate falling?",
        options: &["Yes", "No, by the other's rising"],
        reveal: Reveal::Panel,
    },
    Prediction {
        lesson: "choosing",
        step: "Where mitigation can happen",
        prompt: "Will the two groups get different thresholds?",
        options: &["Yes", "No"],
        reveal: Reveal::Panel,
    },
    Prediction {
        lesson: "explainability",
        step: "SHAP: a fair split of the prediction",
        prompt: "Will base value + SHAP values equal the model's output exactly?",
        options: &["Exactly", "Approximately", "No"],
        reveal: Reveal::Panel,
    },
    Prediction {
        lesson: "explainability",
        step: "LIME: a simple model near the row",
        prompt: "Across five seeds, will the top three features stay the same?",
        options: &["Always", "Mostly", "They change"],
        reveal: Reveal::Panel,
    },
    Prediction {
        lesson: "explainability",
        step: "SHAP and LIME side by side",
        prompt: "Will the two methods agree on the top feature?",
        options: &["Yes", "No"],
        reveal: Reveal::Panel,
    },
    Prediction {
        lesson: "explainability",
        step: "Shapley's axioms, and where SHAP and LIME mislead",
        prompt: "Will any of LIME's top features change sign across seeds?",
        options: &["Yes", "No"],
        reveal: Reveal::Panel,
    },
    Prediction {
        lesson: "explainability",
        step: "Integrated gradients",
        prompt: "Will each SHAP value equal coefficient × (value − mean)?",
        options: &["Yes", "Only roughly", "No"],
        reveal: Reveal::Panel,
    },
    Prediction {
        lesson: "explainability",
        step: "Counterfactuals and recourse",
        prompt: "How many features will have to change to flip the row?",
        options: &["1", "2", "None within two"],
        reveal: Reveal::Live(LiveQuestion::FewestEditsToFlip),
    },
    Prediction {
        lesson: "explainability",
        step: "Models you can read directly",
        prompt: "At what depth will test accuracy stop improving?",
        options: &["1 to 3", "4 to 6", "Beyond 6"],
        reveal: Reveal::Panel,
    },
    Prediction {
        lesson: "privacy-attacks",
        step: "Membership inference: the confidence attack",
        prompt: "Will the attack's AUC be clearly above 0.5?",
        options: &["Clearly above", "Near 0.5"],
        reveal: Reveal::Panel,
    },
    Prediction {
        lesson: "privacy-attacks",
        step: "Membership inference: shadow models",
        prompt: "Will the shadow-model attack beat the confidence attack?",
        options: &["Beat it", "About the same", "Do worse"],
        reveal: Reveal::Panel,
    },
    Prediction {
        lesson: "privacy-attacks",
        step: "Reading the attack's ROC curve",
        prompt: "At a 10% false positive rate, will the attack catch more than 10% of members?",
        options: &["Yes", "No"],
        reveal: Reveal::Panel,
    },
    Prediction {
        lesson: "differential-privacy",
        step: "The Laplace mechanism",
        prompt: "At ε = 0.1, will the two curves overlap almost completely?",
        options: &["Almost completely", "Partly", "Barely"],
        reveal: Reveal::Panel,
    },
    Prediction {
        lesson: "differential-privacy",
        step: "DP-SGD",
        prompt: "Will private accuracy be within 2 points of the non-private model's?",
        options: &["Within 2 points", "Further below"],
        reveal: Reveal::Panel,
    },
    Prediction {
        lesson: "differential-privacy",
        step: "Accounting for ε",
        prompt: "Doubling σ: will ε fall by about half, or by more?",
        options: &["About half", "More than half", "Less than half"],
        reveal: Reveal::Panel,
    },
    Prediction {
        lesson: "differential-privacy",
        step: "From Rényi DP to (ε, δ)",
        prompt: "Halving the steps: will ε fall by half?",
        options: &["By half", "By less than half", "By more than half"],
        reveal: Reveal::Panel,
    },
    Prediction {
        lesson: "differential-privacy",
        step: "The privacy–accuracy trade-off",
        prompt: "With less noise (σ = 0.5), will the attack's AUC rise?",
        options: UP_DOWN,
        reveal: Reveal::Panel,
    },
    Prediction {
        lesson: "differential-privacy",
        step: "DP costs small groups the most",
        prompt: "Which group will lose the most accuracy?",
        options: SMALL_LARGE,
        reveal: Reveal::Panel,
    },
    Prediction {
        lesson: "federated",
        step: "FedAvg",
        prompt: "With IID clients, will federated accuracy come within 1 point of centralised?",
        options: &["Within 1 point", "Further below"],
        reveal: Reveal::Panel,
    },
    Prediction {
        lesson: "federated",
        step: "IID and non-IID clients",
        prompt: "Splitting clients by group, will one group's accuracy drop more?",
        options: &["Yes", "No"],
        reveal: Reveal::Panel,
    },
    Prediction {
        lesson: "federated",
        step: "Secure aggregation with pairwise masks",
        prompt: "Will any masked value resemble the client's true update?",
        options: &["Yes", "No"],
        reveal: Reveal::Panel,
    },
    Prediction {
        lesson: "robustness",
        step: "Adversarial examples",
        prompt: "Will the L∞ change that flips a row be smaller than its L2 change?",
        options: &["Smaller", "Larger", "Equal"],
        reveal: Reveal::Panel,
    },
    Prediction {
        lesson: "robustness",
        step: "The fast gradient sign method",
        prompt: "At ε = 0.1 standard deviations, will most decisions flip?",
        options: &["Most flip", "Few flip"],
        reveal: Reveal::Panel,
    },
    Prediction {
        lesson: "robustness",
        step: "Adversarial training",
        prompt: "Will adversarial training lower clean accuracy?",
        options: UP_DOWN,
        reveal: Reveal::Panel,
    },
    Prediction {
        lesson: "governance",
        step: "Document: model cards",
        prompt: "Which section will need a person to write it?",
        options: &["Intended use", "Metrics", "Training data"],
        reveal: Reveal::Panel,
    },
    Prediction {
        lesson: "governance",
        step: "Monitor: drift and degradation",
        prompt: "Will the shifted feature move one group's accuracy more than the other's?",
        options: &["Yes", "No"],
        reveal: Reveal::Panel,
    },
    Prediction {
        lesson: "governance",
        step: "The environmental footprint",
        prompt: "Will this session's training use more than 1 Wh?",
        options: &["More", "Less"],
        reveal: Reveal::Panel,
    },
];

/// Questions asked inside a step, after its text: (lesson, step heading, question ids).
pub static INLINE: &[(&str, &str, &[&str])] = &[
    ("bias", "Historical bias", &["bias-historical"]),
    ("bias", "Representation bias", &["bias-representation"]),
    ("bias", "Label bias", &["bias-label", "bias-label-downstream"]),
    ("bias", "Feature bias and proxies", &["bias-proxy-drop"]),
    ("bias", "Measurement bias", &["bias-measurement"]),
    ("bias", "Detecting bias: subgroup analysis", &["bias-overall-accuracy"]),
    ("bias", "Intersectionality", &["bias-intersectional"]),
    ("definitions", "Demographic parity", &["def-dp-formula", "def-four-fifths"]),
    ("definitions", "Equal opportunity", &["def-eo-rate"]),
    ("definitions", "Equalized odds", &["def-eodds-adds"]),
    ("definitions", "Predictive parity", &["def-pp-words"]),
    (
        "definitions",
        "Three families: independence, separation, sufficiency",
        &["def-families", "def-calibration-groups"],
    ),
    ("definitions", "How sure is a gap? Small groups", &["def-small-group-interval"]),
    ("impossibility", "The identity", &["imp-statement"]),
    ("impossibility", "A worked example", &["imp-num-a"]),
    ("impossibility", "Try to equalise everything", &["imp-exceptions"]),
    ("impossibility", "Kleinberg, Mullainathan and Raghavan", &["imp-kleinberg"]),
    ("impossibility", "A real case: the COMPAS debate", &["imp-compas"]),
    ("choosing", "Card 1: hiring → equal opportunity", &["choose-hiring"]),
    ("choosing", "Card 2: criminal justice → equalized odds", &["choose-justice", "choose-randomised"]),
    ("choosing", "Card 3: lending → predictive parity", &["choose-lending"]),
    ("choosing", "A warning: levelling down", &["choose-levelling-down"]),
    ("choosing", "Where mitigation can happen", &["choose-stage-reweigh", "choose-postprocess-needs"]),
    ("explainability", "SHAP: a fair split of the prediction", &["exp-shap-additive", "exp-num-shapley-game"]),
    ("explainability", "LIME: a simple model near the row", &["exp-lime-how", "exp-lime-unstable"]),
    (
        "explainability",
        "Shapley's axioms, and where SHAP and LIME mislead",
        &["exp-shapley-axioms", "exp-correlated-features"],
    ),
    ("explainability", "Integrated gradients", &["exp-num-ig", "exp-ig-equals-shap"]),
    ("explainability", "Counterfactuals and recourse", &["exp-recourse"]),
    ("explainability", "Attention weights are not explanations", &["exp-attention"]),
    ("explainability", "Models you can read directly", &["exp-tree-depth"]),
    ("privacy-attacks", "Membership inference: the confidence attack", &["pa-mia-definition", "pa-mia-overfit"]),
    ("privacy-attacks", "Membership inference: shadow models", &["pa-shadow"]),
    ("privacy-attacks", "Reading the attack's ROC curve", &["pa-auc-half"]),
    ("privacy-attacks", "Model inversion", &["pa-inversion"]),
    ("privacy-attacks", "Training-data extraction", &["pa-extraction"]),
    ("privacy-attacks", "Model extraction", &["pa-model-extraction"]),
    ("differential-privacy", "The definition", &["dp-definition", "dp-delta"]),
    ("differential-privacy", "The Laplace mechanism", &["dp-num-laplace-scale"]),
    ("differential-privacy", "DP-SGD", &["dp-sgd-steps", "dp-why-clip"]),
    ("differential-privacy", "Accounting for ε", &["dp-more-steps"]),
    ("differential-privacy", "DP costs small groups the most", &["dp-small-groups"]),
    ("differential-privacy", "From Rényi DP to (ε, δ)", &["dp-rdp-conversion"]),
    ("differential-privacy", "Local and central DP", &["dp-local-central"]),
    ("federated", "Bring the model to the data", &["fl-what-sent"]),
    ("federated", "FedAvg", &["fl-fedavg-weights"]),
    ("federated", "IID and non-IID clients", &["fl-non-iid"]),
    ("federated", "Updates can leak too", &["fl-not-enough"]),
    ("federated", "Secure aggregation with pairwise masks", &["fl-num-mask", "fl-secagg-learns", "fl-secagg-modulus"]),
    ("robustness", "Adversarial examples", &["rob-adv-definition", "rob-num-l2"]),
    ("robustness", "The fast gradient sign method", &["rob-num-fgsm"]),
    ("robustness", "Adversarial training", &["rob-adv-training"]),
    ("robustness", "Alignment and RLHF", &["rob-rlhf"]),
    ("robustness", "Reward hacking", &["rob-reward-hacking"]),
    ("robustness", "Hallucination", &["rob-hallucination"]),
    ("robustness", "Red teaming", &["rob-red-team"]),
    ("governance", "Start with risk", &["gov-risk-tier"]),
    ("governance", "Document: model cards", &["gov-card-section", "gov-card-groups"]),
    ("governance", "Monitor: drift and degradation", &["gov-data-drift"]),
    ("governance", "Incident response", &["gov-incident"]),
    ("governance", "The environmental footprint", &["gov-num-energy"]),
    ("governance", "Reducing it", &["gov-mixed-precision", "gov-distillation"]),
];

/// The prediction for a step, if any.
pub fn prediction(lesson: &str, step: &str) -> Option<&'static Prediction> {
    super::course().predictions.iter().find(|p| p.lesson == lesson && p.step == step)
}

/// The question ids asked inside a step (empty when none).
pub fn inline_questions(lesson: &str, step: &str) -> &'static [&'static str] {
    super::course().inline.iter().find(|(l, s, _)| *l == lesson && *s == step).map_or(&[], |(_, _, q)| *q)
}

/// True when the question is asked inside one of its lesson's steps.
pub fn is_inline(question: &str) -> bool {
    super::course().inline.iter().any(|(_, _, qs)| qs.contains(&question))
}

/// The call in an established library that computes a number the experiment shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LibraryCall {
    /// The number on screen, e.g. "demographic parity difference".
    #[serde(deserialize_with = "leak::str")]
    pub number: &'static str,
    /// The call, in Python.
    #[serde(deserialize_with = "leak::str")]
    pub call: &'static str,
    /// Its sign convention or range.
    #[serde(deserialize_with = "leak::str")]
    pub convention: &'static str,
}

const FAIRNESS_CALLS: &[LibraryCall] = &[
    LibraryCall { number: "per-group rates", call: "fairlearn.metrics.MetricFrame(metrics={'sel': selection_rate, 'tpr': true_positive_rate, 'fpr': false_positive_rate}, y_true=y, y_pred=p, sensitive_features=A).by_group", convention: "fractions in [0, 1]" },
    LibraryCall { number: "demographic parity difference", call: "fairlearn.metrics.demographic_parity_difference(y, p, sensitive_features=A)", convention: "max − min over groups, ≥ 0" },
    LibraryCall { number: "demographic parity ratio", call: "fairlearn.metrics.demographic_parity_ratio(y, p, sensitive_features=A)", convention: "min / max, in [0, 1]" },
    LibraryCall { number: "equalized odds difference", call: "fairlearn.metrics.equalized_odds_difference(y, p, sensitive_features=A)", convention: "larger of the TPR and FPR gaps, ≥ 0" },
    LibraryCall { number: "statistical parity difference", call: "aif360.metrics.ClassificationMetric(truth, pred, unprivileged_groups=U, privileged_groups=P).statistical_parity_difference()", convention: "unprivileged − privileged, signed; negative = unprivileged selected less" },
    LibraryCall { number: "equal opportunity difference", call: "ClassificationMetric(...).equal_opportunity_difference()", convention: "TPR unprivileged − TPR privileged, signed" },
    LibraryCall { number: "intervals", call: "fairlearn.metrics.MetricFrame(..., n_boot=1000, ci_quantiles=[0.025, 0.975], random_state=0).by_group_ci", convention: "bootstrap percentiles over rows" },
];

const STORY_CALLS: &[LibraryCall] = &[
    LibraryCall { number: "each group's rates at its threshold", call: "fairlearn.metrics.MetricFrame(metrics={'sel': selection_rate, 'tpr': true_positive_rate, 'fpr': false_positive_rate, 'ppv': precision_score}, y_true=repaid, y_pred=(score >= t).astype(int), sensitive_features=group).by_group", convention: "fractions in [0, 1]; PPV undefined when nobody is approved" },
    LibraryCall { number: "lender's profit", call: "tn, fp, fn, tp = sklearn.metrics.confusion_matrix(repaid[g], score[g] >= t[g]).ravel(); 400 * tp - 600 * fp", convention: "euros; a default costs 600, a repaid loan earns 400" },
    LibraryCall { number: "thresholds meeting a criterion", call: "fairlearn.postprocessing.ThresholdOptimizer(estimator=score_model, constraints='true_positive_rate_parity', objective='accuracy_score', prefit=True)", convention: "fairlearn optimises accuracy and may randomise; the story searches whole-number thresholds for profit, gaps within 0.05" },
];

const MITIGATION_CALLS: &[LibraryCall] = &[LibraryCall {
    number: "thresholds per group",
    call: "fairlearn.postprocessing.ThresholdOptimizer(estimator=m, constraints='equalized_odds', prefit=True, predict_method='predict_proba').fit(X, y, sensitive_features=A)",
    convention: "constraints: 'demographic_parity', 'true_positive_rate_parity', 'false_positive_rate_parity', 'equalized_odds'; randomises between two thresholds where needed",
}];

const EXPLAIN_CALLS: &[LibraryCall] = &[
    LibraryCall { number: "SHAP values", call: "shap.LinearExplainer(model, background)(X).values", convention: "in log-odds; base_values + Σ values = the margin output" },
    LibraryCall { number: "Kernel SHAP", call: "shap.KernelExplainer(model.predict_proba, background).shap_values(x)", convention: "in probability; sums to f(x) − E[f(background)]" },
    LibraryCall { number: "LIME weights", call: "lime.lime_tabular.LimeTabularExplainer(X_train, random_state=seed).explain_instance(x, model.predict_proba).as_list()", convention: "positive weight pushes towards the explained class" },
];

/// The library calls for the numbers each kind of experiment shows, by [`Experiment::kind`].
pub static CALLS: &[(&str, &[LibraryCall])] = &[
    ("synth_preset", FAIRNESS_CALLS),
    ("bundled", FAIRNESS_CALLS),
    ("story", STORY_CALLS),
    ("proxy_table", &[LibraryCall { number: "proxy strength", call: "sklearn.metrics.roc_auc_score(A == a, X[col])", convention: "AUC of one feature predicting the group; 0.5 = no signal" }]),
    ("mitigate", MITIGATION_CALLS),
    ("base_rates", &[LibraryCall { number: "PPV and FNR per group", call: "sklearn.metrics.precision_score(y[g], p[g]); 1 - sklearn.metrics.recall_score(y[g], p[g])", convention: "FPR then follows from the identity, no library needed" }]),
    ("explain_row", EXPLAIN_CALLS),
    ("tree_depth", &[LibraryCall { number: "leaves and test accuracy", call: "DecisionTreeClassifier(max_depth=d).fit(X, y).get_n_leaves(); accuracy_score(y_test, tree.predict(X_test))", convention: "scikit-learn" }]),
    ("membership_inference", &[LibraryCall { number: "attack AUC", call: "sklearn.metrics.roc_auc_score(is_member, confidence_in_true_label)", convention: "0.5 = chance; above 0.5 = leak" }]),
    ("laplace_count", &[LibraryCall { number: "noisy count", call: "count + numpy.random.default_rng(seed).laplace(scale=1 / epsilon)", convention: "scale b = sensitivity / ε" }]),
    ("dp_sgd", &[LibraryCall { number: "ε at δ", call: "opacus.accountants.RDPAccountant() … accountant.get_epsilon(delta=1e-5)", convention: "σ = noise_multiplier, q = sample_rate, steps = optimizer steps" }]),
    ("fed_avg", &[LibraryCall { number: "federated accuracy", call: "flwr.server.strategy.FedAvg(fraction_fit=C)", convention: "weights client models by their example counts" }]),
    ("secure_aggregation", &[LibraryCall { number: "masked updates", call: "flwr.server.strategy.SecAggPlusWorkflow (Flower)", convention: "integers modulo 2^k after quantisation" }]),
    ("adversarial", &[LibraryCall { number: "FGSM accuracy", call: "art.attacks.evasion.FastGradientMethod(estimator, norm=numpy.inf, eps=epsilon).generate(X)", convention: "ε in the units of the encoded features" }]),
    ("model_card", &[LibraryCall { number: "model card", call: "model_card_toolkit.ModelCardToolkit().scaffold_assets()", convention: "Mitchell et al. (2019) sections" }]),
    ("drift", &[LibraryCall { number: "drift statistic", call: "scipy.stats.ks_2samp(train[col], new[col]).statistic", convention: "0 = same distribution, 1 = disjoint" }]),
    ("footprint", &[LibraryCall { number: "energy and CO₂", call: "codecarbon.EmissionsTracker().start() … .stop()", convention: "kg CO₂-eq, from measured power and the grid's intensity" }]),
];

/// The library calls for the numbers an experiment shows (none for a kind not in [`CALLS`]).
pub fn calls_for(e: &Experiment) -> &'static [LibraryCall] {
    let kind = e.kind();
    super::course().calls.iter().find(|(k, _)| *k == kind).map_or(&[], |(_, c)| *c)
}

/// Where each interview topic of issue 23 is taught: (topic, lesson id, step heading).
pub static TOPICS: &[(&str, &str, &str)] = &[
    ("calibration within groups", "definitions", "Three families: independence, separation, sufficiency"),
    ("independence / separation / sufficiency", "definitions", "Three families: independence, separation, sufficiency"),
    ("randomised thresholds", "choosing", "Card 2: criminal justice → equalized odds"),
    ("Shapley axioms", "explainability", "Shapley's axioms, and where SHAP and LIME mislead"),
    (
        "limits of SHAP and LIME (correlated features, background data)",
        "explainability",
        "Shapley's axioms, and where SHAP and LIME mislead",
    ),
    ("integrated gradients' baseline", "explainability", "Integrated gradients"),
    ("RDP → (ε, δ)", "differential-privacy", "From Rényi DP to (ε, δ)"),
    ("local vs central DP", "differential-privacy", "Local and central DP"),
    ("uncertainty of small-group metrics", "definitions", "How sure is a gap? Small groups"),
    ("recourse", "explainability", "Counterfactuals and recourse"),
    ("intersectionality", "bias", "Intersectionality"),
    ("model inversion", "privacy-attacks", "Model inversion"),
    ("model extraction", "privacy-attacks", "Model extraction"),
    ("PPV = 1 exception", "impossibility", "Try to equalise everything"),
    ("secure aggregation modulo 2^k", "federated", "Secure aggregation with pairwise masks"),
];

/// The quiz questions that test each topic of [`TOPICS`]: (topic, question ids). Every topic has
/// at least one, from the lesson that teaches it.
pub static TOPIC_QUESTIONS: &[(&str, &[&str])] = &[
    ("calibration within groups", &["def-calibration-groups"]),
    ("independence / separation / sufficiency", &["def-families"]),
    ("randomised thresholds", &["choose-randomised"]),
    ("Shapley axioms", &["exp-shapley-axioms"]),
    (
        "limits of SHAP and LIME (correlated features, background data)",
        &["exp-correlated-features", "exp-lime-unstable"],
    ),
    ("integrated gradients' baseline", &["exp-ig-equals-shap"]),
    ("RDP → (ε, δ)", &["dp-rdp-conversion"]),
    ("local vs central DP", &["dp-local-central"]),
    ("uncertainty of small-group metrics", &["def-small-group-interval"]),
    ("recourse", &["exp-recourse", "xai-live-fewest-edits"]),
    ("intersectionality", &["bias-intersectional"]),
    ("model inversion", &["pa-inversion"]),
    ("model extraction", &["pa-model-extraction"]),
    ("PPV = 1 exception", &["imp-exceptions"]),
    ("secure aggregation modulo 2^k", &["fl-secagg-modulus"]),
];

/// The question ids that test `topic` (empty for an unknown topic).
pub fn topic_questions(topic: &str) -> &'static [&'static str] {
    TOPIC_QUESTIONS.iter().find(|(t, _)| *t == topic).map_or(&[], |(_, q)| *q)
}
