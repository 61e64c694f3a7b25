#!/usr/bin/env python3
"""Drives emulated calls on a voxrun server (docs/telephony.md#driving-calls-on-a-server): the Management API through the
official, unmodified Python client (PyPI `voximplant-apiclient`, pinned in
tests/common/clients.rs) and voxrun's own /voxrun/v1 interface through plain urllib, as a
user's test rig would.

Usage:
    python_calls.py --endpoint 127.0.0.1:PORT --credentials OWNER.json --cert CERT.pem

/voxrun/v1 requests carry the JWT the client itself builds (`Authorization: Bearer ...`); one
request uses `?account_id=..&api_key=..` instead. Sections run in order and build on each
other, so the script stops at the first failed check, naming the request behind it. Exit
status 0 only if every check passed.
"""

import argparse
import datetime
import json
import ssl
import sys
import time
import traceback
import urllib.error
import urllib.parse
import urllib.request
import uuid

from voximplant.apiclient import VoximplantAPI, VoximplantException

# Bounded waits for something the server was told to do (not performance assertions).
WAIT_S = 30

CALLER = "+15551230000"
IVR_NUMBER = "+18005550100"
UK_NUMBER = "+442071234567"
STORED_KEY = "ivr:greeting"

IVR_SCENARIO = r"""
require(Modules.ApplicationStorage);
VoxEngine.addEventListener(AppEvents.CallAlerting, (e) => {
  const call = e.call;
  Logger.write('ivr: call from ' + e.callerid + ' to ' + e.destination);
  ApplicationStorage.get('%(key)s').then(
    (item) => Logger.write('ivr: stored ' + (item ? item.value : 'none')),
    (err) => Logger.write('ivr: storage failed ' + err));
  call.addEventListener(CallEvents.Connected, () => {
    call.handleTones(true);
    call.say('Welcome to the test line. Press a key.');
  });
  call.addEventListener(CallEvents.ToneReceived, (t) => Logger.write('ivr: tone ' + t.tone));
  call.addEventListener(CallEvents.MessageReceived, (m) => Logger.write('ivr: message ' + m.text));
  call.addEventListener(CallEvents.Disconnected, () => { Logger.write('ivr: bye'); VoxEngine.terminate(); });
  call.answer();
});
""" % {"key": STORED_KEY}

# The +44 rule's scenario: refuses the call and ends, so a session routed here ends at once.
UK_SCENARIO = r"""
VoxEngine.addEventListener(AppEvents.CallAlerting, (e) => {
  Logger.write('uk: call to ' + e.destination);
  e.call.reject();
  VoxEngine.terminate();
});
"""


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
    check(type(v) is int and v > 0, "%s: expected a positive JSON integer, got %s" % (what, short(v)))
    return v


class Last:
    """The last request made, shown with a failure."""

    call = None


class Api:
    """The official client; an API error fails the check and names the call."""

    def __init__(self, client):
        self.client = client

    def __getattr__(self, name):
        fn = getattr(self.client, name)

        def call(**kw):
            desc = "%s(%s)" % (name, ", ".join("%s=%s" % (k, short(v, 80)) for k, v in kw.items()))
            try:
                res = fn(**kw)
            except VoximplantException as e:
                Last.call = (desc, "error %s: %s" % (e.code, e.message))
                raise CheckFailed("%s failed with error %s: %s" % (desc, e.code, e.message))
            Last.call = (desc, res)
            check(isinstance(res, dict), "%s: expected a JSON object, got %s" % (desc, short(res)))
            return res

        return call


