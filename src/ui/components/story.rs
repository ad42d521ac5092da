//! The lender's story of lessons 1–4 ([`crate::lessons::story`]): one dot per applicant per
//! group by credit score, the threshold(s) as sliders laid across the dots, each group's rates
//! and the lender's profit, and (part 4) the criteria as buttons. Each part starts from what
//! the learner kept in the part before, held for this tab in [`crate::ui::state::story_progress`].

use crate::lessons::story::{self, Policy, Rate, Tally, GROUPS};
use crate::ui::components::fmt_rate;
use leptos::prelude::*;

/// Horizontal position of a score in the dot plot (viewBox units).
fn x_of(score: f64) -> f64 {
    20.0 + score * 5.6
}

const ROW: f64 = 70.0;

/// One group's dots: filled = repaid, hollow = defaulted; the approved side shaded.
fn dots(g: usize, threshold: u8) -> impl IntoView {
    let top = 10.0 + ROW * g as f64;
    let mut seen = std::collections::BTreeMap::<u8, u32>::new();
    let circles = story::applicants(g)
        .iter()
        .map(|&(score, repaid)| {
            let k = seen.entry(score).or_insert(0);
            let cy = top + 46.0 - f64::from(*k) * 6.0;
            *k += 1;
            // Presentation attributes, not inline styles (the page's CSP forbids those); the
            // colours are the Okabe-Ito blue and grey the charts use, legible in both themes.
            let (fill, stroke) = if repaid { ("#0072b2", "#0072b2") } else { ("none", "#7a8494") };
            view! { <circle cx=x_of(f64::from(score)) cy=cy r="2.6" fill=fill stroke=stroke stroke-width="1.2"/> }
        })
        .collect_view();
    let cut = x_of(f64::from(threshold) - 0.5).clamp(x_of(-0.5), x_of(100.5));
    view! {
        <g>
            <rect x=cut y=top width=(x_of(100.5) - cut).max(0.0) height="52" fill="#0072b2" fill-opacity="0.12"/>
            <line x1=cut x2=cut y1=top y2=top + 52.0 stroke="#e69f00" stroke-width="2.5"/>
            <text x="2" y=top + 30.0 font-size="11" fill="#7a8494">{if g == 0 { "A" } else { "B" }}</text>
            {circles}
        </g>
    }
}

