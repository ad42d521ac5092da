//! Step 3: fairness — the model's quality, every group metric with bootstrap intervals, the
//! disparities (with the four-fifths rule), and the charts: rates with whiskers, ROC curves with
//! operating points, score histograms with thresholds, calibration, confusion matrices.

use super::chart::Chart;
use super::fmt_rate;
use crate::core::metrics::{
    why_left_out, AuditReport, ConfidenceIntervals, Interval, Rate, DISPARITIES, FEW_RESAMPLES_SHARE,
    TOO_SMALL_TO_JUDGE, UNDEFINED,
};
use crate::figures;
use crate::page::viewport::{GROUP_TABLE, GROUP_TABLE_ALL_ROWS};
use crate::ui::state::AppState;
use leptos::prelude::*;

/// A rate with its interval when known: `0.263 [0.249, 0.277]`; an interval resting on fewer
/// than 95 % of the resamples (`share`) is marked `[…]*`.
pub fn with_interval(value: Option<f64>, interval: Option<Interval>, share: Option<f64>) -> String {
    let mark = if share.is_some_and(|s| s < FEW_RESAMPLES_SHARE) { "*" } else { "" };
    match interval.flatten() {
        Some([lo, hi]) => format!("{} [{lo:.3}, {hi:.3}]{mark}", fmt_rate(value)),
        None => fmt_rate(value),
    }
}

/// Every group metric, one row per group, with intervals when computed at these thresholds.
/// Above [`GROUP_TABLE_ALL_ROWS`] groups the table scrolls in a box and holds only the rows in
/// view (with spacer rows for the rest, the arithmetic of `page::viewport` the preview shares),
/// so a slider move with hundreds of groups redraws a dozen rows, not hundreds.
#[component]
pub fn GroupTable(
    #[prop(into)] report: Signal<Option<AuditReport>>,
    #[prop(into)] ci: Signal<Option<ConfidenceIntervals>>,
) -> impl IntoView {
    let scroll_top = RwSignal::new(0.0);
    let scroller = NodeRef::<leptos::html::Div>::new();
    let total = move || report.with(|r| r.as_ref().map_or(0, |r| r.groups.len()));
    let virtual_rows = move || total() > GROUP_TABLE_ALL_ROWS;
    let columns = 2 + Rate::summary().count();
    let range = move || {
        let n = total();
        if n > GROUP_TABLE_ALL_ROWS {
            GROUP_TABLE.window(scroll_top.get(), n, 4)
        } else {
            0..n
        }
    };
    let spacer = move |above: bool| {
        let n = total();
        let (top, bottom) = GROUP_TABLE.spacers(&range(), n);
        let px = if above { top } else { bottom };
        (n > GROUP_TABLE_ALL_ROWS && px > 0.0).then(|| {
            view! {
                <tr class="spacer" aria-hidden="true" style:height=format!("{px}px")><td colspan=columns></td></tr>
            }
        })
    };
    view! {
        <div class:group-scroll=virtual_rows node_ref=scroller data-testid="group-scroll"
            tabindex=move || virtual_rows().then_some("0") role=move || virtual_rows().then_some("region")
            aria-label=move || virtual_rows().then_some("Every metric by group (scrolls)")
            on:scroll=move |_| if let Some(el) = scroller.get_untracked() { scroll_top.set(f64::from(el.scroll_top())) }>
        <table class="metrics" data-testid="group-table" aria-rowcount=move || virtual_rows().then(|| (total() + 1).to_string())>
            <thead><tr>
                <th scope="col">"Group"</th><th scope="col">"Rows"</th>
                {Rate::summary().map(|r| view! { <th scope="col" title=r.meaning>{r.label}</th> }).collect_view()}
            </tr></thead>
            <tbody>
                {move || spacer(true)}
                {move || { let range = range(); report.get().map(|r| r.groups.iter().enumerate().skip(range.start).take(range.len()).map(|(i, (name, m))| {
                    let intervals = ci.get();
                    let small = r.small_groups.contains(name);
                    view! {
                        <tr data-testid="group-row" class:small=small aria-rowindex=i + 2>
                            <th scope="row">{name.clone()}{small.then(|| view! { <span class="hint" data-testid="small-group">{format!(" ({TOO_SMALL_TO_JUDGE})")}</span> })}</th>
                            <td>{m.count}</td>
                            {Rate::summary().map(|rate| {
                                let interval = intervals.as_ref().and_then(|c| c.groups.get(name)).and_then(|i| i.get(rate.key).copied());
                                let share = intervals.as_ref().and_then(|c| c.group_share(name, rate.key));
                                let test_id = rate.key.replace('_', "-");
                                view! { <td data-testid=test_id>{with_interval(rate.of(m), interval, share)}</td> }
                            }).collect_view()}
                        </tr>
                    }
                }).collect_view()) }}
                {move || spacer(false)}
            </tbody>
        </table>
        </div>
        <Show when=virtual_rows>
            <p class="hint" data-testid="group-table-note">{move || format!("{} groups: only the rows in view are drawn; scroll the table to see the others.", total())}</p>
        </Show>
    }
}

