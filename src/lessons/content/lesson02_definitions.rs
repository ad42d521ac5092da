//! Lesson 2: demographic parity, equal opportunity, equalized odds and predictive parity.

use crate::lessons::{Experiment, Lesson, LessonStep, LiveQuestion, Question, QuestionKind};

const ID: &str = "definitions";

pub const LESSON: Lesson = Lesson {
    id: ID,
    number: 2,
    title: "Fairness definitions",
    summary: "Four group-fairness criteria, each a statement that one rate is equal across groups: \
              what they compare, what they mean, and how far the loaded model is from each.",
    steps: &[
        LessonStep {
            heading: "The lender's story, part 2: four rates on your threshold",
            body: &[
                "The threshold you kept in lesson 1 comes with you. Each group's dots fall into four \
                 boxes: approved and repaid (true positives), approved and defaulted (false \
                 positives), refused but would have repaid (false negatives), refused and would have \
                 defaulted (true negatives).",
                "The table turns the boxes into this lesson's four rates, in the lender's words. \
                 Selection rate: the share of a group approved. TPR: the share of its good borrowers \
                 approved. FPR: the share of its defaulters approved. PPV: the share of its approved \
                 loans that were repaid. The same four rates then appear on the real data sets below.",
            ],
            experiment: Some(Experiment::Story { part: 2 }),
            check: Some("At your threshold, which criteria hold within 0.05? Move it and watch which one \
                 gives way first."),
        },
        LessonStep {
            heading: "Notation",
            body: &[
                "Y is the true outcome (1 = positive, such as \"repaid the loan\"), Ŷ is the \
                 model's decision, and A is the group. Each group gets its own confusion matrix: \
                 true positives (TP), false positives (FP), false negatives (FN) and true \
                 negatives (TN).",
                "Four rates do almost all the work. Selection rate = (TP + FP) / n. True positive \
                 rate TPR = TP / (TP + FN). False positive rate FPR = FP / (FP + TN). Positive \
                 predictive value PPV = TP / (TP + FP). A rate whose denominator is zero is \
                 undefined, not zero.",
            ],
            experiment: Some(Experiment::Bundled { dataset: "adult", sensitive: "sex" }),
            check: Some("Find the four rates for each group in the audit table."),
        },
        LessonStep {
            heading: "Demographic parity",
            body: &[
                "P(Ŷ = 1 | A = a) = P(Ŷ = 1 | A = b): every group is selected at the same rate. In \
                 words, the same share of each group gets the loan or the interview.",
                "It is measured as a difference or a ratio. Fairlearn's \
                 demographic_parity_difference is max − min over the groups (never negative) and \
                 demographic_parity_ratio min / max. AIF360's statistical_parity_difference is \
                 signed: unprivileged minus privileged, so a negative value means the unprivileged \
                 group is selected less; its disparate_impact is the ratio unprivileged / \
                 privileged. The US \"four-fifths rule\" of thumb for hiring flags a ratio below 0.8.",
                "It ignores the labels entirely. That is its strength when the labels are \
                 distrusted, and its weakness when groups really differ in the outcome: it can then \
                 require selecting unqualified people or turning away qualified ones.",
            ],
            experiment: None,
            check: Some("Read the demographic parity difference and ratio in the disparities panel."),
        },
        LessonStep {
            heading: "Equal opportunity",
            body: &[
                "P(Ŷ = 1 | Y = 1, A = a) = P(Ŷ = 1 | Y = 1, A = b): equal true positive rates \
                 (Hardt, Price & Srebro, 2016). Among the people who truly qualify, each group is \
                 selected at the same rate.",
                "It only looks at the qualified. Equivalently, the false negative rate (1 − TPR), \
                 the share of qualified people wrongly turned away, is equal across groups.",
            ],
            experiment: None,
            check: Some("Compare the TPRs: their gap is the equal opportunity difference."),
        },
        LessonStep {
            heading: "Equalized odds",
            body: &[
                "Equal TPR and equal FPR across groups. Both kinds of mistake are shared out \
                 equally: qualified people are missed at the same rate, and unqualified people are \
                 wrongly accepted (or wrongly flagged) at the same rate.",
                "It is stricter than equal opportunity, which constrains only the TPR. Fairlearn's \
                 equalized odds difference reports the larger of the TPR gap and the FPR gap.",
            ],
            experiment: None,
            check: Some("Which is larger on this model, the TPR gap or the FPR gap?"),
        },
        LessonStep {
            heading: "Predictive parity",
            body: &[
                "P(Y = 1 | Ŷ = 1, A = a) = P(Y = 1 | Ŷ = 1, A = b): equal PPV. Among the people \
                 the model selects, the same share in each group actually turns out positive. For \
                 a lender: approved applicants repay at the same rate whatever their group.",
                "It asks that a positive decision mean the same thing for everyone. Its close \
                 relative is calibration within groups: a score of 0.7 should mean a 70% chance in \
                 every group.",
            ],
            experiment: None,
            check: Some("Compare the PPVs: is a positive decision equally reliable for both groups?"),
        },
        LessonStep {
            heading: "Three families: independence, separation, sufficiency",
            body: &[
                "Barocas, Hardt and Narayanan sort group criteria into three families. \
                 Independence: the decision does not depend on the group (demographic parity). \
                 Separation: given the true outcome, it does not (equal opportunity, equalized \
                 odds). Sufficiency: given the decision or score, the outcome does not depend on the \
                 group (predictive parity, calibration within groups).",
                "Calibration within groups means a score s is right in every group: among people \
                 scored 0.7, 70% are positive, whatever their group. When base rates differ, any \
                 two families conflict except in degenerate cases; lesson 3 proves the sharpest \
                 case.",
            ],
            experiment: None,
            check: None,
        },
        LessonStep {
            heading: "How sure is a gap? Small groups",
            body: &[
                "A rate from 40 people is noisy: an FPR computed on 15 negatives moves by almost \
                 0.07 when one person changes. Before calling a gap real, compute an interval for \
                 each group's rate and for the gap itself (a bootstrap over rows, or a Wilson \
                 interval for one proportion).",
                "If the interval of the gap is wide and covers 0, the honest finding is that the \
                 data cannot tell, not that the model is fair. Collect more data or pool more time \
                 before mitigating on noise.",
            ],
            experiment: Some(Experiment::Bundled { dataset: "german", sensitive: "sex" }),
            check: Some("Compute the intervals in the Fairness step: which group's interval is widest, and why?"),
        },
        LessonStep {
            heading: "All four on one model",
            body: &[
                "With a tolerance (say 0.05 on each gap) you can say which definitions a model \
                 meets. A typical model meets some and violates others, and mitigating for one can \
                 widen another.",
                "There is no single correct definition of fairness. Each one encodes a different \
                 view of which mistakes matter and who bears them, and as the next lesson shows, \
                 they cannot all hold at once.",
            ],
            experiment: Some(Experiment::Bundled { dataset: "adult", sensitive: "sex" }),
            check: Some("List which of the four definitions this model violates at a tolerance of 0.05."),
        },
    ],
    interview: &[
        "Demographic parity: equal selection rates; equal opportunity: equal TPR; equalized odds: TPR and FPR both equal; predictive parity: equal PPV.",
        "Say each one in words: \"same share approved\", \"same share of qualified approved\", \"both error rates equal\", \"approvals equally reliable\".",
        "Equalized odds is stricter than equal opportunity; demographic parity ignores the labels, which helps when labels are distrusted.",
        "There is no single definition of fairness: the choice encodes values about which errors matter, so state it and justify it.",
    ],
};

