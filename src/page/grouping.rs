//! How the page's role pickers become [`Roles`]: the sensitive attribute's binning (a numeric
//! column such as age cut into quantile groups or at chosen points), an optional second attribute
//! crossed with it into intersectional groups, and an optional column holding the train/test split.

use crate::core::roles::{Binning, SensitiveSpec};
use serde::{Deserialize, Serialize};

/// The grouping settings beside the sensitive column itself.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Grouping {
    /// How the sensitive column is cut into groups.
    pub binning: Binning,
    /// A second sensitive column crossed with the first (empty: none).
    pub cross: String,
    pub cross_binning: Binning,
    /// A column whose cells are `train` or `test` (empty: a seeded random split).
    pub split_column: String,
}

impl Grouping {
    /// The sensitive attributes for `sensitive` (empty: none) with these settings. The crossed
    /// column is ignored without a first one, or when it is the same column.
    pub fn specs(&self, sensitive: &str) -> Vec<SensitiveSpec> {
        if sensitive.is_empty() {
            return Vec::new();
        }
        let mut specs = vec![SensitiveSpec { column: sensitive.to_string(), binning: self.binning.clone() }];
        if !self.cross.is_empty() && self.cross != sensitive {
            specs.push(SensitiveSpec { column: self.cross.clone(), binning: self.cross_binning.clone() });
        }
        specs
    }

    /// The sensitive column and the grouping that give back `specs` (a shared link's roles).
    pub fn from_specs(specs: &[SensitiveSpec], split_column: Option<&str>) -> (String, Self) {
        let first = specs.first();
        let second = specs.get(1);
        (
            first.map(|s| s.column.clone()).unwrap_or_default(),
            Self {
                binning: first.map(|s| s.binning.clone()).unwrap_or_default(),
                cross: second.map(|s| s.column.clone()).unwrap_or_default(),
                cross_binning: second.map(|s| s.binning.clone()).unwrap_or_default(),
                split_column: split_column.unwrap_or_default().to_string(),
            },
        )
    }

    /// The split column, if one is chosen.
    pub fn split_column(&self) -> Option<String> {
        (!self.split_column.is_empty()).then(|| self.split_column.clone())
    }
}

/// The value of a binning `<select>`: `none`, `q2` … `q5`, or `cuts`.
pub fn binning_choice(binning: &Binning) -> String {
    match binning {
        Binning::None => "none".into(),
        Binning::Quantiles(k) => format!("q{k}"),
        Binning::Cuts(_) => "cuts".into(),
    }
}

/// The cut points as the user typed them back (`30, 50`).
pub fn cuts_text(binning: &Binning) -> String {
    match binning {
        Binning::Cuts(c) => c.iter().map(|x| x.to_string()).collect::<Vec<_>>().join(", "),
        _ => String::new(),
    }
}

/// Reads a binning choice and, for `cuts`, the typed cut points.
///
/// # Errors
/// A sentence saying which cut point could not be read, or that none were given.
pub fn parse_binning(choice: &str, cuts: &str) -> Result<Binning, String> {
    if let Some(k) = choice.strip_prefix('q').and_then(|k| k.parse::<u32>().ok()) {
        return Ok(Binning::Quantiles(k.clamp(2, 10)));
    }
    if choice != "cuts" {
        return Ok(Binning::None);
    }
    let mut points = Vec::new();
    for part in cuts.split([',', ';', ' ']).map(str::trim).filter(|p| !p.is_empty()) {
        match part.parse::<f64>() {
            Ok(x) if x.is_finite() => points.push(x),
            _ => return Err(format!("'{part}' is not a number. Type cut points like 30, 50.")),
        }
    }
    if points.is_empty() {
        return Err("Type at least one cut point, like 30, 50 (groups: under 30, 30 to 50, 50 and over).".into());
    }
    points.sort_by(f64::total_cmp);
    points.dedup();
    Ok(Binning::Cuts(points))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_crossed_and_binned_grouping_round_trips_through_specs() {
        let g = Grouping {
            binning: Binning::Quantiles(4),
            cross: "race".into(),
            cross_binning: Binning::None,
            split_column: "fold".into(),
        };
        let specs = g.specs("age");
        assert_eq!(specs.len(), 2);
        assert_eq!(specs[0], SensitiveSpec { column: "age".into(), binning: Binning::Quantiles(4) });
        assert_eq!(specs[1].column, "race");
        assert_eq!(Grouping::from_specs(&specs, Some("fold")), ("age".to_string(), g.clone()));
        assert_eq!(g.split_column().as_deref(), Some("fold"));
        // No first attribute: nothing to cross; the same column twice is not a crossing.
        assert!(g.specs("").is_empty());
        assert_eq!(g.specs("race").len(), 1);
    }

    #[test]
    fn binning_choices_parse_and_print() {
        assert_eq!(parse_binning("none", ""), Ok(Binning::None));
        assert_eq!(parse_binning("q4", ""), Ok(Binning::Quantiles(4)));
        assert_eq!(parse_binning("cuts", "50, 30;30"), Ok(Binning::Cuts(vec![30.0, 50.0])));
        assert_eq!(parse_binning("cuts", "30, old"), Err("'old' is not a number. Type cut points like 30, 50.".into()));
        assert!(parse_binning("cuts", " ").unwrap_err().starts_with("Type at least one cut point"));
        assert_eq!(binning_choice(&Binning::Quantiles(3)), "q3");
        assert_eq!(cuts_text(&Binning::Cuts(vec![30.0, 50.5])), "30, 50.5");
    }
}
