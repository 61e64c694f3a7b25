//! The official API clients, installed by the tests themselves under `<target>/clients`
//! (pinned versions, an exclusive lock and a marker file, so parallel test binaries install
//! once), and helpers to run the client scripts of `tests/clients/` against a server.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use super::ServerProc;

/// The pinned Python client (as in tests/real_clients.rs).
pub const OFFICIAL_PY_CLIENT: &str = "voximplant-apiclient==2.12.0";
/// The pinned Node client (as in tests/real_clients.rs).
pub const OFFICIAL_NODE_CLIENT: &str = "@voximplant/apiclient-nodejs@4.11.0";
/// A client script running longer than this is killed and the test fails (a hung server:
/// the clients never time out). Not a performance assertion.
pub const CLIENT_SCRIPT_DEADLINE: Duration = Duration::from_secs(300);

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `<target>/clients`: CARGO_TARGET_DIR when set (relative to the package), else `./target`.
pub fn clients_root() -> PathBuf {
    let target = match std::env::var_os("CARGO_TARGET_DIR") {
        Some(d) if !d.is_empty() => {
            let d = PathBuf::from(d);
            if d.is_absolute() {
                d
            } else {
                manifest_dir().join(d)
            }
        }
        _ => manifest_dir().join("target"),
    };
    target.join("clients")
}

/// `tests/clients/<name>`.
pub fn client_script(name: &str) -> PathBuf {
    manifest_dir().join("tests").join("clients").join(name)
}

/// An exclusive `flock` on a file, released on drop (and by the kernel if the process dies).
pub struct InstallLock(std::fs::File);

impl InstallLock {
    pub fn acquire(path: &Path) -> Result<InstallLock, String> {
        use std::os::unix::io::AsRawFd;
        let f = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(path)
            .map_err(|e| format!("cannot open lock file {}: {e}", path.display()))?;
        loop {
            // SAFETY: flock on a file descriptor we own.
            let rc = unsafe { libc::flock(f.as_raw_fd(), libc::LOCK_EX) };
            if rc == 0 {
                return Ok(InstallLock(f));
            }
            let err = std::io::Error::last_os_error();
            if err.kind() != std::io::ErrorKind::Interrupted {
                return Err(format!("cannot lock {}: {err}", path.display()));
            }
        }
    }
}

impl Drop for InstallLock {
    fn drop(&mut self) {
        use std::os::unix::io::AsRawFd;
        // SAFETY: unlocking the descriptor we locked.
        unsafe {
            libc::flock(self.0.as_raw_fd(), libc::LOCK_UN);
        }
    }
}

/// Run one setup step; on failure say what was run and everything it printed.
fn install_step(what: &str, cmd: &mut Command) -> Result<String, String> {
    let shown = format!("{cmd:?}");
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("{what}: could not run {shown}: {e}"))?;
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() {
        return Err(format!(
            "{what}: {shown} failed ({})\n--- stdout ---\n{stdout}\n--- stderr ---\n{stderr}",
            out.status
        ));
    }
    Ok(stdout)
}

fn install_hint(e: String, tool: &str) -> String {
    format!(
        "{e}\n\nThe real-client tests need {tool} and access to the package registry \
         (.ci/run installs what is missing on a fresh machine)."
    )
}

/// The venv python with the pinned Python client, installed on first use.
pub fn official_python() -> PathBuf {
    static PY: std::sync::OnceLock<Result<PathBuf, String>> = std::sync::OnceLock::new();
    match PY.get_or_init(|| {
        install_official_python().map_err(|e| install_hint(e, "python3 with the venv module"))
    }) {
        Ok(p) => p.clone(),
        Err(e) => panic!("installing the official Python client failed:\n{e}"),
    }
}

fn install_official_python() -> Result<PathBuf, String> {
    let root = clients_root();
    std::fs::create_dir_all(&root).map_err(|e| format!("cannot create {}: {e}", root.display()))?;
    let _lock = InstallLock::acquire(&root.join("python.lock"))?;
    let venv = root.join("venv");
    let py = venv.join("bin").join("python");
    let marker = venv.join(".voxrun-installed");
    if py.exists() && std::fs::read_to_string(&marker).ok().as_deref() == Some(OFFICIAL_PY_CLIENT) {
        return Ok(py);
    }
    if venv.exists() {
        std::fs::remove_dir_all(&venv)
            .map_err(|e| format!("cannot remove {}: {e}", venv.display()))?;
    }
    install_step(
        "creating the venv",
        Command::new("python3").args(["-m", "venv"]).arg(&venv),
    )?;
    install_step(
        "installing the Python client",
        Command::new(&py).args([
            "-m",
            "pip",
            "install",
            "--disable-pip-version-check",
            "--no-input",
            OFFICIAL_PY_CLIENT,
        ]),
    )?;
    install_step(
        "importing the installed Python client",
        Command::new(&py).args([
            "-c",
            "import voximplant.apiclient.client as c; c.VoximplantAPI",
        ]),
    )?;
    std::fs::write(&marker, OFFICIAL_PY_CLIENT)
        .map_err(|e| format!("cannot write {}: {e}", marker.display()))?;
    Ok(py)
}

/// The `node_modules` directory holding the pinned Node client, installed on first use.
pub fn official_node_modules() -> PathBuf {
    static NODE: std::sync::OnceLock<Result<PathBuf, String>> = std::sync::OnceLock::new();
    match NODE.get_or_init(|| install_official_node().map_err(|e| install_hint(e, "node and npm")))
    {
        Ok(p) => p.clone(),
        Err(e) => panic!("installing the official Node client failed:\n{e}"),
    }
}

