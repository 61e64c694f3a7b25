#!/usr/bin/env python3
"""Drives voxrun's applications, rules and scenarios methods through the official, unmodified
Python client (PyPI `voximplant-apiclient`, pinned in tests/real_clients.rs) over HTTPS.

Usage:
    python_methods.py --endpoint 127.0.0.1:PORT --credentials OWNER.json
    python_methods.py --endpoint 127.0.0.1:PORT --credentials OWNER.json --support-credentials SUPPORT.json

(`--endpoint` and `--credentials` default to $VOXRUN_ENDPOINT and $VOXIMPLANT_CREDENTIALS.)
The server's certificate must be trusted through $REQUESTS_CA_BUNDLE.

Every section runs on its own data (unique names per run); a section stops at its first failed
check and the script goes on with the next one. Exit status 0 only if every check passed; each
failure is printed with the call that produced it and what came back.
"""

import argparse
import datetime
import json
import os
import sys
import traceback
import uuid

from voximplant.apiclient import VoximplantAPI, VoximplantAPIConfig, VoximplantException

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


def is_id(v, what):
    if type(v) is not int or v <= 0:
        raise CheckFailed("%s: expected a positive JSON integer id, got %s" % (what, short(v)))
    return v


def is_count(v, what):
    if type(v) is not int or v < 0:
        raise CheckFailed("%s: expected a JSON integer, got %s" % (what, short(v)))
    return v


def is_recent_utc(v, what):
    """`modified` as parsed by the client: an aware UTC datetime close to now."""
    if not isinstance(v, datetime.datetime) or v.tzinfo is None:
        raise CheckFailed("%s: expected the client to parse a 'YYYY-MM-DD HH:mm:ss' UTC timestamp, got %s" % (what, short(v)))
    now = datetime.datetime.now(datetime.timezone.utc)
    if abs((now - v).total_seconds()) > 15 * 60:
        raise CheckFailed("%s: timestamp %s is not the current UTC time (now %s)" % (what, v, now))


class Api:
    """The official client, with every call remembered for failure reports.

    `api.method(**kw)` must succeed (an API error fails the check, naming the call);
    `api.fails(code, "method", **kw)` must fail with exactly that error code."""

    def __init__(self, client, label):
        self.client = client
        self.label = label

    # The last call made through any Api object, for failure reports.
    last = None

    def _remember(self, desc, res):
        Api.last = (desc, res)

    def _describe(self, name, kw):
        args = ", ".join("%s=%s" % (k, short(v, 120)) for k, v in kw.items())
        return "[%s] %s(%s)" % (self.label, name, args)

    def __getattr__(self, name):
        fn = getattr(self.client, name)

        def call(**kw):
            desc = self._describe(name, kw)
            try:
                res = fn(**kw)
            except VoximplantException as e:
                self._remember(desc, "error %s: %s" % (e.code, e.message))
                raise CheckFailed("%s failed with error %s: %s" % (desc, e.code, e.message))
            self._remember(desc, res)
            if not isinstance(res, dict):
                raise CheckFailed("%s: expected a JSON object, got %s" % (desc, short(res)))
            return res

        return call

    def fails(self, code, name, **kw):
        desc = self._describe(name, kw)
        try:
            res = getattr(self.client, name)(**kw)
        except VoximplantException as e:
            self._remember(desc, "error %s: %s" % (e.code, e.message))
            if e.code != code:
                raise CheckFailed("%s: expected error %s, got error %s: %s" % (desc, code, e.code, e.message))
            check(isinstance(e.message, str) and e.message != "", "%s: error %s has no message" % (desc, code))
            return e
        self._remember(desc, res)
        raise CheckFailed("%s: expected error %s, got success: %s" % (desc, code, short(res)))

    def fails_any(self, name, **kw):
        """Must be refused with some API error (the spec names no code)."""
        desc = self._describe(name, kw)
        try:
            res = getattr(self.client, name)(**kw)
        except VoximplantException as e:
            self._remember(desc, "error %s: %s" % (e.code, e.message))
            check(type(e.code) is int and e.code > 0, "%s: expected an API error, got %s: %s" % (desc, e.code, e.message))
            return e
        self._remember(desc, res)
        raise CheckFailed("%s: expected an error, got success: %s" % (desc, short(res)))


def list_of(res, what, total=None):
    """A list response: result list, integer total_count/count; count == len(result)."""
    check("result" in res and isinstance(res["result"], list), "%s: expected a 'result' list, got %s" % (what, short(res)))
    is_count(res.get("total_count"), what + " total_count")
    is_count(res.get("count"), what + " count")
    eq(res["count"], len(res["result"]), what + ": count vs number of results")
    if total is not None:
        eq(res["total_count"], total, what + ": total_count")
    return res["result"]


def ids(items, key):
    return [x[key] for x in items]


