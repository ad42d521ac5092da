//! Federated averaging (McMahan et al. 2017, "Communication-efficient learning of deep networks
//! from decentralized data", Algorithm 1) for logistic regression, and secure aggregation with
//! pairwise additive masks (Bonawitz et al. 2017: updates quantised to fixed point and masked
//! with uniform masks modulo 2^32, as in the paper; without key agreement, secret sharing or dropouts).
//!
//! Each round the server picks m = max(1, round(C·K)) of the K clients (seeded), sends them the
//! global weights; each runs E epochs of full-batch gradient descent on its own rows and returns
//! its weights; the server sets w ← Σₖ (nₖ/n_sel)·wₖ over the picked clients (nₖ = client rows).
//! With one client holding every row and C = 1 this is exactly centralised gradient descent with
//! rounds × E steps, which the tests check.

use super::linear::{accuracy, full_batch_step, LinearWeights};
use super::{check_shape, PrivacyError};
use crate::core::metrics::{audit, AuditOptions, AuditReport, Predictions};
use crate::core::rng::Rng;
use ndarray::ArrayView2;
use serde::{Deserialize, Serialize};

/// Encoded rows with labels and group codes.
#[derive(Clone, Copy, Debug)]
pub struct Rows<'a> {
    pub x: ArrayView2<'a, f64>,
    pub y: &'a [bool],
    pub groups: &'a [u32],
}

/// How rows are dealt to clients.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClientSplit {
    /// Shuffled (seeded) and dealt round-robin: every client looks like the whole.
    Iid,
    /// Non-IID: a client holds rows of one group only (clients k with k mod G = g share group
    /// g's rows); with fewer clients than groups, group g goes to client g mod K.
    ByGroup,
}

/// The settings of a FedAvg run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FedAvgSpec {
    /// Number of clients K ≥ 1. Default 10.
    pub clients: usize,
    pub split: ClientSplit,
    /// Communication rounds. Default 20.
    pub rounds: u32,
    /// Local epochs E (full-batch gradient steps per round). Default 5.
    pub local_epochs: u32,
    /// Learning rate of the local steps. Default 0.5.
    pub learning_rate: f64,
    /// Client fraction C ∈ (0, 1]. Default 0.5.
    pub client_fraction: f64,
    /// Seed of the split and of the client selection. Default 42.
    pub seed: u64,
}

impl Default for FedAvgSpec {
    fn default() -> Self {
        Self {
            clients: 10,
            split: ClientSplit::Iid,
            rounds: 20,
            local_epochs: 5,
            learning_rate: 0.5,
            client_fraction: 0.5,
            seed: crate::core::rng::DEFAULT_SEED,
        }
    }
}

/// One round.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RoundInfo {
    pub round: u32,
    /// The clients picked this round (ascending).
    pub selected: Vec<usize>,
    /// Accuracy of the global model on the test rows after the round.
    pub test_accuracy: f64,
}

/// FedAvg against centralised training on the same rows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FedAvgResult {
    pub weights: LinearWeights,
    /// Centralised gradient descent with rounds × local epochs steps.
    pub centralised: LinearWeights,
    pub rounds: Vec<RoundInfo>,
    pub client_sizes: Vec<usize>,
    /// Positive share of each client's rows (`None` for an empty client): the non-IID skew.
    pub client_positive_rates: Vec<Option<f64>>,
    /// The last round's client updates wₖ − w (parameter layout [β…, b]), in `selected` order,
    /// for the secure-aggregation view.
    pub last_updates: Vec<Vec<f64>>,
    pub federated_test_accuracy: f64,
    pub centralised_test_accuracy: f64,
    /// Per-group metrics on the test rows at threshold 0.5.
    pub federated_report: AuditReport,
    pub centralised_report: AuditReport,
}

