//! The mock interview in the open format: prompts answered in the candidate's own words, each
//! with a model answer, a five-point rubric the candidate ticks against their answer, and one or
//! two follow-up probes; plus case exercises ("audit this model in 20 minutes") whose steps are
//! checked against what the candidate did in the playground ([`super::coach`] records the
//! [`EventKind`]s defined here, so the data below needs nothing from the recorder).
//!
//! The rubric is the same five points for every prompt (the structure interviewers listen for):
//! the sources of bias or risk, the metric and why, the mitigation and its stage, monitoring,
//! and the stakeholders. Each prompt says what a full answer puts under each point.

use serde::{Deserialize, Serialize};

use super::leak;

/// Something the candidate did in the playground that a case step can ask for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// A data set was loaded (bundled, generated or from a file).
    DataLoaded,
    /// The data check ran, which includes the proxy table of the sensitive attribute.
    ProxiesChecked,
    /// A model was trained.
    ModelTrained,
    /// Bootstrap intervals were computed for the per-group metrics.
    IntervalsComputed,
    /// A mitigation constraint was chosen and run.
    ConstraintRun,
    /// One row's decision was explained.
    RowExplained,
    /// A report (predictions, model card or audit) was exported.
    ReportExported,
}

impl EventKind {
    /// Every kind, in the order of an audit.
    pub const ALL: [EventKind; 7] = [
        EventKind::DataLoaded,
        EventKind::ProxiesChecked,
        EventKind::ModelTrained,
        EventKind::IntervalsComputed,
        EventKind::ConstraintRun,
        EventKind::RowExplained,
        EventKind::ReportExported,
    ];
}

/// The five rubric points, in the order an answer should cover them.
pub const RUBRIC: [&str; 5] = [
    "Sources of bias or risk",
    "Metric, and why that one",
    "Mitigation and its stage",
    "Monitoring after launch",
    "Stakeholders",
];

/// One open interview prompt.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct OpenPrompt {
    /// Stable id, e.g. `"iv-fair-model"`.
    #[serde(deserialize_with = "leak::str")]
    pub id: &'static str,
    /// The lesson that teaches the material ([`crate::lessons::Lesson::id`]).
    #[serde(deserialize_with = "leak::str")]
    pub lesson: &'static str,
    /// The question as the interviewer asks it.
    #[serde(deserialize_with = "leak::str")]
    pub prompt: &'static str,
    /// A model answer, a few sentences long.
    #[serde(deserialize_with = "leak::str")]
    pub answer: &'static str,
    /// What a full answer says under each of the [`RUBRIC`] points.
    #[serde(deserialize_with = "leak::str5")]
    pub rubric: [&'static str; 5],
    /// One or two follow-up probes.
    #[serde(deserialize_with = "leak::strs")]
    pub probes: &'static [&'static str],
}

/// One step of a case exercise, done when the page has recorded `event`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct CaseStep {
    #[serde(deserialize_with = "leak::str")]
    pub label: &'static str,
    pub event: EventKind,
}

/// A timed case exercise run in the playground.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct CaseExercise {
    #[serde(deserialize_with = "leak::str")]
    pub id: &'static str,
    #[serde(deserialize_with = "leak::str")]
    pub title: &'static str,
    /// The brief as the interviewer gives it.
    #[serde(deserialize_with = "leak::str")]
    pub brief: &'static str,
    /// Suggested time, in minutes.
    pub minutes: u8,
    /// The steps, in a sensible order; each is checked against the recorded events.
    #[serde(deserialize_with = "leak::slice")]
    pub steps: &'static [CaseStep],
    /// What to say when presenting the findings.
    #[serde(deserialize_with = "leak::str")]
    pub debrief: &'static str,
}

/// The prompt with this id, if any.
pub fn prompt(id: &str) -> Option<&'static OpenPrompt> {
    super::course().prompts.iter().find(|p| p.id == id)
}

