//! Lesson 5: SHAP and LIME, integrated gradients, attention, and inherently interpretable models.

use crate::lessons::{Experiment, Lesson, LessonStep, LiveQuestion, Question, QuestionKind};

const ID: &str = "explainability";

pub const LESSON: Lesson = Lesson {
    id: ID,
    number: 5,
    title: "Explainability",
    summary: "Why a model made one decision: SHAP and LIME on the same row, integrated gradients, \
              why attention is not an explanation, and when to pick a model you can read directly.",
    steps: &[
        LessonStep {
            heading: "Why explain a prediction",
            body: &[
                "Three reasons come up again and again. Regulation: the GDPR gives people rights to \
                 meaningful information about automated decisions (often called a \"right to \
                 explanation\"). Debugging: why was this application rejected, and is the reason a \
                 bug or a proxy? Trust: people accept decisions they can follow.",
                "A local explanation covers one prediction; a global one describes the model as a \
                 whole. Most of this lesson is local.",
            ],
            experiment: None,
            check: None,
        },
        LessonStep {
            heading: "SHAP: a fair split of the prediction",
            body: &[
                "SHAP (Lundberg & Lee, 2017) borrows Shapley values from cooperative game theory. \
                 The \"players\" are the features and the \"payout\" is the gap between this \
                 row's prediction and the average prediction. Each feature gets its average \
                 marginal contribution over all orders in which features could be added.",
                "The values add up exactly: base value + Σ SHAP values = the model's output. \
                 KernelSHAP works for any model; exact fast versions exist for linear models and \
                 trees. It is the most widely used feature-attribution method.",
            ],
            experiment: Some(Experiment::ExplainRow { methods: &["shap"], lime_seeds: 1 }),
            check: Some("Add the base value and the SHAP values: the sum equals the prediction shown."),
        },
        LessonStep {
            heading: "LIME: a simple model near the row",
            body: &[
                "LIME (Ribeiro, Singh & Guestrin, 2016) perturbs the row many times, asks the model \
                 for each perturbed copy, weights the copies by how close they are to the original \
                 and fits a small linear model to them. Its weights explain this one prediction, \
                 not the model everywhere.",
                "The catch is stability. The perturbations are random, and the kernel width and \
                 discretisation are choices, so two runs with different seeds can rank the features \
                 differently.",
                "On the page: \"Run LIME with 5 seeds\" explains the same row five times, with five \
                 consecutive seeds, and reports how much the top-feature sets agree (their Jaccard overlap) \
                 and each feature's mean weight and spread.",
            ],
            experiment: Some(Experiment::ExplainRow { methods: &["lime"], lime_seeds: 5 }),
            check: Some("Across the five seeds, do the top three features stay the same? Do the weights keep their signs?"),
        },
        LessonStep {
            heading: "SHAP and LIME side by side",
            body: &[
                "On the same row the two often agree on the most important features, but not always, \
                 and they answer slightly different questions: SHAP splits the prediction against a \
                 background; LIME fits a local slope.",
                "SHAP's additivity and its grounding in Shapley's axioms make it the safer default. \
                 LIME is easy to explain to a non-specialist but should be run with several seeds \
                 before you trust it.",
            ],
            experiment: Some(Experiment::ExplainRow { methods: &["shap", "lime"], lime_seeds: 1 }),
            check: Some("Compare the top features of the two methods on this row."),
        },
        LessonStep {
            heading: "Shapley's axioms, and where SHAP and LIME mislead",
            body: &[
                "Shapley values are the only split of a payout that satisfies four axioms: \
                 efficiency (the parts add up to the whole), symmetry (two features that always \
                 contribute the same get the same), dummy (a feature that never changes the \
                 payout gets 0) and additivity (for a sum of two models, the values add).",
                "The axioms hold for the game you define, and the game has choices in it. The \
                 background data sets the base value and what \"absent\" means: change it and \
                 every SHAP value moves. With correlated features, replacing one by background \
                 values builds rows that never occur (a 20-year-old with 30 years of \
                 experience), and both SHAP and LIME then explain the model off the data. LIME adds \
                 its own choices: kernel width, sampling and seed. Integrated gradients has the \
                 same weakness in its baseline.",
            ],
            experiment: Some(Experiment::ExplainRow { methods: &["shap", "lime"], lime_seeds: 5 }),
            check: Some("Run LIME with five seeds on the explained row: do the top features and their signs hold?"),
        },
        LessonStep {
            heading: "Integrated gradients",
            body: &[
                "For differentiable models such as neural networks, integrated gradients \
                 (Sundararajan, Taly & Yan, 2017) walks in a straight line from a baseline input x′ \
                 to the input x and adds up the gradient along the way: \
                 IGᵢ = (xᵢ − x′ᵢ) · ∫₀¹ ∂f/∂xᵢ(x′ + α(x − x′)) dα. The attributions sum to f(x) − f(x′).",
                "For a linear model in log-odds, f(x) = w·x + b, the gradient is the constant w, so \
                 IGᵢ = wᵢ(xᵢ − x′ᵢ). With the background mean as baseline that is exactly the SHAP \
                 value of a linear model, wᵢ(xᵢ − E[xᵢ]).",
            ],
            experiment: Some(Experiment::ExplainRow { methods: &["shap"], lime_seeds: 1 }),
            check: Some("With the logistic model, each SHAP value equals the coefficient times the row's \
                 distance from the background mean."),
        },
        LessonStep {
            heading: "Counterfactuals and recourse",
            body: &[
                "A counterfactual explanation answers \"what is the smallest change that would \
                 have flipped this decision?\" (Wachter, Mittelstadt & Russell, 2017): for example \
                 \"approved if income were 4,000 higher\". It needs no access to the model's \
                 internals, only its decisions.",
                "Recourse asks whether the change is one the person can actually make: age or a \
                 sensitive attribute must stay locked, and a change of one feature may force \
                 another. The Explain step searches changes of one and then two unlocked \
                 features; when none flips the row, the honest answer is \"no flip within two \
                 changes\", not a number.",
            ],
            experiment: Some(Experiment::ExplainRow { methods: &["shap"], lime_seeds: 1 }),
            check: Some("Run the counterfactual search on the explained row: how many changes flip it, and are they actionable?"),
        },
        LessonStep {
            heading: "Attention weights are not explanations",
            body: &[
                "In a Transformer it is tempting to plot attention weights and call the bright tokens \
                 the reason for the prediction. Studies found that the weights can often be changed a \
                 lot without changing the prediction, and that they often disagree with gradient- \
                 or perturbation-based importance (Jain & Wallace, 2019; Serrano & Smith, 2019). \
                 Others replied that it depends on how the test is set up (Wiegreffe & Pinter, \
                 2019), so the safe position is: not an explanation by default.",
                "Attention says how information was mixed at one layer, not what the output depends \
                 on: later layers transform the mixed values further. Treat attention maps as a \
                 hint and check any claim with a faithful attribution method.",
            ],
            experiment: None,
            check: None,
        },
        LessonStep {
            heading: "Models you can read directly",
            body: &[
                "Some models explain themselves: a linear or logistic model through its coefficients, \
                 a shallow decision tree through its decision path, a rule list through its rules. \
                 The price is flexibility, and sometimes accuracy: this is the \
                 accuracy–interpretability trade-off.",
                "Move the depth slider. A deeper tree fits the training data better, but its size \
                 grows fast and test accuracy soon stops improving. On tabular data the gap between a \
                 small, readable model and a black box is often small (Rudin, 2019).",
            ],
            experiment: Some(Experiment::TreeDepth { depth: 3 }),
            check: Some("Find the smallest depth whose test accuracy is close to the best, and count its leaves."),
        },
        LessonStep {
            heading: "When to prefer an interpretable model",
            body: &[
                "Prefer one when the stakes are high (health, criminal justice, lending), when \
                 regulation requires explanations, when you need to debug failures, and when the \
                 trust of users or reviewers is essential.",
                "A black box can be acceptable when the risk is low (product recommendations), when \
                 its accuracy gain is large and matters, or when other safeguards such as human \
                 review are in place. It is a balance, not a rule.",
            ],
            experiment: None,
            check: None,
        },
    ],
    interview: &[
        "SHAP: Shapley values from game theory; contributions add up to prediction minus base value; model-agnostic, exact for trees and linear models.",
        "LIME: a weighted linear surrogate fitted on perturbations near the row; easy to read but unstable across seeds and kernel widths.",
        "Integrated gradients integrates the gradient from a baseline; for a linear model in log-odds it equals SHAP when the baseline is the background mean.",
        "Attention weights show how information is mixed, not what the output depends on; don't present them as explanations.",
        "Prefer an interpretable model for high stakes, regulation, debugging and trust; accept a black box for low risk, a large gain, or with human oversight.",
    ],
};

