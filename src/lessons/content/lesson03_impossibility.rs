//! Lesson 3: the impossibility results of Chouldechova (2017) and Kleinberg, Mullainathan &
//! Raghavan (2016), with the identity that forces them and its exceptions.

use crate::lessons::{Experiment, Lesson, LessonStep, LiveQuestion, Question, QuestionKind};

const ID: &str = "impossibility";

pub const LESSON: Lesson = Lesson {
    id: ID,
    number: 3,
    title: "The impossibility theorem",
    summary: "When groups have different base rates, a classifier that makes any false positives cannot \
              have equal FPR, equal FNR and equal PPV at once. One line of algebra shows why.",
    steps: &[
        LessonStep {
            heading: "Base rates",
            body: &[
                "A group's base rate p is the share of its members whose true outcome is positive: \
                 the share who default, reoffend or qualify. Base rates often differ between \
                 groups, sometimes because of real differences and sometimes because of label bias \
                 (lesson 1).",
                "Predictive parity and equal error rates (lesson 2) each sound reasonable on their \
                 own. The trouble starts when base rates differ.",
            ],
            experiment: Some(Experiment::BaseRates { a: 0.4, b: 0.2 }),
            check: Some("Two groups start with base rates 0.4 and 0.2."),
        },
        LessonStep {
            heading: "The identity",
            body: &[
                "Count a group of n people. There are p·n positives, of which the model catches \
                 TP = (1 − FNR)·p·n. Among the people it selects, a share PPV is truly positive, so \
                 FP = TP·(1 − PPV)/PPV. The negatives number (1 − p)·n, so dividing gives",
                "FPR = p / (1 − p) · (1 − PPV) / PPV · (1 − FNR).",
                "This is Chouldechova's identity (2017). Nothing in it depends on the model's \
                 internals: it is just bookkeeping on the confusion matrix.",
            ],
            experiment: None,
            check: None,
        },
        LessonStep {
            heading: "A worked example",
            body: &[
                "Give both groups the same PPV of 0.8 and the same FNR of 0.2. Group A has p = 0.4: \
                 out of 1,000 people, 400 are positive, the model catches 320, and with PPV 0.8 it \
                 also selects 80 negatives out of 600, so FPR = 80/600 ≈ 0.133.",
                "Group B has p = 0.2: 200 positives, 160 caught, 40 false positives out of 800 \
                 negatives, so FPR = 40/800 = 0.05. Equal PPV and equal FNR have forced the FPRs \
                 apart, by a factor set by the base rates.",
            ],
            experiment: Some(Experiment::BaseRates { a: 0.4, b: 0.2 }),
            check: Some("Set PPV to 0.8 and FNR to 0.2: the panel shows FPRs of about 0.133 and 0.05."),
        },
        LessonStep {
            heading: "Try to equalise everything",
            body: &[
                "Move the sliders. With different base rates, whenever you make PPV and FNR equal \
                 across groups, FPR gives way; make FPR and FNR equal and PPV gives way instead.",
                "Now make the base rates equal: all three can match. Or push PPV to 1: a \
                 classifier with no false positives has FPR 0 in every group, whatever the FNR, \
                 so all three match again (a perfect classifier is the special case with FNR 0 too).",
                "On the page: the \"Or share FPR instead of PPV\" slider gives both groups one FPR \
                 (with the shared FNR), and the panel shows the PPV each group is then forced to.",
            ],
            experiment: Some(Experiment::BaseRates { a: 0.5, b: 0.3 }),
            check: Some("Find a setting where all three rates match: it needs equal base rates or PPV = 1 (no false positives)."),
        },
        LessonStep {
            heading: "The lender's story, part 3: a threshold per group",
            body: &[
                "Back at Harbour Credit, the lender may now set one threshold per group, starting \
                 from the one you kept in lesson 2. On these dots group A's base rate is 0.6 and \
                 group B's is 0.4, so the identity above applies to them.",
                "Try to make TPR, FPR and PPV all equal. Bring PPV together and FPR drifts apart, \
                 and the other way round. With only 50 dots a group, every rate moves in steps, so \
                 a few pairs come within 0.05 on all three by rounding; exact equality on these \
                 dots needs this lesson's exception: raise each group's threshold above its \
                 highest-scoring defaulter, so no defaulter is approved (PPV 1, FPR 0 in both \
                 groups), then match the TPRs. Most good borrowers are refused on the way. Keep \
                 the thresholds you would rather defend.",
            ],
            experiment: Some(Experiment::Story { part: 3 }),
            check: Some("Find thresholds where all three gaps read 0.000, and count how many good borrowers \
                 they refuse."),
        },
        LessonStep {
            heading: "Kleinberg, Mullainathan and Raghavan",
            body: &[
                "A parallel result (2016) is about risk scores rather than yes/no decisions. Three \
                 conditions: the score is calibrated within each group; the average score of truly \
                 positive people is the same in every group; the average score of truly negative \
                 people is the same in every group.",
                "They proved that all three can hold together only when base rates are equal or \
                 the scores predict perfectly. Both results say the same thing: when base rates \
                 differ, a calibrated or predictive-parity-style notion and an error-rate-balance \
                 notion pull in opposite directions.",
            ],
            experiment: None,
            check: None,
        },
        LessonStep {
            heading: "A real case: the COMPAS debate",
            body: &[
                "In 2016 ProPublica reported that the COMPAS recidivism tool wrongly labelled Black \
                 defendants who did not reoffend as high risk more often than white defendants: \
                 unequal false positive rates. The vendor answered that the scores were equally \
                 predictive in both groups.",
                "Both observations can be true at once, and the identity explains why: the \
                 recorded reoffending rates differed, so equal predictive value forces unequal error \
                 rates. The disagreement was about which criterion should matter.",
            ],
            experiment: Some(Experiment::Bundled { dataset: "compas", sensitive: "race" }),
            check: Some("Compare PPV and FPR across groups: which one is close to equal, and which is not?"),
        },
        LessonStep {
            heading: "What it means for you",
            body: &[
                "The theorem does not say fairness is hopeless. It says you have to decide which \
                 criterion should win in your setting, and be able to defend that decision to \
                 the people affected. That is the next lesson.",
            ],
            experiment: None,
            check: None,
        },
    ],
    interview: &[
        "If base rates differ, equal FPR, equal FNR and equal PPV cannot all hold unless PPV = 1, i.e. no false positives (Chouldechova 2017).",
        "Give the identity: FPR = p/(1 − p) · (1 − PPV)/PPV · (1 − FNR); fix PPV and FNR, and different p forces different FPR.",
        "Kleinberg, Mullainathan & Raghavan (2016): calibration within groups and balance for both classes are incompatible except with equal base rates or perfect prediction.",
        "Use COMPAS as the example: unequal FPRs and equal predictive value were both true; the dispute was about which to prioritise.",
        "Conclude with the consequence: fairness metrics conflict, so pick the criterion for the use case and the people it affects, and say why.",
    ],
};

