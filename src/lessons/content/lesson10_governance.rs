//! Lesson 10: governance across the ML lifecycle (risk classification, model cards, review gates,
//! monitoring and drift, incident response) and the environmental footprint of training.

use crate::lessons::{Experiment, Lesson, LessonStep, Question, QuestionKind};

const ID: &str = "governance";

pub const LESSON: Lesson = Lesson {
    id: ID,
    number: 10,
    title: "Governance and footprint",
    summary: "Running ML responsibly after the notebook: risk tiers, model cards, review gates, \
              monitoring for drift, incident response, and the energy a model costs.",
    steps: &[
        LessonStep {
            heading: "Start with risk",
            body: &[
                "Governance should be sized to the stakes. Classify each project by how much harm \
                 it could do, from low to high; the EU AI Act, for example, sorts uses into \
                 unacceptable, high, limited and minimal risk. Credit scoring, hiring and medical \
                 uses sit at the top; a playlist recommender near the bottom. Heavy process for \
                 the top tier, a light one for the bottom, so low-risk work is not slowed for nothing.",
                "Then list the stakeholders: who uses the system, who is affected by its decisions, \
                 and which groups might bear fairness-related harms.",
            ],
            experiment: None,
            check: None,
        },
        LessonStep {
            heading: "Document: model cards",
            body: &[
                "A model card (Mitchell et al., 2019) is a short document that travels with a model. \
                 Its sections: model details; intended use (including uses that are out of scope); \
                 factors (groups and conditions that may change performance); metrics; evaluation \
                 data; training data; quantitative analyses (results broken down by those factors); \
                 ethical considerations; caveats and recommendations.",
                "Record where the data came from as well (data provenance; datasheets for data sets, \
                 Gebru et al., do this for data).",
            ],
            experiment: Some(Experiment::ModelCard),
            check: Some("Open the export: which sections are filled from this session, and which need a person to write them?"),
        },
        LessonStep {
            heading: "Review gates",
            body: &[
                "Before deployment, a cross-functional review (engineers, domain experts, legal and \
                 the people who know the affected users) signs off at fixed gates: data approved, \
                 model approved, launch approved. Each gate has written criteria, such as maximum \
                 per-group gaps, so approval is not a matter of mood.",
            ],
            experiment: None,
            check: None,
        },
        LessonStep {
            heading: "Monitor: drift and degradation",
            body: &[
                "The world moves after launch. Data drift: the inputs change (new customers, a new \
                 product). Concept drift: the relation between inputs and outcome changes. Either \
                 can erode accuracy, and fairness, without any code change.",
                "Monitor input distributions, overall and per-group metrics, with alerts when they \
                 move past a set limit, and repeat the full audit on a fixed calendar.",
                "On the page: the shift slider moves every numeric feature of a copy of the data by \
                 that many training standard deviations; run it to see which columns are flagged, \
                 then read each group's accuracy, selection rate, TPR and FPR on the test rows \
                 before and after. The labels stay as recorded, so the change is the model's \
                 reaction to the shift, not a new outcome.",
            ],
            experiment: Some(Experiment::Drift),
            check: Some("Which features drifted most, and did any group's metrics change more than the others'?"),
        },
        LessonStep {
            heading: "Incident response",
            body: &[
                "Plan for failure before it happens: who is on call, how to switch the model off or \
                 roll back to a safe version, how to inform affected people, and how to run a \
                 blameless review afterwards so the fix becomes a test and a gate criterion.",
            ],
            experiment: None,
            check: None,
        },
        LessonStep {
            heading: "The environmental footprint",
            body: &[
                "Training and serving models uses energy, and energy has a carbon cost that depends \
                 on where and when it is drawn (Strubell, Ganesh & McCallum, 2019, made this \
                 prominent for NLP).",
                "A first estimate takes three numbers: the floating-point operations of the work, \
                 the hardware's sustained throughput (giving time) and its power draw (giving \
                 energy). Multiply energy by the grid's carbon intensity for emissions. State every \
                 assumption.",
            ],
            experiment: Some(Experiment::Footprint),
            check: Some("Read the operation count, time and energy estimate for this session, and the assumptions behind them."),
        },
        LessonStep {
            heading: "Reducing it",
            body: &[
                "Prefer architectures that do more with each operation to simply scaling up; knowledge distillation into a \
                 smaller model; transfer learning from a pre-trained model instead of training from \
                 scratch. Mixed-precision training, which does most arithmetic in 16-bit floats, \
                 cuts compute and memory.",
                "Choose efficient hardware, run jobs where and when the grid is cleaner, and prefer \
                 providers committed to renewable energy. Track emissions with a tool, set a carbon \
                 budget per project, and invest in more efficient methods.",
            ],
            experiment: None,
            check: None,
        },
        LessonStep {
            heading: "A checklist and the tools",
            body: &[
                "For any system: who could be harmed, and who benefits? What does the training data \
                 take for granted? Can the people affected see how decisions are reached? What \
                 monitoring would notice unfair behaviour? How would you explain a decision to \
                 someone it affects?",
                "Tools worth naming: Fairlearn and AI Fairness 360 (assessment and mitigation), \
                 Fairness Indicators and the What-If Tool (exploring models by group), and \
                 InterpretML (interpretable models and explanations).",
            ],
            experiment: None,
            check: None,
        },
        LessonStep {
            heading: "Why interviewers ask, and how to answer",
            body: &[
                "Companies care for concrete reasons: a public failure costs users' trust, AI law is \
                 growing, harmful outcomes create legal liability, and investors, staff and \
                 customers expect responsible practice.",
                "These questions seldom have one right answer. What interviewers listen for: that you \
                 spot the ethical side of a technical choice, answer with a structure, know the \
                 relevant tools and methods, and weigh the views of different stakeholders.",
                "To prepare: study real failures and successes, rehearse structured answers, take \
                 the view of each affected party in turn, follow new regulation, and know where you \
                 stand yourself. Further reading: Cathy O'Neil's Weapons of Math Destruction, Safiya \
                 Umoja Noble's Algorithms of Oppression, and the work of the Partnership on AI and \
                 the IEEE's initiative on ethics of autonomous systems.",
            ],
            experiment: None,
            check: None,
        },
    ],
    interview: &[
        "Governance is lifecycle-wide and sized to risk: classify, document, review, monitor, respond.",
        "Model cards (Mitchell et al., 2019): details, intended use, factors, metrics, evaluation and training data, quantitative analyses, ethics, caveats.",
        "Monitoring: watch for data and concept drift and per-group metric changes, with alerts and regular audits.",
        "Have an incident plan: owners, rollback, communication and a blameless review that adds a test.",
        "Open with structure, not a verdict: there is rarely one right answer, so show the trade-offs and whose interests are at stake.",
        "Footprint: estimate FLOPs → time → energy → CO₂; reduce it with efficient architectures, distillation, mixed precision, clean-grid scheduling and carbon tracking.",
    ],
};