pub const QUESTIONS: &[Question] = &[
    Question {
        id: "def-dp-formula",
        lesson: ID,
        prompt: "Which statement is demographic parity?",
        kind: QuestionKind::Choice {
            options: &[
                "P(Ŷ = 1 | A = a) = P(Ŷ = 1 | A = b)",
                "P(Ŷ = 1 | Y = 1, A = a) = P(Ŷ = 1 | Y = 1, A = b)",
                "P(Y = 1 | Ŷ = 1, A = a) = P(Y = 1 | Ŷ = 1, A = b)",
                "P(Y = 1 | A = a) = P(Y = 1 | A = b)",
            ],
            correct: 0,
        },
        explanation: "Demographic parity equalises the selection rate and does not condition on the true \
                      label. The second line is equal opportunity, the third predictive parity, and the \
                      last is a statement about base rates, not about the model.",
    },
    Question {
        id: "def-eo-rate",
        lesson: ID,
        prompt: "Equal opportunity asks which rate to be equal across groups?",
        kind: QuestionKind::Choice {
            options: &["Selection rate", "Positive predictive value", "True positive rate", "Accuracy"],
            correct: 2,
        },
        explanation: "Equal opportunity (Hardt et al., 2016) equalises the TPR: among truly qualified \
                      people, each group is selected at the same rate.",
    },
    Question {
        id: "def-eodds-adds",
        lesson: ID,
        prompt: "Equalized odds adds which requirement to equal opportunity?",
        kind: QuestionKind::Choice {
            options: &["Equal false positive rates", "Equal selection rates", "Equal PPV", "Equal group sizes"],
            correct: 0,
        },
        explanation: "Equalized odds asks for equal TPR and equal FPR, so both kinds of error are shared \
                      equally.",
    },
    Question {
        id: "def-pp-words",
        lesson: ID,
        prompt: "\"Whatever their group, people who get approved repay at the same rate.\" Which definition is this?",
        kind: QuestionKind::Choice {
            options: &["Demographic parity", "Equal opportunity", "Equalized odds", "Predictive parity"],
            correct: 3,
        },
        explanation: "Conditioning on the decision (approved) and asking about the outcome (repays) is \
                      PPV, which predictive parity equalises.",
    },
    Question {
        id: "def-eo-not-eodds",
        lesson: ID,
        prompt: "A model satisfies equal opportunity exactly. What follows?",
        kind: QuestionKind::Choice {
            options: &[
                "Equalized odds holds too",
                "Demographic parity holds too",
                "Equalized odds may still fail, because the FPRs can differ",
                "Predictive parity holds too",
            ],
            correct: 2,
        },
        explanation: "Equal TPRs say nothing about FPRs, selection rates or PPVs; of the options only the \
                      possibility that equalized odds fails is guaranteed to be true.",
    },
    Question {
        id: "def-dp-ignores-labels",
        lesson: ID,
        prompt: "Which of the four definitions can be checked without any true labels?",
        kind: QuestionKind::Choice {
            options: &["Equal opportunity", "Demographic parity", "Equalized odds", "Predictive parity"],
            correct: 1,
        },
        explanation: "Demographic parity uses only the decisions and the groups. The other three all \
                      condition on, or ask about, the true outcome Y.",
    },
    Question {
        id: "def-num-dpd",
        lesson: ID,
        prompt: "Group A: TP = 30, FP = 20, FN = 10, TN = 40. Group B: TP = 18, FP = 10, FN = 12, TN = 60. \
                 What is the demographic parity difference (max − min selection rate)?",
        kind: QuestionKind::Numeric { answer: 0.22, tolerance: 0.005 },
        explanation: "Selection rates are (30 + 20)/100 = 0.50 and (18 + 10)/100 = 0.28; the difference is 0.22.",
    },
    Question {
        id: "def-num-dpr",
        lesson: ID,
        prompt: "Group A: TP = 30, FP = 20, FN = 10, TN = 40. Group B: TP = 18, FP = 10, FN = 12, TN = 60. \
                 What is the demographic parity ratio (min / max selection rate)?",
        kind: QuestionKind::Numeric { answer: 0.56, tolerance: 0.005 },
        explanation: "0.28 / 0.50 = 0.56, well under 0.8, so this model fails the four-fifths rule.",
    },
    Question {
        id: "def-num-eod",
        lesson: ID,
        prompt: "Group A: TP = 30, FP = 20, FN = 10, TN = 40. Group B: TP = 18, FP = 10, FN = 12, TN = 60. \
                 What is the equalized odds difference (the larger of the TPR gap and the FPR gap)?",
        kind: QuestionKind::Numeric { answer: 0.1905, tolerance: 0.002 },
        explanation: "TPR: 30/40 = 0.75 and 18/30 = 0.60, gap 0.15. FPR: 20/60 = 0.333 and 10/70 = 0.143, \
                      gap 0.190. The larger gap, 0.190, is the equalized odds difference.",
    },
    Question {
        id: "def-num-ppv",
        lesson: ID,
        prompt: "Group A: TP = 30, FP = 20, FN = 10, TN = 40. Group B: TP = 18, FP = 10, FN = 12, TN = 60. \
                 What is group B's positive predictive value?",
        kind: QuestionKind::Numeric { answer: 0.6429, tolerance: 0.002 },
        explanation: "PPV = TP / (TP + FP) = 18 / 28 ≈ 0.643. Group A's is 30/50 = 0.60, so predictive \
                      parity is nearly met here while the other definitions are not.",
    },
    Question {
        id: "def-four-fifths",
        lesson: ID,
        prompt: "Selection rates are 0.40 for one group and 0.30 for the other. Does the four-fifths rule pass?",
        kind: QuestionKind::Choice {
            options: &["Yes: the difference is only 0.10", "No: the ratio is 0.75, below 0.8"],
            correct: 1,
        },
        explanation: "The rule looks at the ratio min / max = 0.30 / 0.40 = 0.75, not the difference.",
    },
    Question {
        id: "def-live-violated",
        lesson: ID,
        prompt: "On the model on screen, counting a definition as violated when its gap exceeds 0.05, which \
                 definitions are violated?",
        kind: QuestionKind::Live(LiveQuestion::ViolatedDefinition { tolerance: 0.05 }),
        explanation: "Compare each gap with 0.05: selection rate (demographic parity), TPR (equal \
                      opportunity), the larger of TPR and FPR (equalized odds) and PPV (predictive parity).",
    },
    Question {
        id: "def-live-four-fifths",
        lesson: ID,
        prompt: "Does the model on screen pass the four-fifths rule?",
        kind: QuestionKind::Live(LiveQuestion::FourFifthsPasses),
        explanation: "Divide the lowest selection rate by the highest; the rule passes at 0.8 or above.",
    },
    Question {
        id: "def-live-largest-gap",
        lesson: ID,
        prompt: "On the model on screen, which rate differs most between the groups?",
        kind: QuestionKind::Live(LiveQuestion::LargestGap),
        explanation: "Each definition looks at one rate; the largest gap tells you which definition is \
                      furthest from holding.",
    },
    Question {
        id: "def-live-dpd",
        lesson: ID,
        prompt: "What is the demographic parity difference of the model on screen (to two decimals)?",
        kind: QuestionKind::Live(LiveQuestion::DemographicParityDifference),
        explanation: "Highest selection rate minus lowest selection rate across the groups.",
    },
    Question {
        id: "def-live-lowest-selection",
        lesson: ID,
        prompt: "On the model on screen, which group is selected least often?",
        kind: QuestionKind::Live(LiveQuestion::LowerSelectionRate),
        explanation: "Selection rate = share of the group with a positive decision, whatever the true label.",
    },
    Question {
        id: "def-calibration-groups",
        lesson: ID,
        prompt: "A risk score is calibrated within groups. What does that promise?",
        kind: QuestionKind::Choice {
            options: &[
                "Every group is approved at the same rate",
                "Every group has the same true positive rate at any threshold",
                "Among people given a score of 0.7, about 70% are positive, in every group",
                "Every group has the same base rate",
            ],
            correct: 2,
        },
        explanation: "Calibration within groups says a score means the same chance of a positive outcome whatever the group. It belongs to the sufficiency family, beside predictive parity, and conflicts with error-rate balance when base rates differ.",
    },
    Question {
        id: "def-families",
        lesson: ID,
        prompt: "A criterion says: among people with the same true outcome, the decision must not depend on the group. In Barocas, Hardt and Narayanan's taxonomy, which family is it?",
        kind: QuestionKind::Choice {
            options: &[
                "Independence",
                "Separation",
                "Sufficiency",
                "None: it is an individual-fairness criterion",
            ],
            correct: 1,
        },
        explanation: "Separation conditions on the true outcome Y: equal TPR (equal opportunity) and, with equal FPR too, equalized odds. Independence conditions on nothing; sufficiency conditions on the decision or score.",
    },
    Question {
        id: "def-small-group-interval",
        lesson: ID,
        prompt: "Group C has 15 true negatives and an FPR of 0.20; group D has 2,000 and an FPR of 0.10. The bootstrap interval of the FPR gap runs from −0.05 to 0.32. What is the honest finding?",
        kind: QuestionKind::Choice {
            options: &[
                "C's FPR is twice D's, so mitigate now",
                "The model is fair, because the interval covers 0",
                "Leave group C out of the audit, it is too small",
                "The data cannot tell yet whether C's FPR is higher; collect more data or pool a longer period",
            ],
            correct: 3,
        },
        explanation: "With 15 negatives one person moves C's FPR by almost 0.07, and the interval covers both no gap and a large one. Say the data cannot tell, and get more of it before mitigating on noise.",
    },
];
