#!/usr/bin/env python3
"""Validate the plumbing corpus (catalog/stock/customers/contacts/messages) and print its counts.

Usage: python3 check.py            (run from anywhere; exits 1 on any error)
"""
import csv
import json
import re
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
HEADERS = {
    "catalog.csv": "sku,name,category,unit,pack_size,price_ht,vat_rate,aliases,preorderable,min_order_qty",
    "stock.csv": "sku,on_hand,incoming_qty,incoming_date,alert_threshold,safety_stock",
    "customers.csv": "customer_id,name,segment,country,vat_number,payment_terms_days,credit_limit,approval_threshold_ht",
    "contacts.csv": "email,name,customer_id,role,slack_user_id,language",
}
INTENTS = {"place_order", "check_stock", "request_quote", "check_encours",
           "quote_status", "accept_quote", "order_status", "none"}
LINELESS = {"check_encours", "quote_status", "accept_quote", "order_status", "none"}
REF_RE = re.compile(r"^[DC]-\d{4}-\d{4}$")
REF_IN_TEXT = re.compile(r"(?<![A-Za-z0-9-])[DC]-\d{4}-\d{4}(?!\d)")
KEYS = {"id", "lang", "channel", "from", "subject", "text", "expected", "difficulty", "note"}

errors = []


def err(msg):
    errors.append(msg)


def read_csv(name):
    path = HERE / name
    with open(path, encoding="utf-8", newline="") as f:
        text = f.read()
    first = text.split("\n", 1)[0]
    if first != HEADERS[name]:
        err(f"{name}: header is {first!r}")
    return list(csv.DictReader(text.splitlines()))


catalog = read_csv("catalog.csv")
stock = read_csv("stock.csv")
customers = read_csv("customers.csv")
contacts = read_csv("contacts.csv")

skus = [r["sku"] for r in catalog]
sku_set = set(skus)
if len(skus) != len(sku_set):
    err("catalog: duplicate sku")
if not 70 <= len(skus) <= 80:
    err(f"catalog: {len(skus)} products (want 70-80)")
for r in catalog:
    try:
        assert int(r["pack_size"]) >= 1 and int(r["min_order_qty"]) >= 1
        float(r["price_ht"])
        assert r["vat_rate"] in {"20", "5.5"}
        assert r["preorderable"] in {"0", "1"}
        assert r["aliases"] and all(a.strip() for a in r["aliases"].split("|"))
    except (AssertionError, ValueError):
        err(f"catalog: bad row {r['sku']}")
if {r["sku"] for r in stock} != sku_set or len(stock) != len(skus):
    err("stock: must have exactly one row per catalog sku")
for r in stock:
    if r["incoming_date"] and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", r["incoming_date"]):
        err(f"stock: bad date {r['sku']}")
    if (int(r["incoming_qty"]) > 0) != bool(r["incoming_date"]):
        err(f"stock: incoming_qty/date mismatch {r['sku']}")
cust_ids = {r["customer_id"] for r in customers}
for r in contacts:
    if r["role"] == "sales_rep":
        if r["customer_id"]:
            err(f"contacts: sales rep with customer_id {r['email']}")
    elif r["role"] not in {"requester", "buyer", "approver"} or r["customer_id"] not in cust_ids:
        err(f"contacts: bad role/customer {r['email']}")
senders = {r["email"] for r in contacts} | {r["slack_user_id"] for r in contacts if r["slack_user_id"]}
slack_emails = {r["email"] for r in contacts if r["slack_user_id"]}

msgs = []
with open(HERE / "messages.jsonl", encoding="utf-8") as f:
    for n, line in enumerate(f, 1):
        try:
            msgs.append(json.loads(line))
        except json.JSONDecodeError as e:
            err(f"messages.jsonl line {n}: {e}")

ids = [m.get("id") for m in msgs]
if len(ids) != len(set(ids)):
    err("messages: duplicate ids")
