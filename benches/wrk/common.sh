# Shared by wrk-rates.sh and wrk-cpu.sh: starts `BIN serve` on a fresh data dir with
# --js-workers 2, adds an application, a rule and a scenario whose HttpRequest handler
# answers "ok", starts one session, and sets URL to its control URL. SP is the server's pid,
# D the temp dir. Needs curl, python3 and wrk (Debian: apt-get install wrk).
start_session() {
  D=$(mktemp -d); P=$((20000 + RANDOM % 20000))
  "$BIN" serve --data-dir "$D/data" --api-addr 127.0.0.1:$P --control-addr 127.0.0.1:$((P+1)) \
    --js-workers 2 >"$D/serve.log" 2>&1 &
  SP=$!
  for _ in $(seq 100); do curl -s -o /dev/null http://127.0.0.1:$P/ && break; sleep 0.1; done
  eval "$("$BIN" account --data-dir "$D/data")"
  local a="account_id=$VOXRUN_ACCOUNT_ID&api_key=$VOXRUN_API_KEY" api=http://127.0.0.1:$P/platform_api
  curl -s "$api/AddApplication?$a&application_name=echo" >/dev/null
  curl -s "$api/AddRule?$a&application_name=echo&rule_name=all&rule_pattern=.*" >/dev/null
  curl -s "$api/AddScenario?$a&application_name=echo&rule_name=all&scenario_name=echo" \
    --data-urlencode 'scenario_script=VoxEngine.addEventListener(AppEvents.HttpRequest, e => "ok");' >/dev/null
  URL=$(curl -s "$api/StartScenarios?$a&application_name=echo&rule_name=all" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["media_session_access_url"])')
}

stop_server() {
  kill "$SP"; wait "$SP" 2>/dev/null; rm -rf "$D"
}
