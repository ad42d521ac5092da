//! Command-line arguments, exactly as `docs/cli.md` names them.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(name = "fairground", version, about = "Fairness audits, mitigation and explanations from the command line")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Train a model and report its accuracy (optionally writing the test predictions).
    Train(TrainArgs),
    /// Audit predictions or scores by group: every rate and disparity, with bootstrap intervals.
    Audit(AuditArgs),
    /// Fit threshold post-processing under a fairness constraint.
    Mitigate(MitigateArgs),
    /// Explain one test row's prediction with LIME, SHAP or KernelSHAP.
    Explain(ExplainArgs),
    /// Audit several model outputs (score or prediction columns) side by side on the same rows.
    Compare(CompareArgs),
    /// Check the data before any model: group sizes, base rates, proxies, ID-like columns.
    Check(CheckArgs),
}

/// Flags every command shares.
#[derive(Args, Debug, Clone)]
pub struct Common {
    /// The CSV file (read exactly as the app reads an upload).
    #[arg(long)]
    pub csv: PathBuf,
    /// The target column.
    #[arg(long)]
    pub target: String,
    /// The target value that counts as positive (compared after trimming spaces).
    #[arg(long)]
    pub positive: String,
    /// Seed of every random step.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Print exactly one JSON object.
    #[arg(long)]
    pub json: bool,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
#[value(rename_all = "snake_case")]
pub enum ModelName {
    Logistic,
    Tree,
    NaiveBayes,
    GradientBoosting,
    RandomForest,
    Knn,
}

impl ModelName {
    pub fn as_str(self) -> &'static str {
        match self {
            ModelName::Logistic => "logistic",
            ModelName::Tree => "tree",
            ModelName::NaiveBayes => "naive_bayes",
            ModelName::GradientBoosting => "gradient_boosting",
            ModelName::RandomForest => "random_forest",
            ModelName::Knn => "knn",
        }
    }
}

/// Hyperparameters, named as scikit-learn names them; each applies to the models that have it
/// (giving one to a model without it is an error). Unset: scikit-learn's default for the
/// estimator (see docs/cli.md, "Models and their hyperparameters").
#[derive(Args, Debug, Clone, Default)]
pub struct ModelFlags {
    /// logistic: inverse L2 strength (scikit-learn's C; the penalty α = 1/C).
    #[arg(long = "C", visible_alias = "c")]
    pub c: Option<f64>,
    /// logistic: solver iterations; gradient_boosting: boosting iterations (trees).
    #[arg(long)]
    pub max_iter: Option<usize>,
    /// tree, random_forest, gradient_boosting: depth limit, or `none`.
    #[arg(long)]
    pub max_depth: Option<String>,
    /// tree, random_forest: rows needed to split a node.
    #[arg(long)]
    pub min_samples_split: Option<usize>,
    /// tree, random_forest, gradient_boosting: rows needed in a leaf.
    #[arg(long)]
    pub min_samples_leaf: Option<usize>,
    /// random_forest: number of trees.
    #[arg(long)]
    pub n_estimators: Option<usize>,
    /// random_forest: features tried per split: `sqrt`, `log2`, `none` (all) or a count.
    #[arg(long)]
    pub max_features: Option<String>,
    /// random_forest: bootstrap samples (`true`/`false`).
    #[arg(long)]
    pub bootstrap: Option<bool>,
    /// gradient_boosting: shrinkage of each tree.
    #[arg(long)]
    pub learning_rate: Option<f64>,
    /// gradient_boosting: leaves per tree, or `none`.
    #[arg(long)]
    pub max_leaf_nodes: Option<String>,
    /// gradient_boosting: L2 penalty on leaf values.
    #[arg(long)]
    pub l2_regularization: Option<f64>,
    /// gradient_boosting: bins per column (2–255).
    #[arg(long)]
    pub max_bins: Option<usize>,
    /// gradient_boosting: `auto` (on above 10,000 training rows), `on` or `off`.
    #[arg(long)]
    pub early_stopping: Option<String>,
    /// gradient_boosting: share of training rows held out for early stopping (scikit-learn's
    /// `validation_fraction`; `--validation-fraction` is the split's post-processing share).
    #[arg(long = "early-stopping-fraction")]
    pub early_stopping_fraction: Option<f64>,
    /// gradient_boosting: iterations without improvement before stopping.
    #[arg(long)]
    pub n_iter_no_change: Option<usize>,
    /// gradient_boosting: the improvement that counts for early stopping.
    #[arg(long)]
    pub tol: Option<f64>,
    /// knn: neighbours per query.
    #[arg(long)]
    pub n_neighbors: Option<usize>,
    /// naive_bayes: share of the largest variance added to every variance.
    #[arg(long)]
    pub var_smoothing: Option<f64>,
}

