//! The app's state: a few user-set signals in one small context; everything else is derived.
//! The worker client lives in a thread-local (the page is single-threaded and the worker handle
//! is not `Send`).

use crate::catalog::Bundled;
use crate::core::models::{LogisticParams, ModelSpec, NaiveBayesParams, TreeParams};
use crate::core::roles::{Binning, PositiveRule, Roles, SensitiveSpec};
use crate::core::split::SplitSpec;
use crate::core::train::TrainSpec;
use crate::session::{DatasetInfo, Reply, ReplyBody, Request, TrainView};
use crate::ui::worker::WorkerClient;
use leptos::prelude::*;
use std::cell::RefCell;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Long work under way: what it is and how far it got.
#[derive(Clone, Debug, PartialEq)]
pub struct Busy {
    pub label: String,
    pub fraction: f64,
}

/// The steps of the guided flow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    Data,
    Model,
    Fairness,
    Mitigate,
    Explain,
}

impl Step {
    /// Every step, in the order of the flow.
    pub const ALL: [Step; 5] = [Step::Data, Step::Model, Step::Fairness, Step::Mitigate, Step::Explain];

    /// The step's name on the page.
    pub fn title(self) -> &'static str {
        match self {
            Step::Data => "Data",
            Step::Model => "Model",
            Step::Fairness => "Fairness",
            Step::Mitigate => "Mitigate",
            Step::Explain => "Explain",
        }
    }

    /// The step's id in `data-testid` hooks and the URL.
    pub fn id(self) -> &'static str {
        match self {
            Step::Data => "data",
            Step::Model => "model",
            Step::Fairness => "fairness",
            Step::Mitigate => "mitigate",
            Step::Explain => "explain",
        }
    }
}

/// The model's hyperparameters as the user set them (all three families, so switching keeps them).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Hyper {
    pub alpha: f64,
    pub max_depth: usize,
    pub min_samples_leaf: usize,
    pub var_smoothing: f64,
}

impl Default for Hyper {
    fn default() -> Self {
        let tree = TreeParams::default();
        Self {
            alpha: LogisticParams::default().alpha,
            max_depth: tree.max_depth,
            min_samples_leaf: tree.min_samples_leaf,
            var_smoothing: NaiveBayesParams::default().var_smoothing,
        }
    }
}

impl Hyper {
    /// The model spec for a model name with these hyperparameters.
    pub fn spec(self, model: &str) -> ModelSpec {
        match model {
            "tree" => ModelSpec::Tree(TreeParams {
                max_depth: self.max_depth,
                min_samples_leaf: self.min_samples_leaf,
                min_samples_split: (2 * self.min_samples_leaf).max(2),
            }),
            "naive_bayes" => ModelSpec::NaiveBayes(NaiveBayesParams { var_smoothing: self.var_smoothing }),
            _ => ModelSpec::Logistic(LogisticParams { alpha: self.alpha, ..LogisticParams::default() }),
        }
    }
}

/// The shared state of the page.
#[derive(Clone, Copy)]
pub struct AppState {
    /// The step on screen.
    pub step: RwSignal<Step>,
    pub dataset: RwSignal<Option<DatasetInfo>>,
    /// The bundled dataset in use (None for an uploaded file).
    pub bundled: RwSignal<Option<&'static Bundled>>,
    pub target: RwSignal<String>,
    pub positive: RwSignal<String>,
    pub sensitive: RwSignal<String>,
    pub model: RwSignal<String>,
    pub hyper: RwSignal<Hyper>,
    /// Columns never used as features.
    pub excluded: RwSignal<Vec<String>>,
    /// Train without the sensitive attribute ("fairness through unawareness").
    pub drop_sensitive: RwSignal<bool>,
    pub test_fraction: RwSignal<f64>,
    pub seed: RwSignal<u64>,
    pub result: RwSignal<Option<TrainView>>,
    pub busy: RwSignal<Option<Busy>>,
    pub error: RwSignal<Option<String>>,
    /// The id of the request whose reply the page is waiting for.
    awaiting: RwSignal<u32>,
}

thread_local! {
    static CLIENT: RefCell<Option<WorkerClient>> = const { RefCell::new(None) };
}

