//! The job executor: Boa enqueues Promise jobs here; the session loop drains them under the
//! per-event deadline (`engine::Engine::drain_jobs`), yielding to tokio between batches, and
//! sleeps on tokio (never spins) when nothing is due. Boa's own timeout/interval jobs are
//! not used by anything we expose and are dropped; so are FinalizationRegistry cleanups
//! (the spec allows omitting them).

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use boa_engine::job::{Job, JobExecutor};
use boa_engine::{Context, JsResult};

#[derive(Default)]
pub(crate) struct Executor {
    jobs: RefCell<VecDeque<Job>>,
}

impl Executor {
    pub(crate) fn pop(&self) -> Option<Job> {
        self.jobs.borrow_mut().pop_front()
    }

    pub(crate) fn clear(&self) {
        self.jobs.borrow_mut().clear();
    }
}

impl JobExecutor for Executor {
    fn enqueue_job(self: Rc<Self>, job: Job, _: &mut Context) {
        match job {
            Job::PromiseJob(_) | Job::GenericJob(_) | Job::AsyncJob(_) => {
                self.jobs.borrow_mut().push_back(job);
            }
            _ => {}
        }
    }

    /// Synchronous drain, for Boa internals that ask for it; the session loop does not use it.
    fn run_jobs(self: Rc<Self>, ctx: &mut Context) -> JsResult<()> {
        while let Some(job) = self.pop() {
            match job {
                Job::PromiseJob(j) => {
                    j.call(ctx)?;
                }
                Job::GenericJob(j) => {
                    j.call(ctx)?;
                }
                _ => {}
            }
        }
        Ok(())
    }
}