class Suite:
    def __init__(self, api, account, tag):
        self.api = api
        self.account = account  # GetAccountInfo result
        self.tag = tag  # unique per run, lowercase hex

    def full(self, short_name):
        return "%s.%s.voximplant.com" % (short_name, self.account["account_name"])

    def app(self, label):
        name = "py-%s-%s" % (label, self.tag)
        res = self.api.add_application(application_name=name)
        return is_id(res.get("application_id"), "AddApplication application_id"), self.full(name)

    def scenario(self, label, script=None, **kw):
        name = "%s-%s" % (label, self.tag)
        res = self.api.add_scenario(scenario_name=name, scenario_script=script or ("// %s\n" % name), **kw)
        return is_id(res.get("scenario_id"), "AddScenario scenario_id"), name

    def bound(self, app_id, rule_id):
        """Names of the scenarios bound to a rule, in binding order (GetRules with_scenarios)."""
        rules = list_of(self.api.get_rules(application_id=app_id, rule_id=rule_id, with_scenarios=True), "GetRules(rule_id)", 1)
        eq(rules[0]["rule_id"], rule_id, "GetRules(rule_id) rule_id")
        scen = rules[0].get("scenarios")
        check(isinstance(scen, list), "GetRules with_scenarios: expected a 'scenarios' list, got %s" % short(rules[0]))
        for s in scen:
            is_id(s.get("scenario_id"), "bound scenario_id")
        return [s["scenario_name"] for s in scen]

    # ------------------------------------------------------------------ sections

    def account_info(self):
        res = self.api.get_account_info()
        r = res.get("result")
        check(isinstance(r, dict), "GetAccountInfo: expected a 'result' object, got %s" % short(res))
        creds = self.api.client.credentials
        is_id(r.get("account_id"), "account_id")
        eq(r["account_id"], int(creds["account_id"]), "account_id vs key file")
        eq(r.get("account_email"), creds["account_email"], "account_email vs key file")
        check(isinstance(r.get("account_name"), str) and r["account_name"] != "", "account_name: %s" % short(r.get("account_name")))
        eq(r.get("active"), True, "active")
        check(isinstance(res.get("api_address"), str) and res["api_address"] != "", "api_address: %s" % short(res.get("api_address")))
        check(isinstance(r.get("api_key"), str) and r["api_key"] != "", "an Owner key must see api_key: %s" % short(r))

        # Other ways users build the client: from a config object (its token says iss "0": the
        # key's own account) and from $VOXIMPLANT_CREDENTIALS.
        path, endpoint = self.api.client.credentials_file_path, self.api.client.endpoint
        via_config = Api(VoximplantAPI(config=VoximplantAPIConfig(credentials_file_path=path, endpoint=endpoint)), "owner via VoximplantAPIConfig")
        eq(via_config.get_account_info()["result"].get("account_id"), r["account_id"], "GetAccountInfo with iss \"0\" (VoximplantAPIConfig)")
        os.environ["VOXIMPLANT_CREDENTIALS"] = path
        try:
            via_env = Api(VoximplantAPI(endpoint=endpoint), "owner via $VOXIMPLANT_CREDENTIALS")
        finally:
            del os.environ["VOXIMPLANT_CREDENTIALS"]
        eq(via_env.get_account_info()["result"].get("account_id"), r["account_id"], "GetAccountInfo via $VOXIMPLANT_CREDENTIALS")

    def applications(self):
        api, t = self.api, self.tag
        t = "ap" + t  # the names of this section share this substring, no other names do
        a = "%s-a" % t
        res = api.add_application(application_name=a)
        eq(res.get("result"), 1, "AddApplication result")
        a_id = is_id(res.get("application_id"), "AddApplication application_id")
        eq(res.get("application_name"), self.full(a), "AddApplication application_name")
        eq(res.get("secure_record_storage"), False, "AddApplication secure_record_storage default")

        b = "%s-b" % t
        res = api.add_application(application_name=b, secure_record_storage=True)
        b_id = is_id(res.get("application_id"), "AddApplication(b) application_id")
        eq(res.get("secure_record_storage"), True, "AddApplication(secure_record_storage=True)")

        c = "%s-c" % t
        res = api.add_application(application_name=self.full(c))  # the full form is accepted too
        c_id = is_id(res.get("application_id"), "AddApplication(full name) application_id")
        eq(res.get("application_name"), self.full(c), "AddApplication(full name) application_name")
        check(len({a_id, b_id, c_id}) == 3, "application ids must differ: %s" % [a_id, b_id, c_id])

        api.fails(129, "add_application", application_name=a)
        api.fails(129, "add_application", application_name=self.full(a))
        api.fails(107, "add_application", application_name="bad name!")
        api.fails(107, "add_application", application_name="9lives-%s" % self.tag)
        api.fails(107, "add_application", application_name="x" * 70)

        one = list_of(api.get_applications(application_id=a_id), "GetApplications(application_id)", 1)[0]
        eq(one.get("application_id"), a_id, "GetApplications application_id")
        eq(one.get("application_name"), self.full(a), "GetApplications application_name")
        eq(one.get("secure_record_storage"), False, "GetApplications secure_record_storage")
        is_recent_utc(one.get("modified"), "GetApplications modified")

        mine = list_of(api.get_applications(application_name=t), "GetApplications(application_name=tag)", 3)
        eq(sorted(ids(mine, "application_id")), sorted([a_id, b_id, c_id]), "GetApplications(name filter) ids")
        by_id = {x["application_id"]: x for x in mine}
        eq(by_id[b_id]["secure_record_storage"], True, "GetApplications secure_record_storage of b")
        p0 = list_of(api.get_applications(application_name=t, count=1), "GetApplications(count=1)", 3)
        p1 = list_of(api.get_applications(application_name=t, count=1, offset=1), "GetApplications(count=1, offset=1)", 3)
        p2 = list_of(api.get_applications(application_name=t, count=5, offset=2), "GetApplications(count=5, offset=2)", 3)
        eq([len(p0), len(p1), len(p2)], [1, 1, 1], "page sizes")
        eq(sorted(ids(p0 + p1 + p2, "application_id")), sorted([a_id, b_id, c_id]), "pages cover every application once")

        # SetApplicationInfo by id and by required_application_name.
        a2 = "%s-a2" % t
        eq(api.set_application_info(application_id=a_id, application_name=a2).get("result"), 1, "SetApplicationInfo result")
        one = list_of(api.get_applications(application_id=a_id), "GetApplications after rename", 1)[0]
        eq(one["application_name"], self.full(a2), "name after SetApplicationInfo")
        eq(api.set_application_info(required_application_name=self.full(a2), secure_record_storage=True).get("result"), 1,
           "SetApplicationInfo(required_application_name) result")
        one = list_of(api.get_applications(application_id=a_id), "GetApplications after secure flag", 1)[0]
        eq(one["secure_record_storage"], True, "secure_record_storage after SetApplicationInfo")
        eq(one["application_name"], self.full(a2), "name kept by SetApplicationInfo(secure_record_storage)")
        api.fails(129, "set_application_info", application_id=a_id, application_name=b)
        api.fails(107, "set_application_info", application_id=a_id, application_name="Bad Name")

        # DelApplication by id and by name.
        eq(api.del_application(application_id=c_id).get("result"), 1, "DelApplication(id) result")
        mine = list_of(api.get_applications(application_name=t), "GetApplications after DelApplication", 2)
        eq(sorted(ids(mine, "application_id")), sorted([a_id, b_id]), "applications left after DelApplication")
        api.fails(116, "del_application", application_id=c_id)
        eq(api.del_application(application_name=self.full(b)).get("result"), 1, "DelApplication(name) result")
        mine = list_of(api.get_applications(application_name=t), "GetApplications after DelApplication(name)", 1)
        eq(ids(mine, "application_id"), [a_id], "applications left after DelApplication(name)")
        # The deleted name can be reused.
        res = api.add_application(application_name=b)
        check(is_id(res.get("application_id"), "re-added application_id") not in (a_id, b_id, c_id), "a new application gets a new id")

    def rules(self):
        api, t = self.api, self.tag
        app_id, app_full = self.app("r")
        other_id, _ = self.app("r2")
        s1, n1 = self.scenario("rs1")
        s2, n2 = self.scenario("rs2")
        s3, n3 = self.scenario("rs3")

        res = api.add_rule(rule_name="r-one", rule_pattern=r"\+1\d+", rule_pattern_exclude=r"\+1900\d*",
                           application_id=app_id, scenario_id=[s1, s2])
        eq(res.get("result"), 1, "AddRule result")
        r1 = is_id(res.get("rule_id"), "AddRule rule_id")
        r2 = is_id(api.add_rule(rule_name="r-two", rule_pattern=".*", application_name=app_full,
                                scenario_name=[n3, n1]).get("rule_id"), "AddRule(application_name) rule_id")
        r3 = is_id(api.add_rule(rule_name="r-video", rule_pattern="conf-.*", application_id=app_id,
                                video_conference=True).get("rule_id"), "AddRule(video) rule_id")
        # Rule names are unique per application, not per account.
        is_id(api.add_rule(rule_name="r-one", rule_pattern="x", application_id=other_id).get("rule_id"), "same rule name in another application")

        api.fails(175, "add_rule", rule_name="r-one", rule_pattern="y", application_id=app_id)
        api.fails(148, "add_rule", rule_name="r-bad", rule_pattern="([", application_id=app_id)
        api.fails(149, "add_rule", rule_name="r-bad", rule_pattern=".*", rule_pattern_exclude="(", application_id=app_id)

        rules = list_of(api.get_rules(application_id=app_id), "GetRules", 3)
        eq(ids(rules, "rule_id"), [r1, r2, r3], "GetRules order (creation order)")
        first = rules[0]
        eq(first.get("rule_name"), "r-one", "rule_name")
        eq(first.get("rule_pattern"), r"\+1\d+", "rule_pattern")
        eq(first.get("rule_pattern_exclude"), r"\+1900\d*", "rule_pattern_exclude")
        eq(first.get("application_id"), app_id, "application_id of the rule")
        eq(first.get("video_conference"), False, "video_conference of r-one")
        eq(rules[2].get("video_conference"), True, "video_conference of r-video")
        for r in rules:
            is_recent_utc(r.get("modified"), "GetRules modified of %s" % r.get("rule_name"))

        rules = list_of(api.get_rules(application_name=app_full, with_scenarios=True), "GetRules(with_scenarios)", 3)
        scen = {r["rule_id"]: r.get("scenarios") for r in rules}
        eq([s["scenario_name"] for s in scen[r1]], [n1, n2], "scenarios of r-one in binding order")
        eq([s["scenario_id"] for s in scen[r1]], [s1, s2], "scenario ids of r-one")
        eq([s["scenario_name"] for s in scen[r2]], [n3, n1], "scenarios of r-two in binding order")
        eq(scen[r3] or [], [], "scenarios of r-video")
        is_recent_utc(scen[r1][0].get("modified"), "modified of a bound scenario")

        eq(ids(list_of(api.get_rules(application_id=app_id, rule_id=r2), "GetRules(rule_id)", 1), "rule_id"), [r2], "GetRules(rule_id)")
        eq(ids(list_of(api.get_rules(application_id=app_id, rule_name="two"), "GetRules(rule_name)", 1), "rule_id"), [r2],
           "GetRules(rule_name) is a substring filter")
        eq(ids(list_of(api.get_rules(application_id=app_id, video_conference=True), "GetRules(video_conference)"), "rule_id"), [r3],
           "GetRules(video_conference=True)")

        def template(dest, want, what):
            got = list_of(api.get_rules(application_id=app_id, template=dest), "GetRules(template=%r)" % dest)
            eq(ids(got, "rule_id"), want, "GetRules(template=%r): %s" % (dest, what))

        template("+15551234", [r1, r2], "pattern matches")
        template("+19005551234", [r2], "exclude pattern matches")
        template("conf-abc", [r2, r3], "video rule")
        template("x+15551234", [r2], "patterns match the whole destination")

        page = list_of(api.get_rules(application_id=app_id, count=2), "GetRules(count=2)", 3)
        eq(ids(page, "rule_id"), [r1, r2], "GetRules(count=2)")
        page = list_of(api.get_rules(application_id=app_id, count=2, offset=2), "GetRules(count=2, offset=2)", 3)
        eq(ids(page, "rule_id"), [r3], "GetRules(offset=2)")

        # SetRuleInfo changes name and patterns, never the bound scenarios.
        eq(api.set_rule_info(rule_id=r1, rule_name="r-one-b", rule_pattern=r"\+7\d+", rule_pattern_exclude=r"\+7999\d*").get("result"), 1,
           "SetRuleInfo result")
        got = list_of(api.get_rules(application_id=app_id, rule_id=r1, with_scenarios=True), "GetRules after SetRuleInfo", 1)[0]
        eq((got["rule_name"], got["rule_pattern"], got["rule_pattern_exclude"]), ("r-one-b", r"\+7\d+", r"\+7999\d*"), "rule after SetRuleInfo")
        eq([s["scenario_name"] for s in got.get("scenarios") or []], [n1, n2], "SetRuleInfo keeps the bound scenarios")
        eq(api.set_rule_info(rule_id=r3, video_conference=False).get("result"), 1, "SetRuleInfo(video_conference) result")
        got = list_of(api.get_rules(application_id=app_id, rule_id=r3), "GetRules(r-video)", 1)[0]
        eq((got["video_conference"], got["rule_name"], got["rule_pattern"]), (False, "r-video", "conf-.*"), "SetRuleInfo(video_conference=False) changes only the flag")
        api.fails(175, "set_rule_info", rule_id=r1, rule_name="r-two")
        api.fails(148, "set_rule_info", rule_id=r1, rule_pattern="*(")
        template("+75551234", [r1, r2], "after SetRuleInfo")
        template("+79995551234", [r2], "new exclude pattern")
        template("+15551234", [r2], "old pattern gone")

        # ReorderRules.
        eq(api.reorder_rules(rule_id=[r3, r1, r2]).get("result"), 1, "ReorderRules result")
        eq(ids(list_of(api.get_rules(application_id=app_id), "GetRules after ReorderRules", 3), "rule_id"), [r3, r1, r2], "order after ReorderRules")
        template("conf-abc", [r3, r2], "template follows the new order")

        # DelRule by id and by name.
        eq(api.del_rule(rule_id=r3).get("result"), 1, "DelRule result")
        eq(ids(list_of(api.get_rules(application_id=app_id), "GetRules after DelRule", 2), "rule_id"), [r1, r2], "rules after DelRule")
        api.fails(147, "del_rule", rule_id=r3)
        eq(api.del_rule(rule_name="r-two", application_id=app_id).get("result"), 1, "DelRule(rule_name) result")
        eq(ids(list_of(api.get_rules(application_id=app_id), "GetRules after DelRule(name)", 1), "rule_id"), [r1], "rules after DelRule(name)")
        # The other application's rule of the same name is untouched; scenarios stay.
        eq(ids(list_of(api.get_rules(application_id=other_id), "GetRules(other app)", 1), "rule_name"), ["r-one"], "other application's rules")
        list_of(api.get_scenarios(scenario_id=s3), "GetScenarios(scenario of a deleted rule)", 1)

    def scenarios(self):
        api, t = self.api, self.tag
        script_a = "VoxEngine.addEventListener(AppEvents.Started, () => Logger.write('a'));\n"
        script_b = "// b: üñí ✓ 日本\nVoxEngine.terminate();\n"
        a_id, a = self.scenario("sa", script_a)
        got = list_of(api.get_scenarios(scenario_id=a_id, with_script=True), "GetScenarios(scenario_id, with_script)", 1)[0]
        eq(got.get("scenario_id"), a_id, "scenario_id")
        eq(got.get("scenario_name"), a, "scenario_name")
        eq(got.get("scenario_script"), script_a, "scenario_script")
        eq(got.get("parent"), False, "parent")
        is_recent_utc(got.get("modified"), "GetScenarios modified")

        api.fails(133, "add_scenario", scenario_name=a, scenario_script="// dup")
        api.fails(133, "add_scenario", scenario_name=a, scenario_script="// dup", rewrite=False)
        res = api.add_scenario(scenario_name=a, scenario_script=script_b, rewrite=True)
        eq(res.get("scenario_id"), a_id, "AddScenario(rewrite=True) keeps the id")
        got = list_of(api.get_scenarios(scenario_id=a_id, with_script=True), "GetScenarios after rewrite", 1)[0]
        eq(got.get("scenario_script"), script_b, "script after AddScenario(rewrite=True)")

        # Limits: names < 30 characters; scripts < 128 KB counted in UTF-8 bytes.
        n29 = ("n29-%s-" % t).ljust(29, "z")
        is_id(api.add_scenario(scenario_name=n29, scenario_script="//").get("scenario_id"), "29-character scenario name")
        api.fails(168, "add_scenario", scenario_name=("n40-%s-" % t).ljust(40, "z"), scenario_script="//")
        api.fails(130, "add_scenario", scenario_name="big-%s" % t, scenario_script="/" * (128 * 1024 + 1))
        api.fails(130, "add_scenario", scenario_name="bigu-%s" % t, scenario_script="ж" * 70000)  # 70,000 chars, 140,000 bytes
        wide = "//" + "ж" * 50000 + "\n"  # 100,003 bytes
        w_id, _ = self.scenario("wide", wide)
        got = list_of(api.get_scenarios(scenario_id=w_id, with_script=True), "GetScenarios(wide)", 1)[0]
        eq(got.get("scenario_script"), wide, "a 100 KB UTF-8 script round-trips")
        api.fails(130, "set_scenario_info", scenario_id=w_id, scenario_script="/" * (128 * 1024 + 1))

        # Listing: case-insensitive substring, ordered by id, paged, no scripts without scenario_id.
        made = [self.scenario("L%d" % i) for i in range(4)]
        lst, names = [m[0] for m in made], [m[1] for m in made]
        eq(ids(list_of(api.get_scenarios(scenario_name=("l2-%s" % t).upper()), "GetScenarios(name, upper case)", 1), "scenario_id"),
           [lst[2]], "GetScenarios(scenario_name) ignores case")
        every = [x for x in list_of(api.get_scenarios(scenario_name=t, count=1000), "GetScenarios(tag)") if x["scenario_id"] in lst]
        eq(ids(every, "scenario_id"), lst, "GetScenarios ordered by id")
        eq([x["scenario_name"] for x in every], names, "GetScenarios names")
        mine = list_of(api.get_scenarios(scenario_name="-" + t, with_script=True), "GetScenarios(tag, with_script)")
        check(all("scenario_script" not in x for x in mine), "with_script without scenario_id must not return scripts: %s" % short(mine))
        total = list_of(api.get_scenarios(scenario_name=t), "GetScenarios(tag)")
        n = len(list_of(api.get_scenarios(scenario_name=t, count=1000), "GetScenarios(tag, count=1000)"))
        check(n >= 7, "GetScenarios(tag) should see at least 7 scenarios, saw %d" % n)
        page = list_of(api.get_scenarios(scenario_name=t, count=2, offset=1), "GetScenarios(count=2, offset=1)", n)
        full_list = list_of(api.get_scenarios(scenario_name=t, count=1000), "GetScenarios(all of tag)", n)
        eq(ids(page, "scenario_id"), ids(full_list, "scenario_id")[1:3], "GetScenarios(count=2, offset=1)")
        eq(ids(full_list, "scenario_id"), sorted(ids(full_list, "scenario_id")), "GetScenarios ordered by id")
        check(len(total) == min(20, n), "GetScenarios default count is 20: got %d of %d" % (len(total), n))

        # Application scenarios: only they are listed for their application.
        app_id, app_full = self.app("s")
        p_id, p = self.scenario("own", application_id=app_id)
        eq(ids(list_of(api.get_scenarios(application_id=app_id), "GetScenarios(application_id)", 1), "scenario_id"), [p_id],
           "GetScenarios(application_id) lists only that application's scenarios")
        eq(ids(list_of(api.get_scenarios(application_name=app_full), "GetScenarios(application_name)", 1), "scenario_id"), [p_id],
           "GetScenarios(application_name)")

        # SetScenarioInfo by id and by required_scenario_name.
        new_name = "sa2-%s" % t
        eq(api.set_scenario_info(scenario_id=a_id, scenario_name=new_name, scenario_script="// v3\n").get("result"), 1, "SetScenarioInfo result")
        got = list_of(api.get_scenarios(scenario_id=a_id, with_script=True), "GetScenarios after SetScenarioInfo", 1)[0]
        eq((got["scenario_name"], got.get("scenario_script")), (new_name, "// v3\n"), "scenario after SetScenarioInfo")
        eq(api.set_scenario_info(required_scenario_name=new_name, scenario_script="// v4\n").get("result"), 1,
           "SetScenarioInfo(required_scenario_name) result")
        got = list_of(api.get_scenarios(scenario_id=a_id, with_script=True), "GetScenarios after SetScenarioInfo(name)", 1)[0]
        eq((got["scenario_name"], got.get("scenario_script")), (new_name, "// v4\n"), "scenario after SetScenarioInfo(required_scenario_name)")
        api.fails(133, "set_scenario_info", scenario_id=a_id, scenario_name=p)
        api.fails(168, "set_scenario_info", scenario_id=a_id, scenario_name="y" * 40)

        # DelScenario by id and by a name list.
        eq(api.del_scenario(scenario_id=lst[0]).get("result"), 1, "DelScenario result")
        api.fails(132, "del_scenario", scenario_id=lst[0])
        eq(api.del_scenario(scenario_name=[names[1], names[3]]).get("result"), 1, "DelScenario(names) result")
        left = [x["scenario_id"] for x in list_of(api.get_scenarios(scenario_name=t, count=1000), "GetScenarios after DelScenario")]
        eq([i for i in lst if i in left], [lst[2]], "scenarios left after DelScenario")

    def binding(self):
        api, t = self.api, self.tag
        app_id, app_full = self.app("b")
        other_id, _ = self.app("b2")
        rule = is_id(api.add_rule(rule_name="main", rule_pattern=".*", application_id=app_id).get("rule_id"), "AddRule")
        sid, name = {}, {}
        for k in "ABCD":
            sid[k], name[k] = self.scenario("b" + k)

        eq(self.bound(app_id, rule), [], "a new rule has no scenarios")
        eq(api.bind_scenario(scenario_id=[sid["B"], sid["A"]], rule_id=rule).get("result"), 1, "BindScenario result")
        eq(self.bound(app_id, rule), [name["B"], name["A"]], "BindScenario binds in the given order")
        api.bind_scenario(scenario_id=[sid["C"], sid["B"]], rule_id=rule)
        eq(self.bound(app_id, rule), [name["B"], name["A"], name["C"]], "BindScenario appends; one already bound keeps its place")
        api.bind_scenario(scenario_name=name["D"], rule_name="main", application_id=app_id)
        eq(self.bound(app_id, rule), [name["B"], name["A"], name["C"], name["D"]], "BindScenario(scenario_name, rule_name)")
        e_id, e = self.scenario("bE", rule_id=rule)
        eq(self.bound(app_id, rule), [name["B"], name["A"], name["C"], name["D"], e], "AddScenario(rule_id) binds at the end")

        eq(api.bind_scenario(scenario_id=[sid["A"], sid["D"]], rule_id=rule, bind=False).get("result"), 1, "BindScenario(bind=False) result")
        eq(self.bound(app_id, rule), [name["B"], name["C"], e], "BindScenario(bind=False) unbinds")

        eq(api.reorder_scenarios(scenario_id=[e_id, sid["B"], sid["C"]], rule_id=rule).get("result"), 1, "ReorderScenarios result")
        eq(self.bound(app_id, rule), [e, name["B"], name["C"]], "order after ReorderScenarios")
        api.fails_any("reorder_scenarios", scenario_id=[e_id, sid["B"]], rule_id=rule)
        api.fails_any("reorder_scenarios", scenario_id=[e_id, sid["B"], sid["C"], sid["A"]], rule_id=rule)
        eq(self.bound(app_id, rule), [e, name["B"], name["C"]], "a refused ReorderScenarios changes nothing")

        # AddRule binds in the given order, by ids or by names.
        r_ids = is_id(api.add_rule(rule_name="by-ids", rule_pattern="1", application_id=app_id, scenario_id=[sid["C"], sid["A"]]).get("rule_id"), "AddRule(scenario_id)")
        eq(self.bound(app_id, r_ids), [name["C"], name["A"]], "AddRule(scenario_id) order")
        r_names = is_id(api.add_rule(rule_name="by-names", rule_pattern="2", application_id=app_id, scenario_name=[name["A"], name["C"]]).get("rule_id"), "AddRule(scenario_name)")
        eq(self.bound(app_id, r_names), [name["A"], name["C"]], "AddRule(scenario_name) order")

        # GetApplications with_rules / with_scenarios.
        one = list_of(api.get_applications(application_id=app_id, with_rules=True, with_scenarios=True), "GetApplications(with_rules, with_scenarios)", 1)[0]
        rules = one.get("rules")
        check(isinstance(rules, list), "GetApplications(with_rules): expected a 'rules' list, got %s" % short(one))
        eq([r.get("rule_name") for r in rules], ["main", "by-ids", "by-names"], "GetApplications rules in priority order")
        is_id(rules[0].get("rule_id"), "GetApplications rules[0].rule_id")
        eq([s.get("scenario_name") for s in rules[0].get("scenarios") or []], [e, name["B"], name["C"]], "GetApplications rules[0].scenarios")
        one = list_of(api.get_applications(application_id=app_id, with_rules=True), "GetApplications(with_rules)", 1)[0]
        eq([r.get("rule_id") for r in one.get("rules") or []], [rule, r_ids, r_names], "GetApplications(with_rules) rule ids")

        # A scenario of another application cannot be bound here.
        o_id, _ = self.scenario("bO", application_id=other_id)
        api.fails(132, "bind_scenario", scenario_id=o_id, rule_id=rule)
        api.fails(168, "bind_scenario", scenario_name="no-such-%s" % t, rule_id=rule)
        # DelScenario unbinds everywhere.
        api.del_scenario(scenario_id=sid["C"])
        eq(self.bound(app_id, rule), [e, name["B"]], "DelScenario unbinds from the rule")
        eq(self.bound(app_id, r_ids), [name["A"]], "DelScenario unbinds from every rule")

    def application_deletion(self):
        api = self.api
        x_id, _ = self.app("x")
        y_id, _ = self.app("y")
        s_id, s = self.scenario("xs", application_id=x_id)
        r = is_id(api.add_rule(rule_name="xr", rule_pattern=".*", application_id=x_id, scenario_id=[s_id]).get("rule_id"), "AddRule")
        eq(self.bound(x_id, r), [s], "bound before DelApplication")
        eq(api.del_application(application_id=x_id).get("result"), 1, "DelApplication result")
        api.fails(116, "get_rules", application_id=x_id)
        api.fails(147, "set_rule_info", rule_id=r, rule_name="xr2")
        got = list_of(api.get_scenarios(scenario_id=s_id), "GetScenarios(scenario of a deleted application)", 1)[0]
        eq(got.get("scenario_name"), s, "the application's scenario stays")
        # It is now shared: it can be bound to another application's rule.
        ry = is_id(api.add_rule(rule_name="yr", rule_pattern=".*", application_id=y_id).get("rule_id"), "AddRule(y)")
        api.bind_scenario(scenario_id=s_id, rule_id=ry)
        eq(self.bound(y_id, ry), [s], "the scenario of a deleted application became shared")

    def unknown_ids(self):
        api, t = self.api, self.tag
        app_id, _ = self.app("u")
        rule = is_id(api.add_rule(rule_name="ur", rule_pattern=".*", application_id=app_id).get("rule_id"), "AddRule")
        s_id, _ = self.scenario("us")
        api.fails(116, "get_rules", application_id=UNKNOWN_ID)
        api.fails(116, "add_rule", rule_name="r", rule_pattern=".*", application_id=UNKNOWN_ID)
        api.fails(116, "set_application_info", application_id=UNKNOWN_ID, application_name="nope-%s" % t)
        api.fails(116, "del_application", application_id=UNKNOWN_ID)
        api.fails(558, "get_rules", application_name=self.full("nope-%s" % t))
        api.fails(147, "set_rule_info", rule_id=UNKNOWN_ID, rule_name="n")
        api.fails(147, "del_rule", rule_id=UNKNOWN_ID)
        api.fails(147, "reorder_rules", rule_id=[UNKNOWN_ID])
        api.fails(147, "bind_scenario", scenario_id=s_id, rule_id=UNKNOWN_ID)
        api.fails(147, "add_scenario", scenario_name="ux-%s" % t, scenario_script="//", rule_id=UNKNOWN_ID)
        api.fails(147, "reorder_scenarios", scenario_id=[s_id], rule_id=UNKNOWN_ID)
        api.fails(132, "set_scenario_info", scenario_id=UNKNOWN_ID, scenario_script="//")
        api.fails(132, "del_scenario", scenario_id=UNKNOWN_ID)
        api.fails(132, "bind_scenario", scenario_id=UNKNOWN_ID, rule_id=rule)
        api.fails(168, "set_scenario_info", required_scenario_name="nope-%s" % t, scenario_script="//")
        eq(self.bound(app_id, rule), [], "failed binds bind nothing")

    def delete_all(self):
        api = self.api
        check(list_of(api.get_scenarios(), "GetScenarios()")[0:1] != [], "there are scenarios before DelScenario(all)")
        eq(api.del_scenario(scenario_id="all").get("result"), 1, "DelScenario(all) result")
        list_of(api.get_scenarios(), "GetScenarios after DelScenario(all)", 0)
        eq(api.del_application(application_id="all").get("result"), 1, "DelApplication(all) result")
        list_of(api.get_applications(), "GetApplications after DelApplication(all)", 0)