/// One part of the story.
#[component]
pub fn StoryPanel(part: u8) -> impl IntoView {
    let progress = crate::ui::state::story_progress();
    let shared = story::part(part).is_none_or(|p| p.shared);
    let (start, carried) = progress.with_untracked(|p| (p.start(part), p.carried_from(part)));
    let t = RwSignal::new(start);
    let chosen: RwSignal<Option<Policy>> = RwSignal::new(None);
    let kept = RwSignal::new(false);
    let tallies = Memo::new(move |_| story::tallies(t.get()));
    let slider = move |g: Option<usize>| {
        let (id, test_id, label) = match g {
            None => (format!("story-t-{part}"), "story-threshold", "Threshold for everyone".to_string()),
            Some(0) => (format!("story-ta-{part}"), "story-threshold-a", format!("{}'s threshold", GROUPS[0])),
            Some(_) => (format!("story-tb-{part}"), "story-threshold-b", format!("{}'s threshold", GROUPS[1])),
        };
        let value = move || {
            let v = t.get();
            v.get(g.unwrap_or(0)).copied().unwrap_or(story::START)
        };
        view! {
            <label for=id.clone()>{label}</label>
            <input type="range" id=id.clone() data-testid=test_id min="0" max=story::MAX_THRESHOLD step="1"
                prop:value=move || value().to_string()
                on:input=move |ev| {
                    if let Ok(v) = event_target_value(&ev).parse::<u8>() {
                        let v = v.min(story::MAX_THRESHOLD);
                        t.update(|t| match g { None => *t = [v, v], Some(0) => t[0] = v, Some(_) => t[1] = v });
                        chosen.set(None);
                        kept.set(false);
                    }
                }/>
            <output for=id>{value}</output>
        }
    };
    let row = move |g: usize, tally: Tally| {
        view! {
            <tr>
                <th scope="row">{GROUPS.get(g).copied().unwrap_or("")}</th>
                <td>{fmt_rate(tally.base_rate())}</td>
                <td>{fmt_rate(tally.selection())}</td>
                <td>{fmt_rate(tally.tpr())}</td>
                <td>{fmt_rate(tally.fpr())}</td>
                <td>{fmt_rate(tally.ppv())}</td>
                <td>{tally.fn_}</td>
                <td>{tally.fp}</td>
                <td>{story::euros(tally.profit())}</td>
            </tr>
        }
    };
    // Part 4 compares with part 1's kept threshold (or the most profitable single one).
    let reference = move || {
        progress
            .with(|p| p.kept(1))
            .map(|t| (t, "part 1's kept threshold"))
            .or_else(|| Policy::SharedMaxProfit.best().map(|t| (t, "the most profitable single threshold")))
    };
    let next = if part < 4 { format!("Keep for lesson {}", part + 1) } else { "Keep this choice".to_string() };
    view! {
        <div class="experiment story" data-testid="story" data-part=part>
            <p class="hint" data-testid="story-carried">{match carried {
                Some(k) if shared => format!("Starting from the threshold you kept in part {k}: {}.", start[0]),
                Some(k) => format!("Starting from what you kept in part {k}: {} at {}, {} at {}.", GROUPS[0], start[0], GROUPS[1], start[1]),
                None => format!("Nothing kept in an earlier part yet: starting at {}.", story::START),
            }}</p>
            <svg viewBox="0 0 600 150" width="100%" role="img" aria-labelledby=format!("story-svg-{part}")>
                <title id=format!("story-svg-{part}")>{move || {
                    let [a, b] = tallies.get();
                    format!("Dot plot of 100 applicants by credit score. {}: {} of 50 approved. {}: {} of 50 approved.", GROUPS[0], a.tp + a.fp, GROUPS[1], b.tp + b.fp)
                }}</title>
                {move || { let v = t.get(); view! { {dots(0, v[0])}{dots(1, v[1])} } }}
                {[0u8, 25, 50, 75, 100].map(|s| view! {
                    <text x=x_of(f64::from(s)) y="148" font-size="10" text-anchor="middle" fill="#7a8494">{s}</text>
                })}
            </svg>
            <p class="muted">"Filled dots repaid, hollow dots defaulted; the shaded side of each line is approved."</p>
            <div class="sliders">
                {if shared { slider(None).into_any() } else { view! { {slider(Some(0))}{slider(Some(1))} }.into_any() }}
            </div>
            {(part >= 4).then(|| view! {
                <div class="quiz-controls" data-testid="story-policies" role="group" aria-label="Set the thresholds by a criterion">
                    {Policy::ALL.map(|p| view! {
                        <button type="button" data-testid=format!("story-policy-{}", p.id())
                            aria-pressed=move || (chosen.get() == Some(p)).to_string()
                            on:click=move |_| if let Some(best) = p.best() { t.set(best); chosen.set(Some(p)); kept.set(false); }>{p.label()}</button>
                    })}
                </div>
            })}
            <table class="metrics" data-testid="story-rates">
                <caption>{move || { let v = t.get(); format!("Each group at its threshold ({} at {}, {} at {})", GROUPS[0], v[0], GROUPS[1], v[1]) }}</caption>
                <thead><tr>
                    <th scope="col">"Group"</th><th scope="col">"Base rate"</th>
                    <th scope="col">"Selection rate"</th><th scope="col">"TPR"</th>
                    <th scope="col">"FPR"</th><th scope="col">"PPV"</th><th scope="col">"Good borrowers refused"</th>
                    <th scope="col">"Defaulters approved"</th><th scope="col">"Profit"</th>
                </tr></thead>
                <tbody>{move || { let [a, b] = tallies.get(); view! { {row(0, a)}{row(1, b)} } }}</tbody>
            </table>
            <p data-testid="story-profit" role="status">{move || {
                let v = t.get();
                let total = story::profit(v);
                let mut s = format!("Lender's profit: {}.", story::euros(total));
                if let Some(p) = chosen.get() {
                    s = format!("{}: {s}", p.label());
                }
                if part >= 4 {
                    if let Some((r, what)) = reference() {
                        let diff = total - story::profit(r);
                        let refused = |t: [u8; 2]| story::tallies(t).map(|x| x.fn_);
                        let (now, then) = (refused(v), refused(r));
                        s.push_str(&format!(
                            " Against {what} ({}, {}): {}{} in profit; good borrowers refused {} → {} in {}, {} → {} in {}.",
                            r[0], r[1], if diff >= 0 { "+" } else { "" }, story::euros(diff),
                            then[0], now[0], GROUPS[0], then[1], now[1], GROUPS[1]
                        ));
                    }
                }
                s
            }}</p>
            {(part >= 2).then(|| view! {
                <ul data-testid="story-criteria">{move || {
                    let v = t.get();
                    Rate::ALL.map(|r| {
                        let gap = story::gap(r, v);
                        let verdict = match gap {
                            Some(g) if g <= story::TOLERANCE + 1e-12 => format!("holds (gap {g:.3})"),
                            Some(g) => format!("does not hold (gap {g:.3})"),
                            None => "undefined (nobody approved in a group)".to_string(),
                        };
                        view! { <li>{format!("{}: {verdict}", r.criterion())}</li> }
                    }).collect_view()
                }}</ul>
            })}
            <button type="button" data-testid="story-keep" on:click=move |_| {
                let v = t.get_untracked();
                progress.update(|p| p.keep(part, v));
                kept.set(true);
            }>{next}</button>
            <Show when=move || kept.get()>
                <span class="muted" role="status">{move || {
                    let v = t.get();
                    if part < 4 { format!(" Kept ({}, {}): lesson {} starts here.", v[0], v[1], part + 1) } else { format!(" Kept ({}, {}).", v[0], v[1]) }
                }}</span>
            </Show>
        </div>
    }
}
