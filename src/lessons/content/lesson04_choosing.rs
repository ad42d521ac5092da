//! Lesson 4: choosing a fairness criterion for an application, mitigation stages, and the
//! levelling-down warning.

use crate::lessons::{Experiment, Lesson, LessonStep, LiveQuestion, Question, QuestionKind};

const ID: &str = "choosing";

pub const LESSON: Lesson = Lesson {
    id: ID,
    number: 4,
    title: "Choosing a criterion",
    summary: "Scenario cards for hiring, criminal justice and lending: which criterion fits, why, \
              and what mitigating for it costs.",
    steps: &[
        LessonStep {
            heading: "Start from the harm",
            body: &[
                "Since the criteria conflict, pick one by asking who is hurt by which mistake. A \
                 false negative turns away someone who deserved a yes; a false positive gives a yes \
                 (or a flag) to someone who should not get one. Which error is worse, and for whom?",
                "Bring in the people affected, the domain experts and the legal constraints. The \
                 choice encodes values, so write it down with the reasons.",
            ],
            experiment: None,
            check: None,
        },
        LessonStep {
            heading: "The lender's story, part 4: choose, and pay for it",
            body: &[
                "The thresholds you kept in lesson 3 are where Harbour Credit starts. Each button \
                 below sets the most profitable thresholds that meet one criterion within 0.05, \
                 found by trying every pair, so you can read what each choice costs in the lender's \
                 euros and in good borrowers refused, group by group.",
                "The lender will argue for predictive parity: an approval should mean the same \
                 chance of repayment whatever the group. On these dots it costs the lender nothing, \
                 because its most profitable pair of thresholds already meets it. A good borrower \
                 from group B, whose score the history pushed down, will argue for equal \
                 opportunity, which costs a little profit and approves more of them.",
                "Now compare with part 1's single threshold. It is not even the lender's most \
                 profitable choice, because the score under-rates group B, and the good borrowers \
                 of group B it refused paid for that. The change in profit is the price, or the \
                 gain, of each choice. The cards below then make the same choice on real data.",
            ],
            experiment: Some(Experiment::Story { part: 4 }),
            check: Some("Under equal opportunity, how much profit does the lender give up against the most \
                 profitable thresholds, and how many more of group B's good borrowers are approved?"),
        },
        LessonStep {
            heading: "Card 1: hiring → equal opportunity",
            body: &[
                "The harm to guard against is a qualified candidate being screened out. Equal \
                 opportunity asks that qualified candidates in every group get through at the same \
                 rate (equal TPR).",
                "It deliberately says nothing about the unqualified, because a false positive in a \
                 first screen costs one extra interview.",
            ],
            experiment: Some(Experiment::Mitigate { constraint: "equal_opportunity" }),
            check: Some("Compare the TPRs before and after mitigation, and note the change in accuracy."),
        },
        LessonStep {
            heading: "Card 2: criminal justice → equalized odds",
            body: &[
                "Both errors are serious here. A false positive can mean detaining someone who \
                 would not have reoffended; a false negative can mean releasing someone who would. \
                 Equalized odds asks that both error rates be the same in every group, so no group \
                 carries more of either mistake.",
                "Two caveats. First, the choice is contested: in the COMPAS debate (lesson 3) the \
                 vendor defended predictive parity and ProPublica pointed to unequal error rates; \
                 equalized odds is one defensible answer, not the settled one. Second, each group's \
                 ROC curve rarely passes through a shared (FPR, TPR) point, so equalized odds \
                 usually needs randomised thresholds: for people between two cut-offs the decision \
                 is a coin flip with a set probability (Hardt et al., 2016; Fairlearn's \
                 ThresholdOptimizer does this). Treating alike people differently by chance is a \
                 cost to explain.",
            ],
            experiment: Some(Experiment::Mitigate { constraint: "equalized_odds" }),
            check: Some("Check that both the TPR gap and the FPR gap shrink, and what it costs in accuracy."),
        },
        LessonStep {
            heading: "Card 3: lending → predictive parity",
            body: &[
                "A lender's decision should mean the same thing for everyone: among approved \
                 applicants, each group should repay at the same rate. That is equal PPV. If \
                 approved applicants from one group defaulted far less often, that group would be \
                 held to a higher bar than the others.",
                "Predictive parity is not one of the threshold constraints here. Look instead at how \
                 the PPVs move when you equalise TPR: the impossibility result says they usually \
                 separate when base rates differ.",
            ],
            experiment: Some(Experiment::Mitigate { constraint: "single_threshold" }),
            check: Some("Read the PPV per group under a single threshold, then switch to equal_opportunity and compare."),
        },
        LessonStep {
            heading: "When demographic parity fits",
            body: &[
                "If the labels themselves are distrusted (label bias), conditioning on them bakes the \
                 bias in, and demographic parity, which ignores labels, can be the better choice. It \
                 also matches legal rules of thumb such as the four-fifths rule in hiring.",
            ],
            experiment: Some(Experiment::Mitigate { constraint: "demographic_parity" }),
            check: Some("How far do the selection rates move, and in which direction for each group?"),
        },
        LessonStep {
            heading: "A warning: levelling down",
            body: &[
                "A gap can be closed in two ways: by helping the worse-off group, or by making the \
                 better-off group worse off. The second is called levelling down. It satisfies the \
                 metric while helping nobody.",
                "So never report only the gap. Report each group's rates before and after, and ask \
                 whether anyone's outcome improved.",
            ],
            experiment: Some(Experiment::Mitigate { constraint: "equalized_odds" }),
            check: Some("Did the gap close because one group's rate rose, or because the other group's fell?"),
        },
        LessonStep {
            heading: "Where mitigation can happen",
            body: &[
                "Pre-processing changes the data before training: reweighting or resampling \
                 examples. In-processing adds the constraint to training itself (Fairlearn's \
                 reductions approach is one way). Post-processing changes decisions after training, \
                 for example with a threshold per group (Hardt et al., 2016).",
                "Post-processing is simple and works with any model, but it needs each person's \
                 group at decision time, which the law may not allow in some settings.",
            ],
            experiment: Some(Experiment::Mitigate { constraint: "group_thresholds" }),
            check: Some("Each group gets its own threshold: read them in the rule table."),
        },
        LessonStep {
            heading: "Frameworks for the conversation",
            body: &[
                "Interviewers often like to hear a wider frame. Consequentialism weighs outcomes: \
                 do the benefits outweigh the harms? Deontology asks which rules must never be \
                 broken. Virtue ethics asks what a responsible engineer would do. A justice view \
                 asks who carries the costs and who gets the benefits.",
            ],
            experiment: None,
            check: None,
        },
    ],
    interview: &[
        "Hiring: equal opportunity, because the harm is qualified people being screened out.",
        "Criminal justice: argue for equalized odds (no group carries more of either error), say it is contested (COMPAS's vendor defended predictive parity) and that it usually needs randomised thresholds.",
        "Lending: predictive parity, so approval means the same repayment chance in every group.",
        "Warn about levelling down: report every group's rates before and after, not only the gap.",
        "Name the mitigation stage (pre-, in- or post-processing) and its cost: accuracy, and whether the group is available at decision time.",
    ],
};

