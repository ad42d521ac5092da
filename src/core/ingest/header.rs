//! The header row: names made unique and non-empty, and Excel's `sep=X` first line.

use super::IngestWarning;
use std::collections::HashSet;

/// How many renamed headers are reported one by one; the rest are counted in one warning.
pub(super) const RENAME_WARNINGS: usize = 10;

/// Makes header names unique and non-empty: an empty name becomes `column_<position>`, a repeated
/// one `<name>_2`, `<name>_3`, … (the first free suffix). Linear in the number of columns (a file
/// of 10,000 identical names must not take cubic time). The first [`RENAME_WARNINGS`] renames
/// are reported one by one, the rest in one [`IngestWarning::MoreHeadersRenamed`].
pub(super) fn clean_headers(raw: Vec<String>, warnings: &mut Vec<IngestWarning>) -> Vec<String> {
    let mut names: Vec<String> = Vec::with_capacity(raw.len());
    let mut taken: HashSet<String> = HashSet::with_capacity(raw.len());
    // The next suffix to try for each repeated name.
    let mut next_suffix: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut renamed = 0usize;
    let mut report = |w: IngestWarning, warnings: &mut Vec<IngestWarning>| {
        renamed += 1;
        if renamed <= RENAME_WARNINGS {
            warnings.push(w);
        }
    };
    for (i, name) in raw.into_iter().enumerate() {
        let trimmed = name.trim().to_string();
        let mut candidate = if trimmed.is_empty() {
            let n = format!("column_{}", i + 1);
            report(IngestWarning::EmptyHeader { position: i + 1, name: n.clone() }, warnings);
            n
        } else {
            trimmed.clone()
        };
        if taken.contains(&candidate) {
            let k = next_suffix.entry(candidate.clone()).or_insert(2);
            while taken.contains(&format!("{candidate}_{k}")) {
                *k += 1;
            }
            let new_name = format!("{candidate}_{k}");
            *k += 1;
            report(
                IngestWarning::DuplicateHeader { original: trimmed, position: i + 1, name: new_name.clone() },
                warnings,
            );
            candidate = new_name;
        }
        taken.insert(candidate.clone());
        names.push(candidate);
    }
    if renamed > RENAME_WARNINGS {
        warnings.push(IngestWarning::MoreHeadersRenamed { count: renamed - RENAME_WARNINGS });
    }
    names
}

/// Excel's `sep=;` first line (written by "CSV (semicolon delimited)" in some locales): the
/// delimiter it names and the length of the line with its line break, or `None`.
pub(super) fn excel_separator_line(text: &str) -> Option<(u8, usize)> {
    let rest = text.strip_prefix("sep=").or_else(|| text.strip_prefix("SEP="))?;
    let end = rest.find(['\n', '\r']).unwrap_or(rest.len());
    let declared = rest.get(..end)?.trim_end_matches(['"', ' ']);
    let &[d] = declared.as_bytes() else { return None };
    if !matches!(d, b',' | b';' | b'\t' | b'|') {
        return None;
    }
    let after = rest.get(end..).unwrap_or("");
    let line_break = if after.starts_with("\r\n") { 2 } else { usize::from(!after.is_empty()) };
    Some((d, 4 + end + line_break))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn many_identical_headers_are_renamed_in_linear_time_with_few_warnings() {
        let mut warnings = Vec::new();
        let names = clean_headers(vec!["x".to_string(); 20_000], &mut warnings);
        assert_eq!(names.get(1).map(String::as_str), Some("x_2"));
        assert_eq!(names.last().map(String::as_str), Some("x_20000"));
        assert_eq!(warnings.len(), RENAME_WARNINGS + 1);
        assert_eq!(warnings.last(), Some(&IngestWarning::MoreHeadersRenamed { count: 19_999 - RENAME_WARNINGS }));
        // A suffix that is already a name is skipped.
        let mut warnings = Vec::new();
        let names = clean_headers(["a", "a_2", "a", ""].map(String::from).to_vec(), &mut warnings);
        assert_eq!(names, ["a", "a_2", "a_3", "column_4"]);
    }

    #[test]
    fn excel_separator_lines() {
        assert_eq!(excel_separator_line("sep=;\na;b\n"), Some((b';', 6)));
        assert_eq!(excel_separator_line("sep=\t\r\na\tb\n"), Some((b'\t', 7)));
        assert_eq!(excel_separator_line("sep=,"), Some((b',', 5)));
        assert_eq!(excel_separator_line("sep=x\n"), None);
        assert_eq!(excel_separator_line("separator,b\n"), None);
    }
}
