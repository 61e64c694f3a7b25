//! The platform's key-value storage of an application (`ApplicationStorage` in scenarios, the
//! `*KeyValue*` Management API methods): its limits, in one place, and the checks every
//! backend applies before it stores or looks anything up.
//!
//! Limits *(platform)*: a key is 1..=200 characters of `[a-zA-Z0-9а-яА-ЯёЁ_\-:;.#+]`, a value
//! at most 2,000 characters, a TTL 0..=7,776,000 s (90 days), 30 days when none is given.
//! An item lives while `now < expires_at`, so a TTL of 0 stores an item that is already gone
//! *(voxrun: the platform documents 0 as in range and says nothing more)*.
//!
//! Patterns *(voxrun reading of the platform's "namespace written before a colon")*: pattern
//! `P` matches the key `P` itself and every key in namespace `P`, i.e. starting with `P:`
//! (`test` matches `test`, `test:1`, `test:a:b`; not `testing`). A pattern ending in `:` is
//! the namespace itself (`test:` matches `test:1`). No pattern matches every key.

/// Longest key, in characters.
pub const MAX_KEY_CHARS: usize = 200;
/// Longest value, in characters.
pub const MAX_VALUE_CHARS: usize = 2000;
/// Longest TTL, in seconds (90 days).
pub const MAX_TTL_SECONDS: u64 = 7_776_000;
/// The TTL of an item stored without one, in seconds (30 days).
pub const DEFAULT_TTL_SECONDS: u64 = 2_592_000;

/// A stored item. `expires_at` is Unix seconds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KvItem {
    pub key: String,
    pub value: String,
    pub expires_at: i64,
}

/// A key and its expiry, without the value (key listings).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KvKey {
    pub key: String,
    pub expires_at: i64,
}

/// Why a key, value, TTL or pattern was refused. [`KvError::field`] names the parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KvError {
    KeyEmpty,
    KeyTooLong,
    /// The first character outside the allowed set.
    KeyCharacter(char),
    ValueTooLong,
    TtlTooLong,
    /// An absolute expiry that is not after now, or further than the longest TTL.
    ExpiresAtOutOfRange,
    PatternTooLong,
}

impl KvError {
    /// The parameter at fault (`key`, `value`, `ttl`, `expires_at`).
    pub fn field(&self) -> &'static str {
        match self {
            KvError::KeyEmpty
            | KvError::KeyTooLong
            | KvError::KeyCharacter(_)
            | KvError::PatternTooLong => "key",
            KvError::ValueTooLong => "value",
            KvError::TtlTooLong => "ttl",
            KvError::ExpiresAtOutOfRange => "expires_at",
        }
    }

    /// What is wrong, completing "The 'field' parameter ...".
    pub fn problem(&self) -> String {
        match self {
            KvError::KeyEmpty => "must not be empty".into(),
            KvError::KeyTooLong | KvError::PatternTooLong => {
                format!("must be at most {MAX_KEY_CHARS} characters")
            }
            KvError::KeyCharacter(c) => format!(
                "contains {c:?}; a key may contain only letters a-z, A-Z, а-я, А-Я, ё, Ё, \
                 digits and _ - : ; . # +"
            ),
            KvError::ValueTooLong => format!("must be at most {MAX_VALUE_CHARS} characters"),
            KvError::TtlTooLong => format!("must be between 0 and {MAX_TTL_SECONDS} seconds"),
            KvError::ExpiresAtOutOfRange => {
                format!("must be a Unix time after now and at most {MAX_TTL_SECONDS} seconds ahead")
            }
        }
    }
}

impl std::fmt::Display for KvError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the '{}' parameter {}", self.field(), self.problem())
    }
}

impl std::error::Error for KvError {}

fn key_char_allowed(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(c, '_' | '-' | ':' | ';' | '.' | '#' | '+')
        || ('а'..='я').contains(&c)
        || ('А'..='Я').contains(&c)
        || c == 'ё'
        || c == 'Ё'
}

pub fn check_key(key: &str) -> Result<(), KvError> {
    if key.is_empty() {
        return Err(KvError::KeyEmpty);
    }
    if key.chars().count() > MAX_KEY_CHARS {
        return Err(KvError::KeyTooLong);
    }
    match key.chars().find(|c| !key_char_allowed(*c)) {
        Some(c) => Err(KvError::KeyCharacter(c)),
        None => Ok(()),
    }
}

pub fn check_value(value: &str) -> Result<(), KvError> {
    if value.chars().count() > MAX_VALUE_CHARS {
        return Err(KvError::ValueTooLong);
    }
    Ok(())
}