/// Deals the training rows to clients (each client's rows ascending).
///
/// # Errors
/// No clients.
pub fn split_clients(
    groups: &[u32],
    clients: usize,
    split: ClientSplit,
    seed: u64,
) -> Result<Vec<Vec<usize>>, PrivacyError> {
    if clients == 0 {
        return Err(PrivacyError::BadSetting("There must be at least one client.".into()));
    }
    let mut out = vec![Vec::new(); clients];
    match split {
        ClientSplit::Iid => {
            let mut order: Vec<usize> = (0..groups.len()).collect();
            Rng::derived(seed, 1).shuffle(&mut order);
            for (k, i) in order.into_iter().enumerate() {
                if let Some(c) = out.get_mut(k % clients) {
                    c.push(i);
                }
            }
        }
        ClientSplit::ByGroup => {
            let g_count = groups.iter().max().map_or(1, |m| *m as usize + 1);
            let mut dealt = vec![0usize; g_count];
            for (i, g) in groups.iter().enumerate() {
                let g = *g as usize;
                let k = if clients >= g_count {
                    // Clients g, g + G, g + 2G, … share group g.
                    let share = (clients - g).div_ceil(g_count);
                    let t = dealt.get(g).copied().unwrap_or(0);
                    if let Some(dg) = dealt.get_mut(g) {
                        *dg += 1;
                    }
                    g + g_count * (t % share.max(1))
                } else {
                    g % clients
                };
                if let Some(c) = out.get_mut(k) {
                    c.push(i);
                }
            }
        }
    }
    out.iter_mut().for_each(|c| c.sort_unstable());
    Ok(out)
}

/// Runs FedAvg on `train`, evaluates on `test`, and trains the centralised baseline.
///
/// # Errors
/// Mismatched shapes, no rows, zero clients, rounds or epochs, a client fraction outside
/// (0, 1], a bad learning rate, or group codes without names.
pub fn fed_avg(
    train: Rows<'_>,
    test: Rows<'_>,
    group_names: &[String],
    spec: &FedAvgSpec,
) -> Result<FedAvgResult, PrivacyError> {
    check_shape(train.x, train.y, Some(train.groups))?;
    check_shape(test.x, test.y, Some(test.groups))?;
    if train.x.ncols() != test.x.ncols() {
        return Err(PrivacyError::Shape(format!(
            "training rows have {} columns but test rows {}.",
            train.x.ncols(),
            test.x.ncols()
        )));
    }
    if !(spec.client_fraction > 0.0 && spec.client_fraction <= 1.0) {
        return Err(PrivacyError::BadSetting(format!(
            "The client fraction must be in (0, 1]; {} was given.",
            spec.client_fraction
        )));
    }
    if !(1..=10_000).contains(&spec.rounds) || !(1..=10_000).contains(&spec.local_epochs) {
        return Err(PrivacyError::BadSetting(format!(
            "Rounds and local epochs must be between 1 and 10,000; {} and {} were given.",
            spec.rounds, spec.local_epochs
        )));
    }
    if !(spec.learning_rate > 0.0 && spec.learning_rate.is_finite()) {
        return Err(PrivacyError::LearningRate(spec.learning_rate));
    }
    let clients = split_clients(train.groups, spec.clients, spec.split, spec.seed)?;
    let k = clients.len();
    let m = ((spec.client_fraction * k as f64).round() as usize).clamp(1, k);
    let xs = train.x.as_standard_layout();
    let d = train.x.ncols();
    let x_rows: Vec<&[f64]> = match xs.as_slice() {
        Some(flat) if d > 0 => flat.chunks_exact(d).collect(),
        _ => vec![&[][..]; train.y.len()],
    };
    let mut select_rng = Rng::derived(spec.seed, 2);
    let mut w = LinearWeights::zeros(train.x.ncols());
    let mut rounds = Vec::with_capacity(spec.rounds as usize);
    let mut last_updates = Vec::new();
    for round in 1..=spec.rounds {
        let mut ids: Vec<usize> = (0..k).collect();
        select_rng.shuffle(&mut ids);
        let mut selected: Vec<usize> = ids.into_iter().take(m).collect();
        selected.sort_unstable();
        let n_sel: usize = selected.iter().filter_map(|c| clients.get(*c)).map(Vec::len).sum();
        let mut next = vec![0.0; w.coef.len() + 1];
        let global = w.to_vec();
        last_updates.clear();
        for c in &selected {
            let rows = clients.get(*c).map(Vec::as_slice).unwrap_or(&[]);
            let mut local = w.clone();
            for _ in 0..spec.local_epochs {
                full_batch_step(&mut local, &x_rows, train.y, rows, spec.learning_rate);
            }
            let lv = local.to_vec();
            let share = if n_sel == 0 { 0.0 } else { rows.len() as f64 / n_sel as f64 };
            for (acc, v) in next.iter_mut().zip(&lv) {
                *acc += share * v;
            }
            last_updates.push(lv.iter().zip(&global).map(|(a, b)| a - b).collect());
        }
        if n_sel > 0 {
            w = LinearWeights::from_vec(&next);
        }
        rounds.push(RoundInfo { round, selected, test_accuracy: w.accuracy(test.x, test.y) });
    }
    let all: Vec<usize> = (0..train.y.len()).collect();
    let mut central = LinearWeights::zeros(train.x.ncols());
    for _ in 0..u64::from(spec.rounds) * u64::from(spec.local_epochs) {
        full_batch_step(&mut central, &x_rows, train.y, &all, spec.learning_rate);
    }
    let fed_scores = w.score(test.x);
    let cen_scores = central.score(test.x);
    let opts = AuditOptions::default();
    let federated_report = audit(test.y, Predictions::Scores(&fed_scores), test.groups, group_names, &opts)?;
    let centralised_report = audit(test.y, Predictions::Scores(&cen_scores), test.groups, group_names, &opts)?;
    let client_positive_rates = clients
        .iter()
        .map(|c| {
            (!c.is_empty()).then(|| {
                c.iter().filter(|i| train.y.get(**i).copied().unwrap_or(false)).count() as f64 / c.len() as f64
            })
        })
        .collect();
    Ok(FedAvgResult {
        federated_test_accuracy: accuracy(&fed_scores, test.y),
        centralised_test_accuracy: accuracy(&cen_scores, test.y),
        weights: w,
        centralised: central,
        rounds,
        client_sizes: clients.iter().map(Vec::len).collect(),
        client_positive_rates,
        last_updates,
        federated_report,
        centralised_report,
    })
}

