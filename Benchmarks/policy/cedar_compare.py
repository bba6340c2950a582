#!/usr/bin/env python3
"""ConsentGate policy engine vs Cedar (cedarpy, the Rust Cedar engine), side by side.

    python3 -m venv .venv-bench && .venv-bench/bin/pip install cedarpy==4.12.2
    swift build -c release --product consentgate-bench
    .venv-bench/bin/python Benchmarks/policy/cedar_compare.py [--bench .build/release/consentgate-bench]

1. Runs `consentgate-bench policy --workload W.json`: ConsentGate writes the shipped policy's model, 2,000 random
   30-field requests with 0-2 random consents, its own per-field answers, and its throughput on exactly that
   workload (`decide` with full per-field explanations).
2. Encodes the same policy as Cedar policies (one Cedar policy per rule; the field is the resource with its category
   as an entity attribute; the consent clauses that are valid at decision time enter as the sets `cover` and
   `explicit` of categories in the request context, computed here once per request before timing, which favours Cedar)
   and evaluates one Cedar request per field with the batch call, pre-parsed PolicySet and Entities, and contexts
   pre-serialised to JSON.
3. Checks that both agree on every field, then prints field-decisions per second of both and the ratio.
"""
import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time

import cedarpy


def ident(s):
    return s.replace("-", "_").replace(".", "_")


