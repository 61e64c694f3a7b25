//! `op_util_*`: byte and text helpers behind the platform's global utilities.

use crate::runtime::text::rust_string;
use base64::Engine as _;
use boa_engine::object::builtins::JsArray;
use boa_engine::{js_string, Context, JsResult, JsValue};

use super::{arg_string, type_error, Op};

/// Largest byte array read from script (16 MiB).
const MAX_BYTES: u64 = 16 * 1024 * 1024;

pub(super) const OPS: &[Op] = &[
    ("op_util_str2bytes", op_util_str2bytes, 2),
    ("op_util_bytes2str", op_util_bytes2str, 2),
    ("op_util_base64_encode", op_util_base64_encode, 1),
    ("op_util_base64_decode", op_util_base64_decode, 1),
    ("op_util_levenshtein", op_util_levenshtein, 2),
];

/// Reads an array-like of numbers as bytes (each value `& 0xff`).
pub(crate) fn js_bytes(value: &JsValue, ctx: &mut Context) -> JsResult<Vec<u8>> {
    let Some(obj) = value.as_object() else {
        return Err(type_error("expected an array of bytes"));
    };
    let len = obj.get(js_string!("length"), ctx)?.to_length(ctx)?;
    if len > MAX_BYTES {
        return Err(type_error("byte array too large"));
    }
    let mut out = Vec::with_capacity(len as usize);
    for i in 0..len {
        let n = obj.get(i, ctx)?.to_number(ctx)?;
        out.push(if n.is_finite() {
            (n as i64 & 0xff) as u8
        } else {
            0
        });
    }
    Ok(out)
}

pub(crate) fn bytes_value(bytes: &[u8], ctx: &mut Context) -> JsValue {
    JsArray::from_iter(bytes.iter().map(|b| JsValue::from(*b)), ctx).into()
}

fn encoding(args: &[JsValue], i: usize, ctx: &mut Context) -> JsResult<String> {
    let enc = arg_string(args, i, ctx)?
        .to_ascii_lowercase()
        .replace('_', "-");
    Ok(if enc.is_empty() {
        "utf-8".to_string()
    } else {
        enc
    })
}

/// `op_util_str2bytes(s, encoding)`: utf-8 (default), ascii, latin1, utf-16le.
fn op_util_str2bytes(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let enc = encoding(args, 1, ctx)?;
    let s = match args.first() {
        Some(v) => v.to_string(ctx)?,
        None => js_string!(""),
    };
    let bytes: Vec<u8> = match enc.as_str() {
        "utf-8" | "utf8" => rust_string(&s).into_bytes(),
        "ascii" => s.iter().map(|u| (u & 0x7f) as u8).collect(),
        "latin1" | "iso-8859-1" | "binary" => s.iter().map(|u| (u & 0xff) as u8).collect(),
        "utf-16le" | "utf16le" | "ucs2" | "ucs-2" => s.iter().flat_map(u16::to_le_bytes).collect(),
        other => return Err(type_error(format!("unsupported encoding: {other}"))),
    };
    Ok(bytes_value(&bytes, ctx))
}

/// `op_util_bytes2str(bytes, encoding)`.
fn op_util_bytes2str(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let enc = encoding(args, 1, ctx)?;
    let bytes = js_bytes(&args.first().cloned().unwrap_or_default(), ctx)?;
    let s = match enc.as_str() {
        "utf-8" | "utf8" => String::from_utf8_lossy(&bytes).into_owned(),
        "ascii" => bytes.iter().map(|b| char::from(b & 0x7f)).collect(),
        "latin1" | "iso-8859-1" | "binary" => bytes.iter().map(|b| char::from(*b)).collect(),
        "utf-16le" | "utf16le" | "ucs2" | "ucs-2" => {
            let units: Vec<u16> = bytes
                .chunks_exact(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]))
                .collect();
            return Ok(boa_engine::JsString::from(units.as_slice()).into());
        }
        other => return Err(type_error(format!("unsupported encoding: {other}"))),
    };
    Ok(js_string!(s.as_str()).into())
}

/// `op_util_base64_encode(bytes)` → string.
fn op_util_base64_encode(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let bytes = js_bytes(&args.first().cloned().unwrap_or_default(), ctx)?;
    let s = base64::engine::general_purpose::STANDARD.encode(bytes);
    Ok(js_string!(s.as_str()).into())
}

/// `op_util_base64_decode(s)` → bytes (standard or URL-safe alphabet, padding optional).
fn op_util_base64_decode(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let s = arg_string(args, 0, ctx)?;
    let cleaned: String = s
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '=')
        .map(|c| match c {
            '-' => '+',
            '_' => '/',
            c => c,
        })
        .collect();
    match base64::engine::general_purpose::STANDARD_NO_PAD.decode(cleaned) {
        Ok(bytes) => Ok(bytes_value(&bytes, ctx)),
        Err(e) => Err(type_error(format!("invalid base64: {e}"))),
    }
}

/// `op_util_levenshtein(a, b)` over characters.
fn op_util_levenshtein(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let a: Vec<char> = arg_string(args, 0, ctx)?.chars().collect();
    let b: Vec<char> = arg_string(args, 1, ctx)?.chars().collect();
    if a.len().saturating_mul(b.len()) > 100_000_000 {
        return Err(type_error("strings too long for levenshtein_distance"));
    }
    Ok(JsValue::from(levenshtein(&a, &b) as f64))
}

fn levenshtein(a: &[char], b: &[char]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::levenshtein;

    #[test]
    fn levenshtein_counts_edits() {
        let d = |a: &str, b: &str| {
            levenshtein(
                &a.chars().collect::<Vec<_>>(),
                &b.chars().collect::<Vec<_>>(),
            )
        };
        assert_eq!(d("kitten", "sitting"), 3);
        assert_eq!(d("", "abc"), 3);
        assert_eq!(d("same", "same"), 0);
    }
}
