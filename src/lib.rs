//! voxrun: a local scenario platform, wire-compatible with Voximplant's.
//!
//! # Layout
//! - [`cli`]: command-line flags and the `serve`, `keys` and `run` commands.
//! - [`app`]: the running server: data dir, certificate, listeners.
//! - [`config`]: the server's settings, from flags and `VOXRUN_*` variables.
//! - [`server`]: the accept loop (TLS and plain HTTP on one port) and [`server::run`].
//! - [`tls`]: the certificate: loaded, or generated on first start.
//! - [`api`]: the Management API: routing, parameters, auth, one file per method family.
//! - [`names`]: the account name's rules and the full application name built from it.
//! - [`keys`]: service-account keys: generation, key files, the `keys` command.
//! - [`session`]: starts sessions, the registry of live ones, the worker processes they run
//!   in (supervised), the JS thread pool inside a worker, session logs.
//! - [`worker`]: the worker process (`voxrun worker`) and its typed protocol with the
//!   supervisor; the only place a server runs script code.
//! - [`cpu`]: thread CPU clocks and the rule that calls a silent thread stuck.
//! - [`files`]: walking folders and polling them for changes (`test --watch`, `--voxfiles`).
//! - [`control`]: the control listener: control-URL requests become `HttpRequest` events.
//! - [`store`]: persistence behind a trait (SQLite); knows nothing of sessions or JS.
//! - [`voxfiles`]: `serve --voxfiles`: a voxengine-ci project folder kept loaded.
//! - [`runtime`]: the JavaScript session runtime (Boa); the only module that imports `boa_engine`.

/// mimalloc for every binary built on this crate (the server, its workers, the examples
/// and tests, so what is measured is what ships): a control request on a worker's JS thread
/// costs 16-25 % less CPU than with glibc's malloc (BENCHMARKS.md, session 15). Built without
/// transparent huge pages, which cost a quarter more RSS per idle session.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

pub mod api;
pub mod app;
pub mod cli;
pub mod config;
pub mod control;
pub mod cpu;
pub mod files;
pub mod keys;
pub mod names;
pub mod runtime;
pub mod server;
pub mod session;
pub mod store;
pub mod telephony;
pub mod tls;
pub mod voxfiles;
pub mod worker;
