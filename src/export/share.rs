//! Shareable links: the settings that reproduce an experiment, kept in the URL fragment (the
//! part after `#`, which browsers never send to a server), as the TensorFlow Playground keeps
//! its whole state in the URL.
//!
//! Format, version 2: `v=2&s=<base64url(postcard bytes of ShareState)>` (RFC 4648 §5, no
//! padding), at most [`MAX_FRAGMENT_LEN`] characters. Unknown keys are ignored so later versions
//! can add some; another `v` is refused with a message. postcard (the worker's reply wire too,
//! `protocol::wire`) writes a struct as the sequence of its fields, so the page links no JSON
//! reader for these types (version 1, until 5 December 2026, was JSON: its reader, with the
//! internally tagged `ModelSpec`'s, was ≈ 30 KB gzip of the page). The types whose JSON is
//! tagged or flattened (`ModelSpec`, `OutputSpec`) are written plainly here and keep their JSON
//! elsewhere ([`crate::core::wire::two_shapes`]); `Roles`' optional fields are always written
//! ([`crate::core::wire::encoding`]).
//!
//! Privacy rule, applied by the encoder ([`ShareState::shareable`]) and again by the decoder:
//! for an uploaded file only settings that reveal nothing of the file are kept — the model and
//! its hyperparameters, the seeds, the test fraction, the mitigation request and the open
//! step/lesson; never column names (roles), group names (thresholds), values, the selected row
//! or the file name. For bundled or synthetic data everything is kept.

use super::escape::{base64url, base64url_decode};
use crate::core::models::ModelSpec;
use crate::core::postprocess::{MitigationSpec, Objective};
use crate::core::roles::{Binning, PositiveRule, Roles};
use serde::{Deserialize, Serialize};

/// The fragment format version this build writes and reads.
pub const SHARE_VERSION: u32 = 2;

/// The longest fragment accepted or produced, in bytes (links stay pasteable).
pub const MAX_FRAGMENT_LEN: usize = 8192;

/// Where the shared experiment's data come from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum DataSource {
    /// A bundled dataset by its catalog id.
    Bundled { id: String },
    /// The synthetic generator: preset id, generator seed and settings (name → value).
    Synthetic { preset: String, seed: u64, settings: Vec<(String, f64)> },
    /// A file the user opened: the link carries nothing about it; the recipient opens their own.
    Uploaded,
}

impl From<&super::DatasetSource> for DataSource {
    /// The link's view of a snapshot's data source (the citation is looked up again from the id).
    fn from(s: &super::DatasetSource) -> Self {
        match s {
            super::DatasetSource::Bundled { id, .. } => DataSource::Bundled { id: id.clone() },
            super::DatasetSource::Synthetic { preset, seed, settings } => {
                DataSource::Synthetic { preset: preset.clone(), seed: *seed, settings: settings.clone() }
            }
            super::DatasetSource::Uploaded => DataSource::Uploaded,
        }
    }
}

/// A group's decision threshold.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupThreshold {
    pub group: String,
    pub threshold: f64,
}

/// Where the page was.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShareView {
    /// The open step of the flow (e.g. "fairness").
    pub step: Option<String>,
    /// The open lesson id.
    pub lesson: Option<String>,
}

/// The settings of an experiment, as a link carries them (postcard: every field is written, in
/// this order; a field added or moved is a new [`SHARE_VERSION`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ShareState {
    pub source: DataSource,
    /// Column roles (`None` for an uploaded file).
    pub roles: Option<Roles>,
    pub model: ModelSpec,
    pub split_seed: u64,
    pub bootstrap_seed: Option<u64>,
    /// In (0, 1).
    pub test_fraction: f64,
    /// A column holding the train/test split, when one was chosen instead of a seeded split.
    pub split_column: Option<String>,
    /// Per-group thresholds (empty for an uploaded file).
    pub thresholds: Vec<GroupThreshold>,
    pub mitigation: Option<MitigationSpec>,
    /// The selected test row (`None` for an uploaded file).
    pub selected_row: Option<usize>,
    pub view: ShareView,
    /// The user's own output columns audited in place of a trained model (their names and
    /// decision rules only, never a value; empty for an uploaded file, like the roles). The
    /// first is the model of the later steps.
    pub outputs: Vec<crate::core::outputs::OutputSpec>,
}

