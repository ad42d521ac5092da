//! The live panels of the privacy and robustness lessons: membership inference, DP-SGD against
//! ε, FedAvg and secure aggregation, adversarial examples, the Laplace mechanism and the compute
//! footprint — each run in the worker on the current model's training and test rows.

use super::chart::Chart;
use super::fmt_rate;
use crate::lessons::Experiment;
use crate::protocol::{PrivacyOutcome, PrivacyRun};
use crate::ui::state::AppState;
use leptos::prelude::*;

/// The run a lesson experiment asks for, if it is one of these.
pub fn run_of(e: &Experiment) -> Option<PrivacyRun> {
    Some(match *e {
        Experiment::MembershipInference { .. } => PrivacyRun::Membership,
        Experiment::DpSgd { clip, q, steps, .. } => {
            PrivacyRun::DpSgd { clip, sampling_rate: q, steps: u64::from(steps) }
        }
        Experiment::FedAvg { non_iid } => PrivacyRun::FedAvg { non_iid },
        Experiment::SecureAggregation { clients } => PrivacyRun::SecureAggregation { clients: usize::from(clients) },
        Experiment::Adversarial { .. } => PrivacyRun::Adversarial { epsilon: 0.1, row: 0 },
        Experiment::LaplaceCount { epsilon } => PrivacyRun::Laplace { epsilon, releases: 1000 },
        Experiment::Footprint => PrivacyRun::Footprint,
        Experiment::Drift => PrivacyRun::Drift { shift: 0.5 },
        _ => return None,
    })
}

fn kind(run: &PrivacyRun) -> &'static str {
    match run {
        PrivacyRun::Membership => "membership",
        PrivacyRun::DpSgd { .. } => "dp-sgd",
        PrivacyRun::FedAvg { .. } => "fedavg",
        PrivacyRun::SecureAggregation { .. } => "secure-aggregation",
        PrivacyRun::Adversarial { .. } => "adversarial",
        PrivacyRun::Laplace { .. } => "laplace",
        PrivacyRun::Footprint => "footprint",
        PrivacyRun::Drift { .. } => "drift",
    }
}

/// The run button's test id (`lessons::controls` names these).
fn run_id(run: &PrivacyRun) -> &'static str {
    match run {
        PrivacyRun::Membership => "run-membership",
        PrivacyRun::DpSgd { .. } => "run-dp-sgd",
        PrivacyRun::FedAvg { .. } => "run-fedavg",
        PrivacyRun::SecureAggregation { .. } => "run-secure-aggregation",
        PrivacyRun::Adversarial { .. } => "run-adversarial",
        PrivacyRun::Laplace { .. } => "run-laplace",
        PrivacyRun::Footprint => "run-footprint",
        PrivacyRun::Drift { .. } => "run-drift",
    }
}

/// One number of the run, read and written by a slider.
fn field(
    run: RwSignal<PrivacyRun>,
    get: fn(&PrivacyRun) -> f64,
    set: fn(&mut PrivacyRun, f64),
) -> (Signal<f64>, impl Fn(f64) + Copy) {
    (Signal::derive(move || run.with(get)), move |v| run.update(|r| set(r, v)))
}

