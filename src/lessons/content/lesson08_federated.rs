//! Lesson 8: federated learning (FedAvg, IID and non-IID clients), secure aggregation with
//! pairwise masks, secure multi-party computation and privacy-respecting system design.

use crate::lessons::{Experiment, Lesson, LessonStep, Question, QuestionKind};

const ID: &str = "federated";

pub const LESSON: Lesson = Lesson {
    id: ID,
    number: 8,
    title: "Federated learning and secure aggregation",
    summary: "Training where the data lives: FedAvg across clients, why non-IID data makes it hard, \
              and how the server can add up updates it cannot read.",
    steps: &[
        LessonStep {
            heading: "Bring the model to the data",
            body: &[
                "In federated learning the raw data never leaves the devices (or hospitals, or \
                 banks) that hold it. The server sends out the current model, each client improves \
                 it on its own data, and only the resulting updates travel back to be combined.",
                "Google's Gboard keyboard learns next-word suggestions this way: what you type stays \
                 on your phone.",
            ],
            experiment: None,
            check: None,
        },
        LessonStep {
            heading: "FedAvg",
            body: &[
                "Federated averaging (McMahan et al., 2017) repeats rounds. In each round the server \
                 picks a fraction of the clients; each runs a few local epochs of gradient descent \
                 from the current global model; the server replaces the global model by the \
                 average of the returned models, each weighted by its client's number of examples.",
                "Several local epochs per round cut communication, the scarce resource on phones.",
            ],
            experiment: Some(Experiment::FedAvg { non_iid: false }),
            check: Some("With clients split at random (IID), compare federated accuracy with centralised training."),
        },
        LessonStep {
            heading: "IID and non-IID clients",
            body: &[
                "Real clients are not random samples of one population: one phone's typing, one \
                 hospital's patients. When each client's data looks different (non-IID), local \
                 updates pull in different directions, training converges more slowly and the \
                 averaged model can be worse.",
                "It is also a fairness question: a group whose data sits on few clients can end up \
                 served worse by the global model.",
                "On the page: tick \"Split the clients by group\" for the non-IID split, untick it for \
                 clients drawn at random, and run each; the table shows every group's accuracy for \
                 the federated model beside centralised training.",
            ],
            experiment: Some(Experiment::FedAvg { non_iid: true }),
            check: Some("Split the clients by group: how do overall and per-group accuracy change against the IID split?"),
        },
        LessonStep {
            heading: "Updates can leak too",
            body: &[
                "Keeping raw data local is not a privacy guarantee by itself. A model update is \
                 computed from the client's examples, and research has shown that training inputs \
                 can sometimes be reconstructed from shared gradients (Zhu, Liu & Han, 2019).",
                "Two additions close the gap: secure aggregation, so the server only sees the sum of \
                 many updates, and differential privacy (lesson 7), so even the sum reveals little \
                 about any one person.",
            ],
            experiment: None,
            check: None,
        },
        LessonStep {
            heading: "Secure aggregation with pairwise masks",
            body: &[
                "Every pair of clients i < j agrees on a shared random mask rᵢⱼ. Client i sends its \
                 update plus the masks it shares with higher-numbered clients, minus those it shares \
                 with lower-numbered ones. Updates are first rounded to fixed-point integers and \
                 everything is computed modulo 2^32 with masks drawn uniformly from that ring, so \
                 each masked update is uniformly random to the server, a one-time pad. (With \
                 real-valued Gaussian masks it would only look noisy: a large update would still \
                 show through.)",
                "In the sum, every rᵢⱼ appears once with + and once with −, so the masks cancel and \
                 the server gets the exact total without seeing any single update. The full \
                 protocol (Bonawitz et al., 2017) adds secret sharing so the sum survives clients \
                 dropping out.",
            ],
            experiment: Some(Experiment::SecureAggregation { clients: 3 }),
            check: Some("Compare the server's view (integers modulo 2^32) with the true updates, then check the sums agree up to the rounding to fixed point."),
        },
        LessonStep {
            heading: "Secure multi-party computation",
            body: &[
                "Secure aggregation is one case of secure multi-party computation: several parties \
                 compute a function of their joint data while each learns only the result. \
                 Hospitals can train a shared model without pooling patient records. It is provably \
                 secure under stated assumptions, but costs far more computation and communication \
                 than ordinary training.",
            ],
            experiment: None,
            check: None,
        },
        LessonStep {
            heading: "Designing a system that respects privacy",
            body: &[
                "A typical interview question: design a recommender that respects privacy. Combine \
                 the tools: federated learning so raw data stays on devices; differential privacy \
                 for a guarantee; data minimisation, collecting only what the task needs; and \
                 clear controls, telling users what is used and letting them opt out.",
                "Then the basics: compliance with laws such as the GDPR and the CCPA, retention \
                 limits, encryption and access control.",
            ],
            experiment: None,
            check: None,
        },
    ],
    interview: &[
        "Federated learning: clients train locally and share only model updates, never raw data, which the server combines (Gboard is the standard example).",
        "FedAvg: each round a fraction of clients runs local epochs; the server averages the models weighted by client data size.",
        "Non-IID data slows convergence and can hurt accuracy, especially for groups concentrated on few clients.",
        "Updates can leak; add secure aggregation (pairwise masks that cancel in the sum) and differential privacy.",
        "For a private system design: federated learning, DP, data minimisation, user controls, and GDPR/CCPA compliance.",
    ],
};

