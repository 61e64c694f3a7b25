//! Walking a folder tree and telling when files under it changed: what `voxrun test
//! --watch` and `serve --voxfiles` poll (a poll works the same on every file system, and a
//! scenario folder is small).

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// Folders never walked into.
pub const SKIP_DIRS: &[&str] = &["node_modules", ".git", "target"];

/// How often watched files are looked at.
pub const POLL: Duration = Duration::from_millis(300);

/// Every file under `dir`, in name order, skipping [`SKIP_DIRS`].
pub fn walk(dir: &Path, found: &mut dyn FnMut(&Path)) -> std::io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.filter_map(Result::ok).collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let path = e.path();
        let Ok(kind) = e.file_type() else { continue };
        if kind.is_dir() {
            let name = e.file_name();
            if !SKIP_DIRS.iter().any(|s| name == *s) {
                walk(&path, found)?;
            }
        } else if kind.is_file() {
            found(&path);
        }
    }
    Ok(())
}

/// The files under some paths with their modification times and sizes: two snapshots
/// differ when a file was added, removed or written.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Snapshot(Vec<(PathBuf, Option<SystemTime>, u64)>);

impl Snapshot {
    /// A path that is a file is taken as it is; a folder is walked; a missing path has no
    /// files.
    pub fn take(paths: &[PathBuf]) -> Snapshot {
        let mut out = Vec::new();
        for p in paths {
            let mut add = |f: &Path| {
                let meta = std::fs::metadata(f).ok();
                let modified = meta.as_ref().and_then(|m| m.modified().ok());
                out.push((f.to_path_buf(), modified, meta.map_or(0, |m| m.len())));
            };
            if p.is_file() {
                add(p);
            } else {
                let _ = walk(p, &mut add);
            }
        }
        Snapshot(out)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_snapshot_changes_when_a_file_is_added_written_or_removed() {
        let dir = tempfile::tempdir().unwrap();
        let root = vec![dir.path().to_path_buf()];
        std::fs::create_dir(dir.path().join("node_modules")).unwrap();
        std::fs::write(dir.path().join("node_modules/x.js"), "1").unwrap();
        let empty = Snapshot::take(&root);
        assert_eq!(
            empty,
            Snapshot::default(),
            "skipped folders are not looked at"
        );
        let file = dir.path().join("a.js");
        std::fs::write(&file, "1").unwrap();
        let one = Snapshot::take(&root);
        assert_ne!(one, empty);
        std::fs::write(&file, "12").unwrap();
        let written = Snapshot::take(&root);
        assert_ne!(written, one);
        assert_eq!(Snapshot::take(&root), written, "nothing changed");
        std::fs::remove_file(&file).unwrap();
        assert_eq!(Snapshot::take(&root), empty);
    }
}
