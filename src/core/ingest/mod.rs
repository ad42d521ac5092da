//! CSV ingestion: bytes from a user's file → a typed, columnar [`Table`].
//!
//! What a file from a stranger can hold, and what happens:
//! - a UTF-8 byte-order mark is dropped; UTF-16 (with its mark) is decoded; bytes that are not
//!   UTF-8 are read as Windows-1252 (a superset of Latin-1) with a warning rather than failing;
//! - binary files (NUL bytes, many control characters) are refused with a message;
//! - the delimiter (comma, semicolon, tab or pipe) is sniffed from the first lines;
//! - quoted fields may hold delimiters, quotes (`""`) and newlines; CRLF line ends are fine;
//! - ragged rows are an error naming the line, or are skipped and counted when asked;
//! - duplicate or empty header names are renamed, with a warning;
//! - missing cells are empty, `NA`, `N/A`, `NaN`, `null`, `None` or `?` (case-insensitive),
//!   after trimming surrounding spaces (Adult has both);
//! - every column's kind is inferred ([`ColumnKind`]): numeric when every present cell is a
//!   finite number, boolean for a yes/no pair, categorical otherwise;
//! - a cap on rows × columns refuses a file too large for a browser tab before memory runs out.
//!
//! Nothing here panics on any input: every failure is an [`IngestError`] whose message says
//! which line or column and what to do.

mod builder;
mod decode;
mod header;

use crate::core::table::{Column, Table};
use builder::Builder;
use decode::decode;
use header::{clean_headers, excel_separator_line};

/// The default cap on rows × columns (cells): 60 million, about 1 GB of parsed data at most.
pub const DEFAULT_MAX_CELLS: usize = 60_000_000;

/// The default cap on the parsed table's memory while reading: 1 GiB. Numbers and category
/// codes stay far below it under the cell cap (8 and 4 bytes a cell); what reaches it is text
/// that is different in nearly every row (free text, IDs), whose every distinct value is kept.
pub const DEFAULT_MAX_TABLE_BYTES: usize = 1 << 30;

/// Rows read between two checks of the table's memory against [`IngestOptions::max_table_bytes`].
const MEMORY_CHECK_EVERY: usize = 4096;

/// What to do with a row whose number of fields differs from the header's.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RaggedRows {
    /// Stop with an error that names the line (the default).
    #[default]
    Error,
    /// Skip such rows and report how many were skipped.
    Skip,
}

/// How to read a file.
pub struct IngestOptions<'a> {
    /// The field delimiter; `None` sniffs it.
    pub delimiter: Option<u8>,
    pub ragged: RaggedRows,
    /// Refuse files with more cells than this.
    pub max_cells: usize,
    /// Refuse files whose parsed table would take more bytes than this (estimated as it is read).
    pub max_table_bytes: usize,
    /// Receives the share of the file read so far, in [0, 1].
    pub progress: Option<&'a mut dyn FnMut(f64)>,
}

impl Default for IngestOptions<'_> {
    fn default() -> Self {
        Self {
            delimiter: None,
            ragged: RaggedRows::Error,
            max_cells: DEFAULT_MAX_CELLS,
            max_table_bytes: DEFAULT_MAX_TABLE_BYTES,
            progress: None,
        }
    }
}

/// How the bytes were decoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TextEncoding {
    Utf8,
    Utf16,
    Windows1252,
}

/// Something the reader did that the user should know about; the file was still read.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum IngestWarning {
    #[error("The file is not UTF-8; it was read as Windows-1252 (Latin-1). If accented letters look wrong, save the file as UTF-8 and load it again.")]
    DecodedAsWindows1252,
    #[error("The file is UTF-16; it was converted to UTF-8.")]
    DecodedAsUtf16,
    #[error("Header {position} was empty; the column is called '{name}'.")]
    EmptyHeader { position: usize, name: String },
    #[error("The header '{original}' appears more than once; column {position} is called '{name}'.")]
    DuplicateHeader { original: String, position: usize, name: String },
    #[error("{count} more empty or repeated headers were renamed the same way.")]
    MoreHeadersRenamed { count: usize },

    #[error(
        "{count} rows had a different number of fields than the header and were skipped (first at line {first_line})."
    )]
    SkippedRaggedRows { count: usize, first_line: u64 },
    #[error("Column '{column}' holds values such as '{example}' that are not finite numbers, so it is read as text.")]
    NonFiniteNumbers { column: String, example: String },
    #[error("Column '{column}' is empty in every row; it is ignored as a feature.")]
    AllMissing { column: String },
}

