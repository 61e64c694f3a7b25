#!/usr/bin/env python3
"""Drives voxrun's sessions through the official, unmodified Python client (PyPI
`voximplant-apiclient`, pinned in tests/common/mod.rs): StartScenarios, the session control URL
over HTTP and HTTPS, GetCallHistory and the session log URL.

Usage:
    python_sessions.py --endpoint 127.0.0.1:PORT --credentials OWNER.json --cert CERT.pem [--only SECTION]

The server's certificate must be trusted through $REQUESTS_CA_BUNDLE (the client) and is given
with --cert for the control and log URLs (plain urllib, as a user's code would do).

Sections: `flow` (one session from start to GetCallHistory and its log), `errors` (API errors
of StartScenarios). A section stops at its first failed check and the script goes on with the
next one. Exit status 0 only if every check passed; each failure is printed with the call that
produced it and what came back.
"""

import argparse
import datetime
import json
import re
import ssl
import sys
import time
import traceback
import urllib.error
import urllib.parse
import urllib.request
import uuid

from voximplant.apiclient import VoximplantAPI, VoximplantException

UNKNOWN_ID = 987654321
# Bounded wait for a session that was told to end to show up as ended in GetCallHistory.
HISTORY_WAIT_S = 20


class CheckFailed(Exception):
    pass


def short(v, limit=400):
    s = repr(v)
    return s if len(s) <= limit else s[:limit] + "...(%d chars)" % len(s)


def eq(got, want, what):
    if got != want:
        raise CheckFailed("%s: expected %s, got %s" % (what, short(want), short(got)))


def check(cond, what):
    if not cond:
        raise CheckFailed(what)


def is_id(v, what):
    if type(v) is not int or v <= 0:
        raise CheckFailed("%s: expected a positive JSON integer, got %s" % (what, short(v)))
    return v


class Api:
    """The official client; an API error fails the check and names the call."""

    def __init__(self, client):
        self.client = client

    @staticmethod
    def describe(name, kw):
        return "%s(%s)" % (name, ", ".join("%s=%s" % (k, short(v, 120)) for k, v in kw.items()))

    def __getattr__(self, name):
        fn = getattr(self.client, name)

        def call(**kw):
            desc = self.describe(name, kw)
            try:
                res = fn(**kw)
            except VoximplantException as e:
                raise CheckFailed("%s failed with error %s: %s" % (desc, e.code, e.message))
            check(isinstance(res, dict), "%s: expected a JSON object, got %s" % (desc, short(res)))
            return res

        return call

    def fails(self, code, name, **kw):
        desc = self.describe(name, kw)
        try:
            res = getattr(self.client, name)(**kw)
        except VoximplantException as e:
            if e.code != code:
                raise CheckFailed("%s: expected error %s, got error %s: %s" % (desc, code, e.code, e.message))
            check(isinstance(e.message, str) and e.message != "", "%s: error %s has no message" % (desc, code))
            return e
        raise CheckFailed("%s: expected error %s, got success: %s" % (desc, code, short(res)))


class Http:
    """Plain HTTP(S) to the control and log URLs, trusting the server's certificate."""

    def __init__(self, cert):
        self.ctx = ssl.create_default_context(cafile=cert)

    def request(self, method, url, body=None, headers=None):
        data = body.encode("utf-8") if isinstance(body, str) else body
        req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
        try:
            with urllib.request.urlopen(req, context=self.ctx, timeout=60) as r:
                return r.status, r.headers, r.read()
        except urllib.error.HTTPError as e:
            return e.code, e.headers, e.read()


def content_type(headers):
    return (headers.get("Content-Type") or "").split(";")[0].strip().lower()