/// Flags of `train`, shared by `explain`.
#[derive(Args, Debug, Clone)]
pub struct TrainFlags {
    /// The sensitive column (its groups are kept together when splitting).
    #[arg(long)]
    pub sensitive: Option<String>,
    #[arg(long, value_enum, default_value_t = ModelName::Logistic)]
    pub model: ModelName,
    /// Share of rows held out for testing.
    #[arg(long, default_value_t = 0.3)]
    pub test_fraction: f64,
    /// A column whose values `train`/`validation`/`test` fix the split.
    #[arg(long)]
    pub split_column: Option<String>,
    /// Share of the training rows held out to fit post-processing rules on (default 0).
    #[arg(long, default_value_t = 0.0)]
    pub validation_fraction: f64,
    /// A column not to use as a feature (may repeat).
    #[arg(long)]
    pub exclude: Vec<String>,
    /// Train without the sensitive column as a feature.
    #[arg(long)]
    pub drop_sensitive: bool,
    #[command(flatten)]
    pub hyper: ModelFlags,
    #[command(flatten)]
    pub columns: ColumnFlags,
}

/// How the feature columns are chosen beyond `--exclude` (shared by `train`, `explain`, `check`).
#[derive(Args, Debug, Clone)]
pub struct ColumnFlags {
    /// Put back a column left out automatically as ID-like or with too many levels (may repeat).
    #[arg(long)]
    pub include: Vec<String>,
    /// At most this many one-hot levels per categorical column; rarer values are merged into "other".
    #[arg(long, value_parser = clap::value_parser!(u32).range(2..=100_000))]
    pub max_levels: Option<u32>,
}

#[derive(Args, Debug)]
pub struct CheckArgs {
    #[command(flatten)]
    pub common: Common,
    /// The sensitive column whose groups are compared.
    #[arg(long)]
    pub sensitive: String,
    /// A column not to use as a feature (may repeat).
    #[arg(long)]
    pub exclude: Vec<String>,
    #[command(flatten)]
    pub columns: ColumnFlags,
}

#[derive(Args, Debug)]
pub struct TrainArgs {
    #[command(flatten)]
    pub common: Common,
    #[command(flatten)]
    pub train: TrainFlags,
    /// Write the test rows with `row_index`, `score` and `prediction` to this CSV file.
    #[arg(long)]
    pub predictions_out: Option<PathBuf>,
    /// Write the encoded matrix the model saw (`row_index`, `split`, `label`, then one column
    /// per encoded feature) to this CSV file, for one-to-one comparisons with other tools.
    #[arg(long)]
    pub encoded_out: Option<PathBuf>,
    /// Which rows the predictions file holds: the test rows, or all of them.
    #[arg(long, value_enum, default_value_t = PredictionRows::Test)]
    pub predictions_rows: PredictionRows,
    #[command(flatten)]
    pub mitigation: MitigationFlags,
}

