//! Command-line arguments, exactly as `../shared/CLI.md` names them.

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
}

impl ModelName {
    pub fn as_str(self) -> &'static str {
        match self {
            ModelName::Logistic => "logistic",
            ModelName::Tree => "tree",
            ModelName::NaiveBayes => "naive_bayes",
        }
    }
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
    /// A column whose values `train`/`test` fix the split.
    #[arg(long)]
    pub split_column: Option<String>,
    /// A column not to use as a feature (may repeat).
    #[arg(long)]
    pub exclude: Vec<String>,
    /// Train without the sensitive column as a feature.
    #[arg(long)]
    pub drop_sensitive: bool,
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
    #[arg(long, default_value_t = 100)]
    pub background: usize,
}
