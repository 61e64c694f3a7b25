//! ApplicationStorage for `voxrun run` (and test rigs): kept in memory for the run, with the
//! store's limits and matching rules (`crate::store::key_value`, their one owner).

use std::cell::RefCell;
use std::collections::BTreeMap;

use crate::store::key_value;

use super::{StorageAnswer, StorageItem, StorageOp, StorageRequest};

/// Items by key (one application: a run has one).
#[derive(Debug, Default)]
pub struct MemoryStorage {
    items: RefCell<BTreeMap<String, (String, i64)>>,
}

impl MemoryStorage {
    /// Answers `req` at `now` (Unix seconds).
    pub fn answer(&self, req: &StorageRequest, now: i64) -> StorageAnswer {
        let mut items = self.items.borrow_mut();
        items.retain(|_, (_, expires)| *expires > now);
        let item = |key: &str, v: &(String, i64)| StorageItem {
            key: key.to_string(),
            value: v.0.clone(),
            expire_at: u64::try_from(v.1).unwrap_or(0),
        };
        let checked = |r: Result<(), key_value::KvError>| {
            r.map_err(|e| StorageAnswer::Failed(format!("the {} {}", e.field(), e.problem())))
        };
        let result = match &req.op {
            StorageOp::Get { key } => checked(key_value::check_key(key))
                .map(|()| StorageAnswer::Item(items.get(key).map(|v| item(key, v)))),
            StorageOp::Put { key, value, ttl } => checked(key_value::check_key(key))
                .and_then(|()| checked(key_value::check_value(value)))
                .and_then(|()| {
                    key_value::ttl_or_default(*ttl).map_err(|e| {
                        StorageAnswer::Failed(format!("the {} {}", e.field(), e.problem()))
                    })
                })
                .map(|ttl| {
                    let v = (value.clone(), key_value::expiry(now, ttl));
                    let answer = StorageAnswer::Item(Some(item(key, &v)));
                    if v.1 > now {
                        items.insert(key.clone(), v);
                    } else {
                        items.remove(key);
                    }
                    answer
                }),
            StorageOp::Remove { key } => checked(key_value::check_key(key))
                .map(|()| StorageAnswer::Item(items.remove(key).map(|v| item(key, &v)))),
            StorageOp::Keys { pattern, count } => {
                let pattern = pattern.clone().unwrap_or_default();
                checked(key_value::check_pattern(&pattern)).map(|()| {
                    let keys = items
                        .keys()
                        .filter(|k| key_value::matches(&pattern, k))
                        .take(count.map_or(usize::MAX, |c| c as usize))
                        .cloned()
                        .collect();
                    StorageAnswer::Keys(keys)
                })
            }
        };
        result.unwrap_or_else(|failed| failed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(op: StorageOp) -> StorageRequest {
        StorageRequest {
            id: 1,
            application_id: 1,
            op,
        }
    }

    #[test]
    fn items_expire_and_keys_match_namespaces() {
        let s = MemoryStorage::default();
        let put = |k: &str, ttl| {
            s.answer(
                &req(StorageOp::Put {
                    key: k.into(),
                    value: "v".into(),
                    ttl,
                }),
                100,
            )
        };
        assert!(matches!(put("a:1", Some(10)), StorageAnswer::Item(Some(_))));
        put("a:2", None);
        put("b", None);
        let keys = s.answer(
            &req(StorageOp::Keys {
                pattern: Some("a".into()),
                count: None,
            }),
            100,
        );
        assert_eq!(keys, StorageAnswer::Keys(vec!["a:1".into(), "a:2".into()]));
        let gone = s.answer(&req(StorageOp::Get { key: "a:1".into() }), 110);
        assert_eq!(gone, StorageAnswer::Item(None));
        let long = s.answer(
            &req(StorageOp::Put {
                key: "k".into(),
                value: "x".repeat(2001),
                ttl: None,
            }),
            100,
        );
        assert!(
            matches!(long, StorageAnswer::Failed(m) if m.starts_with("the value must be at most 2000"))
        );
    }
}
