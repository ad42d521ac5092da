use super::*;
use crate::core::encode::EncoderSpec;
use crate::core::models::logistic::LogisticModel;
use crate::core::models::FittedModel;
use crate::core::rng::Rng;
use crate::core::roles::tests::{cat, num, table};

/// A black box given as a function of one row of cells.
pub(crate) struct FnBox<F: Fn(&[Cell]) -> f64> {
    pub m: usize,
    pub f: F,
}

impl<F: Fn(&[Cell]) -> f64> BlackBox for FnBox<F> {
    fn n_features(&self) -> usize {
        self.m
    }
    fn predict(&self, cells: &[Cell], out: &mut Vec<f64>) {
        out.clear();
        out.extend(cells.chunks_exact(self.m).map(|r| (self.f)(r)));
    }
}

pub(crate) fn num_of(c: &Cell) -> f64 {
    match c {
        Cell::Num(v) => *v,
        _ => 0.0,
    }
}

/// Three numeric columns on different scales and one categorical column, 400 rows.
fn data() -> (Table, Encoder) {
    let mut rng = Rng::new(5);
    let n = 400;
    let a: Vec<f64> = (0..n).map(|_| libm::round(rng.normal_with(40.0, 10.0))).collect();
    let b: Vec<f64> = (0..n).map(|_| rng.normal_with(0.0, 2.0)).collect();
    let c: Vec<f64> = (0..n).map(|_| rng.uniform()).collect();
    // The first row is red, so "red" is code 0.
    let g: Vec<&str> = (0..n).map(|i| if i == 0 || rng.bernoulli(0.3) { "red" } else { "blue" }).collect();
    let t = table(vec![num("a", &a), num("b", &b), num("c", &c), cat("g", &g)]);
    let rows: Vec<usize> = (0..n).collect();
    let e = Encoder::fit(&t, &[0, 1, 2, 3], &rows, &EncoderSpec::default()).unwrap();
    (t, e)
}

/// f = 0.5 + 0.01·a − 0.05·b + 0·c + 0.1·[g = red]: the truth LIME should recover.
fn linear_box() -> FnBox<impl Fn(&[Cell]) -> f64> {
    FnBox {
        m: 4,
        f: |r: &[Cell]| {
            0.5 + 0.01 * num_of(&r[0]) - 0.05 * num_of(&r[1]) + if r[3] == Cell::Cat(0) { 0.1 } else { 0.0 }
        },
    }
}

#[test]
fn percentiles_and_bin_names_follow_numpy_and_lime() {
    let v: Vec<f64> = (1..=100).map(f64::from).collect();
    // np.percentile(range(1, 101), [25, 50, 75]) = [25.75, 50.5, 75.25].
    assert_eq!([25.0, 50.0, 75.0].map(|p| percentile(&v, p)), [25.75, 50.5, 75.25]);
    let Stats::Numeric { edges, bins, bin_cum, .. } = numeric_stats(&v, 50.5) else { panic!() };
    assert_eq!(bin_name("age", &edges, 0), "age <= 25.75");
    assert_eq!(bin_name("age", &edges, 1), "25.75 < age <= 50.50");
    assert_eq!(bin_name("age", &edges, 3), "age > 75.25");
    assert_eq!(bins.len(), 4);
    assert_eq!((bins[0].min, bins[0].max, bins[3].min, bins[3].max), (1.0, 25.75, 75.25, 100.0));
    assert_eq!(bin_cum, vec![0.25, 0.5, 0.75, 1.0]);
    // Mostly zeros: the quartiles 0, 0, 1 merge into the edges [0, 1].
    let mut z = vec![0.0; 60];
    z.extend([1.0; 30]);
    z.extend([5.0; 10]);
    let Stats::Numeric { edges, bin_cum, .. } = numeric_stats(&z, 0.0) else { panic!() };
    assert_eq!(edges, vec![0.0, 1.0]);
    assert_eq!(bin_cum, vec![0.6, 0.9, 1.0]);
}

#[test]
fn truncated_normal_stays_in_its_bin_with_the_right_mean() {
    // N(0, 1) truncated to [0.5, 2]: mean = (φ(0.5) − φ(2)) / (Φ(2) − Φ(0.5)) = 1.04299 (scipy.stats.truncnorm.mean(0.5, 2)).
    let bin = Bin { min: 0.5, max: 2.0, mean: 0.0, std: 1.0, ..Bin::new(&[], 0.5, 2.0) };
    let bin = Bin { za: 0.5, zb: 2.0, pa: norm_cdf(-2.0), pb: norm_cdf(-0.5), flip: true, ..bin };
    let mut rng = SampleRng::new(1);
    let xs: Vec<f64> = (0..40_000).map(|_| bin.sample(&mut rng)).collect();
    assert!(xs.iter().all(|x| (0.5..=2.0).contains(x)));
    let mean = xs.iter().sum::<f64>() / xs.len() as f64;
    assert!((mean - 1.04299).abs() < 0.01, "{mean}");
    // Inverse CDF against known quantiles.
    assert!((norm_ppf(0.975) - 1.959_963_985).abs() < 1e-8);
    assert!((norm_ppf(1e-10) + 6.361_340_902).abs() < 1e-7, "{}", norm_ppf(1e-10));
}

