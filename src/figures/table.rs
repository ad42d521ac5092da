//! The text alternative of every figure: its data as a table (a caption, column headers and rows
//! of text), which the page puts beside each chart's canvas for screen readers and for anyone who
//! wants the exact numbers (WCAG 2.1 success criterion 1.1.1, non-text content). The numbers are
//! formatted as the charts' own read-outs format them ([`fmt_opt`]).

use super::Figure;
use crate::charts::fmt_opt;

/// A figure's data as text.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct DataTable {
    pub caption: String,
    pub headers: Vec<String>,
    /// Each row has one cell per header; the first cell names the row.
    pub rows: Vec<Vec<String>>,
}

/// At most this many points of a line are listed (evenly spaced, first and last kept), so a
/// dense curve stays a table one can read.
pub const MAX_POINTS: usize = 25;

/// The indices of `n` points to list: all of them up to [`MAX_POINTS`], else evenly spaced ones
/// with the first and the last.
fn sample(n: usize) -> Vec<usize> {
    if n <= MAX_POINTS {
        return (0..n).collect();
    }
    let mut out: Vec<usize> = (0..MAX_POINTS).map(|k| k * (n - 1) / (MAX_POINTS - 1)).collect();
    out.dedup();
    out
}

fn v(x: f64) -> String {
    fmt_opt(Some(x))
}

fn pair(p: Option<(f64, f64)>) -> (String, String) {
    p.map_or_else(|| ("—".into(), "—".into()), |(x, y)| (v(x), v(y)))
}

fn strings<const N: usize>(cells: [&str; N]) -> Vec<String> {
    cells.iter().map(|c| (*c).to_string()).collect()
}