/// The disparity cards: each a number, its interval when known, a line saying what it means and
/// the library whose definition it follows; then why any of them is undefined or leaves groups out.
#[component]
pub fn DisparityCards(
    #[prop(into)] report: Signal<Option<AuditReport>>,
    #[prop(into)] ci: Signal<Option<ConfidenceIntervals>>,
) -> impl IntoView {
    let notes = move || {
        report.with(|r| {
            let mut notes: Vec<String> = Vec::new();
            if let Some(r) = r {
                for d in &DISPARITIES {
                    for why in why_left_out(d, r.groups.iter()) {
                        if !notes.contains(&why) {
                            notes.push(why);
                        }
                    }
                }
            }
            notes
        })
    };
    view! {
        <div class="cards four">
            <div class="card" data-testid="four-fifths" class:pass=move || report.with(|r| r.as_ref().and_then(|r| r.disparities.four_fifths_rule_passed) == Some(true))>
                <div class="label">"Four-fifths rule"</div>
                <div class="value">{move || report.with(|r| match r.as_ref().and_then(|r| r.disparities.four_fifths_rule_passed) {
                    Some(true) => "passes",
                    Some(false) => "fails",
                    None => UNDEFINED,
                })}</div>
                <div class="hint">"Passes when the lowest selection rate is at least 80 % of the highest (the US EEOC's rule of thumb)."</div>
            </div>
            {DISPARITIES.iter().map(|d| {
                let key = d.key;
                view! {
                    <div class="card" data-testid=format!("disparity-{}", key.replace('_', "-"))>
                        <div class="label">{d.label}</div>
                        <div class="value">{move || report.with(|r| {
                            let (interval, share) = ci.with(|c| (
                                c.as_ref().and_then(|c| c.disparities.get(key).copied()),
                                c.as_ref().and_then(|c| c.disparity_share(key)),
                            ));
                            r.as_ref().map(|r| with_interval(d.of(&r.disparities), interval, share))
                        })}</div>
                        <div class="hint">{d.meaning}</div>
                        <div class="hint definition">{d.defined_by.describe()}</div>
                    </div>
                }
            }).collect_view()}
        </div>
        <Show when=move || !notes().is_empty()>
            <ul class="warning" data-testid="undefined-notes">{move || notes().into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}</ul>
        </Show>
        <Show when=move || ci.with(|c| c.as_ref().is_some_and(|c| c.defined_resamples.disparities.values().chain(c.defined_resamples.groups.values().flat_map(|g| g.values())).any(|n| (*n as f64) < FEW_RESAMPLES_SHARE * c.resamples as f64)))>
            <p class="hint" data-testid="few-resamples">"* The interval rests on fewer than 95 % of the resamples: in the others the metric was undefined (e.g. a resample drew no positive label), and those were not counted."</p>
        </Show>
    }
}

