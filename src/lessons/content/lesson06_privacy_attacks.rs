//! Lesson 6: how trained models leak their training data: membership inference, model inversion
//! and training-data extraction.

use crate::lessons::{Experiment, Lesson, LessonStep, Question, QuestionKind};

const ID: &str = "privacy-attacks";

pub const LESSON: Lesson = Lesson {
    id: ID,
    number: 6,
    title: "Privacy attacks",
    summary: "A trained model is a summary of its data, and summaries leak. Three attacks: membership \
              inference (live), model inversion and training-data extraction.",
    steps: &[
        LessonStep {
            heading: "Models remember",
            body: &[
                "Removing names from a data set does not make a model trained on it private. The \
                 parameters are computed from every training example, and an overfit model keeps \
                 traces of individual rows that an attacker can probe through its outputs.",
                "Three attacks are worth knowing by name. Membership inference asks whether a given \
                 person was in the training set. Model inversion reconstructs what training inputs \
                 looked like. Training-data extraction makes a generative model repeat training \
                 text word for word.",
            ],
            experiment: None,
            check: None,
        },
        LessonStep {
            heading: "Membership inference: the confidence attack",
            body: &[
                "Membership can be sensitive by itself: if a model was trained on the patients of \
                 one clinic, learning that someone was in its data reveals they were a patient.",
                "The simplest attack uses the gap between training and test behaviour. Models tend \
                 to be more confident, and more often right, on rows they were trained on. So: \
                 guess \"member\" when the model's confidence in the true label is above a \
                 threshold. The more the model overfits, the better this works.",
            ],
            experiment: Some(Experiment::MembershipInference { attack: "confidence_threshold" }),
            check: Some("Read the attack's AUC: 0.5 means it does no better than a coin; higher means the model leaks membership."),
        },
        LessonStep {
            heading: "Membership inference: shadow models",
            body: &[
                "Shokri et al. (2017) made the attack learnable. The attacker trains several shadow \
                 models on data like the target's, so they know which rows each shadow model saw. \
                 From the shadow models' outputs they train an attack classifier that tells \
                 members from non-members, and then point it at the real model.",
                "The attacker needs only query access and similar data, not the model's weights.",
            ],
            experiment: Some(Experiment::MembershipInference { attack: "shadow_model" }),
            check: Some("Compare this AUC with the confidence attack's on the same model."),
        },
        LessonStep {
            heading: "Reading the attack's ROC curve",
            body: &[
                "The attack is a classifier, so judge it like one. Its true positive rate is the share \
                 of members it catches; its false positive rate is the share of non-members it \
                 wrongly calls members. TPR − FPR is often called the attacker's advantage.",
                "An AUC near 0.5 on a model that never saw the rows is the sanity check. A clearly \
                 higher AUC on the overfit model is the leak. Regularisation, early stopping and, \
                 with a guarantee, differential privacy (next lesson) reduce it.",
            ],
            experiment: Some(Experiment::MembershipInference { attack: "confidence_threshold" }),
            check: Some("Where on the ROC curve does the attack catch many members while rarely accusing non-members?"),
        },
        LessonStep {
            heading: "Model inversion",
            body: &[
                "Model inversion uses a model's outputs to work backwards to its inputs. Fredrikson, \
                 Jha & Ristenpart (2015) showed that by searching for the input a face-recognition \
                 model scores highest for a person's name, an attacker could produce a recognisable \
                 image of that person. The same idea can infer a sensitive attribute that was an \
                 input to the model.",
                "Returning only a label, or coarser confidence scores, makes this harder.",
            ],
            experiment: None,
            check: None,
        },
        LessonStep {
            heading: "Model extraction",
            body: &[
                "Model extraction (stealing) copies the model itself: query the API on many \
                 inputs and train a substitute on its answers (Tramèr et al., 2016). For a logistic \
                 model that returns confidences, a number of queries close to the number of \
                 parameters can be enough.",
                "A copy leaks the owner's work and makes the other attacks easier, because the \
                 attacker can now run membership inference, inversion or adversarial search \
                 offline. Defences: return labels, not scores; rate limits; watching for query \
                 patterns that sweep the input space.",
            ],
            experiment: None,
            check: None,
        },
        LessonStep {
            heading: "Training-data extraction",
            body: &[
                "Large language models can memorise rare sequences and reproduce them verbatim. \
                 Carlini et al. (2021) generated large amounts of text from GPT-2 and recovered \
                 training examples from it, including names, phone numbers and addresses that had \
                 appeared on the web.",
                "Defences: remove duplicates from the training data (repeated text is memorised \
                 more), filter personal data before training, train with differential privacy, and \
                 check outputs for memorised content.",
            ],
            experiment: None,
            check: None,
        },
    ],
    interview: &[
        "Three leaks: membership inference (was this person in the data?), model inversion (reconstruct inputs from outputs), training-data extraction (GPT-2 repeated memorised text).",
        "Membership inference works because models behave differently on training rows; overfitting is the main driver.",
        "Evaluate an attack as a classifier: ROC and AUC over members vs non-members; 0.5 is chance.",
        "Defences: regularise, expose labels rather than confidences, deduplicate and filter training data, and use differential privacy for a guarantee.",
    ],
};