/// Secure aggregation works on integers modulo 2^[`RING_BITS`].
pub const RING_BITS: u32 = 32;

/// The fixed-point scale the app quantises updates with: 2^16, so a value is kept to about
/// 1.5 · 10⁻⁵ and sums up to ±32,768 fit in the ring.
pub const FIXED_POINT_SCALE: f64 = 65_536.0;

/// What the server sees under pairwise masking, beside what it recovers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SecureAggregation {
    /// Each client's masked update yᵢ = qᵢ + Σ_{j>i} m_ij − Σ_{j<i} m_ji (mod 2^32), with qᵢ the
    /// quantised update: all the server sees. Integers in [0, 2^32), uniformly distributed
    /// whatever the update, because each mask is.
    pub masked: Vec<Vec<f64>>,
    /// Σᵢ yᵢ mod 2^32, read as a signed integer and divided by the scale: the masks cancel
    /// exactly, leaving the sum of the quantised updates.
    pub recovered_sum: Vec<f64>,
    /// Σᵢ uᵢ computed in the clear, for comparison in the lesson.
    pub true_sum: Vec<f64>,
    /// max |recovered − true| over coordinates: quantisation only, at most clients / (2 · scale).
    pub max_error: f64,
}

/// Secure aggregation with pairwise additive masks over the ring of integers modulo 2^32, as
/// Bonawitz et al. (2017) do it (without key agreement, secret sharing or dropouts): each update
/// is quantised to fixed point, q = round(u · `scale`) mod 2^32; clients i < j share a seeded
/// mask m_ij drawn uniformly from [0, 2^32); client i adds the masks it shares with later clients
/// and subtracts those it shares with earlier ones, modulo 2^32. Each masked value is then
/// uniform on the ring whatever the update (a one-time pad), while the masks cancel in the sum.
///
/// # Errors
/// No updates, updates of different lengths, non-finite values, a scale that is not a finite
/// number in [1, 2^24], or updates too large for the ring at this scale.
pub fn secure_aggregate(updates: &[Vec<f64>], seed: u64, scale: f64) -> Result<SecureAggregation, PrivacyError> {
    let dim = updates.first().map(Vec::len).ok_or(PrivacyError::NoRows)?;
    if let Some(bad) = updates.iter().find(|u| u.len() != dim) {
        return Err(PrivacyError::Shape(format!("updates have {} and {} values.", dim, bad.len())));
    }
    if updates.iter().flatten().any(|v| !v.is_finite()) {
        return Err(PrivacyError::Shape("an update holds a value that is not a finite number.".into()));
    }
    if !(scale.is_finite() && (1.0..=16_777_216.0).contains(&scale)) {
        return Err(PrivacyError::BadSetting(format!(
            "The fixed-point scale must be a number from 1 to 2^24; {scale} was given."
        )));
    }
    // Every coordinate's signed sum of quantised values must stay inside (−2^31, 2^31) to be
    // read back: bound it by the sum of absolute values, coordinate by coordinate.
    let half_ring = f64::from(1u32 << (RING_BITS - 1));
    for j in 0..dim {
        let total_abs: f64 = updates.iter().filter_map(|u| u.get(j)).map(|v| (v * scale).round().abs()).sum();
        if total_abs >= half_ring {
            return Err(PrivacyError::BadSetting(format!(
                "The updates are too large for a 32-bit ring at scale {scale} (coordinate {j}: absolute sum \
                 times the scale is {total_abs:.0}, over 2^31); use a smaller scale."
            )));
        }
    }
    // In range: |v · scale| < 2^31 was checked above, so the cast to i64 is exact.
    let quantise = |v: f64| ((v * scale).round() as i64) as u32;
    let k = updates.len();
    let mut masked: Vec<Vec<u32>> = updates.iter().map(|u| u.iter().map(|v| quantise(*v)).collect()).collect();
    for i in 0..k {
        for j in (i + 1)..k {
            let mut rng = Rng::derived(seed, (i as u64) * (k as u64) + j as u64);
            let mask: Vec<u32> = (0..dim).map(|_| rng.next_u32()).collect();
            if let Some(mi) = masked.get_mut(i) {
                mi.iter_mut().zip(&mask).for_each(|(v, m)| *v = v.wrapping_add(*m));
            }
            if let Some(mj) = masked.get_mut(j) {
                mj.iter_mut().zip(&mask).for_each(|(v, m)| *v = v.wrapping_sub(*m));
            }
        }
    }
    let mut ring_sum = vec![0u32; dim];
    for v in &masked {
        ring_sum.iter_mut().zip(v).for_each(|(a, b)| *a = a.wrapping_add(*b));
    }
    // Two's complement: the ring sum read as a signed 32-bit integer.
    let recovered_sum: Vec<f64> = ring_sum.iter().map(|s| f64::from(*s as i32) / scale).collect();
    let mut true_sum = vec![0.0; dim];
    for v in updates {
        true_sum.iter_mut().zip(v).for_each(|(a, b)| *a += b);
    }
    let max_error = recovered_sum.iter().zip(&true_sum).map(|(a, b)| (a - b).abs()).fold(0.0, f64::max);
    let masked = masked.into_iter().map(|v| v.into_iter().map(f64::from).collect()).collect();
    Ok(SecureAggregation { masked, recovered_sum, true_sum, max_error })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::privacy::dpsgd::gradient_descent;
    use crate::core::privacy::testdata::logistic_data;

    fn names() -> Vec<String> {
        vec!["a".into(), "b".into()]
    }

    #[test]
    fn one_client_with_everything_is_centralised_gradient_descent() {
        let (x, y, g) = logistic_data(400, 3, 2);
        let rows = Rows { x: x.view(), y: &y, groups: &g };
        let spec = FedAvgSpec { clients: 1, client_fraction: 1.0, rounds: 6, local_epochs: 4, ..Default::default() };
        let r = fed_avg(rows, rows, &names(), &spec).unwrap();
        let gd = gradient_descent(x.view(), &y, spec.learning_rate, 24).unwrap();
        assert_eq!(r.weights, gd);
        assert_eq!(r.centralised, gd);
        assert_eq!(r.federated_report, r.centralised_report);
    }

    #[test]
    fn iid_fedavg_comes_close_to_centralised() {
        let (x, y, g) = logistic_data(3000, 4, 8);
        let (xt, yt, gt) = logistic_data(1000, 4, 9);
        let r = fed_avg(
            Rows { x: x.view(), y: &y, groups: &g },
            Rows { x: xt.view(), y: &yt, groups: &gt },
            &names(),
            &FedAvgSpec::default(),
        )
        .unwrap();
        assert_eq!(r.rounds.len(), 20);
        assert!(r.rounds.iter().all(|ri| ri.selected.len() == 5));
        assert!((r.federated_test_accuracy - r.centralised_test_accuracy).abs() < 0.03);
        assert_eq!(r.last_updates.len(), 5);
    }

    #[test]
    fn by_group_clients_hold_one_group_each() {
        let groups = [0, 1, 0, 1, 1, 0, 0, 1];
        let c = split_clients(&groups, 4, ClientSplit::ByGroup, 1).unwrap();
        for client in &c {
            let gs: Vec<u32> = client.iter().map(|i| groups[*i]).collect();
            assert!(gs.windows(2).all(|w| w[0] == w[1]), "{gs:?}");
        }
        assert_eq!(c.iter().map(Vec::len).sum::<usize>(), 8);
        let two = split_clients(&[0, 1, 2], 2, ClientSplit::ByGroup, 1).unwrap();
        assert_eq!(two, vec![vec![0, 2], vec![1]]);
    }

    #[test]
    fn masks_cancel_in_the_sum_but_hide_each_update() {
        let updates = vec![vec![0.1, -0.2, 0.3], vec![0.05, 0.0, -0.1], vec![-0.3, 0.2, 0.25], vec![1.0, 2.0, 3.0]];
        let s = secure_aggregate(&updates, 7, FIXED_POINT_SCALE).unwrap();
        // Quantisation error only: at most 4 clients · 0.5 / 2^16.
        for (r, t) in s.recovered_sum.iter().zip(&s.true_sum) {
            assert!((r - t).abs() <= 2.0 / FIXED_POINT_SCALE, "{r} vs {t}");
        }
        // Hand sum of the first coordinate: 0.1 + 0.05 − 0.3 + 1.0.
        assert!((s.true_sum[0] - 0.85).abs() < 1e-12);
        // Negative sums come back through two's complement: −0.2 + 0.0 + 0.2 + 2.0 = 2.0 and a
        // single negative client.
        let neg = secure_aggregate(&[vec![-1.5], vec![-2.25]], 3, FIXED_POINT_SCALE).unwrap();
        assert_eq!(neg.recovered_sum, vec![-3.75]);
        for (m, u) in s.masked.iter().zip(&updates) {
            assert!(m.iter().zip(u).any(|(a, b)| (a - b).abs() > 1e-3));
            // Every masked value is an integer of the ring [0, 2^32).
            assert!(m.iter().all(|v| v.fract() == 0.0 && *v >= 0.0 && *v < 4_294_967_296.0));
        }
        assert!(s.max_error <= 2.0 / FIXED_POINT_SCALE);
        assert!(matches!(secure_aggregate(&[], 1, 1.0), Err(PrivacyError::NoRows)));
        assert!(matches!(secure_aggregate(&[vec![1e6]], 1, FIXED_POINT_SCALE), Err(PrivacyError::BadSetting(_))));
        assert!(matches!(secure_aggregate(&[vec![1.0]], 1, 0.5), Err(PrivacyError::BadSetting(_))));
    }

    /// The server's view of one client is uniform on the ring whatever the update: the same
    /// masks over an all-zero update and an all-large update give views whose quartile counts
    /// are each near a quarter (a χ² test with 3 degrees of freedom, 0.1% critical value 16.3).
    #[test]
    fn the_masked_view_is_uniform_on_the_ring() {
        let dim = 4000;
        for value in [0.0, 1000.0] {
            let updates = vec![vec![value; dim], vec![0.0; dim], vec![-value; dim]];
            let s = secure_aggregate(&updates, 11, FIXED_POINT_SCALE).unwrap();
            for view in &s.masked {
                let mut counts = [0.0f64; 4];
                for v in view {
                    counts[(*v / 1_073_741_824.0) as usize] += 1.0;
                }
                let expected = dim as f64 / 4.0;
                let chi2: f64 = counts.iter().map(|c| (c - expected).powi(2) / expected).sum();
                assert!(chi2 < 16.3, "value {value}: quartile counts {counts:?}, chi2 {chi2}");
            }
            assert!(s.recovered_sum.iter().all(|r| r.abs() < 1e-9));
        }
    }
}
