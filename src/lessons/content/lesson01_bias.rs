//! Lesson 1: where bias comes from, how to detect it by subgroup analysis, and which fixes help.

use crate::lessons::{Experiment, Lesson, LessonStep, LiveQuestion, Question, QuestionKind};

const ID: &str = "bias";

pub const LESSON: Lesson = Lesson {
    id: ID,
    number: 1,
    title: "Sources of bias",
    summary: "Five ways unfairness gets into a model, what each one does to per-group errors, \
              and which fixes help.",
    steps: &[
        LessonStep {
            heading: "What we mean by bias",
            body: &[
                "In this course a model is biased when its outcomes or its mistakes differ \
                 systematically between groups of people, in a way that can cause \
                 fairness-related harms: an opportunity withheld (a loan, an interview), or a \
                 service that simply works worse for some people.",
                "Bias rarely comes from a line of code. It comes in with the data: who was \
                 recorded, which label was chosen, which features stand in for what. We will \
                 look at five sources, each with a synthetic data set built to show one of them \
                 on its own.",
            ],
            experiment: None,
            check: None,
        },
        LessonStep {
            heading: "The lender's story, part 1: one threshold",
            body: &[
                "Lessons 1 to 4 follow one lender before turning to real data. Harbour Credit has \
                 100 past applicants, 50 from group A and 50 from group B. Each dot is one \
                 applicant, placed by credit score (0 to 100): filled if they repaid, hollow if they \
                 defaulted. A repaid loan earns the lender €400 in interest; a default loses it €600.",
                "The score is where the bias came in. Group B was lent to less in the past, so its \
                 members have thinner credit files, and a B applicant who repays scores about 8 \
                 points lower than an A applicant who repays. That is historical bias, carried into \
                 a number that looks neutral.",
                "Drag the one threshold that applies to everyone: applicants at or above it are \
                 approved. Then keep the threshold you would defend; lesson 2 starts from it.",
            ],
            experiment: Some(Experiment::Story { part: 1 }),
            check: Some("Compare the share of each group approved, and count the applicants in each group \
                 who would have repaid but were refused."),
        },
        LessonStep {
            heading: "Historical bias",
            body: &[
                "The past decisions in the training data were themselves unfair. A model that \
                 screens CVs and learns from who was hired before will learn that the groups \
                 hired less often in the past are worse candidates, and will keep the pattern \
                 going at scale.",
                "The data can be a perfect record of what happened and still teach the wrong \
                 lesson: the problem is what happened, not how it was measured.",
            ],
            experiment: Some(Experiment::SynthPreset {
                preset: "historical_bias",
                model: "logistic",
                drop_sensitive: false,
            }),
            check: Some("Compare the selection rates of the two groups: the model reproduces the gap in the \
                 past decisions it learned from."),
        },
        LessonStep {
            heading: "Representation bias",
            body: &[
                "One group makes up only a small part of the training data. The model fits the \
                 majority well and the minority poorly, so its error rates are higher where it saw \
                 fewer examples. Face analysis systems trained mostly on lighter-skinned faces \
                 were shown to fail far more often on darker-skinned women (Buolamwini & Gebru, \
                 Gender Shades, 2018).",
                "Here more data helps most directly: more examples from the under-represented \
                 group (or reweighting) shrink the variance part of its error. The bias and noise \
                 parts remain: if the features carry less signal for that group, more rows will \
                 not close the gap alone.",
            ],
            experiment: Some(Experiment::SynthPreset {
                preset: "representation_bias",
                model: "logistic",
                drop_sensitive: false,
            }),
            check: Some("Look at per-group accuracy and the group sizes: the small group has the lower accuracy."),
        },
        LessonStep {
            heading: "Label bias",
            body: &[
                "The target itself is a skewed measure of what we care about. A recidivism model \
                 trained on re-arrests learns where the police look, not only who reoffends: a \
                 community that is patrolled more heavily produces more arrests for the same \
                 behaviour.",
                "Every metric we compute compares predictions with those same labels, so the \
                 audit can look clean while the harm is real. A criterion conditioned on the \
                 labels (equal opportunity, equalized odds, predictive parity) cannot repair this: \
                 it equalises the wrong target. A label-free constraint such as demographic parity \
                 can partly offset it, and corrected labels, found by going back to how the data \
                 was collected, address the cause.",
            ],
            experiment: Some(Experiment::SynthPreset { preset: "label_bias", model: "logistic", drop_sensitive: false }),
            check: Some("The audit is computed against the biased labels: note how small the measured gaps \
                 can be even though the labels under-record one group's true outcomes."),
        },
        LessonStep {
            heading: "Feature bias and proxies",
            body: &[
                "A feature can carry the sensitive attribute without naming it. Where housing is \
                 segregated, a ZIP code says a lot about race, so a credit model that uses ZIP \
                 code can treat people differently by race without ever seeing race.",
                "That is why simply deleting the sensitive column (\"fairness through \
                 unawareness\") does not work: the model rebuilds the same signal from the proxy. \
                 Keep the column for assessment even when the model does not use it: only if you \
                 also stopped collecting it would you lose the ability to measure the gap.",
            ],
            experiment: Some(Experiment::SynthPreset { preset: "proxy_bias", model: "logistic", drop_sensitive: true }),
            check: Some("The model was trained without the sensitive column, yet the selection-rate gap \
                 between groups is still there."),
        },
        LessonStep {
            heading: "Why dropping the column fails: the proxy table",
            body: &[
                "The proxy table asks a simple question of each remaining feature: how well does \
                 it predict the sensitive attribute on its own? A feature that predicts group \
                 membership well is a channel through which the model can still discriminate.",
                "What to do instead: keep the sensitive attribute for assessment, decide whether \
                 the proxy is legitimate for the task, and mitigate with a constraint measured on \
                 the outcomes.",
            ],
            experiment: Some(Experiment::ProxyTable { preset: "proxy_bias" }),
            check: Some("Find the feature at the top of the table: it predicts the group far better than chance."),
        },
        LessonStep {
            heading: "Measurement bias",
            body: &[
                "The quantity we measure is a worse stand-in for the real goal in some groups than \
                 in others. If a support team is scored on time to resolution, customers with \
                 complicated problems look like failures, and if those customers cluster in some \
                 groups, those groups are served worse.",
                "A related real case: a health algorithm used past healthcare spending as a \
                 stand-in for medical need, and because less had been spent on Black patients \
                 with the same needs, it underrated how sick they were (Obermeyer et al., 2019).",
            ],
            experiment: Some(Experiment::SynthPreset {
                preset: "measurement_bias",
                model: "logistic",
                drop_sensitive: false,
            }),
            check: Some("Compare the per-group false negative and false positive rates: which group does the \
                 poorer measurement hurt, and through which kind of error?"),
        },
        LessonStep {
            heading: "Detecting bias: subgroup analysis",
            body: &[
                "One overall accuracy figure hides everything above. Assess the model group by \
                 group: accuracy, selection rate, false positive rate and false negative rate.",
                "Large gaps are the signal. A model that is right far more often for one group, or \
                 that flags one group's applications as fraud several times as often as \
                 another's, has a disparate impact that needs explaining, whatever its overall \
                 score.",
                "Look at intersections too (for example sex and age together): a gap can hide \
                 inside groups that look fine on their own.",
            ],
            experiment: Some(Experiment::Bundled { dataset: "adult", sensitive: "sex" }),
            check: Some("Read the per-group table: which group has the higher false positive rate, and \
                 which the lower accuracy?"),
        },
        LessonStep {
            heading: "Intersectionality",
            body: &[
                "A model can be balanced by sex and balanced by race and still fail one \
                 combination, such as darker-skinned women in Gender Shades: the marginal averages \
                 mix a badly served cell with well served ones (Crenshaw named the idea; \
                 Buolamwini and Gebru measured it).",
                "Audit the intersections that matter for the use, chosen with the people \
                 affected. Cells get small fast, so report each with an interval (lesson 2) and \
                 say when the data cannot tell.",
            ],
            experiment: Some(Experiment::Bundled { dataset: "adult", sensitive: "sex" }),
            check: Some("Cross sex with race in the grouping (intersectional groups): is any cell far from both of its margins?"),
        },
        LessonStep {
            heading: "Which fix helps which source",
            body: &[
                "Representation bias: more (or reweighted) data from the small group helps. \
                 Proxy bias: dropping the sensitive column does not help; assess with it and \
                 mitigate on outcomes. Historical bias: a fairness constraint can limit how much of \
                 the past pattern the model reproduces. Measurement and label bias: fix the \
                 measurement or the label where you can; a constraint that uses no labels \
                 (demographic parity) can partly compensate, one conditioned on the labels cannot.",
                "Fairness is not a one-off check: the population and the data drift, so the same \
                 per-group assessment has to run again after deployment.",
            ],
            experiment: None,
            check: None,
        },
    ],
    interview: &[
        "Name the five sources: historical, representation, label, feature/proxy and measurement bias, with one example each.",
        "Detection is subgroup analysis: compare accuracy, selection rate, FPR and FNR across groups, not just overall accuracy.",
        "Removing the sensitive attribute is not a fix: proxies such as ZIP code rebuild it, and you lose the ability to measure the gap.",
        "More data from the under-represented group shrinks the variance part of its error; a biased label needs corrected labels or a label-free constraint, not a label-based one.",
        "Structure the answer: find the sources, choose the metrics, mitigate (pre-, in- or post-processing), then keep monitoring.",
    ],
};

