//! Lesson 9: adversarial robustness (live on the linear model), alignment and RLHF, reward
//! hacking, hallucination mitigation and red teaming.

use crate::lessons::{Experiment, Lesson, LessonStep, Question, QuestionKind};

const ID: &str = "robustness";

pub const LESSON: Lesson = Lesson {
    id: ID,
    number: 9,
    title: "Robustness and safety",
    summary: "Small input changes that flip decisions, training that resists them, and the safety \
              problems of large models: alignment, reward hacking, hallucination and red teaming.",
    steps: &[
        LessonStep {
            heading: "What safety covers",
            body: &[
                "An AI system is safe when it does what was intended and does not cause harm, also \
                 on inputs nobody planned for. This lesson covers robustness to adversarial inputs, \
                 alignment of goals, false answers from language models, and testing by attack.",
                "None of these problems is solved. In an interview, saying that plainly, and naming \
                 the mitigations and their limits, is the right tone.",
            ],
            experiment: None,
            check: None,
        },
        LessonStep {
            heading: "Adversarial examples",
            body: &[
                "A tiny, targeted change to an input can flip a model's decision while a person would \
                 see no difference (Szegedy et al., 2014). In the physical world, a few stickers on a \
                 stop sign made a classifier read it as a speed-limit sign (Eykholt et al., 2018).",
                "For a linear model with score s = w·x + b the answer is exact. The smallest change \
                 that reaches the decision boundary has L2 size |s| / ‖w‖₂ (a step along w), and L∞ \
                 size |s| / ‖w‖₁ (every feature moved by the same amount in the sign of its weight).",
                "On the page: type a row into \"Test row to flip\" (its position among the test rows) \
                 and run. The panel shows that row's smallest L2 and L∞ changes, and checks the L∞ \
                 one: the step flips the decision, and 99% of it does not.",
            ],
            experiment: Some(Experiment::Adversarial { adversarial_training: false }),
            check: Some("Pick a row: how small are the L2 and L∞ perturbations that flip it, compared with the features' spread?"),
        },
        LessonStep {
            heading: "The fast gradient sign method",
            body: &[
                "Goodfellow, Shlens & Szegedy (2015) proposed FGSM: move every feature by ε in the \
                 direction that increases the loss, x′ = x + ε · sign(∇ₓ loss). For a linear score \
                 this changes s by ε‖w‖₁.",
                "Their explanation of why it works is linearity: in high dimensions many tiny \
                 changes, each too small to notice, add up to a large change in the score.",
                "On the page: the \"FGSM ε\" slider sets how far every encoded feature moves; run again \
                 after each change and read the accuracy under attack, and whether the chosen row \
                 flips.",
            ],
            experiment: Some(Experiment::Adversarial { adversarial_training: false }),
            check: Some("Increase ε until the attack flips most decisions; note that value."),
        },
        LessonStep {
            heading: "Adversarial training",
            body: &[
                "The main defence is to train on attacked inputs: at each step, generate adversarial \
                 versions of the batch and fit the model to classify them correctly (Madry et al., \
                 2018, use a stronger multi-step attack).",
                "Robustness to the attack you trained against goes up; accuracy on clean inputs \
                 often goes down a little, and robustness to other kinds of attack is not promised.",
            ],
            experiment: Some(Experiment::Adversarial { adversarial_training: true }),
            check: Some("Compare clean accuracy and accuracy under attack, with and without adversarial training."),
        },
        LessonStep {
            heading: "Alignment and RLHF",
            body: &[
                "Alignment means the system pursues the goals its designers and users intend. The \
                 hard part is stating those goals precisely enough to optimise.",
                "Reinforcement learning from human feedback (RLHF) is the main technique for large \
                 language models (Christiano et al., 2017; Ouyang et al., 2022): people compare \
                 pairs of model answers; a reward model learns to predict their preferences; the \
                 language model is then optimised with reinforcement learning against that reward, \
                 with a penalty for drifting too far from the original model.",
            ],
            experiment: None,
            check: None,
        },
        LessonStep {
            heading: "Reward hacking",
            body: &[
                "An optimiser maximises the reward it is given, not the intention behind it. When \
                 the reward has a loophole, the system finds it: a boat-racing game agent learned to \
                 circle for bonus points instead of finishing the race, and a language model can \
                 learn that long or flattering answers please the reward model.",
                "Mitigations: the penalty that keeps the policy near the original model, better and \
                 regularly refreshed reward models, evaluation on held-out human judgements, and \
                 inspecting what the system actually does.",
            ],
            experiment: None,
            check: None,
        },
        LessonStep {
            heading: "Hallucination",
            body: &[
                "Language models can state false things fluently and confidently. Three families of \
                 mitigation: retrieval-augmented generation grounds the answer in retrieved \
                 documents it can cite; calibration teaches the model to know, and say, when it is \
                 unsure, or to abstain; consistency checks compare each generated claim with a trusted \
                 knowledge source before they are shown.",
            ],
            experiment: None,
            check: None,
        },
        LessonStep {
            heading: "Red teaming",
            body: &[
                "Red teaming is organised attack on your own system before release: can it be talked \
                 into producing harmful content, leaking data or ignoring its rules under adversarial \
                 prompts? Companies use internal and external red teams.",
                "Each failure found becomes a fix and a regression test, so the same attack is \
                 checked on every later version.",
            ],
            experiment: None,
            check: None,
        },
    ],
    interview: &[
        "Adversarial examples: small, targeted input changes that flip predictions; for a linear model the minimal L2 change is |w·x + b| / ‖w‖₂.",
        "Adversarial training (FGSM or PGD examples in each batch) improves robustness to that attack, usually at some cost in clean accuracy.",
        "RLHF: human preference pairs → reward model → RL fine-tuning with a penalty for drifting from the original model.",
        "Reward hacking: the optimiser exploits loopholes in the reward; counter with penalties, better reward models and held-out human evaluation.",
        "Hallucination: retrieval grounding, calibration/abstention, consistency checks; red team before release. Say that safety is an open research area.",
    ],
};

