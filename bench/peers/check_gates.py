#!/usr/bin/env python3
"""The peer `warroom check` is measured against: what a user writes by hand (stdlib only).

One Prometheus instant query per gate, in turn, as a hand-written deployment-gate script does;
each value is compared with the gate's thresholds; exit 0 GO, 1 WARN, 2 NO-GO (a query that
fails or returns no single value counts as NO-GO, fail closed).

    check_gates.py --prometheus http://127.0.0.1:9090 --gates gates.json

gates.json: [{"id": "p99", "query": "...", "go": "<= 0.5", "warn": "<= 2"}, ...]
"""
import argparse
import json
import math
import sys
import urllib.parse
import urllib.request

OPS = {
    "<=": lambda a, b: a <= b,
    ">=": lambda a, b: a >= b,
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b,
    ">": lambda a, b: a > b,
}


def holds(threshold, value):
    op, _, bound = threshold.strip().partition(" ")
    return not math.isnan(value) and OPS[op](value, float(bound))


def query(base, expr, timeout):
    url = base.rstrip("/") + "/api/v1/query?" + urllib.parse.urlencode({"query": expr})
    with urllib.request.urlopen(url, timeout=timeout) as resp:
        body = json.load(resp)
    data = body.get("data") or {}
    result = data.get("result")
    if data.get("resultType") == "scalar":
        return float(result[1])
    if data.get("resultType") == "vector" and isinstance(result, list) and len(result) == 1:
        return float(result[0]["value"][1])
    raise ValueError("%d series" % len(result) if isinstance(result, list) else "unexpected result")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--prometheus", required=True)
    ap.add_argument("--gates", required=True)
    ap.add_argument("--timeout", type=float, default=5.0)
    args = ap.parse_args()
    with open(args.gates) as f:
        gates = json.load(f)
    worst = 0
    for g in gates:
        try:
            value = query(args.prometheus, g["query"], args.timeout)
        except Exception as e:  # any failure of one gate is that gate's NO-GO
            print("[UNKNOWN] %s: %s" % (g["id"], e))
            worst = 2
            continue
        if holds(g["go"], value):
            status, code = "PASS", 0
        elif g.get("warn") and holds(g["warn"], value):
            status, code = "WARN", 1
        else:
            status, code = "FAIL", 2
        worst = max(worst, code)
        print("[%s] %s %g" % (status, g["id"], value))
    print("Overall: %s" % ("GO", "WARN", "NO-GO")[worst])
    return worst


if __name__ == "__main__":
    sys.exit(main())
