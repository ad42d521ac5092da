//! What the page asks of the worker, step by step: loading and generating data, training,
//! intervals, mitigation, explanations and exports.

use super::*;

impl AppState {
    /// The audit at the current thresholds (recomputed on every threshold move: a binary search
    /// per group).
    pub fn report(self) -> Option<AuditReport> {
        let thresholds = self.thresholds.get();
        self.auditor.with(|a| {
            let a = a.as_ref()?;
            let options = AuditOptions { thresholds: Thresholds::PerGroup(thresholds), ..AuditOptions::default() };
            a.report(&options).ok()
        })
    }

    /// Asks the worker for 95 % bootstrap intervals (1,000 resamples) at the current thresholds.
    pub fn compute_intervals(self) {
        super::coach::record(crate::lessons::coach::EventKind::IntervalsComputed, "bootstrap");
        let spec = BootstrapSpec { resamples: 1000, confidence: 0.95, seed: self.seed.get_untracked() };
        let thresholds = self.thresholds.get_untracked();
        self.send(Request::Bootstrap { thresholds, spec }, None, "Resampling for confidence intervals");
    }

    /// Audits the output columns picked in the Model step in place of a trained model (the
    /// first is the model of the later steps); all of them are compared on the same rows.
    pub fn audit_outputs(self) {
        match self.model_settings().outputs_request(&self.outputs.get_untracked()) {
            Ok(spec) => self.send_outputs(spec),
            Err(message) => self.error.set(Some(message)),
        }
    }

    /// Joins a second CSV of predictions to the loaded table (by row order or an ID column).
    pub fn join_predictions(self, file: web_sys::File, key: crate::core::outputs::join::JoinKey) {
        let name = file.name();
        leptos::task::spawn_local(async move {
            match JsFuture::from(file.array_buffer()).await {
                Ok(buffer) => self.send_join(file, key, js_sys::Uint8Array::new(&buffer).to_vec()),
                Err(_) => self.error.set(Some(format!("The browser could not read '{name}'. Try choosing it again."))),
            }
        });
    }

    /// Compares the model trained here (when there is one) and the picked outputs on the same
    /// rows.
    pub fn compare_models(self) {
        let settings = self.model_settings();
        let spec = match settings.outputs_request(&settings.outputs) {
            Ok(spec) => spec,
            // Only a trained model: compare it alone (the worker needs the roles).
            Err(_) if settings.outputs.is_empty() => match settings.train_spec() {
                Ok(t) => crate::protocol::OutputsRequest {
                    roles: t.roles,
                    outputs: Vec::new(),
                    split_column: t.split.split_column,
                },
                Err(message) => return self.error.set(Some(message)),
            },
            Err(message) => return self.error.set(Some(message)),
        };
        self.send(Request::Compare { spec }, None, "Comparing the models on the same rows");
    }

    /// Makes a model of the comparison the one the Fairness, Mitigate and Explain steps use: an
    /// output column is moved first and the outputs audited again; the trained model is given
    /// back by training the same spec again (deterministic: the same model). The comparison is
    /// then made again, so the table keeps every model.
    pub fn use_model(self, name: &str) {
        let outputs = self.outputs.with_untracked(|o| crate::page::outputs::with_first(o, name));
        self.recompare.set(true);
        match outputs {
            Some(outputs) => {
                self.outputs.set(outputs);
                self.audit_outputs();
            }
            None => match self.trained_spec() {
                Some(spec) => self.send_train(Request::Train { spec }, "Training the model again"),
                None => {
                    self.recompare.set(false);
                    self.error.set(Some(format!("The model '{name}' is no longer in the worker; train it again.")));
                }
            },
        }
    }

    /// Asks the worker for the best rule: fitted on the validation rows (else the training
    /// rows), judged on the test rows.
    pub fn mitigate(self) {
        let spec = self.mitigation_spec.get_untracked();
        super::coach::record(crate::lessons::coach::EventKind::ConstraintRun, spec.constraint.name());
        self.send(Request::Mitigate { spec }, None, "Fitting the rule on the training rows");
    }

    /// Asks the worker for the frontier of the current constraint.
    pub fn compute_frontier(self) {
        let spec = self.mitigation_spec.get_untracked();
        self.send(
            Request::Frontier { constraint: spec.constraint, objective: spec.objective, points: 40 },
            None,
            "Sweeping the tolerance",
        );
    }