#[test]
fn linear_black_box_signs_and_ranking_are_recovered() {
    let (t, e) = data();
    let rows: Vec<usize> = (0..t.n_rows).collect();
    let lx = LimeExplainer::fit(&t, &e, &rows).unwrap();
    // The instance sits in the top bin of a (positive effect) and of b (negative effect), and
    // is red (positive effect).
    let cells = [Cell::Num(70.0), Cell::Num(5.0), Cell::Num(0.5), Cell::Cat(0)];
    let ex = lx.explain(&linear_box(), &cells, &LimeParams::default()).unwrap();
    let w = |name: &str| ex.weights.iter().find(|x| x.feature == name).unwrap().weight;
    assert!(w("a") > 0.0 && w("b") < 0.0 && w("g") > 0.0, "{ex:?}");
    assert!(w("c").abs() < 0.2 * w("g").abs(), "c has no effect: {ex:?}");
    assert!(ex.weights[0].condition.starts_with("a > "), "{:?}", ex.weights);
    assert_eq!(ex.weights.iter().find(|x| x.feature == "g").unwrap().condition, "g=red");
    assert!((ex.prediction - (0.5 + 0.7 - 0.25 + 0.1)).abs() < 1e-12);
    assert!(ex.r2.unwrap() > 0.5, "{ex:?}");

    // Without discretisation the surrogate sees z-scores, so each weight ≈ coefficient × std
    // (ridge with α = 1 on 5,000 weighted samples shrinks this by well under 1 %).
    let p = LimeParams { discretize: false, ..LimeParams::default() };
    let ex = lx.explain(&linear_box(), &cells, &p).unwrap();
    let Stats::Numeric { std: sa, .. } = &lx.stats[0] else { panic!() };
    let Stats::Numeric { std: sb, .. } = &lx.stats[1] else { panic!() };
    let w = |name: &str| ex.weights.iter().find(|x| x.feature == name).unwrap().weight;
    assert!((w("a") / (0.01 * sa) - 1.0).abs() < 0.02, "{} vs {}", w("a"), 0.01 * sa);
    assert!((w("b") / (-0.05 * sb) - 1.0).abs() < 0.02, "{} vs {}", w("b"), -0.05 * sb);
    assert!((w("g") - 0.1).abs() < 0.01, "{ex:?}");
    assert!(w("c").abs() < 1e-3);
    assert_eq!(ex.weights.iter().find(|x| x.feature == "a").unwrap().condition, "a");
}

#[test]
fn same_seed_same_explanation_other_seed_other_samples() {
    let (t, e) = data();
    let rows: Vec<usize> = (0..t.n_rows).collect();
    let lx = LimeExplainer::fit(&t, &e, &rows).unwrap();
    let cells = e.cells_of_row(&t, 3);
    let p = LimeParams { num_samples: 800, num_features: 3, ..LimeParams::default() };
    let a = lx.explain(&linear_box(), &cells, &p).unwrap();
    let b = lx.explain(&linear_box(), &cells, &p).unwrap();
    assert_eq!(a, b);
    let c = lx.explain(&linear_box(), &cells, &LimeParams { seed: 7, ..p }).unwrap();
    assert_ne!(a.intercept, c.intercept);
    assert_eq!(a.weights.len(), 3, "K = 3 by forward selection");
}

#[test]
fn requests_that_cannot_be_honoured_are_errors() {
    let (t, e) = data();
    let rows: Vec<usize> = (0..t.n_rows).collect();
    let lx = LimeExplainer::fit(&t, &e, &rows).unwrap();
    let cells = e.cells_of_row(&t, 0);
    let bb = linear_box();
    let p = LimeParams::default();
    assert!(matches!(lx.explain(&bb, &cells[..2], &p), Err(ExplainError::CellCount { got: 2, expected: 4 })));
    assert!(matches!(
        lx.explain(&bb, &cells, &LimeParams { num_samples: 1, ..p.clone() }),
        Err(ExplainError::TooFewSamples(1))
    ));
    assert!(matches!(
        lx.explain(&bb, &cells, &LimeParams { kernel_width: Some(-1.0), ..p.clone() }),
        Err(ExplainError::BadKernelWidth(_))
    ));
    assert!(matches!(
        lx.explain(&bb, &cells, &LimeParams { num_features: 0, ..p }),
        Err(ExplainError::NoFeaturesAsked)
    ));
    assert!(matches!(LimeExplainer::fit(&t, &e, &[]), Err(ExplainError::NoTrainingRows)));
}