pub const QUESTIONS: &[Question] = &[
    Question {
        id: "choose-hiring",
        lesson: ID,
        prompt: "For a CV screen, which criterion best matches \"qualified candidates should have the same \
                 chance whatever their group\"?",
        kind: QuestionKind::Choice {
            options: &["Demographic parity", "Equal opportunity", "Predictive parity", "Equal accuracy"],
            correct: 1,
        },
        explanation: "The sentence conditions on being qualified and asks about selection: that is equal \
                      TPR, equal opportunity.",
    },
    Question {
        id: "choose-justice",
        lesson: ID,
        prompt: "For a pre-trial risk tool, you argue that no group should carry more wrongful detentions \
                 or more wrongful releases than another. Which criterion states exactly that argument?",
        kind: QuestionKind::Choice {
            options: &["Equal opportunity", "Demographic parity", "Equalized odds", "Predictive parity"],
            correct: 2,
        },
        explanation: "Equal FPR and equal FNR across groups is equalized odds. It is one defensible position, \
                      not the settled one: COMPAS's vendor defended predictive parity, and equalized odds \
                      usually needs randomised thresholds.",
    },
    Question {
        id: "choose-lending",
        lesson: ID,
        prompt: "A lender wants approved applicants from every group to default at the same rate. Which \
                 criterion is that?",
        kind: QuestionKind::Choice {
            options: &["Predictive parity", "Equal opportunity", "Equalized odds", "Demographic parity"],
            correct: 0,
        },
        explanation: "Equal default rate among the approved is equal PPV (for the \"repays\" outcome): \
                      predictive parity.",
    },
    Question {
        id: "choose-levelling-down",
        lesson: ID,
        prompt: "After mitigation the TPR gap closed because the better-off group's TPR fell while the \
                 other group's stayed the same. What is this called?",
        kind: QuestionKind::Choice {
            options: &["Levelling down", "Calibration", "Reweighing", "Regularisation"],
            correct: 0,
        },
        explanation: "Levelling down meets the metric by making someone worse off without helping anyone, \
                      which is why per-group rates must be reported, not only the gap.",
    },
    Question {
        id: "choose-stage-reweigh",
        lesson: ID,
        prompt: "Giving training examples weights so that group and label are balanced before fitting is \
                 which kind of mitigation?",
        kind: QuestionKind::Choice {
            options: &["Pre-processing", "In-processing", "Post-processing", "Monitoring"],
            correct: 0,
        },
        explanation: "It changes the data before training, so it is pre-processing.",
    },
    Question {
        id: "choose-postprocess-needs",
        lesson: ID,
        prompt: "What does a per-group threshold rule need for every person at decision time?",
        kind: QuestionKind::Choice {
            options: &["Their true label", "Their sensitive attribute", "The training data", "A second model"],
            correct: 1,
        },
        explanation: "The threshold depends on the group, so the group must be known when deciding, which \
                      some laws restrict.",
    },
    Question {
        id: "choose-dp-when",
        lesson: ID,
        prompt: "You suspect the historical labels under-record one group's successes. Which criterion \
                 avoids relying on those labels?",
        kind: QuestionKind::Choice {
            options: &["Equal opportunity", "Predictive parity", "Equalized odds", "Demographic parity"],
            correct: 3,
        },
        explanation: "Demographic parity compares selection rates only; the other three use the true labels.",
    },
    Question {
        id: "choose-consequentialism",
        lesson: ID,
        prompt: "\"Do the benefits of this system outweigh the harms it causes?\" Which ethical framework \
                 asks this?",
        kind: QuestionKind::Choice {
            options: &["Deontology", "Virtue ethics", "Consequentialism", "Social contract theory"],
            correct: 2,
        },
        explanation: "Consequentialism judges actions by their outcomes. Deontology asks about rules and \
                      duties, virtue ethics about character.",
    },
    Question {
        id: "choose-live-lowest-tpr",
        lesson: ID,
        prompt: "For a hiring use, which group on screen has its qualified candidates missed most often \
                 (the lowest TPR)?",
        kind: QuestionKind::Live(LiveQuestion::LowerTpr),
        explanation: "Equal opportunity would raise this group's TPR towards the others'. Check after \
                      mitigation that it rose, rather than the others falling.",
    },
    Question {
        id: "choose-live-eod",
        lesson: ID,
        prompt: "What is the equalized odds difference of the model on screen (to two decimals)?",
        kind: QuestionKind::Live(LiveQuestion::EqualizedOddsDifference),
        explanation: "Take the TPR gap and the FPR gap (max − min across groups) and report the larger.",
    },
    Question {
        id: "choose-randomised",
        lesson: ID,
        prompt: "Why does Fairlearn's ThresholdOptimizer sometimes decide at random when asked for equalized odds?",
        kind: QuestionKind::Choice {
            options: &[
                "To hide the group from the model",
                "Each group's ROC curve rarely passes through a shared (FPR, TPR) point, so it mixes two thresholds to reach one",
                "Randomness raises accuracy",
                "To meet demographic parity at the same time",
            ],
            correct: 1,
        },
        explanation: "Equalized odds needs both groups at the same (FPR, TPR) point. A single threshold per group can only reach points on its ROC curve, so the optimiser picks a point under both curves and reaches it by choosing between two thresholds with a set probability (Hardt, Price and Srebro, 2016).",
    },
];
