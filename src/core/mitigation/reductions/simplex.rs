//! The small linear program of the exponentiated gradient's "linprog step" (Fairlearn's
//! `_Lagrangian.solve_linprog`, which calls SciPy's HiGHS dual simplex twice, once for the primal
//! and once for the dual): minimise cᵀx subject to `A x ≤ 0` (one row per constraint),
//! `Σ_{j<k} x_j = 1` (the first `k` variables form a distribution) and x ≥ 0. Here one two-phase
//! dense tableau simplex (Bland's rule, so it cannot cycle) gives both: the primal vertex and the
//! multipliers of the `≤` rows (the reduced costs of their slacks). Where the optimum is not
//! unique, the vertex may differ from HiGHS's (the game value does not).

/// The optimum: the primal variables and the (non-negative) multipliers of the `≤` rows.
#[derive(Clone, Debug, PartialEq)]
pub struct LpSolution {
    pub x: Vec<f64>,
    pub duals: Vec<f64>,
}

const TOL: f64 = 1e-12;

/// Solves min cᵀx, `rows · x ≤ 0`, Σ_{j<k} x_j = 1, x ≥ 0 (see the module doc). `None` when the
/// simplex does not finish within its iteration limit or the program is unbounded.
// In range: the tableau has m + 1 rows of `width` entries (built below); every column index is
// < width and every row index ≤ m by the loops' bounds; `basis` has m + 1 entries.
#[allow(clippy::indexing_slicing)]
pub fn solve(c: &[f64], rows: &[Vec<f64>], k: usize) -> Option<LpSolution> {
    let nv = c.len();
    let m = rows.len();
    if k == 0 || k > nv {
        return None;
    }
    // Columns: nv variables, m slacks, 1 artificial, then the right-hand side.
    let art = nv + m;
    let width = nv + m + 2;
    let rhs = width - 1;
    let mut t = vec![vec![0.0; width]; m + 1];
    for (i, row) in rows.iter().enumerate() {
        for (j, v) in row.iter().take(nv).enumerate() {
            t[i][j] = *v;
        }
        t[i][nv + i] = 1.0;
    }
    for v in t[m].iter_mut().take(k) {
        *v = 1.0;
    }
    t[m][art] = 1.0;
    t[m][rhs] = 1.0;
    let mut basis: Vec<usize> = (nv..nv + m).chain(std::iter::once(art)).collect();
    // Phase 1: minimise the artificial variable.
    let mut cost1 = vec![0.0; width - 1];
    cost1[art] = 1.0;
    run(&mut t, &mut basis, &cost1, width - 1)?;
    // Phase 2: the real costs; the artificial variable may not enter again.
    let mut cost2 = vec![0.0; width - 1];
    cost2[..nv].copy_from_slice(c);
    run(&mut t, &mut basis, &cost2, art)?;
    let mut x = vec![0.0; nv];
    for (i, &b) in basis.iter().enumerate() {
        if b < nv {
            x[b] = t[i][rhs];
        }
    }
    let reduced = reduced_costs(&t, &basis, &cost2);
    let duals = (0..m).map(|i| reduced[nv + i].max(0.0)).collect();
    Some(LpSolution { x, duals })
}

/// r_j = c_j − c_B·column_j for every column (the tableau holds B⁻¹A).
// In range: as in `solve`.
#[allow(clippy::indexing_slicing)]
fn reduced_costs(t: &[Vec<f64>], basis: &[usize], cost: &[f64]) -> Vec<f64> {
    (0..cost.len()).map(|j| cost[j] - basis.iter().enumerate().map(|(i, &b)| cost[b] * t[i][j]).sum::<f64>()).collect()
}

/// Simplex iterations with Bland's rule; columns ≥ `allowed` never enter.
// In range: as in `solve`.
#[allow(clippy::indexing_slicing)]
fn run(t: &mut [Vec<f64>], basis: &mut [usize], cost: &[f64], allowed: usize) -> Option<()> {
    let rhs = t.first()?.len() - 1;
    for _ in 0..10_000 {
        let reduced = reduced_costs(t, basis, cost);
        let Some(enter) = (0..allowed).find(|&j| reduced[j] < -TOL && !basis.contains(&j)) else {
            return Some(());
        };
        let mut leave: Option<(usize, f64)> = None;
        for (i, row) in t.iter().enumerate() {
            let a = row[enter];
            if a > TOL {
                let ratio = row[rhs] / a;
                leave = match leave {
                    Some((l, r)) if ratio > r + TOL || (ratio > r - TOL && basis[i] > basis[l]) => Some((l, r)),
                    _ => Some((i, ratio)),
                };
            }
        }
        let (l, _) = leave?;
        let pivot = t[l][enter];
        for v in t[l].iter_mut() {
            *v /= pivot;
        }
        let pivot_row = t[l].clone();
        for (i, row) in t.iter_mut().enumerate() {
            if i != l {
                let f = row[enter];
                if f != 0.0 {
                    for (v, p) in row.iter_mut().zip(&pivot_row) {
                        *v -= f * p;
                    }
                }
            }
        }
        basis[l] = enter;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mixes_two_classifiers_to_meet_a_constraint() {
        // Two classifiers: error 0.1 violating by 0.2, error 0.3 satisfying by 0.1 (slack ξ costs 10).
        // Mixing 1/3 of the first and 2/3 of the second meets the constraint exactly: error 0.2333.
        let c = [0.1, 0.3, 10.0];
        let rows = vec![vec![0.2, -0.1, -1.0]];
        let s = solve(&c, &rows, 2).unwrap();
        assert!((s.x[0] - 1.0 / 3.0).abs() < 1e-12, "{s:?}");
        assert!((s.x[1] - 2.0 / 3.0).abs() < 1e-12);
        assert!(s.x[2].abs() < 1e-12);
        // The multiplier: the value falls by λ per unit of slack: λ = (0.3 − 0.1)/(0.2 + 0.1).
        assert!((s.duals[0] - 2.0 / 3.0).abs() < 1e-12, "{s:?}");
    }
}