/// Why a file could not be read. Each message names the problem and what to do.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum IngestError {
    #[error("The file is empty. Choose a CSV file with a header row and at least one data row.")]
    Empty,
    #[error("The file has a header ({columns} {}) but no data rows. Add rows below the header.", if *columns == 1 { "column" } else { "columns" })]
    HeaderOnly { columns: usize },
    #[error("This does not look like a text file (it holds binary data at byte {offset}). Export the data as CSV (comma- or tab-separated text) and load that.")]
    Binary { offset: usize },
    #[error("Line {line} has {found} fields but the header has {expected}. Fix that line, or choose to skip rows like it.{hint}")]
    Ragged { line: u64, found: usize, expected: usize, hint: String },
    #[error("The file is too large for this page: it holds more than {limit} cells (stopped at line {line} with {columns} columns). Use a sample of the rows, or fewer columns.")]
    TooLarge { limit: usize, line: u64, columns: usize },
    #[error("The file is too large for this page: by line {line} its table needed about {mb} MB of memory, over the {limit_mb} MB a browser tab can spare. Column '{column}' alone holds {distinct} different texts (about {column_mb} MB): free text or IDs like these are left out of the analysis anyway, so remove that column from the file (or use a sample of the rows) and load it again.")]
    TooMuchText { line: u64, mb: usize, limit_mb: usize, column: String, distinct: usize, column_mb: usize },
    #[error("A quote (\") opened on line {line} is never closed, so the rest of the file reads as one field. Close the quote or remove it.")]
    UnclosedQuote { line: u64 },
    #[error("The CSV reader stopped at line {line}: {message}.")]
    Malformed { line: u64, message: String },
}

/// A table read from a file, with what the reader noticed.
#[derive(Clone, Debug)]
pub struct Ingested {
    pub table: Table,
    pub warnings: Vec<IngestWarning>,
    pub delimiter: u8,
    pub encoding: TextEncoding,
    /// Rows skipped as ragged (with [`RaggedRows::Skip`]).
    pub skipped_rows: usize,
}

/// True when a trimmed cell means "missing".
pub fn is_missing(cell: &str) -> bool {
    cell.is_empty() || cell == "?" || ["na", "n/a", "nan", "null", "none"].iter().any(|m| cell.eq_ignore_ascii_case(m))
}

/// Picks the delimiter whose field counts are most consistent over the first lines.
///
/// For each candidate, the first 50 records are parsed: a candidate scores by the share of
/// records whose field count equals the header's, then by that field count. A file where every
/// candidate gives one field is a one-column file (comma).
pub fn sniff_delimiter(text: &str) -> u8 {
    let head = match text.char_indices().nth(64 * 1024) {
        Some((i, _)) => text.get(..i).unwrap_or(text),
        None => text,
    };
    let mut best = (b',', 0usize, 1usize);
    for delimiter in [b',', b';', b'\t', b'|'] {
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(head.as_bytes());
        let counts: Vec<usize> = reader.byte_records().take(50).filter_map(Result::ok).map(|r| r.len()).collect();
        let Some(&header) = counts.first() else { continue };
        if header < 2 {
            continue;
        }
        // The last record of a truncated head may be cut short: leave it out when there are more.
        let body = if counts.len() > 2 {
            counts.get(1..counts.len() - 1).unwrap_or(&[])
        } else {
            counts.get(1..).unwrap_or(&[])
        };
        let agree =
            if body.is_empty() { 1000 } else { 1000 * body.iter().filter(|&&c| c == header).count() / body.len() };
        if (agree, header) > (best.1, best.2) {
            best = (delimiter, agree, header);
        }
    }
    best.0
}