#[component]
pub fn FairnessStep() -> impl IntoView {
    let state = expect_context::<AppState>();
    let report = Memo::new(move |_| state.report());
    // Intervals apply only at the thresholds they were computed at.
    let ci = Signal::derive(move || {
        let thresholds = state.thresholds.get();
        state.ci.with(|c| c.as_ref().filter(|(t, _)| *t == thresholds).map(|(_, ci)| ci.clone()))
    });
    let labels = move || {
        let positive = state.positive.get();
        (format!("not {positive}"), positive)
    };
    let rates_figure = Signal::derive(move || {
        report.with(|r| {
            r.as_ref().map(|r| {
                figures::rate_bars(
                    r,
                    ci.get().as_ref(),
                    &[Rate::SELECTION_RATE, Rate::TRUE_POSITIVE_RATE, Rate::FALSE_POSITIVE_RATE],
                    "Rates by group",
                )
            })
        })
    });
    let roc_figure = Signal::derive(move || {
        state.auditor.with(|a| a.as_ref().and_then(|a| report.with(|r| r.as_ref().map(|r| figures::roc(a, r, None)))))
    });
    let hist_figure = Signal::derive(move || {
        let thresholds = state.thresholds.get();
        state.result.with(|r| r.as_ref().map(|r| figures::histograms(&r.test, &thresholds)))
    });
    // Calibration only means something for a probability (an uploaded score may not be one).
    let calibration_figure = Signal::derive(move || {
        let probability =
            state.result.with(|r| r.as_ref().is_some_and(|r| r.external.as_ref().is_none_or(|e| e.calibration)));
        state.auditor.with(|a| a.as_ref().filter(|_| probability).map(|a| figures::calibration(a)))
    });
    let confusion_figure = Signal::derive(move || {
        let (negative, positive) = labels();
        report.with(|r| r.as_ref().map(|r| figures::confusion(r, &negative, &positive)))
    });
    let description = Signal::derive(move || {
        report.with(|r| {
            r.as_ref()
                .map(|r| {
                    let parts: Vec<String> =
                        r.groups.iter().map(|(n, m)| format!("{n} {}", fmt_rate(m.selection_rate))).collect();
                    format!("Selection rate by group: {}", parts.join(", "))
                })
                .unwrap_or_default()
        })
    });
    let summary = move || state.result.with(|r| r.as_ref().map(|r| r.summary.clone()));
    let external = move || state.result.with(|r| r.as_ref().and_then(|r| r.external.clone()));
    view! {
        <section class="step results" aria-labelledby="results-h" data-testid="results">
            <h2 id="results-h">{move || if external().is_some() { "Fairness of your model's outputs" } else { "Fairness on the test rows" }}</h2>
            <super::outputs::ExternalNote/>
            <super::left_out::LeftOutNote/>
            <div class="cards">
                <div class="card">
                    <div class="label">"Test accuracy"</div>
                    <div class="value" data-testid="test-accuracy">{move || summary().map(|s| format!("{:.3}", s.test_accuracy))}</div>
                    <div class="hint">{move || if external().is_some() { "Share of audited rows your model's outputs get right at your threshold." } else { "Share of test rows the model gets right at threshold 0.5." }}</div>
                </div>
                <div class="card">
                    <div class="label">"Test ROC AUC"</div>
                    <div class="value" data-testid="test-auc">{move || summary().map(|s| fmt_rate(s.test_auc))}</div>
                    <div class="hint">"Chance that a random positive scores above a random negative (0.5 = guessing)."</div>
                </div>
                <div class="card">
                    <div class="label">"Consistency"</div>
                    <div class="value" data-testid="consistency">{move || summary().map(|s| fmt_rate(s.consistency))}</div>
                    <div class="hint">"AIF360's individual fairness: how often a test row's decision matches its 5 nearest test rows' (1 = always)."
                        <span data-testid="consistency-rows">{move || summary().and_then(|s| s.consistency_rows.map(|r| {
                            if r < s.test_rows { format!(" Computed on {r} of the {} test rows.", s.test_rows) } else { format!(" Computed on all {r} test rows.") }
                        }))}</span>
                    </div>
                </div>
                <div class="card">
                    <div class="label">"Rows"</div>
                    <div class="value">{move || summary().map(|s| format!("{} train · {} test", s.train_rows, s.test_rows))}</div>
                    <div class="hint">{move || summary().map(|s| format!("{} rows without a target were left out. Split seed {}.", s.dropped_rows, s.seed))}</div>
                </div>
            </div>
            <p class="hint">{move || {
                let t = state.thresholds.get();
                if let Some(e) = external() {
                    let start = e.threshold.map_or(0.5, |x| e.to_display(x));
                    if t.iter().all(|x| (x - start).abs() < 1e-12) {
                        format!("Every group at your rule, {}. Move thresholds in the Mitigate step; these numbers follow.", e.rule())
                    } else {
                        format!("Per-group thresholds from the Mitigate step: {}.", t.iter().map(|x| e.threshold_words(*x)).collect::<Vec<_>>().join(", "))
                    }
                } else if t.iter().all(|x| (x - 0.5).abs() < 1e-12) {
                    "Every group at threshold 0.5. Move thresholds in the Mitigate step; these numbers follow.".to_string()
                } else {
                    format!("Per-group thresholds from the Mitigate step: {}.", t.iter().map(|x| format!("{x:.2}")).collect::<Vec<_>>().join(", "))
                }
            }}</p>
            <h3>"Disparities"</h3>
            <DisparityCards report=report ci=ci/>
            <div class="ci-bar">
                <button type="button" data-testid="compute-ci" on:click=move |_| state.compute_intervals() disabled=move || state.busy.with(|b| b.is_some())>
                    "Add 95 % confidence intervals (1,000 bootstrap resamples)"
                </button>
                <span class="hint">{move || if ci.with(|c| c.is_some()) {
                    format!("Intervals shown: percentile bootstrap, resampling within each group, seed {}.", state.seed.get())
                } else {
                    "Small groups give wide intervals: a gap inside them may be noise.".to_string()
                }}</span>
            </div>
            <h3>"Every metric by group"</h3>
            <GroupTable report=report ci=ci/>
            <Show when=move || state.result.with(|r| r.as_ref().is_some_and(|r| !r.small_groups.is_empty()))>
                <p class="warning">{move || state.result.with(|r| r.as_ref().map(|r| format!("Small groups (under {} test rows), {TOO_SMALL_TO_JUDGE}: {}. Their rates are too noisy; collect more data or merge groups.", crate::core::metrics::MIN_GROUP_SIZE, r.small_groups.join(", "))))}</p>
            </Show>
            <div class="chart-grid">
                <Chart figure=rates_figure test_id="selection-chart" description=description/>
                <Chart figure=roc_figure test_id="roc-chart" description=Signal::derive(|| "ROC curve of each group with its operating point".to_string())/>
                <Chart figure=hist_figure test_id="histogram-chart" size="tall" description=Signal::derive(|| "Score distribution of each group with its threshold".to_string())/>
                <Chart figure=calibration_figure test_id="calibration-chart" description=Signal::derive(|| "Calibration curve of each group".to_string())/>
            </div>
            <Chart figure=confusion_figure test_id="confusion-chart" size="short" description=Signal::derive(|| "Confusion matrix of each group".to_string())/>
            <super::outputs::CompareView/>
            <super::export::ExportPanel/>
        </section>
    }
}