pub const QUESTIONS: &[Question] = &[
    Question {
        id: "imp-statement",
        lesson: ID,
        prompt: "Chouldechova's result says that when base rates differ and the classifier makes some \
                 false positives, which three things cannot all be equal across groups?",
        kind: QuestionKind::Choice {
            options: &[
                "Accuracy, AUC and selection rate",
                "FPR, FNR and PPV",
                "TPR, selection rate and group size",
                "Precision, recall and F1 within one group",
            ],
            correct: 1,
        },
        explanation: "The identity FPR = p/(1 − p)·(1 − PPV)/PPV·(1 − FNR) ties the three together \
                      through the base rate p.",
    },
    Question {
        id: "imp-exceptions",
        lesson: ID,
        prompt: "In which case can equal FPR, equal FNR and equal PPV all hold at once?",
        kind: QuestionKind::Choice {
            options: &[
                "When the groups are the same size",
                "When the model does not use the sensitive attribute",
                "When base rates are equal, or the classifier makes no false positives (PPV = 1)",
                "When the threshold is 0.5",
            ],
            correct: 2,
        },
        explanation: "With PPV = 1 the identity gives FPR = 0 in every group, whatever the FNR; a perfect \
                      classifier is the special case. Group sizes, the threshold and the attribute do not enter it.",
    },
    Question {
        id: "imp-num-a",
        lesson: ID,
        prompt: "A group has base rate p = 0.4. The classifier has PPV = 0.8 and FNR = 0.2 in this group. \
                 What FPR does the identity force?",
        kind: QuestionKind::Numeric { answer: 0.1333, tolerance: 0.002 },
        explanation: "FPR = 0.4/0.6 · 0.2/0.8 · 0.8 = 0.667 · 0.25 · 0.8 ≈ 0.133. Counting 1,000 people: \
                      320 true positives, 80 false positives, 600 negatives.",
    },
    Question {
        id: "imp-num-b",
        lesson: ID,
        prompt: "A group has base rate p = 0.2. The classifier has PPV = 0.8 and FNR = 0.2 in this group. \
                 What FPR does the identity force?",
        kind: QuestionKind::Numeric { answer: 0.05, tolerance: 0.002 },
        explanation: "FPR = 0.2/0.8 · 0.2/0.8 · 0.8 = 0.25 · 0.25 · 0.8 = 0.05: lower than for a group with \
                      p = 0.4 under the same PPV and FNR.",
    },
    Question {
        id: "imp-num-c",
        lesson: ID,
        prompt: "A group has base rate p = 0.5, PPV = 0.75 and FNR = 0.1. What is its FPR?",
        kind: QuestionKind::Numeric { answer: 0.3, tolerance: 0.002 },
        explanation: "FPR = 0.5/0.5 · 0.25/0.75 · 0.9 = 1 · 0.333 · 0.9 = 0.3.",
    },
    Question {
        id: "imp-which-group",
        lesson: ID,
        prompt: "Two groups have base rates 0.4 and 0.2. You force equal PPV and equal FNR. Which group \
                 ends up with the higher FPR?",
        kind: QuestionKind::Choice {
            options: &["The group with base rate 0.4", "The group with base rate 0.2", "Neither: they are equal"],
            correct: 0,
        },
        explanation: "FPR grows with p/(1 − p), which is 0.667 for p = 0.4 and 0.25 for p = 0.2.",
    },
    Question {
        id: "imp-kleinberg",
        lesson: ID,
        prompt: "Which three conditions did Kleinberg, Mullainathan and Raghavan show to be incompatible \
                 (outside equal base rates or perfect prediction)?",
        kind: QuestionKind::Choice {
            options: &[
                "Demographic parity, equal opportunity and accuracy",
                "Calibration within groups, balance for the positive class, balance for the negative class",
                "Privacy, robustness and interpretability",
                "Equal group sizes, equal thresholds and equal accuracy",
            ],
            correct: 1,
        },
        explanation: "Their result is about risk scores: a score calibrated in every group cannot also give \
                      truly positive people, and truly negative people, the same average score in every \
                      group, unless base rates are equal or prediction is perfect.",
    },
    Question {
        id: "imp-compas",
        lesson: ID,
        prompt: "In the COMPAS debate, one side showed unequal false positive rates and the other equal \
                 predictive value. What does the impossibility result say about this?",
        kind: QuestionKind::Choice {
            options: &[
                "One side must have made an arithmetic error",
                "Both can be true at once, because the recorded base rates differed",
                "Equal predictive value implies equal false positive rates",
                "The result only applies to deep networks",
            ],
            correct: 1,
        },
        explanation: "With different base rates, equal PPV forces unequal error rates, so both findings can \
                      hold. The real question was which criterion to prioritise.",
    },
    Question {
        id: "imp-live-base-rate",
        lesson: ID,
        prompt: "In the data on screen, which group has the highest base rate?",
        kind: QuestionKind::Live(LiveQuestion::HigherBaseRate),
        explanation: "The base rate is the share of true positives in the group, before any model. If base \
                      rates differ, the impossibility result applies to this data.",
    },
];
