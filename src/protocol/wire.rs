//! The bytes of a [`Reply`] on its way from the worker to the page: `postcard`, a compact binary
//! serde format that reads a struct as the sequence of its fields. The page's reader of replies
//! was its largest single part when replies crossed as JS objects (`serde_wasm_bindgen`), whose
//! reader matches every field by name and walks JS objects key by key for every type a reply
//! carries; postcard's has neither (docs/architecture.md, "Two modules").
//!
//! The price: the format carries only what serde's derives write as plain structs, enums,
//! sequences and maps. A type on the wire may not use `#[serde(flatten)]`, internally tagged or
//! untagged enums, `skip_serializing_if` (use [`crate::core::wire::none_in_json`] and its
//! siblings) or a free-form [`serde_json::Value`] (use [`crate::core::wire::json_text`]).
//! `round_trip`, run on every reply of the session's native tests, fails when one does.
//!
//! Requests still go from the page to the worker as JS objects (`serde_wasm_bindgen`): they carry
//! specs whose JSON is internally tagged (models, mitigations, variants).

use super::Reply;

/// A reply as bytes for the page.
///
/// # Errors
/// A value the format cannot carry (see the module's notes), in words.
pub fn encode(reply: &Reply) -> Result<Vec<u8>, String> {
    crate::core::wire::to_bytes(reply)
}

/// The reply [`encode`] wrote.
///
/// # Errors
/// Bytes that are not one whole reply (nothing left over), in words.
pub fn decode(bytes: &[u8]) -> Result<Reply, String> {
    crate::core::wire::from_bytes(bytes)
}

/// Sends `body` (the reply to `request`) through the wire as the page reads it — [`encode`],
/// [`decode`], [`Reply::restore`] — and fails when it does not come back as it was (or, for a
/// value holding NaN, with the same JSON). The session's native tests call it on every reply.
#[cfg(test)]
pub(crate) fn round_trip(request: &super::Request, body: &super::ReplyBody) {
    let reply = Reply { id: 7, body: body.clone() };
    let bytes = encode(&reply).unwrap_or_else(|e| panic!("{request:?}: the reply cannot be encoded: {e}"));
    let mut back = decode(&bytes).unwrap_or_else(|e| panic!("{request:?}: the reply cannot be decoded: {e}"));
    back.restore(request);
    if back != reply {
        let json = |r: &Reply| serde_json::to_string(r).unwrap_or_else(|e| e.to_string());
        assert_eq!(json(&back), json(&reply), "{request:?}: the reply changed on the wire");
    }
}