pub const QUESTIONS: &[Question] = &[
    Question {
        id: "pa-mia-definition",
        lesson: ID,
        prompt: "What does a membership inference attack try to find out?",
        kind: QuestionKind::Choice {
            options: &[
                "Whether a specific record was part of the model's training data",
                "The model's architecture",
                "Which features the model uses most",
                "The model's test accuracy",
            ],
            correct: 0,
        },
        explanation: "The attacker holds a record and asks whether it was used in training; membership \
                      alone can reveal something sensitive.",
    },
    Question {
        id: "pa-mia-overfit",
        lesson: ID,
        prompt: "Why does overfitting make membership inference easier?",
        kind: QuestionKind::Choice {
            options: &[
                "Overfit models have fewer parameters",
                "Overfit models are much more confident on training rows than on unseen rows",
                "Overfit models refuse to answer queries",
                "Overfit models generalise better, so members and non-members look alike",
            ],
            correct: 1,
        },
        explanation: "The attack exploits the difference in behaviour between seen and unseen rows; \
                      overfitting widens it.",
    },
    Question {
        id: "pa-auc-half",
        lesson: ID,
        prompt: "A membership inference attack has an AUC of 0.5 on a model. What does that mean?",
        kind: QuestionKind::Choice {
            options: &[
                "Half the training data has leaked",
                "The attack does no better than random guessing",
                "The model is 50% accurate",
                "The attack always says \"member\"",
            ],
            correct: 1,
        },
        explanation: "An AUC of 0.5 means the attack's scores do not separate members from non-members.",
    },
    Question {
        id: "pa-num-advantage",
        lesson: ID,
        prompt: "An attack is tested on 100 members and 100 non-members. It calls 80 of the members and 30 \
                 of the non-members \"member\". What is its advantage, TPR − FPR?",
        kind: QuestionKind::Numeric { answer: 0.5, tolerance: 0.001 },
        explanation: "TPR = 80/100 = 0.8 and FPR = 30/100 = 0.3, so the advantage is 0.5. A random guess \
                      has advantage 0.",
    },
    Question {
        id: "pa-shadow",
        lesson: ID,
        prompt: "In the shadow-model attack, what are the shadow models for?",
        kind: QuestionKind::Choice {
            options: &[
                "To replace the target model in production",
                "To compress the target model",
                "To provide outputs with known membership for training the attack classifier",
                "To add noise to the target's gradients",
            ],
            correct: 2,
        },
        explanation: "The attacker trains them on data they control, so they know which rows are members, \
                      and learns from them what a member's outputs look like.",
    },
    Question {
        id: "pa-inversion",
        lesson: ID,
        prompt: "An attacker queries a face-recognition model and reconstructs a recognisable image of a \
                 person in its training set. What is this attack called?",
        kind: QuestionKind::Choice {
            options: &["Model inversion", "Membership inference", "Data poisoning", "Reward hacking"],
            correct: 0,
        },
        explanation: "The attacker searched for the input the model scores highest for that person, working \
                      back from outputs to a representative input (Fredrikson et al., 2015). Membership \
                      inference would only say whether a known photo was in the training set.",
    },
    Question {
        id: "pa-extraction",
        lesson: ID,
        prompt: "Researchers prompted GPT-2 and recovered verbatim training text including contact \
                 details. Which training-time step most directly reduces this risk?",
        kind: QuestionKind::Choice {
            options: &[
                "Deduplicating and filtering personal data from the training set",
                "Using a larger learning rate",
                "Adding more layers",
                "Training for more epochs",
            ],
            correct: 0,
        },
        explanation: "Memorisation is worst for repeated and rare personal text; removing duplicates and \
                      personal data (and training with DP) reduces it. More epochs would increase it.",
    },
    Question {
        id: "pa-model-extraction",
        lesson: ID,
        prompt: "An attacker sends many queries to a credit API that returns confidence scores and trains a substitute model on the answers. What is the attack, and which defence fits it?",
        kind: QuestionKind::Choice {
            options: &[
                "Membership inference; train with differential privacy",
                "Model inversion; remove duplicates from the training data",
                "Model extraction; return labels rather than scores, rate-limit and watch for query sweeps",
                "Data poisoning; validate the training data",
            ],
            correct: 2,
        },
        explanation: "Copying a model through its API is model extraction (Tramèr et al., 2016). Scores leak more per query than labels, so returning labels, limiting the query rate and spotting sweeps of the input space make it costlier.",
    },
];
