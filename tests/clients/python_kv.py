#!/usr/bin/env python3
"""Drives voxrun's key-value storage methods (SetKeyValueItem, GetKeyValueItem,
GetKeyValueItems, GetKeyValueKeys, DelKeyValueItem) through the official, unmodified Python
client (PyPI `voximplant-apiclient`, pinned in tests/common/clients.rs) over HTTPS.

Usage:
    python_kv.py --endpoint 127.0.0.1:PORT --credentials OWNER.json

The server's certificate must be trusted through $REQUESTS_CA_BUNDLE. Every section works in
its own application; a section stops at its first failed check and the script goes on with
the next. Exit status 0 only if every check passed; each failure names the call behind it.
"""

import argparse
import os
import sys
import time
import traceback
import uuid

from voximplant.apiclient import VoximplantAPI, VoximplantException

UNKNOWN_ID = 987654321


class CheckFailed(Exception):
    pass


def short(v, limit=300):
    s = repr(v)
    return s if len(s) <= limit else s[:limit] + "...(%d chars)" % len(s)


def eq(got, want, what):
    if got != want:
        raise CheckFailed("%s: expected %s, got %s" % (what, short(want), short(got)))


def check(cond, what):
    if not cond:
        raise CheckFailed(what)


class Api:
    """The official client; every call is remembered for failure reports."""

    last = None

    def __init__(self, client):
        self.client = client

    def __getattr__(self, name):
        fn = getattr(self.client, name)

        def call(**kw):
            desc = "%s(%s)" % (name, ", ".join("%s=%s" % (k, short(v, 80)) for k, v in kw.items()))
            try:
                res = fn(**kw)
            except VoximplantException as e:
                Api.last = (desc, "error %s: %s" % (e.code, e.message))
                raise CheckFailed("%s failed with error %s: %s" % (desc, e.code, e.message))
            Api.last = (desc, res)
            check(isinstance(res, dict), "%s: expected a JSON object, got %s" % (desc, short(res)))
            return res

        return call

    def fails(self, code, name, **kw):
        desc = "%s(%s)" % (name, ", ".join("%s=%s" % (k, short(v, 80)) for k, v in kw.items()))
        try:
            res = getattr(self.client, name)(**kw)
        except VoximplantException as e:
            Api.last = (desc, "error %s: %s" % (e.code, e.message))
            if e.code != code:
                raise CheckFailed("%s: expected error %s, got error %s: %s" % (desc, code, e.code, e.message))
            return e.message
        Api.last = (desc, res)
        raise CheckFailed("%s: expected error %s, got success: %s" % (desc, code, short(res)))


def item_of(res, what):
    """A `result` object {key, value, expires_at} with an integer expires_at."""
    r = res.get("result")
    check(isinstance(r, dict), "%s: expected a 'result' object, got %s" % (what, short(res)))
    check(isinstance(r.get("key"), str) and isinstance(r.get("value"), str), "%s: key/value: %s" % (what, short(r)))
    check(type(r.get("expires_at")) is int, "%s: expires_at must be a JSON integer (Unix seconds): %s" % (what, short(r)))
    return r


def keys_of(res, what):
    r = res.get("result")
    check(isinstance(r, list), "%s: expected a 'result' list, got %s" % (what, short(res)))
    return [x["key"] for x in r]


