//! Lesson 7: differential privacy, from the definition and the Laplace mechanism to DP-SGD with
//! privacy accounting, and its uneven cost across groups.

use crate::lessons::{Experiment, Lesson, LessonStep, Question, QuestionKind};

const ID: &str = "differential-privacy";

pub const LESSON: Lesson = Lesson {
    id: ID,
    number: 7,
    title: "Differential privacy",
    summary: "A guarantee that no single person changes the output much: the definition, the Laplace \
              mechanism, DP-SGD with an accountant, and who pays for the noise.",
    steps: &[
        LessonStep {
            heading: "The definition",
            body: &[
                "Take two data sets that differ in one person's record. A randomised mechanism M is \
                 (ε, δ)-differentially private if, for every such pair D and D′ and every set of \
                 outputs S, P[M(D) ∈ S] ≤ e^ε · P[M(D′) ∈ S] + δ.",
                "In words: whatever you see in the output, it was almost as likely with or without \
                 any one person, so the output reveals little about them. ε is the privacy budget: \
                 smaller ε means stronger privacy. δ is an additive slack in the inequality: \
                 informally, it allows the e^ε bound to be exceeded on outputs of total \
                 probability up to δ. It should be well below 1/n for n people.",
            ],
            experiment: None,
            check: None,
        },
        LessonStep {
            heading: "The Laplace mechanism",
            body: &[
                "Counting how many people have a property changes by at most 1 when one person is \
                 added or removed: its sensitivity Δ is 1. Adding noise drawn from a Laplace \
                 distribution with scale b = Δ/ε gives ε-differential privacy (δ = 0).",
                "Move ε. At small ε the two output distributions, for the data with and without one \
                 person, overlap almost completely; at large ε they separate and the count is \
                 accurate but less private.",
                "On the page: drag the \"ε (privacy loss)\" slider and the two curves redraw at once, \
                 one for the data without the person and one with; \"Run it on the current model\" \
                 then releases the count of positive labels 1,000 times at that ε, and the spread of \
                 the releases should come out near √2/ε.",
            ],
            experiment: Some(Experiment::LaplaceCount { epsilon: 1.0 }),
            check: Some("At each ε, compare the two curves: the ratio of their heights never exceeds e^ε."),
        },
        LessonStep {
            heading: "Budgets add up",
            body: &[
                "Each private answer spends some of the budget: answering k queries at ε each costs \
                 at most kε in total (basic composition; tighter accountants do better). \
                 Post-processing is free: anything computed from a private output, without touching \
                 the data again, stays just as private.",
            ],
            experiment: None,
            check: None,
        },
        LessonStep {
            heading: "DP-SGD",
            body: &[
                "Abadi et al. (2016) made gradient descent private. At each step: include each \
                 example in the batch with probability q; compute each example's gradient; clip it \
                 to norm at most C, so no one person can move the model by more than C; add up the \
                 clipped gradients; add Gaussian noise with standard deviation σ·C; divide by the \
                 expected batch size and take the step.",
                "Clipping bounds the sensitivity; the noise multiplier σ sets how much noise hides \
                 each example; the sampling rate q and the number of steps set how often each example \
                 is used.",
                "On the page: the sliders set the clipping norm C, the sampling rate q and the number \
                 of steps; each run trains five models, at σ = 0, 0.5, 1, 2 and 4, and shows ε, \
                 accuracy, per-group accuracy and the attack's AUC for each.",
            ],
            experiment: Some(Experiment::DpSgd { noise: 1.0, clip: 1.0, q: 0.01, steps: 1000 }),
            check: Some("Note ε at δ = 1e-5 and the test accuracy next to the non-private model's."),
        },
        LessonStep {
            heading: "Accounting for ε",
            body: &[
                "The privacy cost of many noisy steps is tracked by an accountant. Modern accountants \
                 use Rényi differential privacy (Mironov, 2017) for the subsampled Gaussian \
                 mechanism and convert the result to (ε, δ) at the end. Sampling helps: an example \
                 that is used in only a fraction q of the steps is better hidden.",
                "The levers: ε grows with the number of steps and with q, and shrinks as σ grows. \
                 C does not enter ε, but a poor C hurts accuracy (too small clips away signal, too \
                 large lets the noise swamp it).",
            ],
            experiment: Some(Experiment::DpSgd { noise: 2.0, clip: 1.0, q: 0.01, steps: 1000 }),
            check: Some("Doubling σ: how much does ε fall, and how much accuracy is lost?"),
        },
        LessonStep {
            heading: "From Rényi DP to (ε, δ)",
            body: &[
                "A mechanism is (α, ε_α)-Rényi DP when the Rényi divergence of order α between its \
                 outputs on neighbouring data sets is at most ε_α. The Gaussian mechanism with \
                 sensitivity 1 and noise σ has ε_α = α / (2σ²), and RDP of a sequence of steps adds \
                 up order by order.",
                "Mironov's conversion: (α, ε_α)-RDP implies (ε, δ)-DP with ε = ε_α + ln(1/δ) / (α − 1). \
                 The accountant computes ε_α at many orders α and reports the smallest ε. Opacus' \
                 RDPAccountant.get_epsilon(delta), and the accountant here, use a slightly tighter \
                 version of the same conversion (Balle et al., 2020).",
            ],
            experiment: Some(Experiment::DpSgd { noise: 1.0, clip: 1.0, q: 0.01, steps: 1000 }),
            check: Some("Read ε at δ = 1e-5; then halve the steps and see how much ε falls."),
        },
        LessonStep {
            heading: "Local and central DP",
            body: &[
                "Central DP trusts a curator with the raw data and adds noise to what is released \
                 (a count, a trained model): little noise is needed for a given ε. Local DP adds \
                 noise on each person's device before anything is collected, so nobody has to be \
                 trusted, but the noise of n people adds up and accuracy is much lower for the \
                 same ε.",
                "Randomised response is the classic local mechanism: answer truthfully with \
                 probability e^ε / (1 + e^ε), otherwise lie. Apple's emoji statistics are local; \
                 DP-SGD and the US census are central.",
            ],
            experiment: None,
            check: None,
        },
        LessonStep {
            heading: "The privacy–accuracy trade-off",
            body: &[
                "Lower ε means more noise and usually lower accuracy. It also means the \
                 membership-inference attack of lesson 6 gets closer to a coin toss: that is the \
                 guarantee at work.",
            ],
            experiment: Some(Experiment::DpSgd { noise: 0.5, clip: 1.0, q: 0.01, steps: 1000 }),
            check: Some("On the curves, follow accuracy and the attack's AUC as ε changes."),
        },
        LessonStep {
            heading: "DP costs small groups the most",
            body: &[
                "Clipping and noise are the same for everyone, but their effect is not. A small group \
                 contributes few gradients, and the noise drowns them out first, so its accuracy \
                 tends to drop the most (Bagdasaryan, Poursaeed & Shmatikov, 2019).",
                "So a privacy decision is also a fairness decision: assess per-group accuracy at the \
                 ε you plan to use.",
            ],
            experiment: Some(Experiment::DpSgd { noise: 1.5, clip: 1.0, q: 0.01, steps: 1000 }),
            check: Some("Compare the per-group accuracy drop from the non-private model: which group loses most?"),
        },
        LessonStep {
            heading: "Where DP is used",
            body: &[
                "Apple collects usage statistics such as popular emoji with local differential \
                 privacy; Google used it for Chrome usage statistics; the US Census Bureau applied \
                 it to the published results of the 2020 census. In ML, DP-SGD is available in the \
                 major training libraries.",
            ],
            experiment: None,
            check: None,
        },
    ],
    interview: &[
        "Define it: outputs on data sets differing in one person are nearly indistinguishable, P[M(D) ∈ S] ≤ e^ε P[M(D′) ∈ S] + δ.",
        "Laplace mechanism: noise with scale sensitivity/ε; smaller ε, more noise, more privacy.",
        "DP-SGD: clip each example's gradient to norm C, add Gaussian noise σC to the sum, subsample with rate q; an accountant turns σ, q and steps into ε at a fixed δ.",
        "Lower ε costs accuracy, and the cost falls hardest on small groups: check per-group accuracy.",
        "Real deployments: the US Census Bureau (2020 census), Google and Apple; pair DP with federated learning for data that never leaves devices.",
    ],
};