    /// Runs one mitigation with its parameters (in the worker; the reductions report each
    /// iteration as progress).
    pub fn run_method(self, run: crate::protocol::MethodRun) {
        self.method_run.set(None);
        self.send(Request::MitigateWith { run }, None, "Running the mitigation");
    }

    /// Asks the worker for every mitigation on one plane, for the trained model's spec.
    pub fn build_plane(self, disparity: crate::core::mitigation::reductions::Constraint) {
        let spec = self.result.with_untracked(|r| r.as_ref().map(|r| r.spec.clone()));
        match spec {
            Some(spec) => {
                self.send(Request::Plane { spec, disparity }, None, "Putting every mitigation on one plane");
            }
            None => self.error.set(Some("Train a model first.".into())),
        }
    }

    /// Makes a variant the model audited on the Fairness step.
    pub fn use_variant(self, variant: crate::protocol::Variant) {
        self.send_variant(variant);
    }

    /// Asks the worker to retrain with reweighing weights.
    pub fn reweigh(self) {
        if let Some(spec) = self.train_spec_or_say() {
            self.send(Request::Reweigh { spec }, None, "Retraining with reweighing weights");
        }
    }

    /// Runs a privacy or robustness experiment on the current model (in the worker).
    pub fn run_privacy(self, run: PrivacyRun) {
        self.send(Request::Privacy { run }, None, "Running the experiment");
    }

    /// Trains trees of depth 1 to 12 on the current data and roles (the accuracy–interpretability
    /// trade-off).
    pub fn sweep_tree_depths(self) {
        if let Some(spec) = self.train_spec_or_say() {
            self.send(
                Request::TreeDepths { spec, depths: (1..=12).collect() },
                None,
                "Training trees of increasing depth",
            );
        }
    }

    /// Asks the worker for the test predictions as CSV.
    pub fn export_predictions(self) {
        super::coach::record(crate::lessons::coach::EventKind::ReportExported, "predictions");
        let thresholds = self.thresholds.get_untracked();
        let names = self.result.with_untracked(|r| r.as_ref().map(|r| r.test.groups.names.clone()).unwrap_or_default());
        let rules = self.mitigation.with_untracked(|m| {
            m.as_ref().and_then(|m| m.as_ref().ok()).map(|m| {
                names.iter().map(|n| m.optimum.groups.get(n).map(|g| g.rule.clone()).unwrap_or_default()).collect()
            })
        });
        self.send(Request::ExportPredictions { thresholds, rules }, None, "Writing the predictions");
    }

    /// Asks the worker for the model's global views.
    pub fn global_view(self) {
        self.send(
            Request::Global { row: self.explain_row.get_untracked() },
            None,
            "Measuring what the model relies on",
        );
    }

    /// Asks the worker for tree `k` (0-based) of the model, with the current row's path.
    pub fn pick_tree(self, k: usize) {
        let row = self.explain_row.get_untracked();
        self.send(Request::Tree { row, tree: k }, None, "Drawing the tree");
    }

    /// Fits (once) the surrogate of the uploaded output in use and judges it against the
    /// required fidelity; a faithful one is then explained.
    pub fn fit_surrogate(self) {
        let required = self.surrogate_required.get_untracked();
        self.send(Request::Surrogate { required }, None, "Fitting a surrogate of your model's output");
    }

    pub(super) fn lime_params(self) -> LimeParams {
        LimeParams { seed: self.seed.get_untracked(), ..LimeParams::default() }
    }

    /// Explains the chosen test row (with its edits) with LIME and SHAP.
    pub fn explain(self) {
        super::coach::record(crate::lessons::coach::EventKind::RowExplained, "explain");
        self.stability.set(None);
        self.counterfactuals.set(None);
        let request = Request::Explain {
            row: self.explain_row.get_untracked(),
            edits: self.edits.get_untracked(),
            lime: self.lime_params(),
            shap_method: ShapMethod::Exact,
        };
        self.send(request, None, "Explaining the row");
    }

    /// LIME ten times with different seeds on the current row.
    pub fn lime_stability(self) {
        self.lime_stability_runs(10);
    }

    /// LIME `runs` times with seeds seed, seed + 1, … on the current row.
    pub fn lime_stability_runs(self, runs: usize) {
        let request = Request::Stability {
            row: self.explain_row.get_untracked(),
            edits: self.edits.get_untracked(),
            lime: self.lime_params(),
            runs,
        };
        self.send(request, None, "Running LIME with several seeds");
    }