pub const QUESTIONS: &[Question] = &[
    Question {
        id: "fl-what-sent",
        lesson: ID,
        prompt: "In federated learning, what does a client send to the server?",
        kind: QuestionKind::Choice {
            options: &[
                "Its raw training data",
                "Its model update",
                "A summary of its data, such as per-feature means",
                "Only its local test accuracy",
            ],
            correct: 1,
        },
        explanation: "Only updates (or updated weights) travel; the raw data stays on the client.",
    },
    Question {
        id: "fl-fedavg-weights",
        lesson: ID,
        prompt: "How does FedAvg combine the clients' models?",
        kind: QuestionKind::Choice {
            options: &[
                "It keeps the model of the most accurate client",
                "A simple majority vote on predictions",
                "An average of the models weighted by each client's number of examples",
                "It concatenates the models",
            ],
            correct: 2,
        },
        explanation: "McMahan et al.'s FedAvg weights each client's model by nₖ/n.",
    },
    Question {
        id: "fl-num-average",
        lesson: ID,
        prompt: "Two clients return a one-parameter model. Client 1 has 100 examples and weight 0.2; client \
                 2 has 300 examples and weight 0.6. What global weight does FedAvg compute?",
        kind: QuestionKind::Numeric { answer: 0.5, tolerance: 0.001 },
        explanation: "(100 · 0.2 + 300 · 0.6) / 400 = (20 + 180) / 400 = 0.5.",
    },
    Question {
        id: "fl-non-iid",
        lesson: ID,
        prompt: "What usually happens when clients' data are non-IID (each client's data looks different)?",
        kind: QuestionKind::Choice {
            options: &[
                "Training converges faster",
                "Local updates diverge, convergence slows and accuracy can drop",
                "Secure aggregation stops working",
                "The server sees the raw data",
            ],
            correct: 1,
        },
        explanation: "Clients optimise for different local data, so their updates disagree and the average \
                      can be a poor step for some clients, often those whose data is least like the rest.",
    },
    Question {
        id: "fl-num-mask",
        lesson: ID,
        prompt: "Three clients have updates u₁ = 5, u₂ = −2, u₃ = 7 and pairwise masks r₁₂ = 3, r₁₃ = −1, \
                 r₂₃ = 4. Client i adds the masks shared with higher-numbered clients and subtracts those \
                 shared with lower-numbered ones. What value does client 2 send?",
        kind: QuestionKind::Numeric { answer: -1.0, tolerance: 0.001 },
        explanation: "Client 2 sends u₂ − r₁₂ + r₂₃ = −2 − 3 + 4 = −1. Client 1 sends 5 + 3 − 1 = 7 and \
                      client 3 sends 7 + 1 − 4 = 4; the sum 7 − 1 + 4 = 10 equals 5 − 2 + 7.",
    },
    Question {
        id: "fl-secagg-learns",
        lesson: ID,
        prompt: "With secure aggregation, what does the server learn?",
        kind: QuestionKind::Choice {
            options: &[
                "Every client's individual update",
                "Only the sum of the updates",
                "The clients' raw data",
                "Nothing, not even the sum",
            ],
            correct: 1,
        },
        explanation: "The masks cancel only in the sum, so individual updates stay hidden while the total \
                      is exact.",
    },
    Question {
        id: "fl-not-enough",
        lesson: ID,
        prompt: "Is federated learning on its own a formal privacy guarantee?",
        kind: QuestionKind::Choice {
            options: &[
                "Yes: data never leaves the device, so nothing can leak",
                "No: updates can leak information; add secure aggregation and differential privacy",
            ],
            correct: 1,
        },
        explanation: "Training inputs can sometimes be reconstructed from gradients. DP gives the formal \
                      guarantee; secure aggregation hides individual updates.",
    },
    Question {
        id: "fl-minimisation",
        lesson: ID,
        prompt: "\"Collect only the data the task actually needs.\" What is this principle called?",
        kind: QuestionKind::Choice {
            options: &["Data minimisation", "Data augmentation", "Differential privacy", "Federated averaging"],
            correct: 0,
        },
        explanation: "Data minimisation is a principle of the GDPR and good practice anywhere: data you \
                      never collect cannot leak.",
    },
    Question {
        id: "fl-secagg-modulus",
        lesson: ID,
        prompt: "Why does the secure-aggregation demo round updates to integers and add uniform masks modulo 2^32, rather than add real-valued Gaussian masks?",
        kind: QuestionKind::Choice {
            options: &[
                "Integers are cheaper to send over the network",
                "Gaussian masks would not cancel in the sum",
                "With a uniform mask modulo 2^32, the masked value is uniform whatever the update, so it reveals nothing about it",
                "Modular arithmetic hides the sum from the server as well",
            ],
            correct: 2,
        },
        explanation: "Over a ring of integers, adding a uniform mask is a one-time pad: every masked value is equally likely whatever the update. A real-valued Gaussian mask only blurs the update, and a large update still shows through.",
    },
];