def wait_finished(api, sid):
    """GetCallHistory for one session, polled (bounded) until its row has a finish_reason."""
    deadline = time.monotonic() + HISTORY_WAIT_S
    while True:
        res = api.get_call_history(call_session_history_id=sid)
        rows = res.get("result")
        check(isinstance(rows, list) and len(rows) == 1,
              "GetCallHistory(call_session_history_id=%s): expected one row, got %s" % (sid, short(res)))
        row = rows[0]
        if row.get("finish_reason") is not None:
            return row
        if time.monotonic() > deadline:
            raise CheckFailed("GetCallHistory(call_session_history_id=%s): still no finish_reason %ss after the "
                              "session was told to end: %s" % (sid, HISTORY_WAIT_S, short(row)))
        time.sleep(0.1)


ECHO_SCENARIO = r"""
var started = null;
VoxEngine.addEventListener(AppEvents.Started, function (e) {
  started = {name: e.name, accessURL: e.accessURL, accessSecureURL: e.accessSecureURL,
             logURL: e.logURL, sessionId: e.sessionId, customData: VoxEngine.customData()};
  Logger.write('STARTED-LINE session ' + e.sessionId + ' custom=' + VoxEngine.customData());
});
VoxEngine.addEventListener(AppEvents.HttpRequest, function (e) {
  Logger.write('REQUEST-LINE ' + e.method + ' [' + e.content + ']');
  if (e.content === 'started') return started;
  if (e.content === 'text') return 'plain ' + e.method;
  if (e.content === 'number') return 42;
  if (e.content === 'bye') {
    VoxEngine.customData('final:' + VoxEngine.customData());
    Logger.write('BYE-LINE');
    VoxEngine.terminate();
    return 'bye';
  }
  VoxEngine.customData('seen-' + e.method);
  return {name: e.name, method: e.method, path: e.path, content: e.content, headers: e.headers};
});
"""