class SupportSuite:
    """A Support key may call Get* methods only; everything else is refused with 104 and changes nothing."""

    def __init__(self, owner, support, tag):
        self.owner, self.support, self.tag = owner, support, tag

    def run(self):
        o, s, t = self.owner, self.support, self.tag
        acc = o.get_account_info()["result"]
        app_name = "py-sup-%s" % t
        app_id = is_id(o.add_application(application_name=app_name).get("application_id"), "AddApplication(owner)")
        sc_id = is_id(o.add_scenario(scenario_name="sup-%s" % t, scenario_script="// support\n").get("scenario_id"), "AddScenario(owner)")
        rule = is_id(o.add_rule(rule_name="sr", rule_pattern=".*", application_id=app_id, scenario_id=[sc_id]).get("rule_id"), "AddRule(owner)")

        info = s.get_account_info()
        eq(info["result"].get("account_id"), acc["account_id"], "Support GetAccountInfo account_id")
        check("api_key" not in info["result"], "GetAccountInfo must not show api_key to a Support key: %s" % short(info["result"]))
        apps = list_of(s.get_applications(application_id=app_id, with_rules=True, with_scenarios=True), "Support GetApplications", 1)
        eq(apps[0].get("application_name"), "%s.%s.voximplant.com" % (app_name, acc["account_name"]), "Support sees the application")
        rules = list_of(s.get_rules(application_id=app_id, with_scenarios=True), "Support GetRules", 1)
        eq([x.get("scenario_id") for x in rules[0].get("scenarios") or []], [sc_id], "Support sees the bound scenario")
        got = list_of(s.get_scenarios(scenario_id=sc_id, with_script=True), "Support GetScenarios", 1)[0]
        eq(got.get("scenario_script"), "// support\n", "Support reads the script")

        s.fails(104, "add_application", application_name="sup2-%s" % t)
        s.fails(104, "set_application_info", application_id=app_id, application_name="sup3-%s" % t)
        s.fails(104, "del_application", application_id=app_id)
        s.fails(104, "add_rule", rule_name="sr2", rule_pattern=".*", application_id=app_id)
        s.fails(104, "set_rule_info", rule_id=rule, rule_name="sr3")
        s.fails(104, "del_rule", rule_id=rule)
        s.fails(104, "reorder_rules", rule_id=[rule])
        s.fails(104, "add_scenario", scenario_name="sup4-%s" % t, scenario_script="//")
        s.fails(104, "set_scenario_info", scenario_id=sc_id, scenario_script="// changed")
        s.fails(104, "bind_scenario", scenario_id=sc_id, rule_id=rule, bind=False)
        s.fails(104, "reorder_scenarios", scenario_id=[sc_id], rule_id=rule)
        s.fails(104, "del_scenario", scenario_id=sc_id)

        # Nothing changed.
        list_of(o.get_applications(application_name="sup-" + t), "GetApplications after refused calls", 1)
        rules = list_of(o.get_rules(application_id=app_id, with_scenarios=True), "GetRules after refused calls", 1)
        eq((rules[0]["rule_name"], [x.get("scenario_id") for x in rules[0].get("scenarios") or []]), ("sr", [sc_id]), "rule after refused calls")
        got = list_of(o.get_scenarios(scenario_id=sc_id, with_script=True), "GetScenarios after refused calls", 1)[0]
        eq(got.get("scenario_script"), "// support\n", "script after refused calls")
        list_of(o.get_scenarios(scenario_name="sup-" + t), "GetScenarios(sup) after refused calls", 1)