class V1:
    """voxrun's /voxrun/v1 JSON interface over HTTPS, authenticated with the client's JWT."""

    def __init__(self, client, endpoint, cert):
        self.client = client
        self.base = "https://%s/voxrun/v1/" % endpoint
        self.ctx = ssl.create_default_context(cafile=cert)

    def raw(self, method, url, body=None, auth=True):
        """(status, content type, body bytes) of one request to an absolute URL."""
        headers = {"Authorization": self.client.build_auth_header()} if auth else {}
        data = None
        if body is not None:
            data = (body if isinstance(body, str) else json.dumps(body)).encode("utf-8")
            headers["Content-Type"] = "application/json"
        req = urllib.request.Request(url, data=data, method=method, headers=headers)
        Last.call = ("%s %s %s" % (method, url, short(body, 200)), None)
        try:
            with urllib.request.urlopen(req, context=self.ctx, timeout=60) as r:
                status, ctype, out = r.status, r.headers.get("Content-Type") or "", r.read()
        except urllib.error.HTTPError as e:
            status, ctype, out = e.code, e.headers.get("Content-Type") or "", e.read()
        Last.call = (Last.call[0], "HTTP %s %s" % (status, short(out, 500)))
        return status, ctype.split(";")[0].strip().lower(), out

    def json(self, method, path, body=None, want=200, auth=True):
        """The parsed JSON reply of /voxrun/v1/PATH; a status other than `want` fails."""
        url = path if path.startswith("https://") else self.base + path
        status, ctype, out = self.raw(method, url, body, auth)
        what = "%s /voxrun/v1/%s" % (method, path.split("/voxrun/v1/")[-1])
        eq(status, want, "%s: HTTP status (body %s)" % (what, short(out)))
        eq(ctype, "application/json", "%s: Content-Type" % what)
        try:
            return json.loads(out.decode("utf-8"))
        except ValueError:
            raise CheckFailed("%s: body is not JSON: %s" % (what, short(out)))

    def error(self, method, path, body, status, code=None):
        """A refused request: `status` and `{"error": {"code", "msg"}}`; returns the error."""
        res = self.json(method, path, body, want=status)
        err = res.get("error") if isinstance(res, dict) else None
        check(isinstance(err, dict) and isinstance(err.get("msg"), str) and err["msg"],
              "%s %s: expected {\"error\": {\"code\", \"msg\"}}, got %s" % (method, path, short(res)))
        if code is not None:
            eq(err.get("code"), code, "%s %s: error code" % (method, path))
        return err

    def transcript(self, sid):
        t = self.json("GET", "sessions/%d/transcript" % sid)
        check(isinstance(t, list) and all(isinstance(e, dict) for e in t),
              "transcript of session %d: expected a JSON array of objects, got %s" % (sid, short(t)))
        return t

    def wait_entry(self, sid, what, pred=lambda e: True):
        """Polls (bounded) the live transcript until an entry `what` satisfies `pred`."""
        deadline = time.monotonic() + WAIT_S
        while True:
            t = self.transcript(sid)
            if any(e.get("what") == what and pred(e) for e in t):
                return t
            if time.monotonic() > deadline:
                raise CheckFailed("session %d: no %r entry after %ss: %s" % (sid, what, WAIT_S, short(t, 1500)))
            time.sleep(0.05)


def wait_finished(api, sid):
    """GetCallHistory for one session, polled (bounded) until its row has a finish_reason."""
    deadline = time.monotonic() + WAIT_S
    while True:
        res = api.get_call_history(call_session_history_id=sid, with_calls=True)
        rows = res.get("result")
        check(isinstance(rows, list) and len(rows) == 1,
              "GetCallHistory(call_session_history_id=%s): expected one row, got %s" % (sid, short(res)))
        if rows[0].get("finish_reason") is not None:
            return rows[0]
        if time.monotonic() > deadline:
            raise CheckFailed("session %s: still no finish_reason after %ss: %s" % (sid, WAIT_S, short(rows[0])))
        time.sleep(0.1)


def whats(t):
    return [e.get("what") for e in t]


