//! Rule patterns (docs/sessions.md#decisions-where-the-platform-is-silent): the Rust `regex` syntax, matched against the **whole** number.
//! Used by rules (routing an inbound call) and by the outbound peer table.

use regex::{Regex, RegexBuilder};

/// Longest accepted pattern, in bytes.
const PATTERN_MAX_BYTES: usize = 64 * 1024;
/// Cap on a compiled pattern (and its lazy DFA cache).
const REGEX_SIZE_LIMIT: usize = 1 << 20;

/// A pattern compiled for whole-number matching; `None` if it is invalid or too big.
pub fn compile(pattern: &str) -> Option<Regex> {
    if pattern.len() >= PATTERN_MAX_BYTES {
        return None;
    }
    let build = |p: &str| {
        RegexBuilder::new(p)
            .size_limit(REGEX_SIZE_LIMIT)
            .dfa_size_limit(REGEX_SIZE_LIMIT)
            .build()
            .ok()
    };
    // On its own first: `a)|(b` would otherwise slip out of the anchoring group.
    build(pattern)?;
    build(&format!("^(?:{pattern})$"))
}

#[cfg(test)]
mod tests {
    use super::compile;

    #[test]
    fn patterns_match_the_whole_number() {
        let re = compile("\\+1.*").unwrap_or_else(|| panic!("valid"));
        assert!(re.is_match("+15550001"));
        assert!(!re.is_match("x+15550001"));
        assert!(compile("a)|(b").is_none());
        assert!(compile("(").is_none());
    }
}
