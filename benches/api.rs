//! In-process Management API costs: parameter parsing and whole calls through
//! `ApiService::handle` (no sockets), with a trivial JSON response as the baseline.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use bytes::Bytes;
use criterion::{criterion_group, criterion_main, Criterion};
use voxrun::api::Params;

fn params(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let form = Bytes::from_static(b"cmd=AddScenario&scenario_name=hello&scenario_script=VoxEngine.addEventListener(AppEvents.Started%2C%20()%20%3D%3E%20Logger.write('hi'))&rewrite=True");
    c.bench_function("params/urlencoded", |b| {
        b.iter(|| {
            rt.block_on(Params::parse(
                None,
                Some("application/x-www-form-urlencoded"),
                form.clone(),
            ))
        })
    });
    let mp = Bytes::from("--B\r\nContent-Disposition: form-data; name=\"cmd\"\r\n\r\nGetRules\r\n--B\r\nContent-Disposition: form-data; name=\"application_id\"\r\n\r\n12\r\n--B--\r\n");
    c.bench_function("params/multipart", |b| {
        b.iter(|| {
            rt.block_on(Params::parse(
                None,
                Some("multipart/form-data; boundary=B"),
                mp.clone(),
            ))
        })
    });
    c.bench_function("baseline/json_response", |b| {
        b.iter(|| voxrun::api::json(&serde_json::json!({"result": 1})))
    });
}

criterion_group!(benches, params);
criterion_main!(benches);