/// A pattern is as long as a key may be; any text is allowed (it only ever matches keys).
pub fn check_pattern(pattern: &str) -> Result<(), KvError> {
    if pattern.chars().count() > MAX_KEY_CHARS {
        return Err(KvError::PatternTooLong);
    }
    Ok(())
}

/// The TTL to store: the given one (checked) or the default.
pub fn ttl_or_default(ttl: Option<u64>) -> Result<u64, KvError> {
    match ttl {
        None => Ok(DEFAULT_TTL_SECONDS),
        Some(t) if t <= MAX_TTL_SECONDS => Ok(t),
        Some(_) => Err(KvError::TtlTooLong),
    }
}

/// An absolute expiry (Unix seconds) as a TTL from `now`.
pub fn ttl_until(expires_at: i64, now: i64) -> Result<u64, KvError> {
    let ttl = expires_at.saturating_sub(now);
    match u64::try_from(ttl) {
        Ok(t) if t > 0 && t <= MAX_TTL_SECONDS => Ok(t),
        _ => Err(KvError::ExpiresAtOutOfRange),
    }
}

/// When an item stored at `now` with `ttl` expires.
pub fn expiry(now: i64, ttl: u64) -> i64 {
    now.saturating_add(i64::try_from(ttl).unwrap_or(i64::MAX))
}

/// The key prefix of a pattern's namespace (`test` → `test:`); see the module doc.
pub fn namespace_prefix(pattern: &str) -> String {
    if pattern.ends_with(':') {
        pattern.to_string()
    } else {
        format!("{pattern}:")
    }
}

/// Whether `key` matches `pattern` (the rule the backends implement in their queries).
pub fn matches(pattern: &str, key: &str) -> bool {
    pattern.is_empty() || key == pattern || key.starts_with(&namespace_prefix(pattern))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_follow_the_platform_rules() {
        assert_eq!(check_key("caller:+15551234567"), Ok(()));
        assert_eq!(check_key("счёт_Ёлка-1;2.#"), Ok(()));
        assert_eq!(check_key(""), Err(KvError::KeyEmpty));
        assert_eq!(check_key(&"k".repeat(200)), Ok(()));
        assert_eq!(check_key(&"k".repeat(201)), Err(KvError::KeyTooLong));
        // Characters, not bytes: 200 Cyrillic letters are 400 bytes and still fit.
        assert_eq!(check_key(&"ж".repeat(200)), Ok(()));
        assert_eq!(check_key("a b"), Err(KvError::KeyCharacter(' ')));
        assert_eq!(check_key("user@x"), Err(KvError::KeyCharacter('@')));
        assert_eq!(
            check_key("x'; DROP TABLE kv"),
            Err(KvError::KeyCharacter('\''))
        );
    }

    #[test]
    fn values_and_ttls_have_their_limits() {
        assert_eq!(check_value(""), Ok(()));
        assert_eq!(check_value(&"é".repeat(2000)), Ok(()));
        assert_eq!(check_value(&"v".repeat(2001)), Err(KvError::ValueTooLong));
        assert_eq!(ttl_or_default(None), Ok(2_592_000));
        assert_eq!(ttl_or_default(Some(0)), Ok(0));
        assert_eq!(ttl_or_default(Some(7_776_000)), Ok(7_776_000));
        assert_eq!(ttl_or_default(Some(7_776_001)), Err(KvError::TtlTooLong));
        assert_eq!(ttl_until(1_060, 1_000), Ok(60));
        assert_eq!(ttl_until(1_000, 1_000), Err(KvError::ExpiresAtOutOfRange));
        assert_eq!(
            ttl_until(1_000 + 7_776_001, 1_000),
            Err(KvError::ExpiresAtOutOfRange)
        );
        assert_eq!(expiry(i64::MAX - 1, u64::MAX), i64::MAX);
    }

    #[test]
    fn patterns_select_a_key_and_its_namespace() {
        assert!(matches("test", "test"));
        assert!(matches("test", "test:1"));
        assert!(matches("test", "test:a:b"));
        assert!(!matches("test", "testing"));
        assert!(!matches("test", "tes"));
        assert!(matches("test:", "test:1"));
        assert!(matches("test:a", "test:a:b"));
        assert!(!matches("test:a", "test:ab"));
        assert!(matches("", "anything"));
    }

    #[test]
    fn errors_name_the_parameter() {
        assert_eq!(
            KvError::ValueTooLong.to_string(),
            "the 'value' parameter must be at most 2000 characters"
        );
        assert_eq!(KvError::PatternTooLong.field(), "key");
        assert_eq!(KvError::ExpiresAtOutOfRange.field(), "expires_at");
    }
}