pub const QUESTIONS: &[Question] = &[
    Question {
        id: "dp-definition",
        lesson: ID,
        prompt: "What does differential privacy guarantee?",
        kind: QuestionKind::Choice {
            options: &[
                "The output distribution barely changes if any one person's record is added or removed",
                "The training data is encrypted at rest",
                "No personal data is ever collected",
                "The model's accuracy is the same for every group",
            ],
            correct: 0,
        },
        explanation: "DP bounds how much one record can change the probability of any output, by a \
                      factor e^ε (plus δ).",
    },
    Question {
        id: "dp-smaller-epsilon",
        lesson: ID,
        prompt: "You lower ε from 8 to 1 for the same training run. What do you expect?",
        kind: QuestionKind::Choice {
            options: &[
                "Less noise and higher accuracy",
                "More privacy, more noise, and usually lower accuracy",
                "No change: ε only affects the accountant",
                "The model stops training",
            ],
            correct: 1,
        },
        explanation: "ε is the privacy budget: a smaller budget needs more noise, which usually costs accuracy.",
    },
    Question {
        id: "dp-num-laplace-scale",
        lesson: ID,
        prompt: "A counting query (sensitivity 1) is answered with the Laplace mechanism at ε = 0.5. What is \
                 the scale b of the Laplace noise?",
        kind: QuestionKind::Numeric { answer: 2.0, tolerance: 0.001 },
        explanation: "b = Δ/ε = 1/0.5 = 2.",
    },
    Question {
        id: "dp-num-factor",
        lesson: ID,
        prompt: "A mechanism is ε-differentially private with ε = ln 3 (and δ = 0). By at most what factor \
                 can one person's presence change the probability of any output?",
        kind: QuestionKind::Numeric { answer: 3.0, tolerance: 0.001 },
        explanation: "The bound is e^ε = e^(ln 3) = 3.",
    },
    Question {
        id: "dp-sgd-steps",
        lesson: ID,
        prompt: "Which describes one step of DP-SGD?",
        kind: QuestionKind::Choice {
            options: &[
                "Add noise to the data once, then train normally",
                "Clip each example's gradient to norm C, sum, add Gaussian noise, then update",
                "Train normally, then add noise to the final weights only",
                "Average the gradients, then clip the average",
            ],
            correct: 1,
        },
        explanation: "Per-example clipping bounds each person's influence; the Gaussian noise, scaled by \
                      σ·C, hides it. Clipping the average would not bound one example's influence.",
    },
    Question {
        id: "dp-why-clip",
        lesson: ID,
        prompt: "Why does DP-SGD clip the gradient of each example separately?",
        kind: QuestionKind::Choice {
            options: &[
                "To speed up training",
                "To bound how much any one example can change the update, so the noise can hide it",
                "To prevent exploding gradients in deep networks only",
                "To make the model interpretable",
            ],
            correct: 1,
        },
        explanation: "Without a bound on the sensitivity, no fixed amount of noise could guarantee privacy.",
    },
    Question {
        id: "dp-more-steps",
        lesson: ID,
        prompt: "With σ and q fixed, you double the number of DP-SGD steps. What happens to ε at the same δ?",
        kind: QuestionKind::Choice {
            options: &["It grows", "It shrinks", "It stays the same", "It becomes undefined"],
            correct: 0,
        },
        explanation: "Every step spends privacy, so more steps mean a larger total ε.",
    },
    Question {
        id: "dp-num-batch",
        lesson: ID,
        prompt: "DP-SGD samples each of n = 20,000 examples with probability q = 0.01 per step. What is the \
                 expected batch size?",
        kind: QuestionKind::Numeric { answer: 200.0, tolerance: 0.5 },
        explanation: "q · n = 0.01 · 20,000 = 200. With Poisson sampling the actual size varies around it.",
    },
    Question {
        id: "dp-small-groups",
        lesson: ID,
        prompt: "After DP-SGD, which group tends to lose the most accuracy?",
        kind: QuestionKind::Choice {
            options: &[
                "The largest group",
                "A small, under-represented group",
                "All groups lose exactly the same",
                "The group with the most features",
            ],
            correct: 1,
        },
        explanation: "The few gradients of a small group are the first to be drowned out by clipping and \
                      noise (Bagdasaryan et al., 2019).",
    },
    Question {
        id: "dp-delta",
        lesson: ID,
        prompt: "For a data set of n people, how should δ be chosen?",
        kind: QuestionKind::Choice {
            options: &["Well below 1/n", "About 0.5", "Equal to ε", "Larger than 1"],
            correct: 0,
        },
        explanation: "δ is an additive slack on every output probability; with δ ≥ 1/n a mechanism could \
                      publish one random person's record outright and still qualify.",
    },
    Question {
        id: "dp-rdp-conversion",
        lesson: ID,
        prompt: "An accountant tracks DP-SGD in Rényi DP, ε_α at many orders α. How does it report (ε, δ)?",
        kind: QuestionKind::Choice {
            options: &[
                "It reports ε_α at the largest order it tracks",
                "It chooses δ itself, as small as it needs to make ε small",
                "RDP cannot be turned into (ε, δ); it is a different guarantee",
                "For the δ you give, ε = ε_α + ln(1/δ) / (α − 1) at each order, and it reports the smallest",
            ],
            correct: 3,
        },
        explanation: "Mironov's conversion turns (α, ε_α)-RDP into (ε, δ)-DP for any δ you choose; the accountant evaluates it at every tracked order and keeps the smallest ε. Opacus uses a slightly tighter version of the same conversion.",
    },
    Question {
        id: "dp-local-central",
        lesson: ID,
        prompt: "A company wants usage statistics without trusting its own servers with anyone's raw answers. Which setting fits, and at what cost?",
        kind: QuestionKind::Choice {
            options: &[
                "Central DP, because the curator adds the noise and so needs no trust",
                "Local DP: noise is added on each device, so nobody has to be trusted, but accuracy is much lower for the same ε",
                "Local DP, with the same accuracy as central DP at the same ε",
                "None: DP always needs a trusted curator",
            ],
            correct: 1,
        },
        explanation: "In local DP each person randomises their own answer (randomised response is the classic case) before it leaves the device. The noise of n people adds up, so estimates are far noisier than central DP's at the same ε.",
    },
];