pub const QUESTIONS: &[Question] = &[
    Question {
        id: "exp-shap-additive",
        lesson: ID,
        prompt: "For one prediction, what do SHAP's base value and the feature SHAP values add up to?",
        kind: QuestionKind::Choice {
            options: &[
                "The model's output for that row",
                "The model's accuracy on the test set",
                "The predicted probability, whatever the output space the explainer used",
                "Zero, because contributions cancel out",
            ],
            correct: 0,
        },
        explanation: "Additivity (local accuracy): base value + Σ SHAP = f(x), in the model's output space.",
    },
    Question {
        id: "exp-lime-how",
        lesson: ID,
        prompt: "How does LIME explain one prediction?",
        kind: QuestionKind::Choice {
            options: &[
                "It averages the feature's contribution over all feature orderings",
                "It fits a weighted simple model to perturbed copies of the row",
                "It reads the attention weights of the model",
                "It integrates the gradient from a baseline",
            ],
            correct: 1,
        },
        explanation: "LIME samples around the row, weights samples by proximity and fits a linear \
                      surrogate. The first option describes Shapley values, the last integrated gradients.",
    },
    Question {
        id: "exp-lime-unstable",
        lesson: ID,
        prompt: "You run LIME twice on the same row and the top features change. What is the most likely cause?",
        kind: QuestionKind::Choice {
            options: &[
                "The model was retrained between the runs",
                "LIME draws random perturbations, so different seeds give different surrogates",
                "SHAP values changed",
                "The row has missing values",
            ],
            correct: 1,
        },
        explanation: "LIME's samples are random, and its kernel width and discretisation are choices; \
                      run several seeds before trusting a ranking.",
    },
    Question {
        id: "exp-num-linear-shap",
        lesson: ID,
        prompt: "A logistic model has log-odds f(x) = −1 + 0.8·x₁ − 0.5·x₂. The background means are \
                 x₁ = 1 and x₂ = 4. For the row x₁ = 3, x₂ = 2, what is the SHAP value of x₂ (in log-odds)?",
        kind: QuestionKind::Numeric { answer: 1.0, tolerance: 0.001 },
        explanation: "For a linear model SHAP = wᵢ(xᵢ − mean): −0.5 · (2 − 4) = 1.0. Being below \
                      average on a feature with a negative weight pushes the log-odds up.",
    },
    Question {
        id: "exp-num-ig",
        lesson: ID,
        prompt: "Same model: f(x) = −1 + 0.8·x₁ − 0.5·x₂, row x₁ = 3, x₂ = 2. With the baseline x′ = (1, 4), \
                 what is the integrated-gradients attribution of x₁?",
        kind: QuestionKind::Numeric { answer: 1.6, tolerance: 0.001 },
        explanation: "The gradient is the constant 0.8, so IG₁ = 0.8 · (3 − 1) = 1.6, the same as \
                      SHAP with the background mean as baseline.",
    },
    Question {
        id: "exp-num-shapley-game",
        lesson: ID,
        prompt: "Two features A and B. The model's payout with no features is 0, with A alone 10, with B \
                 alone 20, with both 50. What is A's Shapley value?",
        kind: QuestionKind::Numeric { answer: 20.0, tolerance: 0.001 },
        explanation: "Average A's marginal contribution over both orders: A first adds 10 − 0 = 10; A \
                      second adds 50 − 20 = 30; (10 + 30)/2 = 20. B gets 30, and 20 + 30 = 50.",
    },
    Question {
        id: "exp-ig-equals-shap",
        lesson: ID,
        prompt: "For a linear model in log-odds, when do integrated gradients and SHAP give the same values?",
        kind: QuestionKind::Choice {
            options: &[
                "Never: one is for neural networks only",
                "When the IG baseline is the background mean used by SHAP",
                "Only when all weights are positive",
                "Only for tree models",
            ],
            correct: 1,
        },
        explanation: "Both reduce to wᵢ(xᵢ − baselineᵢ); they match when the baselines match.",
    },
    Question {
        id: "exp-attention",
        lesson: ID,
        prompt: "Why are attention weights not a reliable explanation of a Transformer's prediction?",
        kind: QuestionKind::Choice {
            options: &[
                "They are always uniform",
                "They can't be computed at inference time",
                "They show how inputs are mixed at a layer, and can change a lot without changing the output",
                "They are only defined for images",
            ],
            correct: 2,
        },
        explanation: "Studies found alternative attention patterns giving the same predictions and weak \
                      agreement with gradient-based importance; attention is not a faithful attribution.",
    },
    Question {
        id: "exp-prefer-interpretable",
        lesson: ID,
        prompt: "Which situation most calls for an inherently interpretable model?",
        kind: QuestionKind::Choice {
            options: &[
                "Ranking songs in a music app",
                "Credit decisions under rules that require reasons for refusals",
                "Choosing thumbnails for videos",
                "Autocompleting search queries",
            ],
            correct: 1,
        },
        explanation: "High stakes plus a legal duty to give reasons favour a model you can read. The others \
                      are low-risk uses where a black box is usually acceptable.",
    },
    Question {
        id: "exp-tree-depth",
        lesson: ID,
        prompt: "As you increase a decision tree's maximum depth, what usually happens?",
        kind: QuestionKind::Choice {
            options: &[
                "Training accuracy rises, the tree grows quickly, and test accuracy levels off or drops",
                "Test accuracy rises without limit",
                "The tree gets easier to read",
                "Nothing changes after depth 1",
            ],
            correct: 0,
        },
        explanation: "Deeper trees fit the training data more closely; test accuracy usually stops improving \
                      at a modest depth while the tree keeps growing, so past that depth you pay in \
                      readability for no gain.",
    },
    Question {
        id: "xai-live-fewest-edits",
        lesson: ID,
        prompt: "Search for counterfactuals of the row in the Explain step (sensitive attribute locked). \
                 What is the fewest number of unlocked features whose change flips the decision, \
                 searching changes of one and two features?",
        kind: QuestionKind::Live(LiveQuestion::FewestEditsToFlip),
        explanation: "A counterfactual explanation is the smallest change that flips the decision: it tells a \
                      person what would have to be different, not how the model weighs everything. The search \
                      tries changes of one and then two unlocked features and keeps those that flip it.",
    },
    Question {
        id: "exp-shapley-axioms",
        lesson: ID,
        prompt: "Two features raise the model's output by exactly the same amount whenever either joins any set of other features. Which Shapley axiom says they must get equal values?",
        kind: QuestionKind::Choice {
            options: &[
                "Efficiency",
                "Dummy",
                "Additivity",
                "Symmetry",
            ],
            correct: 3,
        },
        explanation: "Symmetry: features that contribute the same to every coalition get the same value. Efficiency makes the values add up to the prediction minus the base value, dummy gives 0 to a feature that never changes the output, and additivity makes values add across a sum of models.",
    },
    Question {
        id: "exp-correlated-features",
        lesson: ID,
        prompt: "Age and years of experience are strongly correlated in the data. Why can SHAP with background replacement, and LIME, mislead on such a row?",
        kind: QuestionKind::Choice {
            options: &[
                "Replacing one feature by background values builds rows that never occur, so the explanation describes the model off the data",
                "SHAP cannot explain models with more than ten features",
                "Correlated features always get exactly equal values",
                "LIME drops correlated features before fitting",
            ],
            correct: 0,
        },
        explanation: "Both methods ask the model about rows where some features are replaced or perturbed independently of the others, such as a 20-year-old with 30 years of experience. The model's answers there say little about the rows it meets in use.",
    },
    Question {
        id: "exp-recourse",
        lesson: ID,
        prompt: "A counterfactual says a loan would have been approved had the applicant been ten years younger. Why does this give the applicant no recourse?",
        kind: QuestionKind::Choice {
            options: &[
                "Counterfactuals need the model's internals",
                "Age is not something the applicant can change, so the explanation names no action they can take",
                "Only one feature changed",
                "Age is never a feature of a credit model",
            ],
            correct: 1,
        },
        explanation: "Recourse asks for a change the person can actually make. Age and sensitive attributes must stay locked in the search, and a change of one feature may force a change of another.",
    },
];
