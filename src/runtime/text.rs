//! JS strings into Rust strings, the one way every op and log line does it.
//!
//! `JsString::to_std_string_lossy` formats code point by code point through `Display`; a
//! reply body or a log line is mostly ASCII Latin-1, which this copies as one block.

use boa_engine::string::JsStrVariant;
use boa_engine::JsString;

/// `s` as UTF-8; a lone surrogate becomes U+FFFD, as with `to_std_string_lossy`.
pub(crate) fn rust_string(s: &JsString) -> String {
    match s.variant() {
        JsStrVariant::Latin1(bytes) if bytes.is_ascii() => {
            // ASCII is UTF-8 as it is.
            String::from_utf8(bytes.to_vec()).unwrap_or_default()
        }
        JsStrVariant::Latin1(bytes) => bytes.iter().map(|&b| char::from(b)).collect(),
        JsStrVariant::Utf16(units) => String::from_utf16_lossy(units),
    }
}

#[cfg(test)]
mod tests {
    use super::rust_string;
    use boa_engine::JsString;

    #[test]
    fn ascii_latin1_and_utf16_strings_convert_like_the_lossy_decoder() {
        for text in ["", "plain ascii", "café ÿ", "日本語 and 🎉"] {
            let js = JsString::from(text);
            assert_eq!(rust_string(&js), text);
            assert_eq!(rust_string(&js), js.to_std_string_lossy());
        }
        let lone = JsString::from(&[0x61u16, 0xD800, 0x62][..]);
        assert_eq!(rust_string(&lone), "a\u{FFFD}b");
        assert_eq!(rust_string(&lone), lone.to_std_string_lossy());
    }
}