def run_section(name, fn):
    try:
        fn()
    except CheckFailed as e:
        print("FAIL [%s] %s" % (name, e))
        if Api.last is not None:
            print("      last call: %s\n      returned: %s" % (Api.last[0], short(Api.last[1], 600)))
        return False
    except Exception:  # a client crash (e.g. a response it cannot parse) is a failure too
        print("FAIL [%s] unexpected exception:\n%s" % (name, traceback.format_exc()))
        if Api.last is not None:
            print("      last call: %s\n      returned: %s" % (Api.last[0], short(Api.last[1], 600)))
        return False
    print("ok   [%s]" % name)
    return True


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--endpoint", default=os.environ.get("VOXRUN_ENDPOINT"))
    p.add_argument("--credentials", default=os.environ.get("VOXIMPLANT_CREDENTIALS"))
    p.add_argument("--support-credentials")
    a = p.parse_args()
    if not a.endpoint or not a.credentials:
        p.error("--endpoint and --credentials are required")
    if not os.environ.get("REQUESTS_CA_BUNDLE"):
        print("note: REQUESTS_CA_BUNDLE is not set; the server's certificate must be trusted otherwise")

    tag = uuid.uuid4().hex[:8]
    owner = Api(VoximplantAPI(a.credentials, endpoint=a.endpoint), "owner")
    results = []
    if a.support_credentials:
        support = Api(VoximplantAPI(a.support_credentials, endpoint=a.endpoint), "support")
        suite = SupportSuite(owner, support, tag)
        results.append(run_section("support role", suite.run))
    else:
        try:
            account = owner.get_account_info()["result"]
        except Exception:
            print("FAIL [setup] GetAccountInfo through the official client:\n%s" % traceback.format_exc())
            return 1
        suite = Suite(owner, account, tag)
        for name in ["account_info", "applications", "rules", "scenarios", "binding", "application_deletion", "unknown_ids", "delete_all"]:
            results.append(run_section(name, getattr(suite, name)))
    failed = results.count(False)
    print("%d of %d sections passed" % (len(results) - failed, len(results)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
