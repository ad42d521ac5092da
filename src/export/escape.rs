//! Text safety for exports: HTML escaping, Markdown escaping, base64 (RFC 4648, standard and
//! URL-safe alphabets) and the "plain number" test used by the CSV formula neutralisation.

/// Escapes text for HTML element content and double- or single-quoted attribute values:
/// `&` → `&amp;`, `<` → `&lt;`, `>` → `&gt;`, `"` → `&quot;`, `'` → `&#39;`. Control characters
/// other than tab, newline and carriage return are dropped (they are invalid in HTML).
///
/// After escaping, the text can contain no tag, no attribute break-out and no entity of its own.
pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Escapes user text for Markdown (CommonMark and GitHub-flavoured tables), context-free:
/// `\` `` ` `` `*` `_` `[` `]` `|` `~` `#` `$` `>` get a backslash; `<` becomes `&lt;` and `&`
/// becomes `&amp;` (so no raw HTML, autolink or entity survives); line breaks become spaces (a
/// table cell is one line); a leading list marker (`-`, `+`, `=` or `12.` / `12)` followed by a
/// space or the end) is escaped too. With `[` escaped, `(`, `)` and `!` can no longer form a
/// link or an image, so numbers such as `-0.5 (0.1 to 0.3)` stay readable.
pub fn markdown_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 4);
    let b = s.as_bytes();
    let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    let marker_end = |i: usize| matches!(b.get(i), None | Some(b' ' | b'\t'));
    // Byte position of a leading list-marker character to escape, if any.
    let marker = match b.first() {
        Some(b'-' | b'+' | b'=') if marker_end(1) => Some(0),
        Some(b'0'..=b'9') if matches!(b.get(digits), Some(b'.' | b')')) && marker_end(digits + 1) => Some(digits),
        _ => None,
    };
    for (i, c) in s.char_indices() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' | '#' | '$' | '>' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '&' => out.push_str("&amp;"),
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => {}
            c => {
                if marker == Some(i) {
                    out.push('\\');
                }
                out.push(c);
            }
        }
    }
    out
}

const STANDARD: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const URL_SAFE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fn encode_with(bytes: &[u8], alphabet: &[u8; 64], pad: bool) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    // In range: v & 63 < 64, the alphabet's length.
    #[allow(clippy::indexing_slicing)]
    let sym = |v: u32| char::from(alphabet[(v & 63) as usize]);
    for chunk in bytes.chunks(3) {
        let b = [chunk.first().copied(), chunk.get(1).copied(), chunk.get(2).copied()];
        let n =
            (u32::from(b[0].unwrap_or(0)) << 16) | (u32::from(b[1].unwrap_or(0)) << 8) | u32::from(b[2].unwrap_or(0));
        out.push(sym(n >> 18));
        out.push(sym(n >> 12));
        match (b[1], b[2]) {
            (Some(_), Some(_)) => {
                out.push(sym(n >> 6));
                out.push(sym(n));
            }
            (Some(_), None) => {
                out.push(sym(n >> 6));
                if pad {
                    out.push('=');
                }
            }
            _ => {
                if pad {
                    out.push_str("==");
                }
            }
        }
    }
    out
}

/// Base64 with the standard alphabet and `=` padding (RFC 4648 §4), as `data:` URIs need.
pub fn base64_standard(bytes: &[u8]) -> String {
    encode_with(bytes, STANDARD, true)
}

/// Base64url without padding (RFC 4648 §5), safe in a URL fragment.
pub fn base64url(bytes: &[u8]) -> String {
    encode_with(bytes, URL_SAFE, false)
}

/// Decodes unpadded base64url. `None` for any character outside the URL-safe alphabet or an
/// impossible length (a remainder of one symbol).
pub fn base64url_decode(s: &str) -> Option<Vec<u8>> {
    let value = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' => 62,
            b'_' => 63,
            _ => return None,
        } as u32)
    };
    let bytes = s.as_bytes();
    if bytes.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(bytes.len() / 4 * 3 + 2);
    for chunk in bytes.chunks(4) {
        let mut n = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            n |= value(c)? << (18 - 6 * i as u32);
        }
        let [_, b0, b1, b2] = n.to_be_bytes();
        out.push(b0);
        if chunk.len() > 2 {
            out.push(b1);
        }
        if chunk.len() > 3 {
            out.push(b2);
        }
    }
    Some(out)
}

/// Decodes standard base64 (RFC 4648 §4, padded or not), e.g. the payload of a `data:` URL.
pub fn base64_standard_decode(s: &str) -> Option<Vec<u8>> {
    let url_safe: String = s
        .trim_end_matches('=')
        .chars()
        .map(|c| match c {
            '+' => '-',
            '/' => '_',
            c => c,
        })
        .collect();
    base64url_decode(&url_safe)
}

