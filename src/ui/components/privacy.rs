//! The live panels of the privacy and robustness lessons: membership inference, DP-SGD against
//! ε, FedAvg and secure aggregation, adversarial examples, the Laplace mechanism and the compute
//! footprint — each run in the worker on the current model's training and test rows.

use super::fmt_rate;
use crate::lessons::Experiment;
use crate::session::{PrivacyOutcome, PrivacyRun};
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
    let request = run.clone();
    view! {
        <div class="experiment" data-testid=format!("privacy-{id}")>
            <Show when=move || state.result.with(|r| r.is_some()) fallback=move || view! {
                <p class="muted">"These experiments run on a trained model. "
                    <button type="button" data-testid=format!("privacy-setup-{id}") on:click=move |_| {
                        state.run_experiment(Experiment::Bundled { dataset: "adult", sensitive: "sex" });
                    }>"Load the Adult data and train"</button></p>
            }>
                {
                    let request = request.clone();
                    view! {
                        <button type="button" class="primary" data-testid=format!("run-{id}")
                            on:click=move |_| state.run_privacy(request.clone())
                            disabled=move || state.busy.with(|b| b.is_some())>"Run it on the current model"</button>
                    }
                }
            </Show>
            {move || state.privacy.with(|p| p.as_ref().filter(|(r, _)| kind(r) == id).map(|(_, o)| outcome_view(o.clone())))}
        </div>
    }
}

fn outcome_view(o: PrivacyOutcome) -> impl IntoView {
    match o {
        PrivacyOutcome::Membership { report } => view! {
            <div data-testid="privacy-result">
                <p>{format!("The deep tree is right on {:.1} % of its training rows (members) but {:.1} % of unseen rows.",
                    100.0 * report.member_accuracy, 100.0 * report.non_member_accuracy)}</p>
                <p>"Attack AUC (members vs non-members): confidence threshold "<strong data-testid="attack-auc">{fmt_rate(report.threshold.auc)}</strong>
                   {report.shadow.as_ref().map(|s| format!(", shadow models {}", fmt_rate(s.auc)))}
                   ". 0.5 would mean the attacker learns nothing."</p>
            </div>
        }.into_any(),
        PrivacyOutcome::DpSgd { points, groups } => view! {
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
