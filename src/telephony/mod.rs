//! Telephony emulation (docs/telephony.md), as plain Rust: no Boa, no store, no sockets.
//!
//! # Layout
//! - [`pattern`]: whole-number matching with the rule-pattern syntax (docs/sessions.md#decisions-where-the-platform-is-silent); rules and
//!   the peer table both use it.
//! - [`peer`]: far-end peer scripts (docs/telephony.md#far-ends): parsed and validated with errors that name the
//!   step, and the table that picks one for a dialled number.
//! - [`transcript`]: the timeline of a session's calls (docs/telephony.md#the-transcript), capped.
//! - [`emulator`]: the calls of one session: their states, media, far ends and the events
//!   they fire, on the session's clock (docs/telephony.md#timing-and-the-virtual-clock). The runtime asks it for what is due and hands
//!   the resulting [`emulator::Notice`]s to the scenario as events.
//! - [`media`]: the media graph (`sendMediaTo`, `sendMediaBetween`) between calls and objects.

pub mod emulator;
mod far_end;
pub mod media;
mod objects;
pub mod pattern;
pub mod peer;
pub mod transcript;

/// Where a session's recordings are said to be. There is no audio, so there is nothing to
/// download: the `.invalid` top-level domain (RFC 2606) makes that plain, and the URL still
/// names the session and the recording.
pub fn record_base(session_id: u64) -> String {
    format!("http://records.voxrun.invalid/{session_id}/")
}

/// The caller of an inbound call when none is given.
pub const DEFAULT_CALLER: &str = "+10000000000";

/// At most this many calls per session (docs/telephony.md#limits): the next `callPSTN` throws.
pub const MAX_CALLS: usize = 50;
/// At most this many conferences per session.
pub const MAX_CONFERENCES: usize = 10;
/// At most this many ASR instances per session.
pub const MAX_ASRS: usize = 10;

pub use emulator::{CallError, CallInfo, CallSummary, Emulator, Inbound, Notice};
pub use far_end::{first_non_dtmf, FarEndAct, DTMF_DIGITS};
pub use objects::PlayerSource;