/// The controls a lesson's text names, for the runs that have any.
#[component]
fn RunControls(run: RwSignal<PrivacyRun>) -> impl IntoView {
    match run.get_untracked() {
        PrivacyRun::DpSgd { .. } => view! { <DpSgdSliders run=run/> }.into_any(),
        PrivacyRun::Laplace { .. } => {
            let (value, set) = field(run, |r| if let PrivacyRun::Laplace { epsilon, .. } = r { *epsilon } else { 1.0 },
                |r, v| if let PrivacyRun::Laplace { epsilon, .. } = r { *epsilon = v.max(0.05) });
            view! {
                <div class="form-grid"><Slider id="laplace-epsilon" label="ε (privacy loss)" min=0.05 max=5.0 step=0.05 value=value set=set/></div>
                <LaplaceCurves epsilon=value/>
            }.into_any()
        }
        PrivacyRun::Adversarial { .. } => {
            let (eps, set_eps) = field(run, |r| if let PrivacyRun::Adversarial { epsilon, .. } = r { *epsilon } else { 0.1 },
                |r, v| if let PrivacyRun::Adversarial { epsilon, .. } = r { *epsilon = v.max(0.0) });
            let (row, set_row) = field(run, |r| if let PrivacyRun::Adversarial { row, .. } = r { *row as f64 } else { 0.0 },
                |r, v| if let PrivacyRun::Adversarial { row, .. } = r { *row = v.max(0.0) as usize });
            view! {
                <div class="form-grid">
                    <Slider id="fgsm-epsilon" label="FGSM ε (every encoded feature moves by ε)" min=0.0 max=1.0 step=0.01 value=eps set=set_eps/>
                    <label for="adversarial-row">"Test row to flip (its position among the test rows)"</label>
                    <input type="number" id="adversarial-row" data-testid="adversarial-row" min="0" step="1"
                        prop:value=move || row.get().to_string()
                        on:change=move |ev| { if let Ok(v) = event_target_value(&ev).parse::<f64>() { set_row(v) } }/>
                </div>
            }.into_any()
        }
        PrivacyRun::FedAvg { .. } => view! {
            <label class="check"><input type="checkbox" data-testid="fedavg-non-iid"
                prop:checked=move || matches!(run.get(), PrivacyRun::FedAvg { non_iid: true })
                on:change=move |ev| { let on = event_target_checked(&ev); run.set(PrivacyRun::FedAvg { non_iid: on }); }/>
                " Split the clients by group (non-IID); unticked: at random (IID)"</label>
        }.into_any(),
        PrivacyRun::Drift { .. } => {
            let (value, set) = field(run, |r| if let PrivacyRun::Drift { shift } = r { *shift } else { 0.0 },
                |r, v| if let PrivacyRun::Drift { shift } = r { *shift = v });
            view! { <div class="form-grid"><Slider id="drift-shift" label="Shift of the numeric features in the new data (training standard deviations)" min=-2.0 max=2.0 step=0.1 value=value set=set/></div> }.into_any()
        }
        _ => ().into_any(),
    }
}

/// The Laplace mechanism's output densities on two neighbouring data sets (true counts 0 and
/// 1), drawn as two lines; computed on the page from the closed form (111 points).
#[component]
fn LaplaceCurves(epsilon: Signal<f64>) -> impl IntoView {
    let (lo, hi) = crate::lessons::controls::LAPLACE_RANGE;
    let curves = Memo::new(move |_| crate::lessons::controls::laplace_curves(epsilon.get(), 111));
    let line = move |pick: fn(&(f64, f64, f64)) -> f64| {
        curves.with(|c| {
            let top = c.iter().map(|p| p.1.max(p.2)).fold(f64::MIN_POSITIVE, f64::max);
            c.iter()
                .map(|p| format!("{:.1},{:.1}", (p.0 - lo) / (hi - lo) * 220.0, 80.0 - 75.0 * pick(p) / top))
                .collect::<Vec<_>>()
                .join(" ")
        })
    };
    view! {
        <svg viewBox="0 0 220 82" width="330" height="123" role="img" data-testid="laplace-curves"
            aria-label="Output densities of the noisy count without and with one more person">
            <polyline fill="none" stroke="#1f77b4" stroke-width="1.5" points=move || line(|p| p.1)/>
            <polyline fill="none" stroke="#d62728" stroke-width="1.5" stroke-dasharray="4 2" points=move || line(|p| p.2)/>
        </svg>
        <p class="hint" data-testid="laplace-ratio">{move || {
            let e = epsilon.get();
            let worst = curves.with(|c| c.iter().map(|(_, a, b)| (a / b).max(b / a)).fold(1.0, f64::max));
            format!("Blue: true count n; red dashed: n + 1 (outputs from n − 5 to n + 6). Largest height ratio {worst:.3} ≤ e^ε = {:.3}.", e.exp())
        }}</p>
    }
}

/// A button that runs the experiment, and its result once it arrives.
#[component]
pub fn PrivacyPanel(run: PrivacyRun) -> impl IntoView {
    let state = expect_context::<AppState>();
    let id = kind(&run);
    let run_button = run.clone();
    // The DP-SGD panel's sliders change the run before it is sent; the others run as given.
    let request = RwSignal::new(run);
    view! {
        <div class="experiment" data-testid=format!("privacy-{id}")>
            <Show when=move || state.result.with(|r| r.is_some()) fallback=move || view! {
                <p class="muted">"These experiments run on a trained model. "
                    <button type="button" data-testid=format!("privacy-setup-{id}") on:click=move |_| {
                        state.run_experiment(Experiment::Bundled { dataset: "adult", sensitive: "sex" });
                    }>"Load the Adult data and train"</button></p>
            }>
                <RunControls run=request/>
                <button type="button" class="primary" data-testid=run_id(&run_button)
                    on:click=move |_| state.run_privacy(request.get_untracked())
                    disabled=move || state.busy.with(|b| b.is_some())>"Run it on the current model"</button>
            </Show>
            {move || state.privacy.with(|p| p.as_ref().filter(|(r, _)| kind(r) == id).map(|(_, o)| outcome_view(o.clone())))}
        </div>
    }
}

