//! Names the platform gives things: the account's name and the full application name
//! (`APP.ACCOUNT.voximplant.com`) built from it. This is the one owner of that format.

/// The account's name on a new data dir, unless `--account-name` says otherwise.
pub const DEFAULT_ACCOUNT_NAME: &str = "voxrun";

const DOMAIN: &str = "voximplant.com";

/// An account name is one DNS label of a full application name: it starts with a lowercase
/// letter, holds lowercase letters, digits and `-`, does not end with `-`, and is at most 63
/// characters long.
pub fn check_account_name(name: &str) -> Result<(), String> {
    let starts_with_letter = name.chars().next().is_some_and(|c| c.is_ascii_lowercase());
    let allowed = name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !starts_with_letter || !allowed || name.ends_with('-') || name.len() > 63 {
        return Err(format!(
            "{name:?} is not a valid account name: use 1 to 63 lowercase letters, digits and \
             '-', starting with a letter and not ending with '-'"
        ));
    }
    Ok(())
}

/// `app` of account `account` as the wire shows it.
pub fn full_application_name(app: &str, account: &str) -> String {
    format!("{app}.{account}.{DOMAIN}")
}

/// `APP.ACCOUNT.voximplant.com` → `APP` (None when `name` is not the full form of a name
/// of `account`).
pub fn short_application_name<'a>(name: &'a str, account: &str) -> Option<&'a str> {
    name.strip_suffix(DOMAIN)?
        .strip_suffix('.')?
        .strip_suffix(account)?
        .strip_suffix('.')
        .filter(|short| !short.is_empty())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn account_names_are_one_lowercase_label() {
        for good in ["voxrun", "voxengine", "a", "acme-2"] {
            assert_eq!(check_account_name(good), Ok(()), "{good}");
        }
        let long = "a".repeat(64);
        for bad in [
            "",
            "Acme",
            "2acme",
            "acme-",
            "ac.me",
            "ac me",
            long.as_str(),
        ] {
            let err = check_account_name(bad).unwrap_err();
            assert!(err.contains("not a valid account name"), "{bad}: {err}");
        }
    }

    #[test]
    fn full_names_round_trip_for_their_account_only() {
        let full = full_application_name("ivr", "acme");
        assert_eq!(full, "ivr.acme.voximplant.com");
        assert_eq!(short_application_name(&full, "acme"), Some("ivr"));
        assert_eq!(short_application_name(&full, "other"), None);
        assert_eq!(short_application_name("ivr", "acme"), None);
        assert_eq!(short_application_name(".acme.voximplant.com", "acme"), None);
        // `xacme` is another account, not `x` + `acme`.
        assert_eq!(
            short_application_name("ivr.xacme.voximplant.com", "acme"),
            None
        );
    }
}