fn install_official_node() -> Result<PathBuf, String> {
    let root = clients_root();
    std::fs::create_dir_all(&root).map_err(|e| format!("cannot create {}: {e}", root.display()))?;
    let _lock = InstallLock::acquire(&root.join("node.lock"))?;
    let prefix = root.join("node");
    let modules = prefix.join("node_modules");
    let marker = prefix.join(".voxrun-installed");
    let installed = modules
        .join("@voximplant")
        .join("apiclient-nodejs")
        .join("package.json");
    install_step("running node", Command::new("node").arg("--version"))?;
    if installed.exists()
        && std::fs::read_to_string(&marker).ok().as_deref() == Some(OFFICIAL_NODE_CLIENT)
    {
        return Ok(modules);
    }
    empty_dir(&prefix)?;
    install_step(
        "installing the Node client",
        Command::new("npm")
            .arg("install")
            .arg("--prefix")
            .arg(&prefix)
            .args([
                "--no-audit",
                "--no-fund",
                "--no-update-notifier",
                OFFICIAL_NODE_CLIENT,
            ]),
    )?;
    install_step(
        "loading the installed Node client",
        Command::new("node")
            .args(["-e", "require('@voximplant/apiclient-nodejs').default"])
            .env("NODE_PATH", &modules),
    )?;
    std::fs::write(&marker, OFFICIAL_NODE_CLIENT)
        .map_err(|e| format!("cannot write {}: {e}", marker.display()))?;
    Ok(modules)
}

/// Client scripts talk to 127.0.0.1 directly: no proxies, no ambient credentials; the
/// server's certificate is trusted through the clients' usual variables.
pub fn isolate_client(cmd: &mut Command, server: &ServerProc) {
    for v in [
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
        "VOXIMPLANT_CREDENTIALS",
        "CURL_CA_BUNDLE",
        "SSL_CERT_FILE",
        "SSL_CERT_DIR",
    ] {
        cmd.env_remove(v);
    }
    cmd.env("NO_PROXY", "127.0.0.1,localhost")
        .env("no_proxy", "127.0.0.1,localhost")
        .env("REQUESTS_CA_BUNDLE", &server.cert)
        .env("NODE_EXTRA_CA_CERTS", &server.cert)
        .env("PYTHONUNBUFFERED", "1")
        .env("PYTHONDONTWRITEBYTECODE", "1");
}

/// Run a client script to completion (bounded by [`CLIENT_SCRIPT_DEADLINE`]); panic with its
/// whole output unless it exits 0. Returns its stdout.
pub fn run_client_script(what: &str, mut cmd: Command) -> String {
    let shown = format!("{cmd:?}");
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{what}: could not run {shown}: {e}"));
    let mut out_pipe = child.stdout.take().unwrap();
    let mut err_pipe = child.stderr.take().unwrap();
    let out_reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = out_pipe.read_to_end(&mut s);
        s
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = err_pipe.read_to_end(&mut s);
        s
    });
    let started = std::time::Instant::now();
    let (status, timed_out) = loop {
        if let Some(st) = child.try_wait().expect("wait for script") {
            break (Some(st), false);
        }
        if started.elapsed() > CLIENT_SCRIPT_DEADLINE {
            let _ = child.kill();
            let _ = child.wait();
            break (None, true);
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let stdout = String::from_utf8_lossy(&out_reader.join().unwrap()).into_owned();
    let stderr = String::from_utf8_lossy(&err_reader.join().unwrap()).into_owned();
    let report = format!("--- stdout ---\n{stdout}\n--- stderr ---\n{stderr}");
    if timed_out {
        panic!(
            "{what}: {shown} did not finish within {CLIENT_SCRIPT_DEADLINE:?} (a request hung?)\n{report}"
        );
    }
    let status = status.unwrap();
    assert!(
        status.success(),
        "{what}: {shown} exited with {status}\n{report}"
    );
    stdout
}

/// Install the npm package `spec` on its own under `<target>/clients/<dir>` (an exclusive lock
/// and a marker file naming `spec`, as for the Node client) and return that prefix, whose
/// `node_modules` holds the package. `Err` says what npm was asked and what it printed, for a
/// test that skips when the package cannot be had.
pub fn install_npm_package(dir: &str, spec: &str) -> Result<PathBuf, String> {
    let root = clients_root();
    std::fs::create_dir_all(&root).map_err(|e| format!("cannot create {}: {e}", root.display()))?;
    let _lock = InstallLock::acquire(&root.join(format!("{dir}.lock")))?;
    let prefix = root.join(dir);
    let marker = prefix.join(".voxrun-installed");
    if prefix.join("node_modules").is_dir()
        && std::fs::read_to_string(&marker).ok().as_deref() == Some(spec)
    {
        return Ok(prefix);
    }
    empty_dir(&prefix)?;
    install_step(
        &format!("installing {spec}"),
        Command::new("npm")
            .arg("install")
            .arg("--prefix")
            .arg(&prefix)
            .args(["--no-audit", "--no-fund", "--no-update-notifier", spec]),
    )?;
    std::fs::write(&marker, spec).map_err(|e| format!("cannot write {}: {e}", marker.display()))?;
    Ok(prefix)
}

/// `dir`, emptied (made if missing): an install starts from nothing.
fn empty_dir(dir: &Path) -> Result<(), String> {
    if dir.exists() {
        std::fs::remove_dir_all(dir)
            .map_err(|e| format!("cannot remove {}: {e}", dir.display()))?;
    }
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))
}