/// Refuses the file when the table being built (the columns so far, the row lines, and what
/// finishing the columns adds) is estimated over `limit` bytes, naming the column that holds the
/// most text.
fn check_memory(
    builders: &[Builder],
    names: &[String],
    rows: usize,
    line: u64,
    limit: usize,
) -> Result<(), IngestError> {
    let columns: usize = builders.iter().map(Builder::memory).sum();
    let total = columns.saturating_add(rows.saturating_mul(std::mem::size_of::<u64>()));
    if total <= limit {
        return Ok(());
    }
    let (widest, builder) = names
        .iter()
        .zip(builders)
        .max_by_key(|(_, b)| b.text_memory())
        .map_or((String::new(), None), |(n, b)| (n.clone(), Some(b)));
    Err(IngestError::TooMuchText {
        line,
        mb: total >> 20,
        limit_mb: limit >> 20,
        column: widest,
        distinct: builder.map_or(0, Builder::distinct),
        column_mb: builder.map_or(0, |b| b.text_memory() >> 20),
    })
}

/// Reads a CSV file's bytes into a table.
///
/// # Errors
/// [`IngestError`]: an empty file, a header with no rows, binary content, a ragged row (unless
/// skipped), a file over the cell cap, or a record the CSV reader cannot read.
pub fn read_csv(bytes: &[u8], mut options: IngestOptions<'_>) -> Result<Ingested, IngestError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(IngestError::Empty);
    }
    let (text, encoding) = decode(bytes)?;
    let mut warnings = Vec::new();
    match encoding {
        TextEncoding::Windows1252 => warnings.push(IngestWarning::DecodedAsWindows1252),
        TextEncoding::Utf16 => warnings.push(IngestWarning::DecodedAsUtf16),
        TextEncoding::Utf8 => {}
    }
    let text: &str = text.as_ref();
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(IngestError::Empty);
    }
    // Excel's `sep=;` first line names the delimiter; the header follows it.
    let (declared, body_start) = excel_separator_line(text).map_or((None, 0), |(d, len)| (Some(d), len));
    let first_line = if body_start > 0 { 2 } else { 1 };
    let text = text.get(body_start..).unwrap_or("");
    let delimiter = options.delimiter.or(declared).unwrap_or_else(|| sniff_delimiter(text));
    let mut reader =
        csv::ReaderBuilder::new().delimiter(delimiter).has_headers(false).flexible(true).from_reader(text.as_bytes());
    let odd_quotes = || text.bytes().filter(|&b| b == b'"').count() % 2 == 1;
    let mut lines_at = LineCounter::new(text, first_line);

    let mut record = csv::StringRecord::new();
    // The header: the first record that is not blank.
    let header: Vec<String> = loop {
        match reader.read_record(&mut record) {
            Ok(false) => return Err(IngestError::Empty),
            Ok(true) => {
                if record.iter().all(|f| f.trim().is_empty()) && record.len() <= 1 {
                    continue;
                }
                // A quote opened in the header and never closed swallows the whole file.
                if record.iter().any(|f| f.contains('\n')) && odd_quotes() {
                    let line = lines_at.line_of(record.position().map_or(0, |p| p.byte() as usize));
                    return Err(IngestError::UnclosedQuote { line });
                }
                break record.iter().map(str::to_string).collect();
            }
            Err(e) => return Err(malformed(&e)),
        }
    };
    // A header ending in a delimiter (as spreadsheets often write) has an empty last name; the
    // column it opens is dropped below if it is empty in every row.
    let trailing_header = header.len() > 1 && header.last().is_some_and(|h| h.trim().is_empty());
    let names = clean_headers(header, &mut warnings);
    let width = names.len();
    let mut builders: Vec<Builder> = (0..width).map(|_| Builder::new(delimiter != b',')).collect();
    let mut lines: Vec<u64> = Vec::new();
    let mut skipped = 0usize;
    let mut first_skipped = 0u64;
    let mut last_record_line = 0u64;
    let mut last_record_has_break = false;
    let total = text.len().max(1) as f64;
    let mut next_report = 0usize;
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => return Err(malformed(&e)),
        }
        let line = lines_at.line_of(record.position().map_or(0, |p| p.byte() as usize));
        // A blank line (one empty field) is not a row.
        if record.len() == 1 && record.get(0).is_some_and(|f| f.trim().is_empty()) && width > 1 {
            continue;
        }
        last_record_line = line;
        last_record_has_break = record.iter().any(|f| f.contains('\n'));
        if record.len() != width {
            // A trailing empty field from a line ending in a delimiter is tolerated.
            let trailing_empty = (record.len() == width + 1 && record.get(width).is_some_and(|f| f.trim().is_empty()))
                || (trailing_header && record.len() + 1 == width);
            if !trailing_empty {
                match options.ragged {
                    RaggedRows::Skip => {
                        if skipped == 0 {
                            first_skipped = line;
                        }
                        skipped += 1;
                        continue;
                    }
                    RaggedRows::Error => {
                        let breaks = record.iter().any(|f| f.contains('\n'));
                        if breaks && odd_quotes() {
                            return Err(IngestError::UnclosedQuote { line });
                        }
                        let other = [b',', b';', b'\t', b'|']
                            .into_iter()
                            .filter(|&d| d != delimiter)
                            .find(|&d| record.iter().any(|f| f.contains(char::from(d))));
                        let hint = if breaks {
                            " A field on this line holds a line break: a quote (\") may have been opened and never closed.".to_string()
                        } else if let Some(d) = other {
                            format!(
                                " The file is read as {}-separated, but this line also holds a {}: use one delimiter throughout.",
                                delimiter_name(delimiter),
                                delimiter_name(d)
                            )
                        } else {
                            String::new()
                        };
                        return Err(IngestError::Ragged { line, found: record.len(), expected: width, hint });
                    }
                }
            }
        }
        if (lines.len() + 1).saturating_mul(width) > options.max_cells {
            return Err(IngestError::TooLarge { limit: options.max_cells, line, columns: width });
        }
        for (i, b) in builders.iter_mut().enumerate() {
            b.push(record.get(i).unwrap_or(""));
        }
        lines.push(line);
        if lines.len() % MEMORY_CHECK_EVERY == 0 {
            check_memory(&builders, &names, lines.len(), line, options.max_table_bytes)?;
        }
        let position = record.position().map_or(0, |p| p.byte() as usize);
        if position >= next_report {
            if let Some(p) = options.progress.as_mut() {
                p(position as f64 / total);
            }
            next_report = position + (text.len() / 50).max(64 * 1024);
        }
    }
    check_memory(&builders, &names, lines.len(), last_record_line, options.max_table_bytes)?;
    // The CSV reader reads an unclosed quote to the end of the file as one field.
    if last_record_has_break && odd_quotes() {
        return Err(IngestError::UnclosedQuote { line: last_record_line });
    }
    if lines.is_empty() {
        return Err(IngestError::HeaderOnly { columns: width });
    }
    if skipped > 0 {
        warnings.push(IngestWarning::SkippedRaggedRows { count: skipped, first_line: first_skipped });
    }
    let mut column_warnings = Vec::new();
    let mut columns: Vec<Column> =
        builders.into_iter().zip(names).map(|(b, name)| b.finish(name, &mut column_warnings)).collect();
    if trailing_header && columns.last().is_some_and(|c| c.missing == c.len()) {
        if let Some(dropped) = columns.pop() {
            column_warnings.retain(|w| !matches!(w, IngestWarning::AllMissing { column } if *column == dropped.name));
            warnings.retain(|w| !matches!(w, IngestWarning::EmptyHeader { position, .. } if *position == width));
        }
    }
    warnings.extend(column_warnings);
    if let Some(p) = options.progress.as_mut() {
        p(1.0);
    }
    Ok(Ingested {
        table: Table { columns, n_rows: lines.len(), lines },
        warnings,
        delimiter,
        encoding,
        skipped_rows: skipped,
    })
}