pub const QUESTIONS: &[Question] = &[
    Question {
        id: "gov-card-section",
        lesson: ID,
        prompt: "Which of these is one of the sections of a model card as proposed by Mitchell et al. (2019)?",
        kind: QuestionKind::Choice {
            options: &["Hyperparameter search log", "Intended use", "Marketing plan", "Full source code"],
            correct: 1,
        },
        explanation: "Intended use, including out-of-scope uses, is a core section. The others are not part \
                      of the model card.",
    },
    Question {
        id: "gov-card-groups",
        lesson: ID,
        prompt: "In a model card, where do results broken down by group belong?",
        kind: QuestionKind::Choice {
            options: &["Model details", "Training data", "Quantitative analyses", "Caveats and recommendations"],
            correct: 2,
        },
        explanation: "Quantitative analyses report the metrics for each relevant factor (and their \
                      intersections), which makes per-group gaps visible.",
    },
    Question {
        id: "gov-data-drift",
        lesson: ID,
        prompt: "After launch, a lender starts receiving applications from a much younger population, while \
                 the link between features and repayment is unchanged. What is this?",
        kind: QuestionKind::Choice {
            options: &["Data drift", "Concept drift", "Label bias", "Reward hacking"],
            correct: 0,
        },
        explanation: "The inputs' distribution moved; concept drift would be a change in how the features \
                      relate to the outcome.",
    },
    Question {
        id: "gov-risk-tier",
        lesson: ID,
        prompt: "Which project should get the most rigorous governance?",
        kind: QuestionKind::Choice {
            options: &[
                "Suggesting playlists",
                "Automatically screening job applicants",
                "Choosing the order of news thumbnails",
                "Autocompleting file names",
            ],
            correct: 1,
        },
        explanation: "Hiring decisions affect people's livelihoods and are treated as high risk (for example \
                      under the EU AI Act); the others are low-stakes.",
    },
    Question {
        id: "gov-incident",
        lesson: ID,
        prompt: "What belongs in an incident response plan for a deployed model?",
        kind: QuestionKind::Choice {
            options: &[
                "Named owners and a tested way to roll back or switch off the model",
                "A larger model for the next release",
                "Deleting the logs to protect privacy",
                "A plan to stop monitoring once the model is stable",
            ],
            correct: 0,
        },
        explanation: "A plan needs people who respond and a way to contain harm fast; the review afterwards \
                      turns the incident into a test.",
    },
    Question {
        id: "gov-num-energy",
        lesson: ID,
        prompt: "A training run needs 2 × 10¹⁵ floating-point operations. Assume hardware sustaining 10¹² \
                 operations per second while drawing 300 W. How many kilowatt-hours does it use?",
        kind: QuestionKind::Numeric { answer: 0.1667, tolerance: 0.001 },
        explanation: "Time = 2 × 10¹⁵ / 10¹² = 2,000 s. Energy = 300 W × 2,000 s = 600,000 J, and 1 kWh = \
                      3,600,000 J, so 0.167 kWh.",
    },
    Question {
        id: "gov-num-carbon",
        lesson: ID,
        prompt: "A job uses 0.5 kWh on a grid with an assumed carbon intensity of 400 g CO₂ per kWh. How many \
                 grams of CO₂ does it emit?",
        kind: QuestionKind::Numeric { answer: 200.0, tolerance: 0.5 },
        explanation: "0.5 kWh × 400 g/kWh = 200 g. The same job on a cleaner grid emits proportionally less.",
    },
    Question {
        id: "gov-mixed-precision",
        lesson: ID,
        prompt: "How does mixed-precision training reduce a model's footprint?",
        kind: QuestionKind::Choice {
            options: &[
                "It removes half of the training data",
                "It does much of the arithmetic in 16-bit floats, cutting compute and memory",
                "It trains two models and keeps the better one",
                "It turns off the GPU between epochs",
            ],
            correct: 1,
        },
        explanation: "Lower-precision arithmetic is faster and lighter on memory on modern accelerators; a \
                      loss scaler keeps small gradients from underflowing.",
    },
    Question {
        id: "gov-distillation",
        lesson: ID,
        prompt: "What is knowledge distillation?",
        kind: QuestionKind::Choice {
            options: &[
                "Training a smaller model to imitate a larger model's outputs",
                "Removing personal data from a training set",
                "Summarising a model card",
                "Pruning the training data to one class",
            ],
            correct: 0,
        },
        explanation: "The small \"student\" learns from the large \"teacher\" and is much cheaper to run.",
    },
    Question {
        id: "gov-right-sized",
        lesson: ID,
        prompt: "How much governance process should a low-risk internal tool get compared with a hiring model?",
        kind: QuestionKind::Choice {
            options: &[
                "Exactly the same, so that every project is treated equally",
                "A lighter process sized to its lower risk",
                "None at all",
                "More, because internal tools are used more often",
            ],
            correct: 1,
        },
        explanation: "Governance should be proportionate: rigorous for high-risk uses and light enough for \
                      low-risk ones not to block useful work.",
    },
    Question {
        id: "gov-interview-answer",
        lesson: ID,
        prompt: "An interviewer asks an open ethics question about a system you built. What makes a strong answer?",
        kind: QuestionKind::Choice {
            options: &[
                "A confident one-word verdict",
                "A structured answer naming the trade-offs, the affected stakeholders and the methods you would use",
                "Saying ethics is the legal team's job",
                "Listing as many buzzwords as possible",
            ],
            correct: 1,
        },
        explanation: "Interviewers look for recognising the ethical dimension, a clear structure, knowledge \
                      of tools and methods, and a balanced view of stakeholders.",
    },
];