class Suite:
    def __init__(self, api, v1, tag):
        self.api = api
        self.v1 = v1
        self.tag = tag

    def app_rule(self, label, pattern, script):
        name = "pyc-%s-%s" % (label, self.tag)
        app_id = is_id(self.api.add_application(application_name=name).get("application_id"), "AddApplication")
        scen = self.api.add_scenario(scenario_name="s-" + name, scenario_script=script)
        scen_id = is_id(scen.get("scenario_id"), "AddScenario scenario_id")
        rule = self.api.add_rule(rule_name="r-" + name, rule_pattern=pattern, application_id=app_id,
                                 scenario_id=scen_id)
        return name, app_id, is_id(rule.get("rule_id"), "AddRule rule_id")

    # ------------------------------------------------------------------ sections

    def setup(self):
        # The +44 rule comes first: a +1800 call must pass it by.
        self.uk_name, self.uk_app, self.uk_rule = self.app_rule("uk", r"\+44.*", UK_SCENARIO)
        self.ivr_name, self.ivr_app, self.ivr_rule = self.app_rule("ivr", r"\+1800.*", IVR_SCENARIO)
        self.stored = "welcome-" + self.tag
        res = self.api.set_key_value_item(key=STORED_KEY, value=self.stored, application_id=self.ivr_app)
        eq((res.get("result") or {}).get("value"), self.stored, "SetKeyValueItem result value")
        account = self.api.get_account_info()["result"]
        self.account_id, self.api_key = account["account_id"], account["api_key"]
        return "applications %d (\\+1800.*) and %d (\\+44.*), key %s" % (self.ivr_app, self.uk_app, STORED_KEY)

    def place(self):
        res = self.v1.json("POST", "calls", {"to": IVR_NUMBER, "from": CALLER})
        check(isinstance(res, dict), "POST calls: expected an object, got %s" % short(res))
        self.sid = is_id(res.get("call_session_history_id"), "POST calls call_session_history_id")
        self.call = res.get("call_id")
        check(isinstance(self.call, str) and self.call.startswith("%d-" % self.sid),
              "POST calls call_id: expected a string naming session %d, got %s" % (self.sid, short(self.call)))
        url = res.get("media_session_access_url")
        check(isinstance(url, str) and url.startswith("http"),
              "POST calls media_session_access_url: expected a URL, got %s" % short(url))
        # The live list, here with the legacy query authentication.
        q = urllib.parse.urlencode({"account_id": self.account_id, "api_key": self.api_key})
        listed = self.v1.json("GET", self.v1.base + "sessions?" + q, auth=False)
        rows = [s for s in listed.get("result", []) if s.get("call_session_history_id") == self.sid]
        eq(len(rows), 1, "GET sessions: rows for session %d in %s" % (self.sid, short(listed)))
        s = rows[0]
        eq((s.get("application_id"), s.get("rule_id"), s.get("rule_name")),
           (self.ivr_app, self.ivr_rule, "r-" + self.ivr_name), "GET sessions: the +1800 rule was chosen")
        check(str(s.get("application_name", "")).startswith(self.ivr_name),
              "GET sessions application_name: expected %s..., got %s" % (self.ivr_name, short(s.get("application_name"))))
        eq(s.get("calls"), [self.call], "GET sessions calls")
        check(isinstance(s.get("start_date"), str) and s["start_date"],
              "GET sessions start_date: expected a date string, got %s" % short(s.get("start_date")))
        return "session %d, call %s" % (self.sid, self.call)

    def drive(self):
        call_path = "calls/%s/" % urllib.parse.quote(self.call)
        # `say` is recorded after handleTones(true) ran (the same Connected handler).
        self.v1.wait_entry(self.sid, "say")
        self.v1.json("POST", call_path + "dtmf", {"digits": "12"})
        self.v1.wait_entry(self.sid, "dtmf_in", lambda e: e.get("digit") == "2")
        self.v1.json("POST", call_path + "message", {"text": "hi"})
        self.v1.wait_entry(self.sid, "message_in")
        self.v1.json("POST", call_path + "say", {"text": "hello"})
        self.v1.wait_entry(self.sid, "speech_in")
        self.v1.json("POST", call_path + "hangup")
        return "dtmf 12, message, speech, hangup"

    def history(self):
        row = wait_finished(self.api, self.sid)
        eq(row.get("finish_reason"), "Normal termination", "history finish_reason")
        eq(row.get("application_id"), self.ivr_app, "history application_id")
        eq(row.get("rule_name"), "r-" + self.ivr_name, "history rule_name")
        calls = row.get("calls")
        check(isinstance(calls, list) and len(calls) == 1,
              "GetCallHistory(with_calls=True) calls: expected one record, got %s" % short(calls))
        c = calls[0]
        eq(c.get("call_id"), self.call, "call record call_id")
        eq(c.get("incoming"), True, "call record incoming")
        eq(c.get("remote_number"), CALLER, "call record remote_number")
        eq(c.get("local_number"), IVR_NUMBER, "call record local_number")
        eq(c.get("successful"), True, "call record successful")
        check(type(c.get("duration")) is int and c["duration"] >= 0,
              "call record duration: expected whole seconds, got %s" % short(c.get("duration")))
        check(isinstance(c.get("start_time"), datetime.datetime),
              "call record start_time: expected the client to parse a timestamp, got %s" % short(c.get("start_time")))

        url = row.get("log_file_url")
        check(isinstance(url, str) and url.startswith("https://"), "log_file_url: %s" % short(url))
        status, _, body = self.v1.raw("GET", url, auth=False)
        eq(status, 200, "GET log_file_url: status (body %s)" % short(body))
        log = body.decode("utf-8")
        for needle in ("ivr: call from %s to %s" % (CALLER, IVR_NUMBER), "ivr: tone 1", "ivr: tone 2",
                       "ivr: message hi", "ivr: stored " + self.stored, "ivr: bye"):
            check(needle in log, "the session log lacks %r:\n%s" % (needle, log))
        return "call record and log checked"

    def transcript(self):
        t = self.v1.transcript(self.sid)
        mine = [e for e in t if e.get("call") == self.call]
        alerting = [e for e in mine if e.get("what") == "alerting"]
        eq([(e.get("from"), e.get("to")) for e in alerting], [(CALLER, IVR_NUMBER)], "alerting entry (from, to)")
        eq([e.get("digit") for e in mine if e.get("what") == "dtmf_in"], ["1", "2"], "dtmf_in digits")
        eq([e.get("text") for e in mine if e.get("what") == "message_in"], ["hi"], "message_in texts")
        eq([e.get("text") for e in mine if e.get("what") == "speech_in"], ["hello"], "speech_in texts")
        eq([e.get("by") for e in mine if e.get("what") == "hangup"], ["peer"], "hangup entries' 'by'")
        check("disconnected" in whats(mine), "no disconnected entry for %s: %s" % (self.call, whats(t)))
        eq(whats(t)[-1:], ["session_end"], "the last transcript entry")
        times = [e.get("t") for e in t]
        check(all(isinstance(x, (int, float)) for x in times) and times == sorted(times),
              "transcript times: expected non-decreasing numbers, got %s" % short(times))
        # Following an ended session answers the stored array.
        followed = self.v1.json("GET", "sessions/%d/transcript?follow=1" % self.sid)
        eq(followed, t, "transcript?follow=1 of an ended session")
        return "%d entries; follow=1 gives the stored array" % len(t)

    def routing(self):
        res = self.v1.json("POST", "calls", {"to": UK_NUMBER, "from": CALLER})
        sid = is_id(res.get("call_session_history_id"), "POST calls (+44) call_session_history_id")
        row = wait_finished(self.api, sid)
        eq(row.get("application_id"), self.uk_app, "a +44 call's history application_id")
        calls = row.get("calls") or []
        eq([(c.get("remote_number"), c.get("successful")) for c in calls], [(CALLER, False)],
           "the rejected +44 call's record (remote_number, successful)")
        return "+44 goes to application %d" % self.uk_app

    def errors(self):
        self.v1.error("POST", "calls", {"to": "+3300000", "from": CALLER}, 404, 147)
        # A given application's rules only: the +44 application has no rule for +1800.
        self.v1.error("POST", "calls", {"to": IVR_NUMBER, "application_id": self.uk_app}, 404, 147)
        call_path = "calls/%s/" % urllib.parse.quote(self.call)
        for action, body in (("dtmf", {"digits": "1"}), ("message", {"text": "late"}),
                             ("say", {"text": "late"}), ("hangup", None)):
            self.v1.error("POST", call_path + action, body, 404)
        self.v1.error("POST", "calls/%d-call-99/dtmf" % self.sid, {"digits": "1"}, 404)
        before = self.v1.json("GET", "peers")
        err = self.v1.error("PUT", "peers", {r"\+1555.*": {"steps": [{"wait": "soon"}]}}, 400)
        check("steps[0]" in err["msg"], "PUT peers with a bad step: the error should name steps[0]: %s" % short(err))
        eq(self.v1.json("GET", "peers"), before, "the peer table after a refused PUT")
        return "404 code 147, 404 for an ended call, 400 naming steps[0]"


SECTIONS = ["setup", "place", "drive", "history", "transcript", "routing", "errors"]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--endpoint", required=True)
    p.add_argument("--credentials", required=True)
    p.add_argument("--cert", required=True)
    a = p.parse_args()
    client = VoximplantAPI(a.credentials, endpoint=a.endpoint)
    suite = Suite(Api(client), V1(client, a.endpoint, a.cert), uuid.uuid4().hex[:8])
    for n, name in enumerate(SECTIONS):
        try:
            detail = getattr(suite, name)()
        except CheckFailed as e:
            print("FAIL [%s] %s" % (name, e))
        except Exception:  # a crash (a reply the client cannot parse) is a failure too
            print("FAIL [%s] unexpected exception:\n%s" % (name, traceback.format_exc()))
        else:
            print("ok   [%s] %s" % (name, detail))
            continue
        if Last.call is not None:
            print("      last request: %s\n      returned: %s" % (Last.call[0], short(Last.call[1], 800)))
        print("%d of %d sections passed (the rest build on this one)" % (n, len(SECTIONS)))
        return 1
    print("%d of %d sections passed" % (len(SECTIONS), len(SECTIONS)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
