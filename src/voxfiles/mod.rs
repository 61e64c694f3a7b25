//! `serve --voxfiles DIR`: a voxengine-ci project folder kept loaded in the store.
//!
//! At start the folder's applications, rules and scenarios are stored (before the first
//! request is answered); then the folder is polled, and each change is applied, so the next
//! session runs the edited script. A bad file is named in one log line and skipped.
//!
//! - [`project`]: reading the folder (no store).
//! - [`sync`]: applying it through the Management API's methods.

mod project;
mod sync;

use std::path::{Path, PathBuf};

use tokio::sync::watch;

use crate::api::ApiService;
use crate::files::{self, Snapshot};

pub use sync::{Loader, Outcome};

/// Refuse a `--voxfiles` path that is not a folder (before the server starts).
pub fn check_root(root: &Path) -> Result<(), String> {
    if root.is_dir() {
        Ok(())
    } else {
        Err(format!(
            "--voxfiles {}: not a folder (give the voxengine-ci project folder, the one with \
             applications/ and scenarios/)",
            root.display()
        ))
    }
}

/// Load the folder once, then keep applying its changes until `stop` flips.
pub async fn load_and_watch(
    root: PathBuf,
    api: ApiService,
    stop: watch::Receiver<bool>,
) -> tokio::task::JoinHandle<()> {
    let watched = vec![
        root.join(project::APPLICATIONS_DIR),
        root.join(project::SCENARIOS_DIR),
    ];
    let mut seen = snapshot(watched.clone()).await;
    let mut loader = Loader::new(root.clone(), api);
    report(&root, loader.sync().await);
    tokio::spawn(async move {
        let mut stop = stop;
        loop {
            tokio::select! {
                _ = tokio::time::sleep(files::POLL) => {}
                _ = stop.changed() => return,
            }
            if *stop.borrow() {
                return;
            }
            let now = snapshot(watched.clone()).await;
            if now != seen {
                seen = now;
                report(&root, loader.sync().await);
            }
        }
    })
}

async fn snapshot(paths: Vec<PathBuf>) -> Snapshot {
    tokio::task::spawn_blocking(move || Snapshot::take(&paths))
        .await
        .unwrap_or_default()
}

fn report(root: &Path, o: Outcome) {
    tracing::info!(
        applications = o.applications,
        rules = o.rules,
        scenarios = o.scenarios,
        skipped = o.skipped,
        "voxfiles: {} loaded",
        root.display()
    );
}