pub const QUESTIONS: &[Question] = &[
    Question {
        id: "bias-historical",
        lesson: ID,
        prompt: "A CV-screening model is trained on ten years of a company's past hiring decisions and \
                 ends up favouring men. Which source of bias is this first of all?",
        kind: QuestionKind::Choice {
            options: &[
                "Historical (training-data) bias",
                "Measurement bias",
                "Representation bias",
                "Adversarial bias",
            ],
            correct: 0,
        },
        explanation: "The labels faithfully record past decisions, and those decisions favoured men. The \
                      model learns and repeats that history.",
    },
    Question {
        id: "bias-representation",
        lesson: ID,
        prompt: "A face-recognition model whose training photos are mostly of lighter-skinned people makes many more mistakes \
                 on darker-skinned faces. Which source of bias is this?",
        kind: QuestionKind::Choice {
            options: &["Label bias", "Representation bias", "Proxy bias", "Historical bias"],
            correct: 1,
        },
        explanation: "One group is under-represented in training, so the model fits it poorly. Collecting \
                      more examples from that group is the direct remedy.",
    },
    Question {
        id: "bias-label",
        lesson: ID,
        prompt: "A reoffending model is trained to predict re-arrest. Arrests are more frequent in heavily \
                 policed neighbourhoods for the same behaviour. What is the main problem?",
        kind: QuestionKind::Choice {
            options: &[
                "Label bias: the target measures policing as well as reoffending",
                "Representation bias: too few rows from those neighbourhoods",
                "Overfitting: the model is too complex",
                "No problem: arrests are an objective record",
            ],
            correct: 0,
        },
        explanation: "The label is a skewed stand-in for the outcome we care about. The model and every \
                      metric computed against that label inherit the skew.",
    },
    Question {
        id: "bias-proxy-drop",
        lesson: ID,
        prompt: "In the proxy preset you train the model without the sensitive column. What do you expect \
                 to see in the audit?",
        kind: QuestionKind::Choice {
            options: &[
                "The gap between groups disappears",
                "Much of the gap remains, because another feature predicts the group",
                "The gap reverses direction",
                "The audit cannot be computed any more",
            ],
            correct: 1,
        },
        explanation: "A proxy such as ZIP code carries the group information, so the model rebuilds it. The \
                      audit still works because it uses the sensitive column for assessment only.",
    },
    Question {
        id: "bias-fix-representation",
        lesson: ID,
        prompt: "Per-group accuracy is much lower for a group that is 5% of the training data, and its \
                 labels are trustworthy. Which step addresses the cause most directly?",
        kind: QuestionKind::Choice {
            options: &[
                "Drop the sensitive column",
                "Raise the decision threshold for everyone",
                "Collect more examples from that group (or reweight it)",
                "Report overall accuracy only",
            ],
            correct: 2,
        },
        explanation: "The cause is too little data from that group: more (or reweighted) examples reduce the \
                      variance of the fit for it. Whatever gap comes from weaker features remains.",
    },
    Question {
        id: "bias-label-downstream",
        lesson: ID,
        prompt: "Per-group thresholds are fitted to give equal true positive rates, on labels that \
                 under-record one group's true outcomes. Why does this not repair the label bias?",
        kind: QuestionKind::Choice {
            options: &[
                "Thresholds are only defined for tree models",
                "Per-group thresholds are unlawful everywhere",
                "Equal TPR is measured on the skewed labels, so it equalises the wrong target",
                "Equal TPR always lowers accuracy too much to be used",
            ],
            correct: 2,
        },
        explanation: "A criterion conditioned on the labels inherits their skew. Thresholds chosen for \
                      demographic parity use no labels and can partly offset it; corrected labels fix the cause.",
    },
    Question {
        id: "bias-measurement",
        lesson: ID,
        prompt: "A support team is rated by time to resolution, which penalises customers with complex \
                 problems, and those customers are concentrated in some groups. Which source of bias is this?",
        kind: QuestionKind::Choice {
            options: &["Measurement bias", "Representation bias", "Sampling noise", "Historical bias"],
            correct: 0,
        },
        explanation: "The metric is a poorer stand-in for service quality for some groups than for \
                      others: the measurement itself is biased.",
    },
    Question {
        id: "bias-overall-accuracy",
        lesson: ID,
        prompt: "A model has 92% overall test accuracy. What should you do before calling it fair?",
        kind: QuestionKind::Choice {
            options: &[
                "Nothing: above 90% is fair by definition",
                "Compare accuracy, FPR and FNR group by group",
                "Retrain it without the sensitive column",
                "Check the accuracy on the training data",
            ],
            correct: 1,
        },
        explanation: "Overall accuracy can hide a group for which the model works much worse. Subgroup \
                      analysis is how bias is detected.",
    },
    Question {
        id: "bias-flag-ratio",
        lesson: ID,
        prompt: "A fraud model flags 20 of 400 applications from group A and 60 of 300 from group B. How \
                 many times as often is a group B application flagged as a group A one?",
        kind: QuestionKind::Numeric { answer: 4.0, tolerance: 0.01 },
        explanation: "Flag rates are 20/400 = 0.05 and 60/300 = 0.20, and 0.20 / 0.05 = 4. A gap that \
                      large is a disparate impact worth investigating.",
    },
    Question {
        id: "bias-live-fpr",
        lesson: ID,
        prompt: "In the audit on screen, which group has the highest false positive rate?",
        kind: QuestionKind::Live(LiveQuestion::HigherFpr),
        explanation: "FPR = FP / (FP + TN): among the people whose true label is negative, the share the \
                      model wrongly marks positive. Read it from the per-group table.",
    },
    Question {
        id: "bias-live-accuracy",
        lesson: ID,
        prompt: "In the audit on screen, for which group is the model least accurate?",
        kind: QuestionKind::Live(LiveQuestion::LowerAccuracy),
        explanation: "Per-group accuracy is the first subgroup comparison to make; then ask which kind of \
                      error (false positives or false negatives) drives the gap.",
    },
    Question {
        id: "bias-intersectional",
        lesson: ID,
        prompt: "A model's accuracy is 0.90 for women and 0.91 for men, and 0.90 for each of two races. What do these four numbers tell you about its accuracy for Black women?",
        kind: QuestionKind::Choice {
            options: &[
                "Nothing yet: one cell can be served badly while every margin looks fine",
                "It is about 0.90, the average of the margins",
                "It is at least 0.90, because no margin is lower",
                "Nothing, because intersections matter only with three or more attributes",
            ],
            correct: 0,
        },
        explanation: "A margin averages its cells, so a poor cell can hide among good ones. Audit the intersection itself, chosen with the people affected, and report it with an interval because the cell is small.",
    },
];