/// One slider of the DP-SGD panel.
#[component]
fn Slider(
    id: &'static str,
    label: &'static str,
    min: f64,
    max: f64,
    step: f64,
    #[prop(into)] value: Signal<f64>,
    set: impl Fn(f64) + 'static,
) -> impl IntoView {
    let on_input = move |ev: leptos::ev::Event| {
        if let Ok(v) = event_target_value(&ev).parse::<f64>() {
            set(v);
        }
    };
    view! {
        <label for=id>{label}</label>
        <div>
            <input type="range" id=id data-testid=id min=min max=max step=step prop:value=move || value.get().to_string()
                on:input=on_input/>
            <output for=id>{move || format!("{}", value.get())}</output>
        </div>
    }
}

/// Clipping norm C, sampling rate q and steps; the noise σ is swept (0, 0.5, 1, 2, 4).
#[component]
fn DpSgdSliders(run: RwSignal<PrivacyRun>) -> impl IntoView {
    let get = move |f: fn(f64, f64, u64) -> f64| {
        Signal::derive(move || match run.get() {
            PrivacyRun::DpSgd { clip, sampling_rate, steps } => f(clip, sampling_rate, steps),
            _ => 0.0,
        })
    };
    let set = move |f: fn(&mut f64, &mut f64, &mut u64, f64)| {
        move |v: f64| {
            run.update(|r| {
                if let PrivacyRun::DpSgd { clip, sampling_rate, steps } = r {
                    f(clip, sampling_rate, steps, v);
                }
            })
        }
    };
    view! {
        <div class="form-grid dp-sliders">
            <Slider id="dp-clip" label="Clipping norm C (each example's gradient is cut to this length)" min=0.1 max=5.0 step=0.1
                value=get(|c, _, _| c) set=set(|c, _, _, v| *c = v)/>
            <Slider id="dp-q" label="Sampling rate q (share of rows in each step's batch)" min=0.001 max=0.2 step=0.001
                value=get(|_, q, _| q) set=set(|_, q, _, v| *q = v)/>
            <Slider id="dp-steps" label="Steps (more steps: more accuracy, less privacy)" min=10.0 max=2000.0 step=10.0
                value=get(|_, _, t| t as f64) set=set(|_, _, t, v| *t = v.round().max(1.0) as u64)/>
        </div>
        <p class="hint">"Each run trains five models, with noise multiplier σ = 0, 0.5, 1, 2 and 4; ε comes from the Rényi accountant at δ ≤ 1e-5."</p>
    }
}