#[test]
fn missing_cells_are_a_category_and_the_median_for_numbers() {
    let t = table(vec![num("x", &[1.0, 2.0, 3.0, f64::NAN]), cat("g", &["u", "", "v", "u"])]);
    let e = Encoder::fit(&t, &[0, 1], &[0, 1, 2, 3], &EncoderSpec::default()).unwrap();
    let lx = LimeExplainer::fit(&t, &e, &[0, 1, 2, 3]).unwrap();
    let bb = FnBox { m: 2, f: |r: &[Cell]| 0.1 * num_of(&r[0]) + if r[1] == Cell::Missing { 0.5 } else { 0.0 } };
    let ex = lx
        .explain(&bb, &[Cell::Missing, Cell::Missing], &LimeParams { num_samples: 500, ..LimeParams::default() })
        .unwrap();
    let conds: Vec<&str> = ex.weights.iter().map(|w| w.condition.as_str()).collect();
    assert!(conds.contains(&"g=(missing)"), "{conds:?}");
    assert!(conds.contains(&"1.50 < x <= 2.00"), "median 2 → second bin: {conds:?}");
}

#[test]
fn the_guide_table_picks_as_a_binary_search_over_the_frequencies() {
    // The old pick: u = r / 2³², the first cumulative frequency above u (capped at the last).
    let reference = |cum: &[f64], r: u32| {
        let u = f64::from(r) * (1.0 / 4_294_967_296.0);
        cum.partition_point(|c| *c <= u).min(cum.len() - 1)
    };
    let mut rng = Rng::new(8);
    let cums: Vec<Vec<f64>> = vec![
        vec![1.0],
        vec![0.5, 1.0],
        vec![0.25, 0.5, 0.75, 1.0],
        vec![0.6, 0.9, 1.0],
        vec![1e-9, 0.1, 0.1, 0.999_999, 1.0],
        // 42 levels of very unequal frequency, as native-country.
        {
            let counts: Vec<(u32, usize)> =
                (0..42u32).map(|k| (k, if k == 0 { 2900 } else { 1 + (k as usize * 7) % 60 })).collect();
            cumulative(&counts).1
        },
    ];
    for cum in &cums {
        let picker = Picker::new(cum);
        let mut rs: Vec<u32> = vec![0, 1, u32::MAX, u32::MAX - 1, 1 << 31];
        for c in cum {
            let t = (c * 4_294_967_296.0).ceil();
            for d in [-1.0, 0.0, 1.0] {
                if (0.0..4_294_967_296.0).contains(&(t + d)) {
                    rs.push((t + d) as u32);
                }
            }
        }
        rs.extend((0..20_000).map(|_| rng.next_u32()));
        for r in rs {
            assert_eq!(picker.pick(r), reference(cum, r), "cum {cum:?}, r {r}");
        }
    }
}

/// A black box that only scores cells, hiding the model's linear logit.
struct Opaque<'a>(ModelBox<'a>);

impl BlackBox for Opaque<'_> {
    fn n_features(&self) -> usize {
        self.0.n_features()
    }
    fn predict(&self, cells: &[Cell], out: &mut Vec<f64>) {
        self.0.predict(cells, out);
    }
}

#[test]
fn scoring_while_drawing_equals_scoring_the_drawn_cells() {
    let (t, e) = data();
    let rows: Vec<usize> = (0..t.n_rows).collect();
    let lx = LimeExplainer::fit(&t, &e, &rows).unwrap();
    let coef: Vec<f64> = (0..e.width).map(|i| 0.4 - 0.23 * i as f64).collect();
    let model = FittedModel::Logistic(LogisticModel { intercept: -0.3, coef });
    let bb = ModelBox { encoder: &e, model: &model };
    assert!(bb.linear_logit().is_some() && Opaque(bb).linear_logit().is_none());
    for row in [0, 3, 17] {
        let cells = e.cells_of_row(&t, row);
        for discretize in [true, false] {
            let p = LimeParams { num_samples: 700, discretize, ..LimeParams::default() };
            assert_eq!(lx.explain(&bb, &cells, &p).unwrap(), lx.explain(&Opaque(bb), &cells, &p).unwrap());
        }
    }
}