/// Why a link's settings cannot be read or written. Each message says what to do.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ShareError {
    #[error("The link's settings are {len} characters long; at most {max} are accepted. Check that the whole link was copied, or share fewer settings.")]
    TooLong { len: usize, max: usize },
    #[error("The link has no version ('v={SHARE_VERSION}'); it was not made by Fairground or was cut short.")]
    MissingVersion,
    #[error("The link was made by another version of Fairground (format '{found}'; this one reads '{SHARE_VERSION}'). Open it with a matching version, or set up the experiment by hand.")]
    UnsupportedVersion { found: String },
    #[error("The link has no settings ('s=…'); check that the whole link was copied.")]
    MissingState,
    #[error("The link's settings are damaged (not valid base64url); check that the whole link was copied.")]
    Base64,
    #[error("The link's settings could not be read ({0}); check that the whole link was copied.")]
    Decode(String),
    #[error("The setting '{field}' is {value}; every number in a link must be finite.")]
    NotFinite { field: &'static str, value: f64 },
    #[error("The test fraction {value} must lie strictly between 0 and 1, e.g. 0.3.")]
    TestFraction { value: f64 },
}

fn finite(field: &'static str, value: f64) -> Result<(), ShareError> {
    if value.is_finite() {
        Ok(())
    } else {
        Err(ShareError::NotFinite { field, value })
    }
}

impl ShareState {
    /// The settings of a snapshot (source, roles, model, seeds, test fraction, the chosen
    /// mitigation's request, the audit's per-group thresholds) plus what only the page knows:
    /// the selected row and the view. The privacy rule is applied when encoding.
    pub fn from_snapshot(s: &super::SessionSnapshot, selected_row: Option<usize>, view: ShareView) -> ShareState {
        ShareState {
            source: DataSource::from(&s.dataset.source),
            roles: s.roles.clone(),
            model: s.model.clone(),
            split_seed: s.seeds.split,
            bootstrap_seed: s.seeds.bootstrap,
            test_fraction: s.test_fraction,
            split_column: None,
            thresholds: s
                .audit
                .iter()
                .flat_map(|a| &a.thresholds)
                .map(|(group, threshold)| GroupThreshold { group: group.clone(), threshold: *threshold })
                .collect(),
            mitigation: s.mitigation.as_ref().map(super::ChosenMitigation::spec),
            selected_row,
            view,
            outputs: Vec::new(),
        }
    }

    /// The state with the privacy rule applied: for [`DataSource::Uploaded`], roles, the split
    /// column, thresholds and the selected row are removed; otherwise the state is unchanged.
    pub fn shareable(&self) -> ShareState {
        let mut s = self.clone();
        if s.source == DataSource::Uploaded {
            s.roles = None;
            s.split_column = None;
            s.thresholds.clear();
            s.selected_row = None;
            s.outputs.clear();
        }
        s
    }

    /// Checks every number: all finite, the test fraction in (0, 1).
    ///
    /// # Errors
    /// [`ShareError::NotFinite`] naming the setting, or [`ShareError::TestFraction`].
    pub fn validate(&self) -> Result<(), ShareError> {
        finite("test_fraction", self.test_fraction)?;
        if !(self.test_fraction > 0.0 && self.test_fraction < 1.0) {
            return Err(ShareError::TestFraction { value: self.test_fraction });
        }
        for t in &self.thresholds {
            finite("threshold", t.threshold)?;
        }
        if let DataSource::Synthetic { settings, .. } = &self.source {
            for (_, v) in settings {
                finite("generator setting", *v)?;
            }
        }
        match &self.model {
            ModelSpec::Logistic(p) => finite("alpha", p.alpha)?,
            ModelSpec::NaiveBayes(p) => finite("var_smoothing", p.var_smoothing)?,
            ModelSpec::GradientBoosting(p) => {
                finite("learning_rate", p.learning_rate)?;
                finite("l2_regularization", p.l2_regularization)?;
                finite("validation_fraction", p.validation_fraction)?;
                finite("tol", p.tol)?;
            }
            ModelSpec::Tree(_) | ModelSpec::RandomForest(_) | ModelSpec::Knn(_) => {}
        }
        if let Some(r) = &self.roles {
            if let PositiveRule::AtLeast(c) = r.positive {
                finite("positive cut-off", c)?;
            }
            for s in &r.sensitive {
                if let Binning::Cuts(cuts) = &s.binning {
                    for c in cuts {
                        finite("binning cut", *c)?;
                    }
                }
            }
        }
        for o in &self.outputs {
            if let crate::core::outputs::OutputKind::Score(score) = &o.kind {
                finite("output threshold", score.threshold)?;
            }
        }
        if let Some(m) = &self.mitigation {
            finite("tolerance", m.tolerance)?;
            if let Objective::Cost { fp, fn_ } = m.objective {
                finite("false positive cost", fp)?;
                finite("false negative cost", fn_)?;
            }
        }
        Ok(())
    }