fn outcome_view(o: PrivacyOutcome) -> impl IntoView {
    match o {
        PrivacyOutcome::Membership { report } => view! {
            <div data-testid="privacy-result">
                {
                    let figure = crate::figures::membership_roc(&report);
                    view! { <Chart figure=Signal::derive(move || Some(figure.clone())) test_id="membership-roc"
                        description=Signal::derive(|| "ROC curve of the membership-inference attacks".to_string())/> }
                }
                <p>{format!("The deep tree is right on {:.1} % of its training rows (members) but {:.1} % of unseen rows.",
                    100.0 * report.member_accuracy, 100.0 * report.non_member_accuracy)}</p>
                <p>"Attack AUC (members vs non-members): confidence threshold "<strong data-testid="attack-auc">{fmt_rate(report.threshold.auc)}</strong>
                   {report.shadow.as_ref().map(|s| format!(", shadow models {}", fmt_rate(s.auc)))}
                   ". 0.5 would mean the attacker learns nothing."</p>
            </div>
        }.into_any(),
        PrivacyOutcome::DpSgd { points, groups } => view! {
            {
                let figure = crate::figures::dp_tradeoff(&points, &groups);
                view! { <Chart figure=Signal::derive(move || Some(figure.clone())) test_id="dp-tradeoff"
                    description=Signal::derive(|| "Accuracy and attack AUC against epsilon".to_string())/> }
            }
            <table class="metrics" data-testid="privacy-result">
                <thead><tr><th scope="col">"Noise σ"</th><th scope="col">"ε (δ ≤ 1e-5)"</th><th scope="col">"Test accuracy"</th>
                    {groups.iter().map(|g| view! { <th scope="col">{format!("accuracy, {g}")}</th> }).collect_view()}
                    <th scope="col">"Attack AUC"</th></tr></thead>
                <tbody>{points.iter().map(|p| view! {
                    <tr><th scope="row">{format!("{:.1}", p.noise_multiplier)}</th>
                        <td>{p.epsilon.map_or("∞ (no guarantee)".to_string(), |e| format!("{e:.2}"))}</td>
                        <td>{format!("{:.3}", p.test_accuracy)}</td>
                        {p.test_group_accuracy.iter().map(|a| view! { <td>{fmt_rate(*a)}</td> }).collect_view()}
                        <td>{fmt_rate(p.membership_auc)}</td></tr>
                }).collect_view()}</tbody>
            </table>
        }.into_any(),
        PrivacyOutcome::FedAvg { iid, non_iid } => view! {
            <div data-testid="privacy-result">
                <p>{format!("{} clients ({}), {} rounds: federated test accuracy {:.3} against {:.3} when the data are pooled centrally.",
                    iid.client_sizes.len(), if non_iid { "each holding one group: non-IID" } else { "random split: IID" },
                    iid.rounds.len(), iid.federated_test_accuracy, iid.centralised_test_accuracy)}</p>
                <table class="metrics" data-testid="fedavg-groups"><thead><tr><th scope="col">"Group"</th><th scope="col">"Accuracy, federated"</th>
                    <th scope="col">"Accuracy, central"</th><th scope="col">"Selection rate, federated"</th></tr></thead>
                <tbody>{iid.federated_report.groups.iter().map(|(g, m)| view! {
                    <tr><th scope="row">{g.clone()}</th><td>{fmt_rate(m.accuracy)}</td>
                        <td>{fmt_rate(iid.centralised_report.groups.get(g).and_then(|c| c.accuracy))}</td><td>{fmt_rate(m.selection_rate)}</td></tr>
                }).collect_view()}</tbody></table>
            </div>
        }.into_any(),
        PrivacyOutcome::SecureAggregation { result } => view! {
            <div data-testid="privacy-result">
                <p>"What the server sees (first three numbers of each client's masked update):"</p>
                <ul>{result.masked.iter().enumerate().map(|(i, m)| view! {
                    <li>{format!("client {}: {}", i + 1, m.iter().take(3).map(|v| format!("{v:.3}")).collect::<Vec<_>>().join(", "))}</li>
                }).collect_view()}</ul>
                <p>{format!("Their sum: {} — the true sum: {} (largest difference {:.1e}). The masks cancel; no single update is revealed.",
                    result.recovered_sum.iter().take(3).map(|v| format!("{v:.4}")).collect::<Vec<_>>().join(", "),
                    result.true_sum.iter().take(3).map(|v| format!("{v:.4}")).collect::<Vec<_>>().join(", "), result.max_error)}</p>
            </div>
        }.into_any(),
        PrivacyOutcome::Adversarial { report, mean_l2_flip, row } => view! {
            <div data-testid="privacy-result">
                {row.map(|r| view! { <p data-testid="linf-check">{format!(
                    "Test row {}: log-odds {:.3}. Smallest flip: L2 {:.4}, L∞ {:.4} (every feature moved by {:.4}; the decision {}; 99 % of that step {}). FGSM at ε = {} {} this row.",
                    r.row, r.log_odds, r.l2, r.linf, r.linf_largest_change,
                    if r.linf_flips { "flips" } else { "does not flip" }, if r.linf_99_flips { "flips too" } else { "does not" },
                    report.epsilon, if r.fgsm_flips { "flips" } else { "does not flip" })}</p> })}
                <p>{mean_l2_flip.map(|d| format!("On average a test row's decision flips after a change of only {d:.3} (L2, in standard deviations of the encoded features)."))}</p>
                <table class="metrics"><thead><tr><th scope="col">"Training"</th><th scope="col">"Clean accuracy"</th><th scope="col">{format!("Accuracy under FGSM, ε = {}", report.epsilon)}</th></tr></thead>
                <tbody>
                    <tr><th scope="row">"Standard"</th><td>{format!("{:.3}", report.standard.clean_accuracy)}</td><td>{format!("{:.3}", report.standard.robust_accuracy)}</td></tr>
                    <tr><th scope="row">"Adversarial"</th><td>{format!("{:.3}", report.adversarial.clean_accuracy)}</td><td>{format!("{:.3}", report.adversarial.robust_accuracy)}</td></tr>
                </tbody></table>
            </div>
        }.into_any(),
        PrivacyOutcome::Laplace { true_count, epsilon, releases } => {
            let n = releases.len().max(1) as f64;
            let mean = releases.iter().sum::<f64>() / n;
            let sd = (releases.iter().map(|r| (r - mean) * (r - mean)).sum::<f64>() / n).sqrt();
            view! {
                <div data-testid="privacy-result">
                    <p>{format!("True count of positive labels: {true_count}. {} noisy releases at ε = {epsilon}: mean {mean:.1}, spread {sd:.1} (theory: √2/ε = {:.1}). First five: {}.",
                        releases.len(), std::f64::consts::SQRT_2 / epsilon,
                        releases.iter().take(5).map(|r| format!("{r:.1}")).collect::<Vec<_>>().join(", "))}</p>
                </div>
            }.into_any()
        }
        PrivacyOutcome::Drift { report, shift, groups } => {
            let mut columns = report.columns;
            crate::core::order::sort_by_key(&mut columns, |c| c.value, true);
            view! {
                <div data-testid="privacy-result">
                    <p>{format!("All rows, numeric features moved by {shift} training standard deviations, against the training rows: {} of {} columns flagged (PSI > {}, total variation > {}).",
                        report.flagged.len(), columns.len(), report.psi_threshold, report.tv_threshold)}</p>
                    <table class="metrics" data-testid="drift-result"><thead><tr><th scope="col">"Column"</th><th scope="col">"Measure"</th><th scope="col">"Value"</th><th scope="col">"Flagged"</th></tr></thead>
                    <tbody>{columns.into_iter().take(10).map(|c| view! {
                        <tr><th scope="row">{c.column}</th><td>{if matches!(c.measure, crate::core::whatif::DriftMeasure::Psi) { "PSI" } else { "total variation" }}</td>
                            <td>{format!("{:.3}", c.value)}</td><td>{if c.flagged { "yes" } else { "" }}</td></tr>
                    }).collect_view()}</tbody></table>
                    <table class="metrics" data-testid="drift-groups">
                        <caption>"Each group's test rows before and after the shift (decisions at score 0.5; the labels did not move)"</caption>
                        <thead><tr><th scope="col">"Group"</th><th scope="col">"Rows"</th>
                            <th scope="col">"Accuracy before → after"</th><th scope="col">"Selection rate before → after"</th>
                            <th scope="col">"TPR before → after"</th><th scope="col">"FPR before → after"</th></tr></thead>
                        <tbody>{groups.into_iter().map(|g| {
                            let pair = |a: Option<f64>, b: Option<f64>| format!("{} → {}", super::fmt_rate(a), super::fmt_rate(b));
                            view! { <tr><th scope="row">{g.group}</th><td>{g.rows}</td>
                                <td>{pair(g.before.accuracy, g.after.accuracy)}</td>
                                <td>{pair(g.before.selection_rate, g.after.selection_rate)}</td>
                                <td>{pair(g.before.true_positive_rate, g.after.true_positive_rate)}</td>
                                <td>{pair(g.before.false_positive_rate, g.after.false_positive_rate)}</td></tr> }
                        }).collect_view()}</tbody>
                    </table>
                </div>
            }.into_any()
        }
        PrivacyOutcome::Footprint { footprint } => view! {
            <div data-testid="privacy-result">
                <p>{format!("About {:.2e} floating-point operations: {:.3} s, {:.1} J, {:.4} g of CO₂ under these assumptions:", footprint.flops, footprint.seconds, footprint.joules, footprint.grams_co2)}</p>
                <ul>{footprint.assumptions.iter().map(|a| view! { <li>{format!("{}: {} {} — {}", a.name, a.value, a.unit, a.note)}</li> }).collect_view()}</ul>
            </div>
        }.into_any(),
    }
}