pub const QUESTIONS: &[Question] = &[
    Question {
        id: "rob-adv-definition",
        lesson: ID,
        prompt: "What is an adversarial example?",
        kind: QuestionKind::Choice {
            options: &[
                "A mislabelled training example",
                "An input changed slightly and deliberately so that the model's output changes",
                "A test example from a different distribution",
                "A prompt written by a competitor",
            ],
            correct: 1,
        },
        explanation: "The change is small (often imperceptible) and chosen to flip the output.",
    },
    Question {
        id: "rob-num-l2",
        lesson: ID,
        prompt: "A linear classifier has score s = 3·x₁ + 4·x₂ − 2 and predicts positive when s > 0. For \
                 x = (1, 1), what is the L2 size of the smallest perturbation that reaches the decision \
                 boundary?",
        kind: QuestionKind::Numeric { answer: 1.0, tolerance: 0.001 },
        explanation: "s = 3 + 4 − 2 = 5 and ‖w‖₂ = √(9 + 16) = 5, so |s| / ‖w‖₂ = 1.",
    },
    Question {
        id: "rob-num-linf",
        lesson: ID,
        prompt: "Same classifier, s = 3·x₁ + 4·x₂ − 2, at x = (1, 1). What is the L∞ size of the smallest \
                 perturbation that reaches the boundary?",
        kind: QuestionKind::Numeric { answer: 0.7143, tolerance: 0.001 },
        explanation: "Moving every feature by δ against its weight lowers s by δ‖w‖₁ = 7δ, so δ = 5/7 ≈ 0.714.",
    },
    Question {
        id: "rob-num-fgsm",
        lesson: ID,
        prompt: "Same classifier, s = 3·x₁ + 4·x₂ − 2, at x = (1, 1). An FGSM-style step of ε = 0.5 moves \
                 each feature against the sign of its weight. What is the new score?",
        kind: QuestionKind::Numeric { answer: 1.5, tolerance: 0.001 },
        explanation: "The new input is (0.5, 0.5): s = 1.5 + 2 − 2 = 1.5, i.e. 5 − 0.5·‖w‖₁ = 5 − 3.5. \
                      Still positive: this ε is too small to flip the decision.",
    },
    Question {
        id: "rob-adv-training",
        lesson: ID,
        prompt: "What is the usual effect of adversarial training?",
        kind: QuestionKind::Choice {
            options: &[
                "Higher robustness to the attack trained against, often with slightly lower clean accuracy",
                "Higher clean accuracy and no change in robustness",
                "Guaranteed robustness to every possible attack",
                "Faster training",
            ],
            correct: 0,
        },
        explanation: "Training on attacked inputs buys robustness to that kind of attack, typically at some \
                      cost on clean data and with no promise for other attacks.",
    },
    Question {
        id: "rob-rlhf",
        lesson: ID,
        prompt: "Which sequence describes RLHF?",
        kind: QuestionKind::Choice {
            options: &[
                "Pre-train on more web text, then prune the model",
                "Collect human preferences between answers, fit a reward model, optimise the model with RL against it",
                "Add Gaussian noise to gradients and clip them",
                "Average models trained on many phones",
            ],
            correct: 1,
        },
        explanation: "Preferences → reward model → reinforcement learning (with a penalty for drifting \
                      from the original model). The other options describe other lessons' techniques.",
    },
    Question {
        id: "rob-reward-hacking",
        lesson: ID,
        prompt: "A game agent rewarded for points learns to circle forever collecting bonuses instead of \
                 finishing the race. What is this?",
        kind: QuestionKind::Choice {
            options: &["Reward hacking", "Hallucination", "Model inversion", "Concept drift"],
            correct: 0,
        },
        explanation: "The points were a stand-in for winning the race; the optimiser found a way to collect \
                      them that the designers did not intend. The fix is in the reward and its checks, not \
                      in the model's knowledge.",
    },
    Question {
        id: "rob-hallucination",
        lesson: ID,
        prompt: "Which technique grounds a language model's answer in documents fetched at query time?",
        kind: QuestionKind::Choice {
            options: &[
                "Retrieval-augmented generation",
                "Mixed-precision training",
                "Knowledge distillation",
                "Secure aggregation",
            ],
            correct: 0,
        },
        explanation: "RAG retrieves relevant documents and conditions the answer on them, so claims can be \
                      traced to sources.",
    },
    Question {
        id: "rob-red-team",
        lesson: ID,
        prompt: "What is red teaming an AI system?",
        kind: QuestionKind::Choice {
            options: &[
                "Labelling training data in teams",
                "Systematically attacking it to find failure modes before release",
                "Choosing the colour scheme of the interface",
                "Measuring its energy use",
            ],
            correct: 1,
        },
        explanation: "Red teams probe for harmful outputs, rule-breaking and leaks under adversarial use, \
                      and each finding becomes a fix and a test.",
    },
];
