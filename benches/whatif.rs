//! What-if benchmarks on the Adult data (static/data/adult.csv, 32,561 rows): a datapoint edit
//! re-scored, the nearest counterfactual over every row, the smallest-change search, partial
//! dependence with 20 grid points × 500 background rows, permutation importance, the tree view
//! and the drift check, for the logistic model and the tree. Prints the median of repetitions.
//!
//! Run with `cargo bench --bench whatif`.

use fairground::core::ingest::{read_csv, IngestOptions};
use fairground::core::models::{ModelSpec, TreeParams};
use fairground::core::roles::{Binning, PositiveRule, Roles, SensitiveSpec};
use fairground::core::split::SplitSpec;
use fairground::core::table::Table;
use fairground::core::train::{train, TrainSpec, Trained};
use fairground::core::whatif::{
    drift, edit_row, minimal_change, nearest_counterfactual, partial_dependence, permutation_importance, tree_view,
    DriftSpec, Edit, EditValue, MinimalChangeSpec, NearestSpec, PdpSpec, PermutationSpec, RowBank,
};
use std::hint::black_box;
use std::time::Instant;

/// Median and minimum wall time (ms) of `reps` runs of `f`, each run doing `inner` calls.
fn time<T>(reps: usize, inner: usize, mut f: impl FnMut() -> T) -> (f64, f64) {
    let mut t: Vec<f64> = (0..reps)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..inner {
                black_box(f());
            }
            start.elapsed().as_secs_f64() * 1e3 / inner as f64
        })
        .collect();
    t.sort_by(f64::total_cmp);
    (t[t.len() / 2], t[0])
}

fn row(name: &str, rows: usize, (median, min): (f64, f64), target: &str) {
    println!("| {name:<50} | {rows:>6} | {median:>10.4} | {min:>10.4} | {target:<8} |");
}

fn spec(model: ModelSpec) -> TrainSpec {
    TrainSpec {
        roles: Roles {
            target: "income-per-year".into(),
            positive: PositiveRule::Values(vec![">50K".into()]),
            sensitive: vec![SensitiveSpec { column: "sex".into(), binning: Binning::None }],
            exclude: vec![],
            drop_sensitive: false,
            min_group_size: 30,
            model_outputs: vec![],
            include: vec![],
            max_levels: None,
        },
        split: SplitSpec::default(),
        model,
        weights: None,
    }
}

fn bench_model(t: &Table, tr: &Trained, label: &str) {
    let bank_time = time(5, 1, || RowBank::new(t, tr));
    let bank = RowBank::new(t, tr);
    row(&format!("{label}: row bank (once per model)"), bank.len(), bank_time, "");
    let r = tr.test_table_rows()[0];
    let cells = tr.encoder.cells_of_row(t, r);
    let edits = [
        Edit { column: "age".into(), value: EditValue::Text("52".into()) },
        Edit { column: "education".into(), value: EditValue::Text("Masters".into()) },
    ];
    row(&format!("{label}: datapoint edit re-scored"), 1, time(21, 1000, || edit_row(tr, &cells, &edits)), "≤ 1 ms");
    let nspec = NearestSpec::for_trained(tr);
    row(
        &format!("{label}: nearest counterfactual"),
        bank.len(),
        time(21, 1, || nearest_counterfactual(tr, &bank, &cells, &nspec)),
        "≤ 20 ms",
    );
    let mspec = MinimalChangeSpec::for_trained(tr);
    let found = minimal_change(tr, &bank, &cells, &mspec).map(|s| s.candidates).unwrap_or(0);
    row(
        &format!("{label}: smallest change (1–2 features)"),
        found,
        time(11, 1, || minimal_change(tr, &bank, &cells, &mspec)),
        "",
    );
    // The worst case of the search: the lowest-scored row, far from the threshold.
    let lowest = (0..bank.len()).min_by(|&a, &b| bank.scores[a].total_cmp(&bank.scores[b])).unwrap_or(0);
    let low_cells = bank.cells(lowest).map(<[_]>::to_vec).unwrap_or_default();
    let scored = minimal_change(tr, &bank, &low_cells, &mspec).map(|s| s.candidates).unwrap_or(0);
    row(
        &format!("{label}: smallest change, lowest-scored row"),
        scored,
        time(5, 1, || minimal_change(tr, &bank, &low_cells, &mspec)),
        "",
    );
    for feature in ["age", "education"] {
        let p = PdpSpec::new(feature);
        row(
            &format!("{label}: PD+ICE+groups '{feature}' 20×500"),
            500,
            time(21, 1, || partial_dependence(tr, &bank, Some(&cells), &p)),
            "≤ 20 ms",
        );
    }
    let perm = PermutationSpec::default();
    row(
        &format!("{label}: permutation importance (AUC, 5 rep.)"),
        tr.summary.test_rows,
        time(5, 1, || permutation_importance(t, tr, &perm)),
        "",
    );
    if label == "tree" {
        row("tree: tree view with path", 1, time(21, 100, || tree_view(tr, Some(&cells))), "");
    }
}

fn main() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/static/data/adult.csv");
    let bytes = std::fs::read(path).expect("static/data/adult.csv");
    let t = read_csv(&bytes, IngestOptions::default()).expect("adult.csv parses").table;
    println!("Adult: {} rows × {} columns\n", t.n_rows, t.columns.len());
    println!("| {:<50} | {:>6} | {:>10} | {:>10} | {:<8} |", "operation", "rows", "median ms", "min ms", "target");
    println!("|{:-<52}|{:->8}|{:->12}|{:->12}|{:-<10}|", "", "", "", "", "");
    let logistic = train(&t, &spec(ModelSpec::default())).expect("trains");
    bench_model(&t, &logistic, "logistic");
    row(
        "logistic: drift check (Adult vs itself)",
        t.n_rows,
        time(5, 1, || drift(&t, &logistic, &t, &DriftSpec::default())),
        "",
    );
    let tree = train(&t, &spec(ModelSpec::Tree(TreeParams::default()))).expect("trains");
    bench_model(&t, &tree, "tree");
    let nb = train(&t, &spec(ModelSpec::from_name("naive_bayes").expect("known"))).expect("trains");
    bench_model(&t, &nb, "naive_bayes");
    examples(&t, &logistic);
}

/// What the searches return for the first test row (a sanity check to read, not timed).
fn examples(t: &Table, tr: &Trained) {
    let bank = RowBank::new(t, tr);
    let cells = tr.encoder.cells_of_row(t, tr.test_table_rows()[0]);
    let show = |title: &str, s: &fairground::core::whatif::CounterfactualSearch| {
        println!("\n{title}: score {:.3}, locked {:?}", s.original_score, s.locked);
        for cf in &s.found {
            let changes: Vec<String> =
                cf.changes.iter().map(|c| format!("{}: {} → {}", c.column, c.from, c.to)).collect();
            println!("  score {:.3}, distance {:.3}: {}", cf.score, cf.distance, changes.join("; "));
        }
        if let Some(m) = &s.message {
            println!("  {m}");
        }
    };
    if let Ok(s) = nearest_counterfactual(tr, &bank, &cells, &NearestSpec::for_trained(tr)) {
        show("logistic, first test row, nearest counterfactual", &s);
    }
    if let Ok(s) = minimal_change(tr, &bank, &cells, &MinimalChangeSpec::for_trained(tr)) {
        show("logistic, first test row, smallest changes", &s);
    }
}
