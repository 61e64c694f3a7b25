//! The session clock: the system clock, or a manual one that only moves when told to
//! (golden tests). JS timers, `Date`, log timestamps and the reply timeout of a control
//! request whose handler returned a Promise all read it; the per-event CPU deadline and the
//! idle timeout always use real time.

use std::cell::Cell;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use boa_engine::context::time::JsInstant;
use boa_engine::context::Clock;

/// Which clock a session runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClockSource {
    /// Real time.
    System,
    /// Starts at `start_ms` (milliseconds since the Unix epoch) and moves only with
    /// [`crate::runtime::SessionMsg::AdvanceClock`].
    Manual { start_ms: u64 },
    /// Starts at `start_ms` and, once the session is idle, jumps to the next due timer or
    /// media event (docs/telephony.md#timing-and-the-virtual-clock): no wait is real.
    Virtual { start_ms: u64 },
}

/// The clock shared by a session's host state and its Boa context.
#[derive(Debug)]
pub(crate) struct SessionClock {
    source: ClockSource,
    base: Instant,
    base_wall_ms: u64,
    manual_elapsed_ms: Cell<u64>,
}

impl SessionClock {
    pub(crate) fn new(source: ClockSource) -> Self {
        let base_wall_ms = match source {
            ClockSource::System => SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map(|d| d.as_millis() as u64)
                .unwrap_or(0),
            ClockSource::Manual { start_ms } | ClockSource::Virtual { start_ms } => start_ms,
        };
        SessionClock {
            source,
            base: Instant::now(),
            base_wall_ms,
            manual_elapsed_ms: Cell::new(0),
        }
    }

    /// Not the system clock: time moves only when the session moves it.
    pub(crate) fn is_manual(&self) -> bool {
        !matches!(self.source, ClockSource::System)
    }

    pub(crate) fn is_virtual(&self) -> bool {
        matches!(self.source, ClockSource::Virtual { .. })
    }

    /// Moves a virtual or manual clock forward to `at_ms` (never back).
    pub(crate) fn advance_to(&self, at_ms: u64) {
        let now = self.elapsed_ms();
        if at_ms > now {
            self.advance(at_ms - now);
        }
    }

    /// Milliseconds since the session started (monotonic).
    pub(crate) fn elapsed_ms(&self) -> u64 {
        match self.source {
            ClockSource::System => self.base.elapsed().as_millis() as u64,
            ClockSource::Manual { .. } | ClockSource::Virtual { .. } => {
                self.manual_elapsed_ms.get()
            }
        }
    }

    /// Wall-clock milliseconds since the Unix epoch.
    pub(crate) fn wall_ms(&self) -> u64 {
        self.base_wall_ms.saturating_add(self.elapsed_ms())
    }

    /// Moves a manual clock forward; no effect on the system clock.
    pub(crate) fn advance(&self, ms: u64) {
        if self.is_manual() {
            let now = self.manual_elapsed_ms.get();
            self.manual_elapsed_ms.set(now.saturating_add(ms));
        }
    }

    /// The real instant at which session time `at_ms` arrives (system clock only).
    pub(crate) fn instant_at(&self, at_ms: u64) -> Option<Instant> {
        match self.source {
            ClockSource::System => self.base.checked_add(Duration::from_millis(at_ms)),
            ClockSource::Manual { .. } | ClockSource::Virtual { .. } => None,
        }
    }

    /// `YYYY-MM-DD HH:mm:ss.mmm`, UTC.
    pub(crate) fn timestamp(&self) -> String {
        super::log::line_time(self.wall_ms_i64())
    }

    /// [`SessionClock::wall_ms`] as the log's time functions take it.
    pub(crate) fn wall_ms_i64(&self) -> i64 {
        i64::try_from(self.wall_ms()).unwrap_or(i64::MAX)
    }
}

/// Boa's view of the session clock (`Date.now()`, `new Date()`). The slot is filled when a
/// session adopts the context (a spare context is built before its session exists); until
/// then time reads as 0.
#[derive(Default)]
pub(crate) struct BoaClock(pub(crate) std::cell::RefCell<Option<std::rc::Rc<SessionClock>>>);

impl Clock for BoaClock {
    fn now(&self) -> JsInstant {
        let ms = self.0.borrow().as_ref().map_or(0, |c| c.elapsed_ms());
        JsInstant::new(ms / 1000, ((ms % 1000) * 1_000_000) as u32)
    }

    fn system_time_millis(&self) -> i64 {
        let ms = self.0.borrow().as_ref().map_or(0, |c| c.wall_ms());
        i64::try_from(ms).unwrap_or(i64::MAX)
    }
}
