//! A small dense linear program solver (the simplex method on a dictionary, Chvátal's
//! "Linear Programming" ch. 2–3): maximise cᵀz subject to A z ≤ b, z ≥ 0, with b ≥ 0 so that
//! z = 0 is a feasible start. The dictionary keeps only the m × d coefficients of the
//! non-basic variables, so a pivot costs O(m·d) — cheap for the few variables and many hull
//! constraints of equalized odds with a tolerance. Dantzig's rule, switching to Bland's rule
//! after degenerate pivots so it cannot cycle.

/// Why a linear program could not be solved.
#[derive(Debug, Clone, PartialEq)]
pub enum LpFailure {
    Unbounded,
    IterationLimit,
}

/// Maximises `c·z` subject to `rows[i]·z ≤ b[i]` and `z ≥ 0`; every `b[i]` must be ≥ 0
/// (slightly negative values from rounding are treated as 0). Returns z.
// In range: m = min(rows.len(), b.len()) and the loop above pushes d entries for each of the m
// rows, so `a` holds m·d entries and a[i·d + j] is in range for i < m, j < d (loop bounds; the
// leaving row l < m comes from the ratio test over 0..m, the entering e < d from 0..d). `rhs` and
// `basic` have m entries, `cost`, `nonbasic` and `z` have d, and z[v] is written only when v < d.
#[allow(clippy::indexing_slicing)]
pub fn maximise(c: &[f64], rows: &[Vec<f64>], b: &[f64]) -> Result<Vec<f64>, LpFailure> {
    const EPS: f64 = 1e-12;
    let d = c.len();
    let m = rows.len().min(b.len());
    // Dictionary: x_B(i) = rhs[i] − Σ_j a[i][j] x_N(j);  ζ = value + Σ_j cost[j] x_N(j).
    let mut a: Vec<f64> = Vec::with_capacity(m * d);
    for row in rows.iter().take(m) {
        for j in 0..d {
            a.push(row.get(j).copied().unwrap_or(0.0));
        }
    }
    let mut rhs: Vec<f64> = b.iter().take(m).map(|v| v.max(0.0)).collect();
    let mut cost: Vec<f64> = c.to_vec();
    let mut basic: Vec<usize> = (d..d + m).collect();
    let mut nonbasic: Vec<usize> = (0..d).collect();
    let mut degenerate_run = 0usize;
    let limit = 50 * (m + d) + 1000;
    for _ in 0..limit {
        // Entering variable.
        let entering = if degenerate_run > 20 {
            // Bland: the lowest-numbered variable with a positive cost.
            (0..d).filter(|&j| cost[j] > EPS).min_by_key(|&j| nonbasic[j])
        } else {
            (0..d).filter(|&j| cost[j] > EPS).max_by(|&x, &y| cost[x].total_cmp(&cost[y]))
        };
        let Some(e) = entering else {
            let mut z = vec![0.0; d];
            for (i, &v) in basic.iter().enumerate() {
                if v < d {
                    z[v] = rhs[i];
                }
            }
            return Ok(z);
        };
        // Ratio test (ties: the lowest-numbered basic variable).
        let mut leave: Option<(usize, f64)> = None;
        for i in 0..m {
            let coef = a[i * d + e];
            if coef > EPS {
                let ratio = rhs[i] / coef;
                let better = match leave {
                    None => true,
                    Some((l, r)) => ratio < r - 1e-15 || (ratio <= r + 1e-15 && basic[i] < basic[l]),
                };
                if better {
                    leave = Some((i, ratio));
                }
            }
        }
        let Some((l, ratio)) = leave else {
            return Err(LpFailure::Unbounded);
        };
        degenerate_run = if ratio.abs() <= EPS { degenerate_run + 1 } else { 0 };
        // Pivot: x_N(e) enters from row l.
        let pivot = a[l * d + e];
        let inv = 1.0 / pivot;
        // New row l expresses the entering variable.
        for j in 0..d {
            a[l * d + j] *= inv;
        }
        a[l * d + e] = inv;
        rhs[l] *= inv;
        for i in 0..m {
            if i == l {
                continue;
            }
            let f = a[i * d + e];
            if f == 0.0 {
                continue;
            }
            for j in 0..d {
                a[i * d + j] -= f * a[l * d + j];
            }
            a[i * d + e] = -f * inv;
            rhs[i] -= f * rhs[l];
            if rhs[i] < 0.0 && rhs[i] > -1e-11 {
                rhs[i] = 0.0;
            }
        }
        let f = cost[e];
        for j in 0..d {
            cost[j] -= f * a[l * d + j];
        }
        cost[e] = -f * inv;
        std::mem::swap(&mut basic[l], &mut nonbasic[e]);
    }
    Err(LpFailure::IterationLimit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn textbook_example() {
        // Chvátal's first example: max 5x1 + 4x2 + 3x3 s.t. 2x1+3x2+x3 ≤ 5, 4x1+x2+2x3 ≤ 11,
        // 3x1+4x2+2x3 ≤ 8: optimum 13 at (2, 0, 1).
        let z = maximise(
            &[5.0, 4.0, 3.0],
            &[vec![2.0, 3.0, 1.0], vec![4.0, 1.0, 2.0], vec![3.0, 4.0, 2.0]],
            &[5.0, 11.0, 8.0],
        )
        .unwrap();
        assert!((z[0] - 2.0).abs() < 1e-12 && z[1].abs() < 1e-12 && (z[2] - 1.0).abs() < 1e-12, "{z:?}");
    }

    #[test]
    fn unbounded_is_reported() {
        assert_eq!(maximise(&[1.0], &[vec![-1.0]], &[1.0]), Err(LpFailure::Unbounded));
    }
}
