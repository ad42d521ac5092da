//! The impossibility in numbers (Chouldechova 2017): in every group,
//! FPR = p/(1 − p) · (1 − PPV)/PPV · (1 − FNR), with p the base rate. So when base rates differ,
//! equal FPR and FNR force unequal PPV (and equal PPV forces unequal error rates). For each
//! group this gives the FPR the identity predicts (a check) and the PPV the group would have if
//! its FPR and FNR were the common (overall) ones: PPV = k / (FPR + k), k = p/(1 − p)·(1 − FNR).

use crate::core::metrics::{AuditReport, GroupMetrics};
use serde::{Deserialize, Serialize};

/// One group's side of the identity.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImpossibilityRow {
    pub group: String,
    pub base_rate: Option<f64>,
    pub false_positive_rate: Option<f64>,
    pub false_negative_rate: Option<f64>,
    pub positive_predictive_value: Option<f64>,
    /// p/(1 − p)·(1 − PPV)/PPV·(1 − FNR); `None` when PPV is 0 or undefined, or p = 1.
    pub identity_false_positive_rate: Option<f64>,
    /// The PPV forced by the overall FPR and FNR at this group's base rate.
    pub ppv_at_common_error_rates: Option<f64>,
}

/// p/(1 − p) · (1 − PPV)/PPV · (1 − FNR); `None` when undefined.
pub fn identity_fpr(base_rate: f64, ppv: f64, fnr: f64) -> Option<f64> {
    (base_rate < 1.0 && ppv > 0.0).then(|| base_rate / (1.0 - base_rate) * (1.0 - ppv) / ppv * (1.0 - fnr))
}

/// The PPV that FPR `fpr` and FNR `fnr` force at base rate p: k / (fpr + k), k = p/(1 − p)·(1 − FNR).
pub fn forced_ppv(base_rate: f64, fpr: f64, fnr: f64) -> Option<f64> {
    if base_rate >= 1.0 {
        return None;
    }
    let k = base_rate / (1.0 - base_rate) * (1.0 - fnr);
    (fpr + k > 0.0).then(|| k / (fpr + k))
}

/// The identity for each group at the current rule(s).
pub fn impossibility(names: &[String], groups: &[GroupMetrics], overall: &GroupMetrics) -> Vec<ImpossibilityRow> {
    names
        .iter()
        .zip(groups)
        .map(|(name, m)| {
            let p = m.base_rate;
            ImpossibilityRow {
                group: name.clone(),
                base_rate: p,
                false_positive_rate: m.false_positive_rate,
                false_negative_rate: m.false_negative_rate,
                positive_predictive_value: m.positive_predictive_value,
                identity_false_positive_rate: match (p, m.positive_predictive_value, m.false_negative_rate) {
                    (Some(p), Some(ppv), Some(fnr)) => identity_fpr(p, ppv, fnr),
                    _ => None,
                },
                ppv_at_common_error_rates: match (p, overall.false_positive_rate, overall.false_negative_rate) {
                    (Some(p), Some(f), Some(n)) => forced_ppv(p, f, n),
                    _ => None,
                },
            }
        })
        .collect()
}

/// The identity for every group of an audit report (its thresholds, its overall error rates).
pub fn impossibility_of_report(report: &AuditReport) -> Vec<ImpossibilityRow> {
    let names: Vec<String> = report.groups.keys().cloned().collect();
    let groups: Vec<GroupMetrics> = report.groups.values().cloned().collect();
    impossibility(&names, &groups, &report.overall)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::metrics::Confusion;

    #[test]
    fn identity_reproduces_the_actual_fpr() {
        // tp 30, fp 10, tn 50, fn 10: p = 0.4, PPV 0.75, FNR 0.25, FPR 1/6.
        let c = Confusion { tp: 30.0, fp: 10.0, tn: 50.0, fn_: 10.0 };
        let m = GroupMetrics::from_confusion(&c, None, None);
        let rows = impossibility(&["a".into()], std::slice::from_ref(&m), &m);
        let r = &rows[0];
        assert!((r.identity_false_positive_rate.unwrap() - 1.0 / 6.0).abs() < 1e-15);
        // At its own error rates the forced PPV is its own PPV.
        assert!((r.ppv_at_common_error_rates.unwrap() - 0.75).abs() < 1e-15);
        assert_eq!(identity_fpr(0.4, 0.0, 0.2), None);
    }
}
