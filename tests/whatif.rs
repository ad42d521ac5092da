//! The what-if API end to end through the public interface, as the app's worker calls it:
//! CSV text → read_csv → train → row bank → editor, counterfactuals, partial dependence,
//! importance, tree view and drift. The data are generated here with a fixed rule (see
//! `csv_text`), so the expected directions are known by construction.

use fairground::core::ingest::{read_csv, IngestOptions};
use fairground::core::models::{ModelSpec, TreeParams};
use fairground::core::roles::{Binning, PositiveRule, Roles, SensitiveSpec};
use fairground::core::split::SplitSpec;
use fairground::core::table::Table;
use fairground::core::train::{train, TrainSpec, Trained};
use fairground::core::whatif::*;

/// 600 rows: `income` is "high" when 2·(years − 10)/4 + (degree = "yes") + (sex = "F")·0.2 +
/// a deterministic wobble > 0.5. `years` runs over 0..20, `degree` alternates in a 3-cycle.
fn csv_text() -> String {
    let mut s = String::from("years,degree,sex,income\n");
    for i in 0..600u32 {
        let years = f64::from((i * 7) % 20);
        let degree = if i % 3 == 0 { "yes" } else { "no" };
        let sex = if i % 5 < 2 { "F" } else { "M" };
        let wobble = f64::from((i * 13) % 10) / 10.0 - 0.45;
        let z = 2.0 * (years - 10.0) / 4.0
            + if degree == "yes" { 1.0 } else { 0.0 }
            + if sex == "F" { 0.2 } else { 0.0 }
            + wobble;
        let income = if z > 0.5 { "high" } else { "low" };
        s.push_str(&format!("{years},{degree},{sex},{income}\n"));
    }
    s
}

fn setup(model: ModelSpec) -> (Table, Trained) {
    let t = read_csv(csv_text().as_bytes(), IngestOptions::default()).unwrap().table;
    let spec = TrainSpec {
        roles: Roles {
            target: "income".into(),
            positive: PositiveRule::Values(vec!["high".into()]),
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
    };
    let tr = train(&t, &spec).unwrap();
    (t, tr)
}

#[test]
fn logistic_what_if_journey() {
    let (t, tr) = setup(ModelSpec::default());
    let bank = RowBank::new(&t, &tr);
    // A row with few years and no degree: a low score.
    let row = (0..t.n_rows).find(|&r| t.columns[0].numeric.as_ref().unwrap()[r] == 2.0).unwrap();
    let cells = tr.encoder.cells_of_row(&t, row);
    let low = score_cells(&tr, &cells).unwrap();
    assert!(low < 0.5, "{low}");

    // Editor: 19 years and a degree → high.
    let edits = vec![
        Edit { column: "years".into(), value: EditValue::Number(19.0) },
        Edit { column: "degree".into(), value: EditValue::Text("yes".into()) },
    ];
    let edited = edit_row(&tr, &cells, &edits).unwrap();
    assert!(edited.score > 0.5 && edited.original_score == low);
    assert_eq!(cell_text(&tr.encoder.features[0], edited.cells[0]), "19");

    // Counterfactuals keep sex (locked by default) and flip the decision.
    let near = nearest_counterfactual(&tr, &bank, &cells, &NearestSpec::for_trained(&tr)).unwrap();
    let cf = &near.found[0];
    assert!(cf.score >= 0.5 && cf.changes.iter().all(|c| c.column != "sex"));
    let small = minimal_change(&tr, &bank, &cells, &MinimalChangeSpec::for_trained(&tr)).unwrap();
    assert!(!small.found.is_empty());
    for cf in &small.found {
        assert!(score_cells(&tr, &cf.cells).unwrap() >= 0.5);
        assert!(cf.changes.iter().all(|c| c.column != "sex"));
    }

    // Partial dependence on years rises; one curve per sex.
    let pd = partial_dependence(&tr, &bank, Some(&cells), &PdpSpec::new("years")).unwrap();
    assert!(pd.pd.windows(2).all(|w| w[1] > w[0]));
    assert_eq!(pd.groups.iter().map(|g| g.group.as_str()).collect::<Vec<_>>(), vec!["F", "M"]);
    assert_eq!(pd.grid.first().unwrap().value, Some(0.0));
    assert_eq!(pd.grid.last().unwrap().value, Some(19.0));

    // Global views: years matters most.
    let coefs = logistic_coefficients(&tr).unwrap();
    assert_eq!(coefs[0].column, "years");
    let imp = permutation_importance(&t, &tr, &PermutationSpec::default()).unwrap();
    let years = imp.columns.iter().find(|c| c.column == "years").unwrap();
    assert!(imp.columns.iter().all(|c| c.mean <= years.mean));

    // Drift of the data against itself: nothing flagged; without the degree column: listed.
    let report = drift(&t, &tr, &t, &DriftSpec::default()).unwrap();
    assert!(report.flagged.is_empty(), "{report:?}");
    // A second file without the degree column and with everyone 10 years older.
    let mut shifted = String::from("years,sex\n");
    for line in csv_text().lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        shifted.push_str(&format!("{},{}\n", f[0].parse::<f64>().unwrap() + 10.0, f[2]));
    }
    let new = read_csv(shifted.as_bytes(), IngestOptions::default()).unwrap().table;
    let report = drift(&t, &tr, &new, &DriftSpec::default()).unwrap();
    assert_eq!(report.missing_columns, vec!["degree"]);
    assert_eq!(report.flagged, vec!["years"]);
    // sex is unchanged; only the sample differs (all rows against the training rows).
    let sex = report.columns.iter().find(|c| c.column == "sex").unwrap();
    assert!(sex.value < 0.05 && sex.measure == DriftMeasure::TotalVariation, "{sex:?}");
}

#[test]
fn tree_view_through_the_public_api() {
    let (t, tr) = setup(ModelSpec::Tree(TreeParams::default()));
    let cells = tr.encoder.cells_of_row(&t, 0);
    let view = tree_view(&tr, Some(&cells)).unwrap();
    let path = view.path.clone().unwrap();
    assert_eq!(path[0], 0);
    assert_eq!(view.route(&tr.encoder, &cells), path);
    let root = &view.nodes[0];
    assert_eq!(root.count, tr.summary.train_rows);
    assert!(matches!(root.split, Some(TreeSplit::Numeric { ref column, .. }) if column == "years"));
    assert!(logistic_coefficients(&tr).is_err());
}