impl AppState {
    /// Creates the state and starts the worker.
    pub fn new() -> Self {
        let state = Self {
            step: RwSignal::new(Step::Data),
            dataset: RwSignal::new(None),
            bundled: RwSignal::new(None),
            target: RwSignal::new(String::new()),
            positive: RwSignal::new(String::new()),
            sensitive: RwSignal::new(String::new()),
            model: RwSignal::new("logistic".to_string()),
            hyper: RwSignal::new(Hyper::default()),
            excluded: RwSignal::new(Vec::new()),
            drop_sensitive: RwSignal::new(false),
            test_fraction: RwSignal::new(0.3),
            seed: RwSignal::new(crate::core::rng::DEFAULT_SEED),
            result: RwSignal::new(None),
            busy: RwSignal::new(None),
            error: RwSignal::new(None),
            awaiting: RwSignal::new(0),
        };
        state.start_worker();
        state
    }

    fn start_worker(self) {
        match WorkerClient::start(move |reply| self.on_reply(reply)) {
            Ok(client) => CLIENT.with(|c| *c.borrow_mut() = Some(client)),
            Err(e) => self.error.set(Some(format!(
                "The background worker could not start ({}). Fairground needs a browser with module workers.",
                e.as_string().unwrap_or_default()
            ))),
        }
    }

    fn send(self, request: Request, bytes: Option<Vec<u8>>, label: &str) {
        self.error.set(None);
        let sent = CLIENT.with(|c| c.borrow_mut().as_mut().map(|client| client.send(&request, bytes)));
        match sent {
            Some(Ok(id)) => {
                self.awaiting.set(id);
                self.busy.set(Some(Busy { label: label.to_string(), fraction: 0.0 }));
            }
            Some(Err(e)) => {
                self.error.set(Some(format!("Could not reach the worker: {}", e.as_string().unwrap_or_default())))
            }
            None => self.error.set(Some("The background worker is not running; reload the page.".into())),
        }
    }

    /// Stops the work under way (the worker is restarted; the loaded data must be loaded again).
    pub fn cancel(self) {
        CLIENT.with(|c| {
            if let Some(client) = c.borrow_mut().take() {
                client.terminate();
            }
        });
        self.busy.set(None);
        self.dataset.set(None);
        self.result.set(None);
        self.start_worker();
    }

    fn on_reply(self, reply: Reply) {
        if reply.id != self.awaiting.get_untracked() && reply.id != 0 {
            return;
        }
        match reply.body {
            ReplyBody::Progress { fraction, label } => self.busy.set(Some(Busy { label, fraction })),
            ReplyBody::Loaded { dataset } => {
                self.busy.set(None);
                self.result.set(None);
                self.choose_default_roles(&dataset);
                self.excluded.set(Vec::new());
                self.dataset.set(Some(dataset));
                self.step.set(Step::Model);
            }
            ReplyBody::Trained { result } => {
                self.busy.set(None);
                self.result.set(Some(result));
                self.step.set(Step::Fairness);
            }
            ReplyBody::Failed { message } => {
                self.busy.set(None);
                self.error.set(Some(message));
            }
        }
    }

    fn choose_default_roles(self, dataset: &DatasetInfo) {
        let has = |name: &str| dataset.columns.iter().any(|c| c.name == name);
        if let Some(b) = self.bundled.get_untracked().filter(|b| has(b.target) && has(b.sensitive)) {
            self.target.set(b.target.to_string());
            self.positive.set(b.positive.to_string());
            self.sensitive.set(b.sensitive.to_string());
            return;
        }
        // An uploaded file: the last column as target, its rarer value as positive, and the
        // first other categorical column with few values as the sensitive attribute.
        let target = dataset.columns.last();
        self.target.set(target.map(|c| c.name.clone()).unwrap_or_default());
        self.positive.set(target.and_then(|c| c.values.last().map(|v| v.0.clone())).unwrap_or_default());
        let sensitive = dataset
            .columns
            .iter()
            .filter(|c| Some(&c.name) != target.map(|t| &t.name))
            .find(|c| (2..=10).contains(&c.distinct) && !c.values.is_empty());
        self.sensitive.set(sensitive.map(|c| c.name.clone()).unwrap_or_default());
    }