/// The case exercise with this id, if any.
pub fn case(id: &str) -> Option<&'static CaseExercise> {
    super::course().cases.iter().find(|c| c.id == id)
}

const AUDIT_STEPS: &[CaseStep] = &[
    CaseStep { label: "Load the data", event: EventKind::DataLoaded },
    CaseStep { label: "Check the data for proxies of the sensitive attribute", event: EventKind::ProxiesChecked },
    CaseStep { label: "Train the model", event: EventKind::ModelTrained },
    CaseStep { label: "Compute intervals for the per-group metrics", event: EventKind::IntervalsComputed },
    CaseStep { label: "Choose a constraint and run the mitigation", event: EventKind::ConstraintRun },
    CaseStep { label: "Explain one row's decision", event: EventKind::RowExplained },
    CaseStep { label: "Export the report", event: EventKind::ReportExported },
];

/// The case exercises.
pub static CASES: &[CaseExercise] = &[
    CaseExercise {
        id: "case-credit",
        title: "Audit a credit model",
        brief: "A bank will use a model on the German credit data to approve loans, with age as the \
                sensitive attribute. You have 20 minutes: find where it treats groups differently, \
                say how sure you are, propose a fix and hand over a report.",
        minutes: 20,
        steps: AUDIT_STEPS,
        debrief: "Lead with the gap that matters for lending (PPV or TPR by age group) and its interval, \
                  say which proxies carry age, which constraint you ran and what it cost each group, \
                  and what you would monitor.",
    },
    CaseExercise {
        id: "case-hiring",
        title: "Audit a CV screen",
        brief: "A recruiter's screening model was trained without the sensitive column on the \
                proxy-bias synthetic data. In 20 minutes, show whether dropping the column made it \
                fair, and what you would do instead.",
        minutes: 20,
        steps: AUDIT_STEPS,
        debrief: "Show the proxy table first: the gap survived because a feature predicts the group. \
                  Equal opportunity fits a first screen; report each group's TPR before and after, \
                  and watch for levelling down.",
    },
    CaseExercise {
        id: "case-risk",
        title: "Audit a pre-trial risk score",
        brief: "A court wants to use a risk score on the COMPAS data, with race as the sensitive \
                attribute. In 20 minutes, reproduce both sides of the ProPublica debate on this \
                model and recommend what to do.",
        minutes: 20,
        steps: AUDIT_STEPS,
        debrief: "Show that PPV is close while FPR is not, explain with the base rates why both can hold, \
                  state which error you would equalise and why it is contested, and whether the tool \
                  should be used at all.",
    },
];