def cedar_value(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    return json.dumps(v)


def condition(c):
    if c is None:
        return "true"
    if "all" in c:
        return "(" + " && ".join(condition(x) for x in c["all"]) + ")"
    if "any" in c:
        return "(" + " || ".join(condition(x) for x in c["any"]) + ")"
    a = "context." + ident(c["attr"])
    has = "context.has_" + ident(c["attr"])
    vals = c["values"]
    op = c["op"]
    if op == "in":
        return f"({has} && [{', '.join(cedar_value(v) for v in vals)}].contains({a}))"
    sym = {"eq": "==", "ne": "!=", "lt": "<", "le": "<=", "gt": ">", "ge": ">="}[op]
    return f"({has} && {a} {sym} {cedar_value(vals[0])})"


def cedar_policies(model):
    out = []
    for r in model["rules"]:
        parts = []
        if r["partners"] is not None:
            parts.append("[" + ", ".join(f'Partner::"{p}"' for p in r["partners"]) + "].contains(principal)")
        parts.append("[" + ", ".join(f'Field::"{f}"' for f in r["fields"]) + "].contains(resource)")
        parts.append(condition(r["when"]))
        action = "action" if r["purposes"] is None else "action in [" + ", ".join(f'Action::"{u}"' for u in r["purposes"]) + "]"
        when = " && ".join(parts)
        if r["effect"] == "forbid":
            unless = " unless { context.explicit.contains(resource.category) }" if r["unless"] else ""
            out.append(f'@id("{r["id"]}")\nforbid(principal, {action}, resource) when {{ {when} }}{unless};')
        elif r["basis"] == "statute":
            out.append(f'@id("{r["id"]}")\npermit(principal, {action}, resource) when {{ {when} }};')
        else:
            consent = "(if resource.special then context.explicit.contains(resource.category) else context.cover.contains(resource.category))"
            out.append(f'@id("{r["id"]}")\npermit(principal, {action}, resource) when {{ {when} && {consent} }};')
    return "\n\n".join(out)


def add_duration(ts, years, months, days):
    d = dt.datetime.fromtimestamp(ts, dt.timezone.utc)
    total = d.year * 12 + (d.month - 1) + years * 12 + months
    y, m = divmod(total, 12)
    m += 1
    nxt = dt.date(y + (m == 12), 1 if m == 12 else m + 1, 1)
    last = (nxt - dt.date(y, m, 1)).days
    d2 = d.replace(year=y, month=m, day=min(d.day, last)) + dt.timedelta(days=days)
    return d2.timestamp()


def age(birth_day, on_day):
    b = dt.date(1970, 1, 1) + dt.timedelta(days=birth_day)
    t = dt.date(1970, 1, 1) + dt.timedelta(days=on_day)
    return t.year - b.year - ((t.month, t.day) < (b.month, b.day))


def context_for(model, req):
    """The Cedar request context: subject attributes and the categories covered by valid consent clauses."""
    s = req["subject"]
    at = req["at"]
    facts = {"birth-date": s["birth_day"], "municipality": s["municipality"],
             "unaccompanied-minor": s["unaccompanied_minor"], "guardians": s["guardians"]}
    ctx = {}
    for a in model["attributes"]:
        v = s["values"].get(a["id"])
        if v is None and a["subject"]:
            v = facts.get(a["subject"])
            if a["subject"] == "birth-date" and a["type"] == "int" and v is not None:
                v = age(v, at // 86400)
        if v is None and a["from"]:
            v = s["values"].get(a["from"])
        ctx["has_" + ident(a["id"])] = v is not None
        ctx[ident(a["id"])] = v if v is not None else (False if a["type"] == "bool" else 0 if a["type"] in ("int", "date") else "")
    templates = {(t["id"], t["version"]): t for t in model["templates"]}
    cover, explicit = set(), set()
    for c in req["consents"]:
        t = templates.get((c["template"], c["version"]))
        if t is None or not c["verified"]:
            continue
        if c["expires"] > add_duration(c["granted"], *t["max_validity"]):
            continue
        if not c["guardian"] and age(s["birth_day"], c["granted"] // 86400) < t["minimum_age"]:
            continue
        if (c["withdrawn"] is not None and c["withdrawn"] <= at) or at >= c["expires"] or at < c["granted"]:
            continue
        for cl in t["clauses"]:
            if cl["id"] in c["clauses"] and req["partner"] in cl["partners"] and (not cl["purposes"] or req["purpose"] in cl["purposes"]):
                cover.update(cl["categories"])
                if cl["explicit"]:
                    explicit.update(cl["categories"])
    ctx["cover"] = sorted(cover)
    ctx["explicit"] = sorted(explicit)
    return ctx


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bench", default=".build/release/consentgate-bench")
    ap.add_argument("--bundle", default="policies/kim-rhein-sieg")
    ap.add_argument("--rounds", type=int, default=5)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "workload.json")
        subprocess.run([a.bench, "policy", "--bundle", a.bundle, "--workload", path], check=True)
        with open(path, encoding="utf-8") as f:
            work = json.load(f)
    model = work["model"]
    policies = cedarpy.PolicySet.from_str(cedar_policies(model)) if hasattr(cedarpy, "PolicySet") else cedar_policies(model)
    entities = [{"uid": {"type": "Field", "id": f["id"]}, "attrs": {"category": f["category"], "special": f["special"]}, "parents": []}
                for f in model["fields"]]
    entities += [{"uid": {"type": "Partner", "id": p}, "attrs": {}, "parents": []}
                 for p in sorted({p for r in model["rules"] for p in (r["partners"] or [])})]
    entities = cedarpy.Entities.from_json_str(json.dumps(entities))
    batch, ours = [], []
    for req in work["requests"]:
        ctx = json.dumps(context_for(model, req))
        for i, field in enumerate(req["fields"]):
            batch.append({"principal": f'Partner::"{req["partner"]}"', "action": f'Action::"{req["purpose"]}"',
                          "resource": f'Field::"{field}"', "context": ctx})
            ours.append((req["ours"][i], req["reasons"][i], req["partner"], req["purpose"], field))
    times = []
    results = None
    for _ in range(a.rounds):
        t0 = time.perf_counter()
        results = cedarpy.is_authorized_batch(batch, policies, entities)
        times.append(time.perf_counter() - t0)
    # The floor of the binding itself: the same batch against the one-line policy `permit(principal, action, resource);`.
    trivial = cedarpy.PolicySet.from_str("permit(principal, action, resource);")
    t0 = time.perf_counter()
    cedarpy.is_authorized_batch(batch, trivial, entities)
    floor_rate = len(batch) / (time.perf_counter() - t0)
    errors = [r for r in results if r.diagnostics.errors]
    disagreements = [(o, r.allowed) for o, r in zip(ours, results) if o[0] != r.allowed]
    times.sort()
    cedar_rate = len(batch) / times[len(times) // 2]
    swift_rate = work["swift_field_decisions_per_s"]
    print(f"cedar: {len(model['rules'])} Cedar policies, {len(batch)} field requests "
          f"({len(work['requests'])} requests x 30 fields), evaluation errors: {len(errors)}")
    print(f"agreement: {len(batch) - len(disagreements)}/{len(batch)} fields agree"
          f" ({sum(1 for o in ours if o[0])} permits, {sum(1 for o in ours if not o[0])} denies)")
    for d in disagreements[:10]:
        print("  DISAGREE", d)
    print(f"ConsentGate decide (with explanations): {swift_rate / 1e6:.2f} M field-decisions/s")
    print(f"cedarpy is_authorized_batch (median of {a.rounds}): {cedar_rate / 1e6:.3f} M field-decisions/s")
    print(f"cedarpy floor (same batch, trivial one-line policy): {floor_rate / 1e6:.3f} M field-decisions/s")
    print(f"ratio ConsentGate / Cedar: {swift_rate / cedar_rate:.1f}x")
    sys.exit(1 if disagreements or errors else 0)


if __name__ == "__main__":
    main()