/// Physical line numbers (1-based) of byte offsets, counted incrementally as records advance.
struct LineCounter<'t> {
    text: &'t [u8],
    at: usize,
    line: u64,
}

impl<'t> LineCounter<'t> {
    /// Counts lines of `text`, whose first line is line `first_line` of the file.
    fn new(text: &'t str, first_line: u64) -> Self {
        Self { text: text.as_bytes(), at: 0, line: first_line }
    }

    /// The line of the record starting at `byte` (offsets only grow). A record's reported start
    /// may sit on the line terminator of the one before (CRLF), so terminators are skipped first.
    fn line_of(&mut self, byte: usize) -> u64 {
        let mut start = byte;
        while matches!(self.text.get(start), Some(b'\r' | b'\n')) {
            start += 1;
        }
        if start < self.at {
            return self.line;
        }
        let span = self.text.get(self.at..start).unwrap_or(&[]);
        // A line ends at LF, CRLF, or a lone CR (old Mac files); the CSV reader splits on all three.
        let breaks = span
            .iter()
            .enumerate()
            .filter(|(i, &b)| b == b'\n' || (b == b'\r' && span.get(i + 1) != Some(&b'\n')))
            .count();
        self.line += breaks as u64;
        self.at = start;
        self.line
    }
}

/// How a delimiter is named in messages.
fn delimiter_name(d: u8) -> &'static str {
    match d {
        b',' => "comma",
        b';' => "semicolon",
        b'\t' => "tab",
        b'|' => "pipe",
        _ => "delimiter",
    }
}