/// The open prompts.
pub static PROMPTS: &[OpenPrompt] = &[
    OpenPrompt {
        id: "iv-fair-model",
        lesson: "bias",
        prompt: "How would you make sure a model you build does not discriminate against some groups?",
        answer: "Start with where bias could enter: past decisions in the labels, under-represented groups, \
                 proxies such as postcode, and labels that measure the goal worse for some groups. Pick the \
                 criterion from the harm (equal opportunity for a screen, PPV for lending) and assess it per \
                 group with intervals, intersections included. Mitigate at the right stage: data, training \
                 constraint or thresholds, and report every group's rates, not only the gap. After launch, \
                 monitor per-group metrics for drift, and involve the people affected in the choices.",
        rubric: [
            "Historical, representation, label, proxy and measurement bias, each with an example.",
            "A criterion chosen from which error harms whom, measured per group with intervals.",
            "Pre-, in- or post-processing, and what each costs.",
            "Per-group metrics watched after launch, with alerts and a re-audit schedule.",
            "Affected people, domain experts, legal; the choice written down with reasons.",
        ],
        probes: &["Why not just drop the sensitive attribute?", "What if group membership is unknown at inference?"],
    },
    OpenPrompt {
        id: "iv-incompatible",
        lesson: "impossibility",
        prompt: "Why can't a model satisfy every fairness metric at once?",
        answer: "Because of an identity: FPR = p/(1 − p) · (1 − PPV)/PPV · (1 − FNR). If two groups have \
                 different base rates p, equal PPV and equal FNR force different FPRs. The only ways out are \
                 equal base rates or PPV = 1, no false positives at all. Kleinberg and colleagues showed the \
                 same for calibrated scores and balance of both classes. COMPAS is the example: equal \
                 predictive value and unequal false positive rates were both true. So you choose the \
                 criterion for the use case, with the affected people, and say why.",
        rubric: [
            "Different base rates between groups, possibly themselves shaped by label bias.",
            "The identity linking FPR, FNR, PPV and p; the exceptions (equal p, PPV = 1).",
            "Pick one criterion per use case; thresholds per group for the chosen one.",
            "Track the criteria you did not choose too, so trade-offs stay visible.",
            "The choice encodes values: the people affected and the decision owners make it.",
        ],
        probes: &["Which would you pick for a pre-trial tool, and what does the other side say?"],
    },
    OpenPrompt {
        id: "iv-dp-protects",
        lesson: "differential-privacy",
        prompt: "How does differential privacy protect the people in a training set?",
        answer: "It bounds how much any one person can change what the training outputs: on two data sets \
                 differing in one record, every outcome's probability changes by at most a factor e^ε plus \
                 a slack δ. DP-SGD gets there by clipping each example's gradient to norm C and adding \
                 Gaussian noise scaled to C; an accountant turns the noise, sampling rate and steps into ε \
                 at a fixed δ below 1/n. Smaller ε means more noise and usually less accuracy, and the loss \
                 falls hardest on small groups, so I would check per-group accuracy at the chosen ε.",
        rubric: [
            "Membership inference and memorisation: models leak individual rows.",
            "ε at a stated δ from an accountant; the membership-attack AUC as an empirical check.",
            "DP-SGD in training: per-example clipping plus Gaussian noise.",
            "The privacy budget spent across retrainings and releases.",
            "Data subjects, and small groups who lose the most accuracy.",
        ],
        probes: &["What is the difference between local and central DP?", "How is ε computed for DP-SGD?"],
    },
    OpenPrompt {
        id: "iv-private-recsys",
        lesson: "federated",
        prompt: "Design a recommendation system that respects its users' privacy.",
        answer: "Collect only what the recommendations need, and keep raw interaction data on the device: \
                 train with federated learning, combine updates with secure aggregation so the server sees \
                 only sums, and add differential privacy so even the sum says little about one person. Tell \
                 users what is used, let them opt out and delete, set retention limits, and comply with the \
                 GDPR and CCPA. Measure the accuracy cost per user segment, and monitor for leaks with \
                 membership-inference tests.",
        rubric: [
            "Interaction histories are sensitive; updates can leak them; some users are few.",
            "Recommendation quality per segment; ε for the privacy guarantee.",
            "Data minimisation, federated learning, secure aggregation, DP.",
            "Attack tests and quality per segment over time.",
            "Users' consent and controls; regulators; the product team.",
        ],
        probes: &["Isn't federated learning private by itself?", "What do you lose with DP here?"],
    },
    OpenPrompt {
        id: "iv-interpretable",
        lesson: "explainability",
        prompt: "When would you choose an interpretable model over a more accurate black box?",
        answer: "When the stakes are high (credit, health, justice), when the law asks for reasons, when I \
                 need to debug failures, and when users' trust decides adoption. On tabular data the accuracy \
                 gap is often small, so I would measure it first: a shallow tree or a logistic model may lose \
                 little. A black box can fit low-risk uses or large gains with human review. Post-hoc \
                 explanations such as SHAP help, but they describe the model approximately and depend on \
                 choices such as the background data.",
        rubric: [
            "Hidden proxies and errors that no one can see inside a black box.",
            "The measured accuracy gap between the two, per group.",
            "An interpretable model, or a black box with post-hoc explanations and human review.",
            "Explanations checked on new data; drift in what the model relies on.",
            "The people who receive the decisions, regulators, reviewers.",
        ],
        probes: &["What are the limits of SHAP on correlated features?"],
    },
    OpenPrompt {
        id: "iv-governance",
        lesson: "governance",
        prompt: "How would you set up AI governance for a new ML project?",
        answer: "Size it to the risk: classify the use (the EU AI Act's tiers are a guide), then list who \
                 uses it and who is affected. Document with a datasheet and a model card, including per-group \
                 results and out-of-scope uses. Put review gates with written criteria before data use, \
                 model approval and launch, with engineering, domain, legal and user voices. After launch, \
                 monitor drift and per-group metrics, and keep an incident plan: owners, rollback, \
                 communication and a blameless review that adds a test.",
        rubric: [
            "Risk tier of the use; data provenance.",
            "Gate criteria such as maximum per-group gaps.",
            "Review gates, model cards, rollback.",
            "Drift and per-group metric alerts, scheduled re-audits.",
            "Cross-functional reviewers and the people affected.",
        ],
        probes: &["How do you keep governance from slowing low-risk work?"],
    },
    OpenPrompt {
        id: "iv-carbon",
        lesson: "governance",
        prompt: "How would you address the carbon footprint of training large models?",
        answer: "Measure first: operations → time on the hardware → energy → emissions at the grid's carbon \
                 intensity, with the assumptions written down. Then cut: efficient architectures, transfer \
                 learning and distillation instead of training from scratch, mixed precision, fewer \
                 wasteful sweeps, efficient hardware, and scheduling on cleaner grids. Track emissions per \
                 project against a budget and report them beside accuracy.",
        rubric: [
            "Training runs, sweeps and serving at scale as the main energy users.",
            "Energy and CO₂ estimates with stated assumptions, beside accuracy.",
            "Distillation, transfer, mixed precision, cleaner grids and hardware.",
            "Tracking emissions per project against a budget.",
            "The organisation, its users, and communities bearing the emissions.",
        ],
        probes: &["Training or inference: which dominates over a model's life?"],
    },
    OpenPrompt {
        id: "iv-who-harmed",
        lesson: "governance",
        prompt: "Before building a system, how do you find out who it could harm or benefit?",
        answer: "List the people who use it, the people decided about, and the people it leaves out; then \
                 walk each through each kind of error. Talk to them or their representatives, and to domain \
                 experts, rather than guessing. Look for groups that are small in the data or measured \
                 worse, and intersections of groups. Write the harms down with their severity and tie each \
                 to a metric and a gate criterion.",
        rubric: [
            "Each error type and whom it lands on; groups missing or small in the data.",
            "A metric per harm, tied to a gate criterion.",
            "Design changes before training; a decision not to build is an option.",
            "Complaint channels and per-group metrics after launch.",
            "Users, people decided about, those excluded, experts.",
        ],
        probes: &["What if the harmed group is tiny in your data?"],
    },
    OpenPrompt {
        id: "iv-data-assumptions",
        lesson: "bias",
        prompt: "What assumptions might a training set carry, and how would you find them?",
        answer: "That the label measures what we care about (re-arrest for crime, spending for need), that \
                 past decisions were fair, that every group is represented and measured equally well, and \
                 that the future looks like the past. Find them by asking how each column and label was \
                 produced, comparing group sizes and base rates, looking for proxies with a proxy table, and \
                 reading the datasheet if there is one.",
        rubric: [
            "Label, historical, representation and measurement assumptions; stationarity.",
            "Base rates and sizes per group; proxy strength.",
            "Better labels, more data, reweighting, or a label-free constraint.",
            "Drift checks that test the 'future like the past' assumption.",
            "Whoever collected the data and the people it describes.",
        ],
        probes: &["How would you tell label bias from a real difference in base rates?"],
    },
    OpenPrompt {
        id: "iv-explain-decision",
        lesson: "explainability",
        prompt: "How would you explain a loan refusal to the applicant?",
        answer: "In their terms: the main reasons from the model's attribution for their case (SHAP values \
                 against a stated background), and what would change the decision, a counterfactual that \
                 changes only things they can act on, never a protected attribute or their age. Check the \
                 reasons are stable (LIME over several seeds would not be) and that they do not point to a \
                 proxy. Offer a human review and a way to correct wrong data.",
        rubric: [
            "A reason that turns out to be a proxy; unstable explanations.",
            "Attribution for the case and the fewest actionable changes that flip it.",
            "Recourse: actionable counterfactuals; human review.",
            "Whether explanations and recourse still hold after retraining.",
            "The applicant, the regulator, the loan officer.",
        ],
        probes: &["What if no actionable change flips the decision?"],
    },
    OpenPrompt {
        id: "iv-monitoring",
        lesson: "governance",
        prompt: "What monitoring would tell you that a deployed model has started treating a group unfairly?",
        answer: "Per-group metrics on fresh labelled data: selection rate right away, error rates once \
                 outcomes arrive, each with an interval so a small group's noise is not an alarm. Input \
                 drift per feature and per group, since drift often comes first. Alerts on a set limit, a \
                 scheduled full re-audit, and a channel for complaints, because metrics miss what they do \
                 not measure.",
        rubric: [
            "Data drift, concept drift, feedback loops from the model's own decisions.",
            "Per-group rates with intervals; drift statistics.",
            "Retraining or rollback triggered by alerts.",
            "Alerts, dashboards, scheduled audits, complaint channels.",
            "Whoever is on call, and the people affected who report problems.",
        ],
        probes: &["Labels arrive months later: what do you watch meanwhile?"],
    },
    OpenPrompt {
        id: "iv-drop-race",
        lesson: "bias",
        prompt: "Why not simply remove race from the features?",
        answer: "Because other features carry it: postcode, school, name. The model rebuilds the signal, \
                 and the proxy table shows how well each feature predicts the group. Keep the attribute for \
                 assessment even when the model does not use it, because without it you cannot measure the \
                 gap. Decide whether each proxy is legitimate for the task, and mitigate with a constraint \
                 measured on outcomes.",
        rubric: [
            "Proxies that predict the group.",
            "Per-group gaps measured with the attribute kept for assessment.",
            "A constraint on outcomes rather than blindness.",
            "Keep measuring; proxies shift as data changes.",
            "Legal advice on using the attribute; the affected group.",
        ],
        probes: &["And if the law forbids using race even for the decision threshold?"],
    },
    OpenPrompt {
        id: "iv-unknown-group",
        lesson: "choosing",
        prompt: "Group membership is not available at inference time. Can you still make the model fair?",
        answer: "Yes, with limits. Per-group thresholds are out, so the constraint goes into training \
                 (a reductions approach) or into the data (reweighting), using group labels only where they \
                 were collected with consent for assessment. To audit without labels, some teams infer \
                 groups, but that adds error and must be stated. I would measure the result on a consented \
                 audit sample with intervals.",
        rubric: [
            "Missing labels hide the gap; inferred groups add error.",
            "Gaps on a consented audit sample, with intervals.",
            "In-processing or pre-processing instead of post-processing.",
            "Periodic audits on fresh consented samples.",
            "Legal, privacy and the groups concerned.",
        ],
        probes: &["Is inferring race from names acceptable?"],
    },
    OpenPrompt {
        id: "iv-choose-lending",
        lesson: "choosing",
        prompt: "Which fairness criterion would you use for a lending model, and what does it cost?",
        answer: "Predictive parity is the usual choice: an approval should mean the same repayment chance in \
                 every group, otherwise one group meets a higher bar. But with different base rates it forces \
                 unequal error rates, so qualified applicants in one group are refused more often; equal \
                 opportunity guards against that instead. I would show both, pick with the business and the \
                 regulator, and report each group's rates before and after, watching for levelling down.",
        rubric: [
            "Historical lending data; different base rates; thin files for some groups.",
            "PPV parity versus TPR parity, and why the two conflict here.",
            "Group thresholds or a training constraint; its cost in accuracy and to each group.",
            "Default rates per group as loans mature.",
            "Applicants, the lender, regulators.",
        ],
        probes: &["Your mitigation closed the gap by refusing more of the better-off group. Is that fine?"],
    },
    OpenPrompt {
        id: "iv-shap-lime",
        lesson: "explainability",
        prompt: "Explain SHAP and LIME. When would you not trust them?",
        answer: "SHAP gives each feature its Shapley value: its average marginal contribution over feature \
                 orders, summing to the prediction minus a base value; it is the unique split that satisfies \
                 efficiency, symmetry, dummy and additivity. LIME fits a weighted linear model to perturbed \
                 copies of the row. Distrust them when features are correlated (perturbations create \
                 impossible rows), when the background data is unrepresentative (SHAP's base value moves), \
                 and for LIME when seeds or kernel width change the ranking. Integrated gradients depends on \
                 its baseline in the same way.",
        rubric: [
            "Correlated features, background choice, random seeds, IG's baseline.",
            "Stability across seeds; additivity check on SHAP.",
            "Several seeds, a representative background, or an interpretable model.",
            "Explanations re-checked after retraining.",
            "Whoever reads the explanation: users, auditors, regulators.",
        ],
        probes: &["What are the Shapley axioms?", "What baseline would you choose for integrated gradients?"],
    },
    OpenPrompt {
        id: "iv-membership",
        lesson: "privacy-attacks",
        prompt: "A model trained on patient records will be exposed through an API. What privacy risks do you check?",
        answer: "Membership inference: can an attacker tell whether a person was a patient, which is itself \
                 sensitive? I would run the confidence and shadow-model attacks and read their AUC, 0.5 being \
                 chance. Model inversion and attribute inference through confidence scores, and extraction: \
                 many queries can copy the model. Defences: less overfitting, returning labels not scores, \
                 rate limits, and DP-SGD for a guarantee.",
        rubric: [
            "Membership, inversion, extraction through queries; overfitting.",
            "Attack AUC or advantage (TPR − FPR).",
            "Regularisation, coarse outputs, rate limits, DP-SGD.",
            "Query patterns that look like extraction; repeated attack tests.",
            "Patients, the hospital, regulators.",
        ],
        probes: &["How does model extraction differ from inversion?"],
    },
    OpenPrompt {
        id: "iv-federated-hospitals",
        lesson: "federated",
        prompt: "Five hospitals want a shared model without pooling their records. How?",
        answer: "Federated averaging: each hospital trains locally, the server averages models weighted by \
                 data size. Their patients differ (non-IID), so convergence is slower and a hospital unlike \
                 the others may be served worse; I would report accuracy per hospital and per group against \
                 a centralised baseline where possible. Updates can leak, so add secure aggregation and DP, \
                 and agree governance between the hospitals.",
        rubric: [
            "Non-IID clients; leaking updates; small hospitals.",
            "Accuracy per hospital and per group versus centralised.",
            "FedAvg plus secure aggregation and DP.",
            "Per-site metrics each round and after deployment.",
            "Hospitals, patients, ethics boards.",
        ],
        probes: &["What does the server see under secure aggregation?"],
    },
    OpenPrompt {
        id: "iv-adversarial",
        lesson: "robustness",
        prompt: "Fraudsters adapt to your fraud model. How do you make it robust?",
        answer: "Expect inputs chosen to evade it: measure how small a change flips decisions (the minimal \
                 perturbation, or FGSM at a budget ε on features the attacker controls). Train with \
                 adversarial examples, which buys robustness to that attack at some clean-accuracy cost, \
                 prefer features that are hard to fake, and keep humans in the loop for high-value cases. \
                 Monitor for drift, since adaptation shows up as shifting inputs.",
        rubric: [
            "Adaptive attackers; features they control.",
            "Accuracy under attack at a stated budget, beside clean accuracy.",
            "Adversarial training; robust features; human review.",
            "Drift and new fraud patterns; red teaming.",
            "Customers wrongly flagged, the fraud team.",
        ],
        probes: &["Why does adversarial training not protect against every attack?"],
    },
    OpenPrompt {
        id: "iv-hallucination",
        lesson: "robustness",
        prompt: "A customer-support language model sometimes makes up policies. What do you do?",
        answer: "Ground it: retrieve the real policy documents and answer from them with citations. Teach it \
                 to abstain when retrieval finds nothing, and check generated claims against the source \
                 before showing them. Red team it with adversarial prompts, turn each failure into a \
                 regression test, and measure the rate of unsupported claims on a held-out set.",
        rubric: [
            "Fluent false claims; prompts that push it off policy.",
            "Rate of unsupported claims on a held-out set.",
            "Retrieval grounding, abstention, consistency checks, red teaming.",
            "Sampled conversations reviewed; regression tests.",
            "Customers, support staff, legal.",
        ],
        probes: &["How would you know the model is well calibrated?"],
    },
    OpenPrompt {
        id: "iv-rlhf",
        lesson: "robustness",
        prompt: "What is RLHF, and what can go wrong with it?",
        answer: "People compare pairs of answers; a reward model learns their preferences; the language \
                 model is optimised against that reward with a penalty for drifting from the original. It \
                 can go wrong through reward hacking (long or flattering answers that please the reward \
                 model), raters who disagree or share blind spots, and preferences that do not represent \
                 all users. Refresh the reward model, evaluate on held-out human judgements, inspect \
                 behaviour.",
        rubric: [
            "Reward hacking; biased or narrow raters.",
            "Held-out human judgements, not the reward model's score.",
            "Drift penalty, refreshed reward models, diverse raters.",
            "Behaviour sampled after each update.",
            "Raters, users, the groups the raters do not represent.",
        ],
        probes: &["Can you give an example of reward hacking?"],
    },
    OpenPrompt {
        id: "iv-small-group",
        lesson: "definitions",
        prompt: "A group with 40 people in the test set shows an FPR gap of 0.15. What do you conclude?",
        answer: "Not much yet: with about 40 people, and fewer negatives among them, a rate moves a lot by \
                 chance. I would compute an interval (bootstrap or Wilson) for each group's FPR and for the \
                 gap; if the interval of the gap is wide and covers zero, the honest statement is that the \
                 data cannot tell. Then collect more data or pool a longer period, and keep monitoring \
                 rather than declaring it fair.",
        rubric: [
            "Small samples; few negatives in the group.",
            "Intervals per group and for the gap, not point estimates.",
            "More data before mitigating on noise.",
            "Accumulate evidence over time.",
            "The small group, who is easily overlooked.",
        ],
        probes: &["Why is the interval for FPR wider than for selection rate?"],
    },
    OpenPrompt {
        id: "iv-intersectional",
        lesson: "bias",
        prompt: "Your model is fair by sex and fair by race. Can it still be unfair?",
        answer: "Yes: a gap can hide in an intersection, such as women of one race, while each attribute on \
                 its own looks balanced (Gender Shades showed this for face analysis). Audit intersections \
                 too, with intervals because the cells get small, and choose which intersections matter \
                 with the people affected rather than testing every combination blindly.",
        rubric: [
            "Intersections hidden by marginal averages; small cells.",
            "Per-intersection rates with intervals.",
            "Constraints over intersectional groups where data allow.",
            "Intersections included in monitoring.",
            "The people at those intersections.",
        ],
        probes: &["How do you handle intersections with only a handful of rows?"],
    },
    OpenPrompt {
        id: "iv-label-bias",
        lesson: "bias",
        prompt: "Your hiring model is trained on past managers' ratings. What worries you?",
        answer: "The ratings are the label, and if managers rated some groups lower for the same work, the \
                 model learns that bias and every label-based metric inherits it: equal opportunity \
                 measured on those ratings equalises the wrong target. Corrected or better labels (objective \
                 outcomes, re-rated samples) address it; a label-free constraint such as demographic parity \
                 can partly offset it.",
        rubric: [
            "Label bias in the ratings; historical bias in who was hired.",
            "Why label-based criteria fail; demographic parity as a label-free check.",
            "Better labels; a label-free constraint.",
            "Outcomes of hires over time as a better label.",
            "Candidates, hiring managers, HR, legal.",
        ],
        probes: &["How would you get better labels?"],
    },
    OpenPrompt {
        id: "iv-model-card",
        lesson: "governance",
        prompt: "What goes into a model card, and who is it for?",
        answer: "Model details, intended and out-of-scope uses, the factors that may change performance, \
                 the metrics, the evaluation and training data, quantitative analyses broken down by those \
                 factors and their intersections, ethical considerations, and caveats. It is for the people \
                 deciding whether to use the model, auditors, and the people affected, so it must be \
                 readable, honest about limits and kept up to date.",
        rubric: [
            "Out-of-scope uses; factors that change performance.",
            "Per-group results with the metrics chosen and why.",
            "Caveats and recommendations for users of the model.",
            "Updating the card when the model or data changes.",
            "Deployers, auditors, affected people.",
        ],
        probes: &["Which section is most often left empty, and why does it matter?"],
    },
    OpenPrompt {
        id: "iv-levelling-down",
        lesson: "choosing",
        prompt: "After mitigation the gap is gone and the product manager is happy. What do you check?",
        answer: "How it closed. If the better-off group's rate fell while the other's stayed put, that is \
                 levelling down: the metric is met and nobody is better off. I would show each group's rates \
                 before and after with intervals, the accuracy cost, and whether equalized odds needed \
                 randomised thresholds, which treat alike people differently by chance.",
        rubric: [
            "Gaps closed by harming the better-off group.",
            "Each group's rates before and after, not only the gap.",
            "A constraint or threshold that raises the worse-off group.",
            "Both groups' rates after launch.",
            "Both groups, the product owner.",
        ],
        probes: &["Is a randomised decision ever acceptable?"],
    },
    OpenPrompt {
        id: "iv-calibration",
        lesson: "impossibility",
        prompt: "Should a risk score be calibrated within groups or have equal error rates?",
        answer: "Calibration within groups (a score of 0.7 means 70% in every group) belongs to the \
                 sufficiency family, like predictive parity; equal error rates are separation, like \
                 equalized odds; equal selection is independence. With different base rates, calibration and \
                 balance for both classes cannot all hold (Kleinberg et al.). Calibrated scores serve a \
                 decision-maker who reads them; equal error rates protect the people decided about. Say which \
                 the setting needs.",
        rubric: [
            "Different base rates, possibly from label bias.",
            "Independence, separation, sufficiency; calibration is sufficiency.",
            "Calibrate per group, or threshold for separation; not both.",
            "Calibration curves and error rates per group over time.",
            "Decision-makers who read scores; people scored.",
        ],
        probes: &["Can you name the three families and one criterion in each?"],
    },
    OpenPrompt {
        id: "iv-extraction",
        lesson: "privacy-attacks",
        prompt: "A competitor could query your model's API millions of times. What can they learn?",
        answer: "They can train a copy of the model from its answers (model extraction), which also makes \
                 other attacks easier to develop offline; with confidence scores they may invert it towards \
                 training inputs or test membership. Return labels or coarse scores, rate-limit and watch for \
                 query patterns that sweep the input space, and use DP where training data is sensitive.",
        rubric: [
            "Extraction, inversion and membership through queries.",
            "Agreement of a copy trained on the API's answers; attack AUC.",
            "Coarse outputs, rate limits, DP.",
            "Query-pattern monitoring.",
            "The company, its data subjects.",
        ],
        probes: &["Does DP stop model extraction?"],
    },
];
