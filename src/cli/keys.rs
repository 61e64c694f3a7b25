//! `voxrun keys` and `voxrun account`: commands on a data dir a server has created.

use super::KeysAction;
use crate::api::Role;

/// Shell-friendly `name=value` lines, so `eval "$(voxrun account)"` works.
pub(super) fn account(data_dir: &std::path::Path) -> Result<(), String> {
    let data = existing_data_dir(data_dir)?;
    println!("VOXRUN_ACCOUNT_ID={}", data.account.id);
    println!("VOXRUN_ACCOUNT_NAME={}", data.account.name);
    println!("VOXRUN_API_KEY={}", data.account.api_key);
    Ok(())
}

/// A data dir a server has created: a typo must not make a new account silently.
pub(crate) fn existing_data_dir(path: &std::path::Path) -> Result<crate::app::DataDir, String> {
    if !path.join("voxrun.db").exists() {
        return Err(format!(
            "no voxrun data dir at {} (run `voxrun serve --data-dir {}` once first)",
            path.display(),
            path.display()
        ));
    }
    crate::app::open_data_dir(path, None)
}

pub(super) fn keys(action: KeysAction) -> Result<(), String> {
    match action {
        KeysAction::Create {
            role,
            out,
            data_dir,
        } => {
            let role = Role::parse(&role).ok_or_else(|| format!("unknown role {role}"))?;
            let data = existing_data_dir(&data_dir)?;
            let file = crate::keys::create(data.store.blocking(), &data.account, role, &out)?;
            println!(
                "created key {} ({}) in {}",
                file.key_id,
                role.as_str(),
                out.display()
            );
        }
        KeysAction::List { data_dir } => {
            let data = existing_data_dir(&data_dir)?;
            let keys = data.store.blocking().keys().map_err(|e| e.to_string())?;
            for k in keys {
                let state = if k.revoked { "revoked" } else { "active" };
                let created = crate::api::params::format_datetime(k.created);
                println!("{}\t{}\t{}\t{}", k.key_id, k.role, state, created);
            }
        }
        KeysAction::Revoke { key_id, data_dir } => {
            let data = existing_data_dir(&data_dir)?;
            if !data
                .store
                .blocking()
                .revoke_key(&key_id)
                .map_err(|e| e.to_string())?
            {
                return Err(format!("no key {key_id}"));
            }
            println!("revoked {key_id}");
        }
    }
    Ok(())
}
