//! Bytes → text: UTF-8 (a byte-order mark dropped), UTF-16 with its mark (or, recognised by its
//! zero bytes, without one), Windows-1252 for
//! anything else that is not UTF-8, and a refusal for binary content.

use super::{IngestError, TextEncoding};
use std::borrow::Cow;

/// Windows-1252's characters for bytes 0x80–0x9F (others map to the same code point).
const CP1252_HIGH: [char; 32] = [
    '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž', '\u{8f}', '\u{90}', '‘', '’',
    '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}', 'ž', 'Ÿ',
];

fn decode_windows1252(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|&b| match b {
            0x80..=0x9F => CP1252_HIGH.get((b - 0x80) as usize).copied().unwrap_or('\u{fffd}'),
            _ => char::from(b),
        })
        .collect()
}

fn decode_utf16(bytes: &[u8], little_endian: bool) -> String {
    let units = bytes.chunks_exact(2).map(|p| {
        let pair = [p.first().copied().unwrap_or(0), p.get(1).copied().unwrap_or(0)];
        if little_endian {
            u16::from_le_bytes(pair)
        } else {
            u16::from_be_bytes(pair)
        }
    });
    char::decode_utf16(units).map(|c| c.unwrap_or('\u{fffd}')).collect()
}

/// UTF-16 without a byte-order mark (as some exports write it): in the first 4 KiB, nine in ten
/// 2-byte units are an ASCII character next to a zero byte. `Some(true)` for little-endian.
fn utf16_without_mark(bytes: &[u8]) -> Option<bool> {
    let head = bytes.get(..bytes.len().min(4096)).unwrap_or(bytes);
    let units = head.len() / 2;
    if units < 2 {
        return None;
    }
    let (mut le, mut be) = (0usize, 0usize);
    for pair in head.chunks_exact(2) {
        if let &[a, b] = pair {
            le += usize::from(b == 0 && a != 0 && a.is_ascii());
            be += usize::from(a == 0 && b != 0 && b.is_ascii());
        }
    }
    if le * 10 >= units * 9 {
        Some(true)
    } else if be * 10 >= units * 9 {
        Some(false)
    } else {
        None
    }
}

/// Finds binary content: a NUL byte, or many control characters in the first 64 KiB.
fn binary_offset(bytes: &[u8]) -> Option<usize> {
    if let Some(i) = bytes.iter().position(|&b| b == 0) {
        return Some(i);
    }
    let head = bytes.get(..bytes.len().min(65_536)).unwrap_or(bytes);
    let controls: Vec<usize> = head
        .iter()
        .enumerate()
        .filter(|(_, &b)| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c))
        .map(|(i, _)| i)
        .collect();
    if !head.is_empty() && controls.len() * 100 > head.len() {
        return controls.first().copied();
    }
    None
}

/// Decodes the file's bytes to text.
pub(super) fn decode(bytes: &[u8]) -> Result<(Cow<'_, str>, TextEncoding), IngestError> {
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return Ok((Cow::Owned(decode_utf16(rest, true)), TextEncoding::Utf16));
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return Ok((Cow::Owned(decode_utf16(rest, false)), TextEncoding::Utf16));
    }
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    if let Some(little_endian) = utf16_without_mark(bytes) {
        return Ok((Cow::Owned(decode_utf16(bytes, little_endian)), TextEncoding::Utf16));
    }
    if let Some(offset) = binary_offset(bytes) {
        return Err(IngestError::Binary { offset });
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok((Cow::Borrowed(text), TextEncoding::Utf8)),
        Err(_) => Ok((Cow::Owned(decode_windows1252(bytes)), TextEncoding::Windows1252)),
    }
}
