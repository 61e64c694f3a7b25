//! What the examples share.

/// A 50-line scenario of the usual shape: state, helpers, listeners. `on_started` ends the
/// Started listener (`load` terminates there so sustained starts measure start cost, not a
/// growing session count; `start_cost` ends each session itself after timing the start).
pub fn fifty_lines(on_started: &str) -> String {
    let mut s = String::from("const state = { calls: 0, started: null, log: [] };\n");
    for i in 0..20 {
        s.push_str(&format!(
            "function helper{i}(x) {{ state.calls++; return x * {i} + state.log.length; }}\n"
        ));
    }
    for i in 0..10 {
        s.push_str(&format!(
            "const table{i} = [{i}, {}, {}].map(helper{i});\n",
            i + 1,
            i + 2
        ));
    }
    s.push_str("VoxEngine.addEventListener(AppEvents.Started, (e) => {\n");
    for i in 0..14 {
        s.push_str(&format!("  state.log.push(helper{i}(e.sessionId));\n"));
    }
    s.push_str(&format!("  {on_started}\n}});\n"));
    s.push_str("VoxEngine.addEventListener(AppEvents.HttpRequest, (e) => ({ ok: true, calls: state.calls }));\n");
    s.push_str("VoxEngine.addEventListener(AppEvents.Terminating, () => Logger.write('bye ' + state.calls));\n");
    s
}