/// True when the whole cell is a plain decimal number: an optional sign, digits with at most one
/// decimal point (at least one digit), and an optional exponent (`e`/`E`, optional sign,
/// digits). No spaces, no `inf`/`NaN`, no hex. `-3.5`, `+2`, `1e5`, `.5` are plain numbers;
/// `-2+3`, `1e`, `-`, `inf` are not.
pub fn is_plain_number(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'+' | b'-')) {
        i = 1;
    }
    let mut digits = 0;
    let mut dot = false;
    while let Some(&c) = b.get(i) {
        match c {
            b'0'..=b'9' => digits += 1,
            b'.' if !dot => dot = true,
            _ => break,
        }
        i += 1;
    }
    if digits == 0 {
        return false;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let start = i;
        while matches!(b.get(i), Some(b'0'..=b'9')) {
            i += 1;
        }
        if i == start {
            return false;
        }
    }
    i == b.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_base64_round_trips() {
        for bytes in [&b""[..], b"f", b"fo", b"foo", b"\xff\xfe\xfd\x00\x01"] {
            assert_eq!(base64_standard_decode(&base64_standard(bytes)).as_deref(), Some(bytes));
        }
        assert_eq!(base64_standard_decode("a$b="), None);
    }

    #[test]
    fn html_escape_neutralises_markup() {
        assert_eq!(html_escape("<script>alert(1)</script>"), "&lt;script&gt;alert(1)&lt;/script&gt;");
        assert_eq!(
            html_escape("<img src=x onerror=\"alert('x')\">"),
            "&lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt;"
        );
        assert_eq!(html_escape("Tom & Jerry's \"show\""), "Tom &amp; Jerry&#39;s &quot;show&quot;");
        assert_eq!(html_escape("&lt;"), "&amp;lt;", "an entity in user text stays text");
        assert_eq!(html_escape("a\u{0}b\u{7}c\nd"), "abc\nd");
        assert_eq!(html_escape("Männer × Frauen"), "Männer × Frauen");
    }

    #[test]
    fn markdown_escape_neutralises_syntax() {
        assert_eq!(markdown_escape("a|b"), "a\\|b");
        assert_eq!(markdown_escape("`code`"), "\\`code\\`");
        assert_eq!(markdown_escape("<script>"), "&lt;script\\>");
        assert_eq!(markdown_escape("[x](http://e.com)"), "\\[x\\](http://e.com)");
        assert_eq!(markdown_escape("![img](x.png)"), "!\\[img\\](x.png)");
        assert_eq!(markdown_escape("line1\nline2"), "line1 line2");
        assert_eq!(markdown_escape("**bold** _it_ & #1"), "\\*\\*bold\\*\\* \\_it\\_ &amp; \\#1");
        // Leading list markers, but not numbers.
        assert_eq!(markdown_escape("- item"), "\\- item");
        assert_eq!(markdown_escape("12. item"), "12\\. item");
        assert_eq!(markdown_escape("-0.5 (0.1 to 0.3)"), "-0.5 (0.1 to 0.3)");
        assert_eq!(markdown_escape("0.412"), "0.412");
    }

    #[test]
    fn base64_matches_rfc4648_vectors() {
        // RFC 4648 §10 test vectors.
        let cases = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ];
        for (plain, encoded) in cases {
            assert_eq!(base64_standard(plain.as_bytes()), encoded);
            assert_eq!(base64url(plain.as_bytes()), encoded.trim_end_matches('='));
            assert_eq!(base64url_decode(encoded.trim_end_matches('=')).unwrap(), plain.as_bytes());
        }
        // Bytes 0xfb 0xff use the two alphabet-specific symbols (62 and 63).
        assert_eq!(base64_standard(&[0xfb, 0xff]), "+/8=");
        assert_eq!(base64url(&[0xfb, 0xff]), "-_8");
        assert_eq!(base64url_decode("-_8").unwrap(), vec![0xfb, 0xff]);
    }

    #[test]
    fn base64url_decode_rejects_garbage() {
        assert_eq!(base64url_decode("Zg="), None, "padding is not part of the url form");
        assert_eq!(base64url_decode("Z"), None, "one symbol cannot encode a byte");
        assert_eq!(base64url_decode("Zm9v+A"), None, "'+' is the standard alphabet");
        assert_eq!(base64url_decode("é"), None);
    }

    #[test]
    fn plain_numbers() {
        for yes in ["0", "-3.5", "+2", "1e5", "1E-7", ".5", "5.", "-0.25e+3", "123456789"] {
            assert!(is_plain_number(yes), "{yes}");
        }
        for no in
            ["", "-", "+", ".", "-2+3", "1e", "1e+", "inf", "-inf", "NaN", "0x1f", " 1", "1 ", "1.2.3", "=1", "\t1"]
        {
            assert!(!is_plain_number(no), "{no:?}");
        }
    }
}