    /// Drops the loaded data and results: the worker does the same when new data arrive, so a
    /// failed load never leaves the page showing data the worker no longer has.
    fn forget_data(self) {
        self.dataset.set(None);
        self.result.set(None);
        self.step.set(Step::Data);
    }

    /// True when the step can be opened: data needs nothing, the model needs data, the rest a
    /// trained model.
    pub fn reachable(self, step: Step) -> bool {
        match step {
            Step::Data => true,
            Step::Model => self.dataset.with(|d| d.is_some()),
            Step::Fairness | Step::Mitigate | Step::Explain => self.result.with(|r| r.is_some()),
        }
    }

    /// The values of the current target column, most frequent first.
    pub fn target_values(self) -> Vec<String> {
        let target = self.target.get();
        self.dataset.with(|d| {
            d.as_ref()
                .and_then(|d| d.columns.iter().find(|c| c.name == target))
                .map(|c| c.values.iter().map(|v| v.0.clone()).collect())
                .unwrap_or_default()
        })
    }

    /// Loads a bundled dataset (a same-origin GET of the app's own file).
    pub fn load_bundled(self, dataset: &'static Bundled) {
        self.forget_data();
        self.bundled.set(Some(dataset));
        self.busy.set(Some(Busy { label: format!("Fetching {}", dataset.title), fraction: 0.0 }));
        leptos::task::spawn_local(async move {
            match fetch_bytes(dataset.path).await {
                Ok(bytes) => {
                    self.send(Request::LoadCsv { name: dataset.title.to_string() }, Some(bytes), "Reading the file")
                }
                Err(message) => {
                    self.busy.set(None);
                    self.error.set(Some(message));
                }
            }
        });
    }

    /// Loads a file the user picked or dropped. Its bytes go to this page's worker only.
    pub fn load_file(self, file: web_sys::File) {
        self.forget_data();
        self.bundled.set(None);
        let name = file.name();
        self.busy.set(Some(Busy { label: format!("Opening {name}"), fraction: 0.0 }));
        leptos::task::spawn_local(async move {
            match JsFuture::from(file.array_buffer()).await {
                Ok(buffer) => {
                    let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
                    self.send(Request::LoadCsv { name }, Some(bytes), "Reading the file");
                }
                Err(_) => {
                    self.busy.set(None);
                    self.error.set(Some(format!("The browser could not read '{name}'. Try choosing it again.")));
                }
            }
        });
    }

    /// Trains the chosen model with the chosen roles.
    pub fn train(self) {
        let target = self.target.get_untracked();
        let positive = self.positive.get_untracked();
        let sensitive = self.sensitive.get_untracked();
        if target.is_empty() || positive.is_empty() {
            self.error.set(Some("Choose the target column and its positive value first.".into()));
            return;
        }
        let spec = TrainSpec {
            roles: Roles {
                target,
                positive: PositiveRule::Values(vec![positive]),
                sensitive: if sensitive.is_empty() {
                    vec![]
                } else {
                    vec![SensitiveSpec { column: sensitive, binning: Binning::None }]
                },
                exclude: self.excluded.get_untracked(),
                drop_sensitive: self.drop_sensitive.get_untracked(),
                min_group_size: 30,
            },
            split: SplitSpec {
                seed: self.seed.get_untracked(),
                test_fraction: self.test_fraction.get_untracked(),
                split_column: None,
            },
            model: self.hyper.get_untracked().spec(&self.model.get_untracked()),
            weights: None,
        };
        self.send(Request::Train { spec }, None, "Training");
    }
}

impl Default for AppState {
    fn default() -> Self {
        Self::new()
    }
}

async fn fetch_bytes(path: &str) -> Result<Vec<u8>, String> {
    let window = web_sys::window().ok_or("No window.")?;
    let failed = |what: &str| format!("Could not load the bundled file {path} ({what}). Reload the page.");
    let response = JsFuture::from(window.fetch_with_str(path)).await.map_err(|_| failed("network"))?;
    let response: web_sys::Response = response.dyn_into().map_err(|_| failed("no response"))?;
    if !response.ok() {
        return Err(failed(&format!("HTTP {}", response.status())));
    }
    let buffer =
        JsFuture::from(response.array_buffer().map_err(|_| failed("body"))?).await.map_err(|_| failed("body"))?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}