/// `train --mitigation …` and its parameters (docs/cli.md, "Training with a mitigation").
#[derive(Args, Debug, Clone)]
pub struct MitigationFlags {
    /// Train with a pre- or in-processing mitigation (needs --sensitive).
    #[arg(long, value_enum)]
    pub mitigation: Option<MitigationName>,
    /// The reductions' fairness constraint (default demographic_parity).
    #[arg(long, value_enum, requires = "mitigation")]
    pub constraint: Option<ReductionConstraint>,
    /// exponentiated_gradient: the bound ε on each constraint (default 0.01).
    #[arg(long, requires = "mitigation")]
    pub eps: Option<f64>,
    /// grid_search: the number of grid points (default 10).
    #[arg(long, requires = "mitigation")]
    pub grid_size: Option<usize>,
    /// disparate_impact_remover: the repair level, 0–1 (default 1).
    #[arg(long, requires = "mitigation")]
    pub repair_level: Option<f64>,
    /// correlation_remover: α, 0–1 (default 1).
    #[arg(long, requires = "mitigation")]
    pub alpha: Option<f64>,
    /// Also train every mitigation on the same split and report each one's test accuracy and
    /// this disparity (`mitigations_considered`, the one-plane table; needs --sensitive).
    #[arg(long, value_enum)]
    pub plane: Option<ReductionConstraint>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
#[value(rename_all = "snake_case")]
pub enum MitigationName {
    Reweighing,
    ExponentiatedGradient,
    GridSearch,
    DisparateImpactRemover,
    CorrelationRemover,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
#[value(rename_all = "snake_case")]
pub enum ReductionConstraint {
    DemographicParity,
    EqualizedOdds,
    EqualOpportunity,
    FalsePositiveRateParity,
    ErrorRateParity,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
#[value(rename_all = "snake_case")]
pub enum PredictionRows {
    Test,
    All,
}

#[derive(Args, Debug)]
pub struct AuditArgs {
    #[command(flatten)]
    pub common: Common,
    #[arg(long)]
    pub sensitive: String,
    /// A numeric score column (positive when score ≥ threshold).
    #[arg(long, conflicts_with = "prediction", required_unless_present = "prediction")]
    pub score: Option<String>,
    #[arg(long, default_value_t = 0.5, requires = "score")]
    pub threshold: f64,
    /// A column of hard predictions.
    #[arg(long)]
    pub prediction: Option<String>,
    /// The prediction value that counts as positive (default: the --positive value).
    #[arg(long, requires = "prediction")]
    pub prediction_positive: Option<String>,
    /// The reference group (default: the largest).
    #[arg(long)]
    pub reference: Option<String>,
    /// Bootstrap resamples for confidence intervals (0 = off).
    #[arg(long, default_value_t = 0)]
    pub bootstrap: usize,
    #[arg(long, default_value_t = 0.95)]
    pub confidence: f64,
}

#[derive(Args, Debug)]
pub struct CompareArgs {
    #[command(flatten)]
    pub common: Common,
    #[arg(long)]
    pub sensitive: String,
    /// A numeric score column: one model each (repeatable; models keep the order of the flags).
    #[arg(long, required_unless_present = "prediction")]
    pub score: Vec<String>,
    /// A column of hard predictions: one model each (repeatable).
    #[arg(long)]
    pub prediction: Vec<String>,
    /// The k-th threshold belongs to the k-th --score (0.5 when missing), in the score's own units.
    #[arg(long, allow_negative_numbers = true)]
    pub threshold: Vec<f64>,
    /// A --score column where a lower score is the positive decision (score ≤ threshold).
    #[arg(long)]
    pub lower_is_positive: Vec<String>,
    /// The prediction value that counts as positive (default: the --positive value).
    #[arg(long)]
    pub prediction_positive: Option<String>,
    /// The reference group (default: the largest).
    #[arg(long)]
    pub reference: Option<String>,
    /// Audit only the rows this column marks `test`.
    #[arg(long)]
    pub split_column: Option<String>,
    /// Bootstrap resamples for confidence intervals (0 = off).
    #[arg(long, default_value_t = 0)]
    pub bootstrap: usize,
    #[arg(long, default_value_t = 0.95)]
    pub confidence: f64,
    /// The models in command-line order: (is a score, column). Filled from the parsed matches.
    #[arg(skip)]
    pub order: Vec<(bool, String)>,
}

/// The `--score` and `--prediction` values of `compare` in the order they were given.
pub fn model_order(matches: &clap::ArgMatches) -> Vec<(bool, String)> {
    let mut all: Vec<(usize, bool, String)> = Vec::new();
    for (id, is_score) in [("score", true), ("prediction", false)] {
        if let (Some(indices), Ok(Some(values))) = (matches.indices_of(id), matches.try_get_many::<String>(id)) {
            all.extend(indices.zip(values).map(|(i, v)| (i, is_score, v.clone())));
        }
    }
    all.sort_by_key(|(i, _, _)| *i);
    all.into_iter().map(|(_, s, v)| (s, v)).collect()
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
#[value(rename_all = "snake_case")]
pub enum Constraint {
    SingleThreshold,
    GroupThresholds,
    DemographicParity,
    EqualOpportunity,
    FalsePositiveRateParity,
    EqualizedOdds,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
#[value(rename_all = "snake_case")]
pub enum Objective {
    Accuracy,
    BalancedAccuracy,
    Cost,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
#[value(rename_all = "snake_case")]
pub enum MitigateMethod {
    Thresholds,
    RejectOption,
    CalibratedEqualizedOdds,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
#[value(rename_all = "snake_case")]
pub enum CostConstraint {
    Fpr,
    Fnr,
    Weighted,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
#[value(rename_all = "snake_case")]
pub enum RocMetric {
    StatisticalParity,
    AverageOdds,
    EqualOpportunity,
}

#[derive(Args, Debug)]
pub struct MitigateArgs {
    #[command(flatten)]
    pub common: Common,
    #[arg(long)]
    pub sensitive: String,
    #[arg(long)]
    pub score: String,
    /// thresholds (default; needs --constraint), reject_option or calibrated_equalized_odds (need --reference).
    #[arg(long, value_enum, default_value_t = MitigateMethod::Thresholds)]
    pub method: MitigateMethod,
    #[arg(long, value_enum)]
    pub constraint: Option<Constraint>,
    /// The privileged (reference) group of reject option classification.
    #[arg(long)]
    pub reference: Option<String>,
    #[arg(long, value_enum, default_value_t = RocMetric::StatisticalParity)]
    pub metric: RocMetric,
    #[arg(long, default_value_t = 0.05)]
    pub metric_bound: f64,
    /// The cost calibrated equalized odds equalises.
    #[arg(long, value_enum, default_value_t = CostConstraint::Weighted)]
    pub cost_constraint: CostConstraint,
    #[arg(long, value_enum, default_value_t = Objective::Accuracy)]
    pub objective: Objective,
    /// Cost of a false positive (needed by --objective cost).
    #[arg(long, required_if_eq("objective", "cost"))]
    pub cost_fp: Option<f64>,
    /// Cost of a false negative (needed by --objective cost).
    #[arg(long, required_if_eq("objective", "cost"))]
    pub cost_fn: Option<f64>,
    #[arg(long, default_value_t = 0.0)]
    pub tolerance: f64,
    /// A column marking rows `train`/`validation`/`test`: the rule is fitted on the
    /// `validation` rows (else `train`) and every metric reported on the `test` rows.
    #[arg(long)]
    pub split_column: Option<String>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
#[value(rename_all = "snake_case")]
pub enum Method {
    Lime,
    Shap,
    KernelShap,
}

#[derive(Args, Debug)]
pub struct ExplainArgs {
    #[command(flatten)]
    pub common: Common,
    #[command(flatten)]
    pub train: TrainFlags,
    /// The N-th test row (0-based, in file order).
    #[arg(long, conflicts_with = "row_index", required_unless_present = "row_index")]
    pub row: Option<usize>,
    /// The 0-based data row of the file (it must be a test row).
    #[arg(long)]
    pub row_index: Option<usize>,
    #[arg(long, value_enum)]
    pub method: Method,
    #[arg(long)]
    pub samples: Option<usize>,
    #[arg(long, default_value_t = 10)]
    pub num_features: usize,
    #[arg(long)]
    pub kernel_width: Option<f64>,
    #[arg(long)]
    pub no_discretize: bool,
    /// SHAP background rows (default 100; 20 for knn).
    #[arg(long)]
    pub background: Option<usize>,
}