    /// Counterfactuals of the current row, with the sensitive attribute locked.
    pub fn counterfactuals(self) {
        let locked = self.explanation.with_untracked(|e| {
            e.as_ref()
                .map(|e| e.features.iter().filter(|f| f.sensitive).map(|f| f.column.clone()).collect())
                .unwrap_or_default()
        });
        let request = Request::Counterfactuals {
            row: self.explain_row.get_untracked(),
            edits: self.edits.get_untracked(),
            locked,
        };
        self.send(request, None, "Searching for counterfactuals");
    }

    /// Partial dependence of the chosen feature, with the current row's ICE curve.
    pub fn partial_dependence(self) {
        let request = Request::PartialDependence {
            row: self.explain_row.get_untracked(),
            edits: self.edits.get_untracked(),
            feature: self.pdp_feature.get_untracked(),
        };
        self.send(request, None, "Computing partial dependence");
    }

    /// Drops the loaded data and results: the worker does the same when new data arrive, so a
    /// failed load never leaves the page showing data the worker no longer has.
    pub(super) fn forget_data(self) {
        self.dataset.set(None);
        self.result.set(None);
        self.auditor.set(None);
        self.data_audit.set(None);
        self.synthetic.set(None);
        self.step.set(Step::Data);
    }

    /// Generates a synthetic dataset from a preset (in the worker; nothing is fetched).
    pub fn generate(self, preset: &'static str) {
        super::coach::record(crate::lessons::coach::EventKind::DataLoaded, preset);
        self.forget_data();
        self.begin_load();
        let seed = self.seed.get_untracked();
        let origin = LoadOrigin::Synthetic { preset, seed };
        self.send_load(Request::Generate { preset: preset.to_string(), seed }, None, "Generating data", origin);
    }

    /// Asks the worker for the data audit of the current roles.
    pub fn check_data(self) {
        super::coach::record(crate::lessons::coach::EventKind::ProxiesChecked, "data check");
        if let Some(spec) = self.train_spec_or_say() {
            self.send(Request::DataAudit { roles: spec.roles }, None, "Checking groups and proxies");
        }
    }

    /// Loads a bundled dataset (a same-origin GET of the app's own file).
    pub fn load_bundled(self, dataset: &'static Bundled) {
        super::coach::record(crate::lessons::coach::EventKind::DataLoaded, dataset.id);
        self.forget_data();
        let ticket = self.begin_load();
        self.busy.set(Some(Busy { label: format!("Fetching {}", dataset.title), fraction: 0.0 }));
        leptos::task::spawn_local(async move {
            let fetched = fetch_bytes(dataset.path).await;
            if !self.is_current_load(ticket) {
                return; // a newer load replaced this one while it was being fetched
            }
            match fetched {
                Ok(bytes) => self.send_load(
                    Request::LoadCsv { name: dataset.title.to_string() },
                    Some(Payload::Bytes(bytes)),
                    "Reading the file",
                    LoadOrigin::Bundled(dataset),
                ),
                Err(message) => {
                    self.busy.set(None);
                    self.error.set(Some(message));
                }
            }
        });
    }

    /// Loads a file the user picked or dropped. Its bytes go to this page's worker only.
    pub fn load_file(self, file: web_sys::File) {
        super::coach::record(crate::lessons::coach::EventKind::DataLoaded, "file");
        self.forget_data();
        let ticket = self.begin_load();
        let name = file.name();
        // The worker reads the file itself, in slices (see `ui::worker::Payload`): the page
        // never holds a copy of it.
        if self.is_current_load(ticket) {
            let payload = Some(Payload::File(file.clone()));
            self.send_load(Request::LoadCsv { name }, payload, "Reading the file", LoadOrigin::Uploaded(file));
        }
    }

    /// Trains the chosen model with the chosen roles.
    pub fn train(self) {
        super::coach::record(crate::lessons::coach::EventKind::ModelTrained, "train");
        if let Some(spec) = self.train_spec_or_say() {
            self.send_train(Request::Train { spec }, "Training");
        }
    }

    /// The training spec the pickers describe now (no side effect; see
    /// [`crate::page::steps::ModelSettings::train_spec`]).
    ///
    /// # Errors
    /// A sentence for the page when the target or its positive value is not chosen.
    pub fn train_spec(self) -> Result<TrainSpec, String> {
        self.model_settings().train_spec()
    }

    /// [`Self::train_spec`], showing its error on the page when there is one.
    fn train_spec_or_say(self) -> Option<TrainSpec> {
        self.train_spec().map_err(|message| self.error.set(Some(message))).ok()
    }
}

pub(super) async fn fetch_bytes(path: &str) -> Result<Vec<u8>, String> {
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