/// The figure's data as a table.
pub fn data_table(figure: &Figure) -> DataTable {
    match figure {
        Figure::Bars { clusters, series, title, reference, interval_name, .. } => {
            let mut headers = vec!["group".to_string()];
            for name in series {
                headers.push(name.clone());
                if !interval_name.is_empty() {
                    headers.push(format!("{name}, {interval_name}"));
                }
            }
            let rows = clusters
                .iter()
                .map(|c| {
                    let mut row = vec![c.label.clone()];
                    for (j, _) in series.iter().enumerate() {
                        let bar = c.bars.get(j);
                        row.push(fmt_opt(bar.and_then(|b| b.value)));
                        if !interval_name.is_empty() {
                            row.push(bar.and_then(|b| b.interval).map_or_else(
                                || "—".to_string(),
                                |(lo, hi)| format!("{}–{}", fmt_opt(Some(lo)), fmt_opt(Some(hi))),
                            ));
                        }
                    }
                    row
                })
                .collect();
            let caption = match reference {
                Some((y, text)) => format!("{title} (dashed line: {text}, {})", v(*y)),
                None => title.clone(),
            };
            DataTable { caption, headers, rows }
        }
        Figure::Roc(s) => {
            let mitigated = if s.mitigated_label.is_empty() { "mitigated" } else { &s.mitigated_label };
            let headers = vec![
                "group".to_string(),
                "AUC".to_string(),
                "current threshold".to_string(),
                "TPR at it".to_string(),
                "FPR at it".to_string(),
                format!("TPR, {mitigated}"),
                format!("FPR, {mitigated}"),
            ];
            let rows = s
                .curves
                .iter()
                .map(|c| {
                    let (fpr, tpr) = pair(c.operating_point);
                    let (mfpr, mtpr) = pair(c.mitigated_point);
                    vec![c.name.clone(), fmt_opt(c.auc), fmt_opt(c.operating_threshold), tpr, fpr, mtpr, mfpr]
                })
                .collect();
            DataTable { caption: s.title.clone(), headers, rows }
        }
        Figure::Histograms(s) => {
            let bins = s.groups.iter().map(|g| g.counts.len()).max().unwrap_or(0);
            let mut headers = vec![s.x_label.clone()];
            headers.extend(s.groups.iter().map(|g| format!("{} (rows)", g.name)));
            let width = 1.0 / bins.max(1) as f64;
            let mut rows: Vec<Vec<String>> = (0..bins)
                .map(|i| {
                    let mut row = vec![format!("{:.2}–{:.2}", i as f64 * width, (i + 1) as f64 * width)];
                    row.extend(s.groups.iter().map(|g| g.counts.get(i).map_or_else(String::new, |c| format!("{c}"))));
                    row
                })
                .collect();
            let mut last = vec!["threshold".to_string()];
            last.extend(s.groups.iter().map(|g| fmt_opt(g.threshold)));
            rows.push(last);
            DataTable { caption: s.title.clone(), headers, rows }
        }
        Figure::Calibration(s) => {
            let headers = vec!["group".to_string(), s.x_label.clone(), s.y_label.clone(), "rows".to_string()];
            let rows = s
                .groups
                .iter()
                .flat_map(|g| {
                    g.bins.iter().filter(|b| b.count > 0).map(|b| {
                        vec![g.name.clone(), fmt_opt(b.mean_predicted), fmt_opt(b.observed_rate), b.count.to_string()]
                    })
                })
                .collect();
            DataTable { caption: s.title.clone(), headers, rows }
        }
        Figure::Confusion(s) => {
            let (neg, pos) = (&s.negative_label, &s.positive_label);
            let headers = vec![
                "group".to_string(),
                format!("true negatives (actual {neg}, predicted {neg})"),
                format!("false positives (actual {neg}, predicted {pos})"),
                format!("false negatives (actual {pos}, predicted {neg})"),
                format!("true positives (actual {pos}, predicted {pos})"),
            ];
            let rows = s
                .matrices
                .iter()
                .map(|m| vec![m.name.clone(), m.tn.to_string(), m.fp.to_string(), m.fn_.to_string(), m.tp.to_string()])
                .collect();
            DataTable { caption: s.title.clone(), headers, rows }
        }
        Figure::Lines(s) => {
            let headers = vec!["series".to_string(), s.x_label.clone(), s.y_label.clone()];
            let x_text = |x: f64| {
                let category = (x >= 0.0 && x.fract() == 0.0).then(|| s.x_categories.get(x as usize)).flatten();
                category.cloned().unwrap_or_else(|| v(x))
            };
            let mut rows = Vec::new();
            for line in s.series.iter().filter(|l| !l.name.is_empty()) {
                let pts: Vec<(f64, f64)> =
                    line.points.iter().copied().filter(|p| p.0.is_finite() && p.1.is_finite()).collect();
                for i in sample(pts.len()) {
                    if let Some(&(x, y)) = pts.get(i) {
                        rows.push(vec![line.name.clone(), x_text(x), v(y)]);
                    }
                }
            }
            for m in &s.markers {
                let name = if m.label.is_empty() { "marked point".to_string() } else { m.label.clone() };
                rows.push(vec![name, x_text(m.x), v(m.y)]);
            }
            DataTable { caption: s.title.clone(), headers, rows }
        }
        Figure::Weights(s) => {
            let headers = vec!["feature".to_string(), s.x_label.clone(), "direction".to_string()];
            let rows = s
                .weights
                .iter()
                .map(|w| {
                    let side = match w.value.filter(|x| x.is_finite()) {
                        Some(x) if x >= 0.0 => s.positive_caption.clone(),
                        Some(_) => s.negative_caption.clone(),
                        None => String::new(),
                    };
                    vec![w.label.clone(), fmt_opt(w.value), side]
                })
                .collect();
            DataTable { caption: s.title.clone(), headers, rows }
        }
        Figure::Waterfall(s) => {
            let headers = strings(["step", "contribution", "running total"]);
            let mut total = s.base_value;
            let mut rows = vec![vec!["average prediction (base value)".to_string(), String::new(), v(total)]];
            for step in &s.steps {
                if let Some(x) = step.value.filter(|x| x.is_finite()) {
                    total += x;
                }
                rows.push(vec![step.label.clone(), fmt_opt(step.value), v(total)]);
            }
            rows.push(vec!["this row's output".to_string(), String::new(), v(total)]);
            DataTable { caption: s.title.clone(), headers, rows }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::bars::{Bar, BarCluster};
    use crate::charts::lines::{LineChartSpec, LineSeries, Marker};

    #[test]
    fn bars_list_each_group_with_its_values_and_intervals() {
        let figure = Figure::Bars {
            clusters: vec![BarCluster {
                label: "Female".into(),
                bars: vec![
                    Bar { label: String::new(), value: Some(0.25), interval: Some((0.2, 0.3)) },
                    Bar { label: String::new(), value: None, interval: None },
                ],
            }],
            series: vec!["selection rate".into(), "TPR".into()],
            title: "Rates".into(),
            y_label: "rate".into(),
            reference: Some((0.2, "four-fifths".into())),
            interval_name: "95 % CI".into(),
        };
        let t = data_table(&figure);
        assert_eq!(t.headers, ["group", "selection rate", "selection rate, 95 % CI", "TPR", "TPR, 95 % CI"]);
        assert_eq!(t.rows, [["Female", "0.250", "0.200–0.300", "undefined", "—"]]);
        assert_eq!(t.caption, "Rates (dashed line: four-fifths, 0.200)");
    }

    #[test]
    fn long_lines_are_sampled_with_their_ends_and_markers_follow() {
        let figure = Figure::Lines(LineChartSpec {
            title: "PD".into(),
            x_label: "age".into(),
            y_label: "P".into(),
            series: vec![
                LineSeries {
                    name: "average".into(),
                    points: (0..=100).map(|i| (f64::from(i), 0.5)).collect(),
                    ..Default::default()
                },
                LineSeries { name: String::new(), points: vec![(0.0, 0.1)], thin: true, ..Default::default() },
            ],
            markers: vec![Marker { x: 3.0, y: 0.75, label: "chosen".into(), ..Default::default() }],
            ..Default::default()
        });
        let t = data_table(&figure);
        assert_eq!(t.rows.len(), MAX_POINTS + 1);
        assert_eq!(t.rows.first().unwrap(), &["average", "0", "0.500"]);
        assert_eq!(t.rows[MAX_POINTS - 1], ["average", "100.0", "0.500"]);
        assert_eq!(t.rows.last().unwrap(), &["chosen", "3.000", "0.750"]);
        assert!(t.rows.iter().all(|r| r.len() == t.headers.len()));
    }
}