class Suite:
    def __init__(self, api, http, tag):
        self.api = api
        self.http = http
        self.tag = tag

    def rule_with(self, label, scripts):
        app = self.api.add_application(application_name="pys-%s-%s" % (label, self.tag))
        app_id = is_id(app.get("application_id"), "AddApplication application_id")
        rule = self.api.add_rule(application_id=app_id, rule_name="r-%s" % label, rule_pattern=".*")
        rule_id = is_id(rule.get("rule_id"), "AddRule rule_id")
        for i, script in enumerate(scripts):
            res = self.api.add_scenario(scenario_name="s%d-%s-%s" % (i, label, self.tag), scenario_script=script,
                                        rule_id=rule_id)
            is_id(res.get("scenario_id"), "AddScenario scenario_id")
        return app_id, rule_id

    def json_reply(self, what, status, headers, body):
        eq(status, 200, "%s: HTTP status (body %s)" % (what, short(body)))
        eq(content_type(headers), "application/json", "%s: Content-Type" % what)
        try:
            return json.loads(body.decode("utf-8"))
        except ValueError:
            raise CheckFailed("%s: body is not JSON: %s" % (what, short(body)))

    # ------------------------------------------------------------------ sections

    def flow(self):
        app_id, rule_id = self.rule_with("flow", [ECHO_SCENARIO])
        custom = "hello from python \u2713 " + self.tag
        res = self.api.start_scenarios(rule_id=rule_id, script_custom_data=custom)
        eq(res.get("result"), 1, "StartScenarios result")
        sid = is_id(res.get("call_session_history_id"), "StartScenarios call_session_history_id")
        url = res.get("media_session_access_url")
        surl = res.get("media_session_access_secure_url")
        check(isinstance(url, str) and url.startswith("http://"),
              "media_session_access_url: expected an http:// URL, got %s" % short(url))
        check(isinstance(surl, str) and surl.startswith("https://"),
              "media_session_access_secure_url: expected an https:// URL, got %s" % short(surl))
        eq(surl[len("https://"):], url[len("http://"):], "the secure URL is the plain URL with https://")
        upath = urllib.parse.urlsplit(url).path
        check(re.fullmatch(r"/request/[^/]+/[0-9a-f]{32,}", upath),
              "control URL path: expected /request/{token}/{hex secret of >= 128 bits}, got %s" % short(upath))
        secret = upath.rsplit("/", 1)[1]

        # What Started saw.
        st = self.json_reply("POST started (http)", *self.http.request("POST", url, "started"))
        eq(st.get("name"), "Application.Started", "Started event name")
        eq(st.get("accessURL"), url, "Started.accessURL vs media_session_access_url")
        eq(st.get("accessSecureURL"), surl, "Started.accessSecureURL vs media_session_access_secure_url")
        eq(st.get("sessionId"), sid, "Started.sessionId vs call_session_history_id")
        eq(st.get("customData"), custom, "VoxEngine.customData() in Started vs script_custom_data")
        check(isinstance(st.get("logURL"), str) and st["logURL"].startswith("https://"),
              "Started.logURL: expected an https:// URL, got %s" % short(st.get("logURL")))

        # An object reply over plain HTTP, with a query string and X-* headers.
        status, headers, body = self.http.request(
            "POST", url + "?a=1&b=two", "hi \u00fc",
            {"X-Voxrun-Test": "one", "x-lower-case": "two", "Content-Type": "text/plain", "Y-Other": "no"})
        ev = self.json_reply("POST with X-* headers (http)", status, headers, body)
        eq(ev.get("name"), "Application.HttpRequest", "HttpRequest event name")
        eq(ev.get("method"), "POST", "HttpRequest method")
        eq(ev.get("path"), upath + "?a=1&b=two", "HttpRequest path (the URL path plus the query)")
        eq(ev.get("content"), "hi \u00fc", "HttpRequest content")
        hdrs = ev.get("headers")
        check(isinstance(hdrs, list) and all(isinstance(h, dict) and set(h) == {"key", "value"} for h in hdrs),
              "HttpRequest headers: expected [{key, value}], got %s" % short(hdrs))
        got = {h["key"].lower(): h["value"] for h in hdrs}
        eq(got, {"x-voxrun-test": "one", "x-lower-case": "two"},
           "HttpRequest headers: exactly the X-* request headers")

        # The same over HTTPS, other methods.
        ev = self.json_reply("PUT (https)", *self.http.request("PUT", surl, "secure body", {"X-Via": "tls"}))
        eq([ev.get("method"), ev.get("content"), ev.get("path")], ["PUT", "secure body", upath], "PUT over https")
        eq({h["key"].lower(): h["value"] for h in ev.get("headers", [])}, {"x-via": "tls"}, "PUT over https: headers")
        ev = self.json_reply("GET (http)", *self.http.request("GET", url))
        eq([ev.get("method"), ev.get("content")], ["GET", ""], "GET without a body")

        # String and number replies: text/plain.
        for method, u, scheme in (("POST", surl, "https"), ("DELETE", url, "http")):
            status, headers, body = self.http.request(method, u, "text")
            eq(status, 200, "%s text (%s): status" % (method, scheme))
            eq(content_type(headers), "text/plain", "%s text (%s): Content-Type of a string reply" % (method, scheme))
            eq(body.decode("utf-8"), "plain " + method, "%s text (%s): body" % (method, scheme))
        status, headers, body = self.http.request("POST", url, "number")
        eq([status, content_type(headers), body], [200, "text/plain", b"42"], "a number reply")

        # While it runs: GetCallHistory shows it running; its log is readable.
        running = self.api.get_call_history(call_session_history_id=sid)["result"]
        eq(len(running), 1, "GetCallHistory of the running session: rows")
        eq([running[0].get("finish_reason"), running[0].get("duration")], [None, None],
           "a running session has finish_reason and duration null")

        # End it.
        status, headers, body = self.http.request("POST", url, "bye")
        eq([status, content_type(headers), body], [200, "text/plain", b"bye"], "the terminating request's reply")
        row = wait_finished(self.api, sid)
        eq(row.get("call_session_history_id"), sid, "history call_session_history_id")
        eq(row.get("finish_reason"), "Normal termination", "history finish_reason")
        eq(row.get("custom_data"), "final:seen-GET", "history custom_data (the final customData value)")
        check(type(row.get("duration")) is int and row["duration"] >= 0,
              "history duration: expected an integer >= 0, got %s" % short(row.get("duration")))
        eq(row.get("application_id"), app_id, "history application_id")
        eq(row.get("rule_name"), "r-flow", "history rule_name")
        check(isinstance(row.get("start_date"), datetime.datetime),
              "history start_date: expected the client to parse a timestamp, got %s" % short(row.get("start_date")))
        log_url = row.get("log_file_url")
        eq(log_url, st["logURL"], "log_file_url vs Started.logURL")

        # The log over HTTPS.
        status, headers, body = self.http.request("GET", log_url)
        eq(status, 200, "GET log_file_url: status (body %s)" % short(body))
        log = body.decode("utf-8")
        for needle in ("STARTED-LINE session %d custom=%s" % (sid, custom), "REQUEST-LINE POST [hi \u00fc]",
                       "REQUEST-LINE PUT [secure body]", "BYE-LINE"):
            check(needle in log, "the session log lacks %r:\n%s" % (needle, log))
        line = next(l for l in log.splitlines() if "BYE-LINE" in l)
        check(re.match(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} ", line),
              "log line format: expected 'YYYY-MM-DD HH:mm:ss.mmm text', got %r" % line)
        check(secret not in log, "the session log shows the control secret:\n%s" % log)

        parts = urllib.parse.urlsplit(log_url)
        bad = parts._replace(path=parts.path.rsplit("/", 1)[0] + "/" + "0" * 32).geturl()
        status, _, body = self.http.request("GET", bad)
        eq(status, 404, "GET the log URL with a wrong secret: status (body %s)" % short(body))

        # The ended session's control URL.
        for u in (url, surl):
            status, _, body = self.http.request("POST", u, "after")
            eq(status, 404, "control URL after terminate (%s): status (body %s)" % (u.split(":")[0], short(body)))

    def errors(self):
        app = self.api.add_application(application_name="pys-err-%s" % self.tag)
        app_id = is_id(app.get("application_id"), "AddApplication application_id")
        empty = self.api.add_rule(application_id=app_id, rule_name="r-empty", rule_pattern=".*")
        empty_id = is_id(empty.get("rule_id"), "AddRule rule_id")
        self.api.fails(375, "start_scenarios", rule_id=empty_id)
        self.api.fails(147, "start_scenarios", rule_id=UNKNOWN_ID)

        _, rule_id = self.rule_with("cd", ["VoxEngine.addEventListener(AppEvents.HttpRequest, () => VoxEngine.customData());"])
        self.api.fails(101, "start_scenarios", rule_id=rule_id, script_custom_data="x" * 201)
        # The limit counts UTF-8 bytes: 101 two-byte characters are 202 bytes.
        self.api.fails(101, "start_scenarios", rule_id=rule_id, script_custom_data="\u00e9" * 101)
        # Exactly 200 bytes is allowed and reaches the session as sent.
        at_limit = "\u00e9" * 100
        res = self.api.start_scenarios(rule_id=rule_id, script_custom_data=at_limit)
        status, _, body = self.http.request("POST", res["media_session_access_url"], "")
        eq([status, body.decode("utf-8")], [200, at_limit], "customData() of a session started with 200 bytes")


SECTIONS = ["flow", "errors"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--endpoint", required=True)
    ap.add_argument("--credentials", required=True)
    ap.add_argument("--cert", required=True)
    ap.add_argument("--only", choices=SECTIONS)
    args = ap.parse_args()

    client = VoximplantAPI(credentials_file_path=args.credentials, endpoint=args.endpoint)
    suite = Suite(Api(client), Http(args.cert), uuid.uuid4().hex[:8])
    chosen = [args.only] if args.only else SECTIONS
    passed = 0
    for name in chosen:
        try:
            getattr(suite, name)()
            passed += 1
            print("PASS %s" % name)
        except CheckFailed as e:
            print("FAIL %s: %s" % (name, e))
        except Exception:
            print("FAIL %s: unexpected exception\n%s" % (name, traceback.format_exc()))
    print("%d of %d sections passed" % (passed, len(chosen)))
    sys.exit(0 if passed == len(chosen) else 1)


if __name__ == "__main__":
    main()