class Suite:
    def __init__(self, api, tag):
        self.api = api
        self.tag = tag
        account = api.get_account_info()["result"]
        self.account_name = account["account_name"]

    def app(self, label):
        name = "kv-%s-%s" % (label, self.tag)
        res = self.api.add_application(application_name=name)
        return res["application_id"], "%s.%s.voximplant.com" % (name, self.account_name)

    def round_trip(self):
        app_id, app_name = self.app("trip")
        before = int(time.time())
        r = item_of(self.api.set_key_value_item(key="caller:+15551234567", value="gold", application_id=app_id, ttl=600), "SetKeyValueItem")
        after = int(time.time())
        eq((r["key"], r["value"]), ("caller:+15551234567", "gold"), "SetKeyValueItem result")
        check(before + 600 <= r["expires_at"] <= after + 600, "expires_at %s is not now + ttl (now %s..%s)" % (r["expires_at"], before, after))
        got = item_of(self.api.get_key_value_item(key="caller:+15551234567", application_id=app_id), "GetKeyValueItem by id")
        eq(got, r, "GetKeyValueItem by application_id")
        by_name = item_of(self.api.get_key_value_item(key="caller:+15551234567", application_id=None, application_name=app_name), "GetKeyValueItem by name")
        eq(by_name, r, "GetKeyValueItem by application_name")
        # Another application does not see it.
        other_id, _ = self.app("other")
        eq(self.api.get_key_value_item(key="caller:+15551234567", application_id=other_id).get("result"), None, "GetKeyValueItem in another application")

    def overwrite_and_delete(self):
        app_id, _ = self.app("del")
        first = item_of(self.api.set_key_value_item(key="menu", value="v1", application_id=app_id), "SetKeyValueItem")
        at = first["expires_at"] + 3600
        second = item_of(self.api.set_key_value_item(key="menu", value="v2", application_id=app_id, expires_at=at), "SetKeyValueItem(expires_at)")
        eq((second["value"], second["expires_at"]), ("v2", at), "the second write")
        eq(item_of(self.api.get_key_value_item(key="menu", application_id=app_id), "GetKeyValueItem")["value"], "v2", "value after the second write")
        eq(self.api.del_key_value_item(key="menu", application_id=app_id).get("result"), 1, "DelKeyValueItem result")
        eq(self.api.get_key_value_item(key="menu", application_id=app_id).get("result"), None, "GetKeyValueItem after delete")
        eq(self.api.del_key_value_item(key="menu", application_id=app_id).get("result"), 0, "DelKeyValueItem of a missing key")
        # A TTL of 0 stores an item that has already expired.
        self.api.set_key_value_item(key="flash", value="x", application_id=app_id, ttl=0)
        eq(self.api.get_key_value_item(key="flash", application_id=app_id).get("result"), None, "an item with ttl=0")

    def listings(self):
        app_id, _ = self.app("list")
        for k in ["ivr:2", "ivr", "ivr:1", "ivrx", "menu:1"]:
            self.api.set_key_value_item(key=k, value="v-" + k, application_id=app_id)
        items = self.api.get_key_value_items(key="ivr", application_id=app_id)
        eq(keys_of(items, "GetKeyValueItems"), ["ivr", "ivr:1", "ivr:2"], "GetKeyValueItems(key='ivr') keys")
        eq([x["value"] for x in items["result"]], ["v-ivr", "v-ivr:1", "v-ivr:2"], "GetKeyValueItems values")
        for x in items["result"]:
            check(type(x.get("expires_at")) is int, "GetKeyValueItems expires_at: %s" % short(x))
        keys = self.api.get_key_value_keys(application_id=app_id)
        eq(keys_of(keys, "GetKeyValueKeys"), ["ivr", "ivr:1", "ivr:2", "ivrx", "menu:1"], "GetKeyValueKeys keys")
        check(all(type(x.get("expires_at")) is int for x in keys["result"]), "GetKeyValueKeys expires_at: %s" % short(keys))
        page = self.api.get_key_value_keys(application_id=app_id, key="ivr", count=2, offset=1)
        eq(keys_of(page, "GetKeyValueKeys page"), ["ivr:1", "ivr:2"], "GetKeyValueKeys(count=2, offset=1)")
        eq(page.get("total_count"), 3, "GetKeyValueKeys total_count")

    def errors(self):
        app_id, _ = self.app("err")
        msg = self.api.fails(101, "set_key_value_item", key="k", value="x" * 2001, application_id=app_id)
        check("'value'" in msg, "the error should name 'value': %s" % msg)
        msg = self.api.fails(101, "set_key_value_item", key="a b", value="x", application_id=app_id)
        check("'key'" in msg, "the error should name 'key': %s" % msg)
        msg = self.api.fails(101, "set_key_value_item", key="k" * 201, value="x", application_id=app_id)
        check("'key'" in msg, "the error should name 'key': %s" % msg)
        msg = self.api.fails(101, "set_key_value_item", key="k", value="x", application_id=app_id, ttl=7776001)
        check("'ttl'" in msg, "the error should name 'ttl': %s" % msg)
        self.api.fails(458, "set_key_value_item", key="k", value="x", application_id=app_id, ttl=5, expires_at=int(time.time()) + 60)
        self.api.fails(116, "get_key_value_item", key="k", application_id=UNKNOWN_ID)
        self.api.fails(558, "get_key_value_keys", application_id=None, application_name="no-such-app-%s" % self.tag)
        eq(self.api.get_key_value_keys(application_id=app_id).get("result"), [], "nothing stored by refused calls")


def run_section(name, fn):
    try:
        fn()
    except CheckFailed as e:
        print("FAIL [%s] %s" % (name, e))
    except Exception:  # a client crash (a response it cannot parse) is a failure too
        print("FAIL [%s] unexpected exception:\n%s" % (name, traceback.format_exc()))
    else:
        print("ok   [%s]" % name)
        return True
    if Api.last is not None:
        print("      last call: %s\n      returned: %s" % (Api.last[0], short(Api.last[1], 600)))
    return False


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--endpoint", default=os.environ.get("VOXRUN_ENDPOINT"))
    p.add_argument("--credentials", default=os.environ.get("VOXIMPLANT_CREDENTIALS"))
    a = p.parse_args()
    if not a.endpoint or not a.credentials:
        p.error("--endpoint and --credentials are required")
    try:
        suite = Suite(Api(VoximplantAPI(a.credentials, endpoint=a.endpoint)), uuid.uuid4().hex[:8])
    except Exception:
        print("FAIL [setup] GetAccountInfo through the official client:\n%s" % traceback.format_exc())
        return 1
    sections = ["round_trip", "overwrite_and_delete", "listings", "errors"]
    results = [run_section(name, getattr(suite, name)) for name in sections]
    failed = results.count(False)
    print("%d of %d sections passed" % (len(results) - failed, len(results)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
