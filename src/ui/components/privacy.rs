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
        Experiment::Adversarial { .. } => PrivacyRun::Adversarial { epsilon: 0.1 },
        Experiment::LaplaceCount { epsilon } => PrivacyRun::Laplace { epsilon, releases: 1000 },
        Experiment::Footprint => PrivacyRun::Footprint,
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
    }
}

/// A button that runs the experiment, and its result once it arrives.
#[component]
pub fn PrivacyPanel(run: PrivacyRun) -> impl IntoView {
    let state = expect_context::<AppState>();
    let id = kind(&run);
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
                {move || matches!(request.get(), PrivacyRun::DpSgd { .. }).then(|| view! { <DpSgdSliders run=request/> })}
                <button type="button" class="primary" data-testid=format!("run-{id}")
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
                <p class="hint">{format!("Selection rate by group, federated: {}.", iid.federated_report.groups.iter()
                    .map(|(g, m)| format!("{g} {}", fmt_rate(m.selection_rate))).collect::<Vec<_>>().join(", "))}</p>
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
        PrivacyOutcome::Adversarial { report, mean_l2_flip } => view! {
            <div data-testid="privacy-result">
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
        PrivacyOutcome::Footprint { footprint } => view! {
            <div data-testid="privacy-result">
                <p>{format!("About {:.2e} floating-point operations: {:.3} s, {:.1} J, {:.4} g of CO₂ under these assumptions:", footprint.flops, footprint.seconds, footprint.joules, footprint.grams_co2)}</p>
                <ul>{footprint.assumptions.iter().map(|a| view! { <li>{format!("{}: {} {} — {}", a.name, a.value, a.unit, a.note)}</li> }).collect_view()}</ul>
            </div>
        }.into_any(),
    }
}