for m in msgs:
    mid = m.get("id")
    if set(m) != KEYS:
        err(f"{mid}: keys {sorted(set(m) ^ KEYS)}")
        continue
    e = m["expected"]
    if m["lang"] not in {"fr", "en"} or m["channel"] not in {"email", "slack"} \
            or m["difficulty"] not in {"easy", "medium", "hard"}:
        err(f"{mid}: bad lang/channel/difficulty")
    if not set(e) <= {"intent", "lines", "ref", "clarify", "alt"} or not {"intent", "lines", "ref", "clarify"} <= set(e):
        err(f"{mid}: expected keys {sorted(e)}")
    if e["intent"] not in INTENTS:
        err(f"{mid}: intent {e['intent']}")
    if not isinstance(e["clarify"], bool):
        err(f"{mid}: clarify not bool")
    if e["ref"] is not None and not REF_RE.match(e["ref"]):
        err(f"{mid}: ref {e['ref']}")
    whole = m["subject"] + "\n" + m["text"]
    found = set(REF_IN_TEXT.findall(whole))
    if e["ref"] is not None and e["ref"] not in found:
        err(f"{mid}: ref {e['ref']} not in text")
    if e["ref"] is None and found:
        err(f"{mid}: text names {found} but ref is null")
    if e["intent"] in LINELESS and e["lines"]:
        err(f"{mid}: lines must be empty for {e['intent']}")
    seen = set()
    for ln in e["lines"]:
        if set(ln) != {"sku", "qty"}:
            err(f"{mid}: line keys {ln}")
        if ln["sku"] not in sku_set:
            err(f"{mid}: unknown sku {ln['sku']}")
        if ln["sku"] in seen:
            err(f"{mid}: sku listed twice {ln['sku']}")
        seen.add(ln["sku"])
        q = ln["qty"]
        if q is not None and (not isinstance(q, int) or isinstance(q, bool) or q <= 0):
            err(f"{mid}: bad qty {q}")
        if q is None and not e["clarify"] and e["intent"] != "check_stock":
            err(f"{mid}: qty null on an order/quote without clarify")
    for a in e.get("alt", []):
        if not a or not set(a) <= {"intent", "lines", "ref", "clarify"}:
            err(f"{mid}: bad alt {a}")
        for ln in a.get("lines", []):
            if ln["sku"] not in sku_set:
                err(f"{mid}: alt unknown sku {ln['sku']}")
    note = m["note"]
    if note.startswith("[unknown sender]"):
        if e["intent"] != "none":
            err(f"{mid}: unknown sender must be none")
    elif note.startswith("[prospect]"):
        if m["from"] in senders:
            err(f"{mid}: prospect sender is a contact")
    else:
        if m["from"] not in senders:
            err(f"{mid}: sender {m['from']} not in contacts.csv")
        if m["channel"] == "slack" and m["from"] not in slack_emails and not m["from"].startswith("U"):
            err(f"{mid}: slack message from a contact without a Slack id")
    if m["channel"] == "slack" and m["subject"]:
        err(f"{mid}: slack message with a subject")
    if m["from"] in senders and (note.startswith("[prospect]") or note.startswith("[unknown sender]")):
        err(f"{mid}: tagged outsider but sender is a contact")

# ---------------------------------------------------------------- counts
C = Counter
intent = C(m["expected"]["intent"] for m in msgs)
order = ["place_order", "check_stock", "request_quote", "none", "check_encours",
         "order_status", "accept_quote", "quote_status"]


def line(title, c, keys=None):
    keys = keys or [k for k, _ in c.most_common()]
    print(f"- {title}: " + ", ".join(f"{k} {c[k]}" for k in keys))


print(f"messages: {len(msgs)}; products: {len(skus)}; categories: {len(set(r['category'] for r in catalog))}; "
      f"customers: {len(customers)}; contacts: {len(contacts)}")
line("intent", intent, order)
line("lang", C(m["lang"] for m in msgs), ["fr", "en"])
line("channel", C(m["channel"] for m in msgs), ["email", "slack"])
line("difficulty", C(m["difficulty"] for m in msgs), ["easy", "medium", "hard"])
line("clarify", C(str(m["expected"]["clarify"]).lower() for m in msgs), ["true", "false"])
refs = C(("quote D-" if m["expected"]["ref"].startswith("D") else "order C-") if m["expected"]["ref"] else "null"
         for m in msgs)
line("ref", refs, ["null", "quote D-", "order C-"])
print(f"- messages with alt: {sum('alt' in m['expected'] for m in msgs)}; "
      f"prospects: {sum(m['note'].startswith('[prospect]') for m in msgs)}; "
      f"unknown senders: {sum(m['note'].startswith('[unknown sender]') for m in msgs)}; "
      f"lines: {sum(len(m['expected']['lines']) for m in msgs)} "
      f"(qty null: {sum(l['qty'] is None for m in msgs for l in m['expected']['lines'])})")
print()
print("| intent | total | fr | en | slack | clarify=true | easy | medium | hard |")
print("|---|---|---|---|---|---|---|---|---|")
for k in order:
    sub = [m for m in msgs if m["expected"]["intent"] == k]
    cl = C(m["lang"] for m in sub)
    ch = C(m["channel"] for m in sub)
    d = C(m["difficulty"] for m in sub)
    print(f"| {k} | {len(sub)} | {cl['fr']} | {cl['en']} | {ch['slack']} | "
          f"{sum(m['expected']['clarify'] is True for m in sub)} | {d['easy']} | {d['medium']} | {d['hard']} |")
print(f"| **total** | **{len(msgs)}** | {C(m['lang'] for m in msgs)['fr']} | {C(m['lang'] for m in msgs)['en']} | "
      f"{C(m['channel'] for m in msgs)['slack']} | {sum(m['expected']['clarify'] is True for m in msgs)} | "
      f"{C(m['difficulty'] for m in msgs)['easy']} | {C(m['difficulty'] for m in msgs)['medium']} | "
      f"{C(m['difficulty'] for m in msgs)['hard']} |")

if errors:
    print(f"\n{len(errors)} error(s):", file=sys.stderr)
    for x in errors:
        print("  " + x, file=sys.stderr)
    sys.exit(1)
print("\nOK")
