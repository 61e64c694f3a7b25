//! Session records, group-committed: every write queued while one batch is being written
//! (new rows, transcripts, closed rows) goes to disk with the next batch, in one transaction
//! and one sync. New rows take ids reserved here, after the highest the store ever gave.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use tokio::sync::{mpsc, oneshot};

use crate::store::{SessionWrite, StoreError, StoreHandle};

/// Writes in one transaction at most.
const BATCH_MAX: usize = 256;

struct Pending {
    write: SessionWrite,
    done: oneshot::Sender<Result<(), String>>,
}

pub struct HistoryWriter {
    next_id: AtomicU64,
    queue: mpsc::UnboundedSender<Pending>,
}

const STOPPED: &str = "the history writer has stopped";

impl HistoryWriter {
    /// Ids continue after the highest the store ever gave. Must be called inside a tokio
    /// runtime (the writing task is spawned).
    pub fn start(store: StoreHandle) -> Result<Arc<HistoryWriter>, StoreError> {
        let last = store.blocking().last_history_id()?;
        let (queue, rx) = mpsc::unbounded_channel();
        tokio::spawn(write_batches(store, rx));
        Ok(Arc::new(HistoryWriter {
            next_id: AtomicU64::new(last + 1),
            queue,
        }))
    }

    /// The id of a new session's row.
    pub fn reserve(&self) -> u64 {
        self.next_id.fetch_add(1, Ordering::SeqCst)
    }

    /// Queue a write; resolves once it is durable or failed.
    pub async fn write(&self, write: SessionWrite) -> Result<(), String> {
        let (done, written) = oneshot::channel();
        if self.queue.send(Pending { write, done }).is_err() {
            return Err(STOPPED.into());
        }
        written.await.unwrap_or_else(|_| Err(STOPPED.into()))
    }
}

async fn write_batches(store: StoreHandle, mut rx: mpsc::UnboundedReceiver<Pending>) {
    while let Some(first) = rx.recv().await {
        let mut batch = vec![first];
        while batch.len() < BATCH_MAX {
            match rx.try_recv() {
                Ok(p) => batch.push(p),
                Err(_) => break,
            }
        }
        // The writes move to the store's thread (a closed row carries the whole log).
        let (writes, dones): (Vec<SessionWrite>, Vec<_>) =
            batch.into_iter().map(|p| (p.write, p.done)).unzip();
        let n = dones.len();
        let outcomes = store
            .call(move |s| {
                let all = s.apply_session_writes(&writes);
                if all.is_ok() || writes.len() == 1 {
                    return Ok(vec![all.map_err(|e| e.to_string()); writes.len()]);
                }
                // One bad write must not fail the others: each on its own, then.
                Ok(writes
                    .iter()
                    .map(|w| {
                        s.apply_session_writes(std::slice::from_ref(w))
                            .map_err(|e| e.to_string())
                    })
                    .collect())
            })
            .await
            .unwrap_or_else(|e| vec![Err(e.to_string()); n]);
        for (done, outcome) in dones.into_iter().zip(outcomes) {
            let _ = done.send(outcome);
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::store::{HistoryStart, SqliteStore};

    fn row(n: u64) -> HistoryStart {
        HistoryStart {
            account_id: 1,
            application_id: 1,
            application_name: "a.acme.voximplant.com".into(),
            rule_id: 1,
            rule_name: format!("rule-{n}"),
            user_id: None,
            custom_data: String::new(),
            conference_name: None,
            log_secret: "s".into(),
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_rows_all_become_durable_under_their_reserved_ids() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("voxrun.db");
        let store = StoreHandle::new(Arc::new(SqliteStore::open(&path).unwrap()));
        let old = store.blocking().create_history(&row(0)).unwrap();
        let writer = HistoryWriter::start(store.clone()).unwrap();
        let mut waits = Vec::new();
        let mut ids = Vec::new();
        for n in 1..=100 {
            let id = writer.reserve();
            ids.push(id);
            let writer = writer.clone();
            waits.push(tokio::spawn(async move {
                writer.write(SessionWrite::Start { id, row: row(n) }).await
            }));
        }
        for w in waits {
            assert_eq!(w.await.unwrap(), Ok(()));
        }
        assert_eq!(ids[0], old + 1, "ids continue after the store's");
        // Durable: a second connection to the file sees every row under its id.
        let reopened = SqliteStore::open(&path).unwrap();
        for (n, id) in ids.iter().enumerate() {
            let r = crate::store::Store::history_row(&reopened, 1, *id)
                .unwrap()
                .unwrap();
            assert_eq!(r.rule_name, format!("rule-{}", n + 1));
            assert!(r.running);
        }
        assert_eq!(
            crate::store::Store::last_history_id(&reopened).unwrap(),
            old + 100
        );
    }

    #[tokio::test]
    async fn a_row_that_cannot_be_written_reports_why() {
        let dir = tempfile::tempdir().unwrap();
        let store = StoreHandle::new(Arc::new(
            SqliteStore::open(&dir.path().join("voxrun.db")).unwrap(),
        ));
        let writer = HistoryWriter::start(store).unwrap();
        let id = writer.reserve();
        let start = |n| SessionWrite::Start { id, row: row(n) };
        // Three writes in flight at once (likely one batch): the two that reuse the id are
        // refused, each with the store's reason, and the first is kept.
        let (a, b, c) = tokio::join!(
            writer.write(start(1)),
            writer.write(start(2)),
            writer.write(start(3))
        );
        assert_eq!(a, Ok(()));
        assert!(b.is_err() && c.is_err(), "{b:?} {c:?}");
        let other = writer.reserve();
        let fine = writer
            .write(SessionWrite::Start {
                id: other,
                row: row(4),
            })
            .await;
        assert_eq!(fine, Ok(()));
    }
}