    /// The URL fragment (without `#`) for this state, after [`ShareState::shareable`].
    ///
    /// # Errors
    /// A number that is not finite or a test fraction outside (0, 1) ([`ShareState::validate`]),
    /// or a fragment longer than [`MAX_FRAGMENT_LEN`].
    pub fn to_fragment(&self) -> Result<String, ShareError> {
        let state = self.shareable();
        state.validate()?;
        let bytes = crate::core::wire::to_bytes(&state).map_err(ShareError::Decode)?;
        let fragment = format!("v={SHARE_VERSION}&s={}", base64url(&bytes));
        if fragment.len() > MAX_FRAGMENT_LEN {
            return Err(ShareError::TooLong { len: fragment.len(), max: MAX_FRAGMENT_LEN });
        }
        Ok(fragment)
    }

    /// Reads a fragment (with or without the leading `#`). Never panics, whatever the input;
    /// the privacy rule is applied to the result too.
    ///
    /// # Errors
    /// Too long, no or another version, no settings, damaged base64url or bytes that are not a
    /// whole state (anything left over too), or numbers that
    /// [`ShareState::validate`] refuses.
    pub fn from_fragment(fragment: &str) -> Result<ShareState, ShareError> {
        let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
        if fragment.len() > MAX_FRAGMENT_LEN {
            return Err(ShareError::TooLong { len: fragment.len(), max: MAX_FRAGMENT_LEN });
        }
        let mut version = None;
        let mut state = None;
        for pair in fragment.split('&') {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            match key {
                "v" if version.is_none() => version = Some(value),
                "s" if state.is_none() => state = Some(value),
                _ => {}
            }
        }
        match version {
            None => return Err(ShareError::MissingVersion),
            Some(v) if v != SHARE_VERSION.to_string() => {
                return Err(ShareError::UnsupportedVersion { found: v.chars().take(16).collect() })
            }
            Some(_) => {}
        }
        let bytes = base64url_decode(state.ok_or(ShareError::MissingState)?).ok_or(ShareError::Base64)?;
        let decoded: ShareState = crate::core::wire::from_bytes(&bytes).map_err(ShareError::Decode)?;
        decoded.validate()?;
        Ok(decoded.shareable())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(source: DataSource) -> ShareState {
        ShareState {
            source,
            roles: None,
            model: ModelSpec::default(),
            split_seed: 42,
            bootstrap_seed: Some(7),
            test_fraction: 0.3,
            split_column: None,
            thresholds: vec![GroupThreshold { group: "A".into(), threshold: 0.4 }],
            mitigation: None,
            selected_row: Some(3),
            view: ShareView { step: Some("fairness".into()), lesson: None },
            outputs: Vec::new(),
        }
    }

    #[test]
    fn a_bundled_link_carries_the_output_columns_in_use() {
        use crate::core::outputs::{OutputKind, OutputSpec, ScoreSpec};
        let mut s = state(DataSource::Bundled { id: "compas".into() });
        s.outputs = vec![
            OutputSpec {
                column: "decile_score".into(),
                kind: OutputKind::Score(ScoreSpec { threshold: 5.0, higher_is_positive: true }),
            },
            OutputSpec { column: "score_text".into(), kind: OutputKind::Prediction { positive: "High".into() } },
        ];
        assert_eq!(ShareState::from_fragment(&s.to_fragment().unwrap()).unwrap(), s);
        // A link without them (older, or a trained model) reads as before.
        let plain = state(DataSource::Bundled { id: "compas".into() });
        assert!(!plain.to_fragment().unwrap().is_empty());
        assert_eq!(ShareState::from_fragment(&plain.to_fragment().unwrap()).unwrap().outputs, vec![]);
    }

    #[test]
    fn bundled_round_trip_and_format() {
        let s = state(DataSource::Bundled { id: "adult".into() });
        let f = s.to_fragment().unwrap();
        assert!(f.starts_with("v=2&s="), "{f}");
        assert!(f.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_=&".contains(&b)), "{f}");
        assert_eq!(ShareState::from_fragment(&f).unwrap(), s);
        assert_eq!(ShareState::from_fragment(&format!("#{f}")).unwrap(), s);
    }

    #[test]
    fn typed_errors() {
        assert_eq!(ShareState::from_fragment(""), Err(ShareError::MissingVersion));
        // A version 1 link (JSON, before 5 December 2026) is refused with the message.
        let v1 = "v=1&s=".to_string() + &base64url(br#"{"source":{"kind":"bundled","id":"adult"}}"#);
        assert_eq!(ShareState::from_fragment(&v1), Err(ShareError::UnsupportedVersion { found: "1".into() }));
        assert!(ShareError::UnsupportedVersion { found: "1".into() }.to_string().contains("this one reads '2'"));
        assert_eq!(ShareState::from_fragment("v=2"), Err(ShareError::MissingState));
        assert_eq!(ShareState::from_fragment("v=2&s=%%%"), Err(ShareError::Base64));
        assert!(matches!(ShareState::from_fragment("v=2&s=e30"), Err(ShareError::Decode(_))), "cut short");
        // A whole state with bytes after it is refused too.
        let whole = state(DataSource::Bundled { id: "adult".into() }).to_fragment().unwrap();
        let mut bytes = base64url_decode(whole.strip_prefix("v=2&s=").unwrap()).unwrap();
        bytes.push(0);
        let extra = format!("v=2&s={}", base64url(&bytes));
        assert!(matches!(ShareState::from_fragment(&extra), Err(ShareError::Decode(_))), "{extra}");
        let long = "v=2&s=".to_string() + &"A".repeat(MAX_FRAGMENT_LEN);
        assert!(matches!(ShareState::from_fragment(&long), Err(ShareError::TooLong { .. })));
        let mut s = state(DataSource::Bundled { id: "adult".into() });
        s.test_fraction = 1.5;
        assert_eq!(s.to_fragment(), Err(ShareError::TestFraction { value: 1.5 }));
        s.test_fraction = 0.3;
        s.thresholds[0].threshold = f64::NAN;
        assert!(matches!(s.to_fragment(), Err(ShareError::NotFinite { field: "threshold", .. })));
    }

    #[test]
    fn a_link_can_carry_no_number_that_is_not_finite() {
        use crate::core::outputs::{OutputKind, OutputSpec, ScoreSpec};
        // postcard, unlike JSON, can write NaN and infinities: the reader refuses them.
        let mut s = state(DataSource::Bundled { id: "compas".into() });
        s.outputs = vec![OutputSpec {
            column: "decile_score".into(),
            kind: OutputKind::Score(ScoreSpec { threshold: f64::INFINITY, higher_is_positive: true }),
        }];
        let bytes = crate::core::wire::to_bytes(&s).unwrap();
        assert_eq!(
            ShareState::from_fragment(&format!("v=2&s={}", base64url(&bytes))),
            Err(ShareError::NotFinite { field: "output threshold", value: f64::INFINITY })
        );
        s.outputs.clear();
        s.thresholds[0].threshold = f64::NAN;
        let bytes = crate::core::wire::to_bytes(&s).unwrap();
        assert!(matches!(
            ShareState::from_fragment(&format!("v=2&s={}", base64url(&bytes))),
            Err(ShareError::NotFinite { field: "threshold", .. })
        ));
    }
}