fn malformed(e: &csv::Error) -> IngestError {
    let line = e.position().map_or(0, |p| p.line());
    let message = match e.kind() {
        csv::ErrorKind::Utf8 { .. } => "a field is not valid text".to_string(),
        other => format!("{other:?}"),
    };
    IngestError::Malformed { line, message }
}

/// The approximate memory the parsed table takes, in bytes.
pub fn table_memory(table: &Table) -> usize {
    let mut total = table.lines.len() * 8;
    for c in &table.columns {
        total += c.numeric.as_ref().map_or(0, |v| v.len() * 8);
        if let Some(d) = &c.dict {
            total += d.codes.len() * 4 + d.levels.iter().map(|l| l.len() + 24).sum::<usize>();
        }
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::table::ColumnKind;

    #[test]
    fn lone_carriage_returns_end_lines() {
        assert_eq!(read("a,b\r1,2\r3,4\r").unwrap().table.lines, vec![2, 3]);
        assert_eq!(read("a,b\r\n1,2\r\n\r\n3,4\r\n").unwrap().table.lines, vec![2, 4]);
    }

    #[test]
    fn decimal_commas_in_semicolon_files_and_trailing_header_delimiters() {
        let r = read("a;b;c\n1,5;-2,25;x,y\n3;4;z\n").unwrap();
        assert_eq!(r.delimiter, b';');
        let t = &r.table;
        assert_eq!(t.columns[0].numeric.as_deref(), Some(&[1.5, 3.0][..]));
        assert_eq!(t.columns[1].numeric.as_deref(), Some(&[-2.25, 4.0][..]));
        assert_eq!(t.columns[2].kind, ColumnKind::Categorical, "'x,y' is not a number");
        // In a comma file a comma is a delimiter, never a decimal mark.
        assert_eq!(read("a,b\n\"1,5\",2\n").unwrap().table.columns[0].kind, ColumnKind::Categorical);
        // "a,b," with rows "1,2," or "1,2": no third column, no warning.
        for text in ["a,b,\n1,2,\n3,4,\n", "a,b,\n1,2\n3,4\n"] {
            let r = read(text).unwrap();
            assert_eq!(r.table.names(), vec!["a", "b"], "{text:?}");
            assert!(r.warnings.is_empty(), "{:?}", r.warnings);
            assert_eq!(r.table.n_rows, 2);
        }
        // A trailing empty header over a column with data keeps it (renamed, with a warning).
        let r = read("a,b,\n1,2,3\n").unwrap();
        assert_eq!(r.table.names(), vec!["a", "b", "column_3"]);
    }

    fn read(text: &str) -> Result<Ingested, IngestError> {
        read_csv(text.as_bytes(), IngestOptions::default())
    }

    #[test]
    fn reads_types_missing_values_and_lines() {
        let t = read("age, sex ,income\n 39 , Male ,<=50K\n50,Female, >50K\n?,Male,<=50K\n").unwrap().table;
        assert_eq!(t.names(), vec!["age", "sex", "income"]);
        assert_eq!(t.n_rows, 3);
        assert_eq!(t.lines, vec![2, 3, 4]);
        let age = &t.columns[0];
        assert_eq!(age.kind, ColumnKind::Numeric);
        assert_eq!(age.missing, 1);
        assert_eq!(age.numeric.as_ref().unwrap()[..2], [39.0, 50.0]);
        assert_eq!(t.columns[1].kind, ColumnKind::Categorical);
        assert_eq!(t.columns[1].text(1).as_deref(), Some("Female"));
        assert_eq!(t.columns[2].text(1).as_deref(), Some(">50K"));
    }

    #[test]
    fn sniffs_each_delimiter() {
        for (d, text) in [
            (b',', "a,b,c\n1,2,3\n4,5,6\n"),
            (b';', "a;b;c\n1,5;2;3\n4;5;6\n"),
            (b'\t', "a\tb\tc\n1\t2\t3\n"),
            (b'|', "a|b|c\n1|2|3\n"),
        ] {
            let r = read(text).unwrap();
            assert_eq!(r.delimiter, d, "{text:?}");
            assert_eq!(r.table.columns.len(), 3);
        }
    }

    #[test]
    fn quoted_fields_crlf_and_bom() {
        let text = "\u{feff}name,note\r\n\"Smith, J\",\"said \"\"hi\"\"\nthen left\"\r\nDoe,plain\r\n";
        let r = read(text).unwrap();
        assert_eq!(r.table.names(), vec!["name", "note"]);
        assert_eq!(r.table.columns[0].text(0).as_deref(), Some("Smith, J"));
        assert_eq!(r.table.columns[1].text(0).as_deref(), Some("said \"hi\"\nthen left"));
        assert_eq!(r.table.lines, vec![2, 4], "the second row starts on physical line 4");
    }

    #[test]
    fn latin1_is_decoded_with_a_warning() {
        let bytes = b"name,city\nJos\xe9,M\xfcnchen\nAnn,Z\x80rich\n";
        let r = read_csv(bytes, IngestOptions::default()).unwrap();
        assert_eq!(r.encoding, TextEncoding::Windows1252);
        assert_eq!(r.table.columns[0].text(0).as_deref(), Some("José"));
        assert_eq!(r.table.columns[1].text(1).as_deref(), Some("Z€rich"));
        assert!(r.warnings.contains(&IngestWarning::DecodedAsWindows1252));
    }

    #[test]
    fn utf16_is_decoded() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "a,b\n1,x\n".encode_utf16() {
            bytes.extend(u.to_le_bytes());
        }
        let r = read_csv(&bytes, IngestOptions::default()).unwrap();
        assert_eq!(r.encoding, TextEncoding::Utf16);
        assert_eq!(r.table.columns[1].text(0).as_deref(), Some("x"));
    }

    #[test]
    fn bad_files_get_clear_errors() {
        assert_eq!(read("").unwrap_err(), IngestError::Empty);
        assert_eq!(read("  \n\n").unwrap_err(), IngestError::Empty);
        assert_eq!(read("a,b,c\n").unwrap_err(), IngestError::HeaderOnly { columns: 3 });
        assert!(matches!(
            read_csv(b"PK\x03\x04\x00\x00junk", IngestOptions::default()),
            Err(IngestError::Binary { .. })
        ));
        let err = read("a,b\n1,2\n3\n4,5\n").unwrap_err();
        assert!(matches!(err, IngestError::Ragged { line: 3, found: 1, expected: 2, .. }), "{err:?}");
        assert!(err.to_string().contains("Line 3 has 1 fields but the header has 2"));
        let err = read("a,b\n1,\"open\n2,3\n").unwrap_err();
        assert_eq!(err, IngestError::UnclosedQuote { line: 2 });
        assert!(err.to_string().contains("never closed"), "{err}");
        // A stray inch mark inside an unquoted field is just a character.
        assert!(read("h,w\n5'11\",70\n6',80\n").is_ok());
    }

    #[test]
    fn ragged_rows_can_be_skipped() {
        let options = IngestOptions { ragged: RaggedRows::Skip, ..IngestOptions::default() };
        let r = read_csv(b"a,b\n1,2\n3\n4,5,6\n7,8\n", options).unwrap();
        assert_eq!(r.table.n_rows, 2);
        assert_eq!(r.skipped_rows, 2);
        assert_eq!(r.table.lines, vec![2, 5]);
        assert!(r.warnings.contains(&IngestWarning::SkippedRaggedRows { count: 2, first_line: 3 }));
    }

    #[test]
    fn headers_are_made_unique() {
        let r = read("x,,x,x\n1,2,3,4\n").unwrap();
        assert_eq!(r.table.names(), vec!["x", "column_2", "x_2", "x_3"]);
        assert_eq!(r.warnings.len(), 3);
    }

    #[test]
    fn missing_markers_and_non_finite_numbers() {
        for m in ["", "NA", "n/a", "NaN", "null", "?", " None "] {
            assert!(is_missing(m.trim()), "{m}");
        }
        let r = read("a,b\n1,1e309\n2,3\n").unwrap();
        assert_eq!(r.table.columns[1].kind, ColumnKind::Categorical);
        assert!(matches!(r.warnings[0], IngestWarning::NonFiniteNumbers { .. }));
        let r = read("a,b\n-0,inf\n").unwrap();
        assert_eq!(r.table.columns[0].kind, ColumnKind::Numeric);
    }

    #[test]
    fn booleans_and_numbers_turning_into_text() {
        let r = read("flag,v\nyes,1\nno,2\nyes,x\n").unwrap();
        assert_eq!(r.table.columns[0].kind, ColumnKind::Boolean);
        assert_eq!(r.table.columns[1].kind, ColumnKind::Categorical);
        assert_eq!(r.table.columns[1].text(0).as_deref(), Some("1"));
        assert_eq!(r.table.columns[1].text(2).as_deref(), Some("x"));
        // Many distinct numbers, then a word: the earlier numbers keep their text.
        let mut text = String::from("v\n");
        for i in 0..2000 {
            text.push_str(&format!("{i}.5\n"));
        }
        text.push_str("word\n");
        let r = read(&text).unwrap();
        let c = &r.table.columns[0];
        assert_eq!(c.kind, ColumnKind::Categorical);
        assert_eq!(c.text(1999).as_deref(), Some("1999.5"));
        assert_eq!(c.text(2000).as_deref(), Some("word"));
    }

    #[test]
    fn cell_cap_refuses_big_files() {
        let options = IngestOptions { max_cells: 10, ..IngestOptions::default() };
        let err = read_csv(b"a,b\n1,2\n1,2\n1,2\n1,2\n1,2\n1,2\n", options).unwrap_err();
        assert!(matches!(err, IngestError::TooLarge { limit: 10, line: 7, columns: 2 }), "{err:?}");
    }

    #[test]
    fn a_table_of_unique_texts_over_the_memory_cap_is_refused_naming_the_column() {
        // 20,000 rows: a number, a category and a note different in every row (~60 bytes).
        let mut text = String::from("x,city,note,y\n");
        for i in 0..20_000 {
            text.push_str(&format!(
                "{i},c{},customer {i} wrote a note about an order and asked for more,{}\n",
                i % 7,
                i % 2
            ));
        }
        // Read with room to spare: every note is kept.
        let whole = read_csv(text.as_bytes(), IngestOptions::default()).unwrap();
        assert_eq!(whole.table.columns[2].kind, ColumnKind::Categorical);
        // Capped at 1 MiB: the 20,000 notes need about 2 MiB, so the reader stops, naming `note`.
        let options = IngestOptions { max_table_bytes: 1 << 20, ..IngestOptions::default() };
        let err = read_csv(text.as_bytes(), options).unwrap_err();
        let IngestError::TooMuchText { column, distinct, limit_mb, line, .. } = &err else { panic!("{err:?}") };
        assert_eq!(column, "note");
        assert_eq!(*limit_mb, 1);
        assert!(*distinct > 4000 && *distinct < 20_000, "stopped part way: {distinct}");
        assert!(*line > 4000 && *line < 20_000, "{line}");
        assert!(err.to_string().contains("remove that column"), "{err}");
        // The same rows without the notes fit under the same cap (numbers and codes are small).
        let numbers: String = text
            .lines()
            .map(|l| {
                let f: Vec<&str> = l.split(',').collect();
                format!("{},{},{}\n", f[0], f[1], f[3])
            })
            .collect();
        let options = IngestOptions { max_table_bytes: 1 << 20, ..IngestOptions::default() };
        assert!(read_csv(numbers.as_bytes(), options).is_ok());
    }

    #[test]
    fn progress_reaches_one() {
        let mut seen = Vec::new();
        let mut report = |f: f64| seen.push(f);
        let options = IngestOptions { progress: Some(&mut report), ..IngestOptions::default() };
        read_csv(b"a,b\n1,2\n", options).unwrap();
        assert_eq!(seen.last(), Some(&1.0));
    }
}
