#!/usr/bin/env python3
"""Validate the HVAC corpus (messages.jsonl against catalog.csv / stock.csv / customers.csv / contacts.csv) and print the counts.

Run from anywhere: python3 check.py (it reads the files next to it). Exit code 1 and a list of problems on failure.
"""
import csv
import json
import re
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ID_PREFIX = "hvc"
N_MESSAGES = 160
CATALOG_SIZE = (70, 80)
CUSTOMERS = (8, 12)
VAT_RATES = {"20", "5.5"}
MAX_ALT = 11
INTENTS = {"place_order", "check_stock", "request_quote", "check_encours",
           "quote_status", "accept_quote", "order_status", "none"}
LINELESS = {"check_encours", "quote_status", "accept_quote", "order_status", "none"}
REF_RE = re.compile(r"^[DC]-\d{4}-\d{4}$")
ANY_REF_RE = re.compile(r"\b[DC]-20\d{2}-\d{4}\b")
HEADERS = {
    "catalog.csv": "sku,name,category,unit,pack_size,price_ht,vat_rate,aliases,preorderable,min_order_qty",
    "stock.csv": "sku,on_hand,incoming_qty,incoming_date,alert_threshold,safety_stock",
    "customers.csv": "customer_id,name,segment,country,vat_number,payment_terms_days,credit_limit,approval_threshold_ht",
    "contacts.csv": "email,name,customer_id,role,slack_user_id,language",
}

errors = []


def err(msg):
    errors.append(msg)


def read_csv(name):
    with open(HERE / name, encoding="utf-8", newline="") as f:
        head = f.readline().strip()
        if head != HEADERS[name]:
            err(f"{name}: header is {head!r}")
        f.seek(0)
        return list(csv.DictReader(f))


catalog = {r["sku"]: r for r in read_csv("catalog.csv")}
stock = read_csv("stock.csv")
customers = {r["customer_id"]: r for r in read_csv("customers.csv")}
contacts = {r["email"]: r for r in read_csv("contacts.csv")}

if not CATALOG_SIZE[0] <= len(catalog) <= CATALOG_SIZE[1]:
    err(f"catalog has {len(catalog)} products")
for sku, r in catalog.items():
    if int(r["pack_size"]) < 1 or float(r["price_ht"]) <= 0 or r["vat_rate"] not in VAT_RATES:
        err(f"catalog {sku}: bad pack_size/price/vat")
    if int(r["min_order_qty"]) < 1 or r["preorderable"] not in {"0", "1"}:
        err(f"catalog {sku}: bad min_order_qty/preorderable")
    if not r["aliases"] or any(not a.strip() for a in r["aliases"].split("|")):
        err(f"catalog {sku}: empty alias")
if {r["sku"] for r in stock} != set(catalog) or len(stock) != len(catalog):
    err("stock.csv does not cover exactly the catalogue")
for r in stock:
    if r["incoming_date"] and not re.match(r"^\d{4}-\d{2}-\d{2}$", r["incoming_date"]):
        err(f"stock {r['sku']}: bad incoming_date")
    if (int(r["incoming_qty"]) > 0) != bool(r["incoming_date"]):
        err(f"stock {r['sku']}: incoming_qty and incoming_date disagree")
if not CUSTOMERS[0] <= len(customers) <= CUSTOMERS[1]:
    err(f"{len(customers)} customers")
for c in contacts.values():
    if c["role"] == "sales_rep":
        if c["customer_id"]:
            err(f"sales rep {c['email']} has a customer_id")
    elif c["customer_id"] not in customers:
        err(f"contact {c['email']} has unknown customer {c['customer_id']}")

msgs = []
for n, raw in enumerate((HERE / "messages.jsonl").read_text(encoding="utf-8").splitlines(), 1):
    try:
        msgs.append(json.loads(raw))
    except json.JSONDecodeError as e:
        err(f"line {n}: {e}")

ids = Counter(m.get("id") for m in msgs)
for i, c in ids.items():
    if c > 1:
        err(f"duplicate id {i}")


def check_expected(mid, exp, where):
    intent = exp.get("intent")
    if intent is not None and intent not in INTENTS:
        err(f"{mid} {where}: bad intent {intent}")
    if "clarify" in exp and not isinstance(exp["clarify"], bool):
        err(f"{mid} {where}: clarify not bool")
    if "ref" in exp and exp["ref"] is not None and not REF_RE.match(exp["ref"]):
        err(f"{mid} {where}: bad ref {exp['ref']}")
    if "lines" in exp:
        skus = [l.get("sku") for l in exp["lines"]]
        if len(skus) != len(set(skus)):
            err(f"{mid} {where}: duplicate sku in lines")
        for l in exp["lines"]:
            if l.get("sku") not in catalog:
                err(f"{mid} {where}: unknown sku {l.get('sku')}")
            q = l.get("qty")
            if q is not None and (not isinstance(q, int) or isinstance(q, bool) or q <= 0):
                err(f"{mid} {where}: bad qty {q}")


for m in msgs:
    mid = m.get("id")
    for k in ("id", "lang", "channel", "from", "subject", "text", "expected", "difficulty", "note"):
        if k not in m:
            err(f"{mid}: missing {k}")
    if not re.match(rf"^{ID_PREFIX}\d{{3}}$", mid or ""):
        err(f"{mid}: bad id")
    if m.get("lang") not in {"fr", "en"}:
        err(f"{mid}: bad lang")
    if m.get("channel") not in {"email", "slack"}:
        err(f"{mid}: bad channel")
    if m.get("difficulty") not in {"easy", "medium", "hard"}:
        err(f"{mid}: bad difficulty")
    exp = m["expected"]
    for k in ("intent", "lines", "ref", "clarify"):
        if k not in exp:
            err(f"{mid}: expected lacks {k}")
    check_expected(mid, exp, "expected")
    if exp["intent"] in LINELESS and exp["lines"]:
        err(f"{mid}: lines must be empty for {exp['intent']}")
    for j, alt in enumerate(exp.get("alt", [])):
        check_expected(mid, alt, f"alt[{j}]")
        eff_intent = alt.get("intent", exp["intent"])
        eff_lines = alt.get("lines", exp["lines"])
        if eff_intent in LINELESS and eff_lines:
            err(f"{mid} alt[{j}]: lines must be empty for a line-less intent")
    if "alt" in exp and not exp["alt"]:
        err(f"{mid}: empty alt")
    note = m.get("note", "")
    if m["channel"] == "slack" and m["subject"]:
        err(f"{mid}: slack message with a subject")
    if note.startswith("[unknown sender]"):
        if exp["intent"] != "none":
            err(f"{mid}: unknown sender must be none")
        if m["from"] in contacts:
            err(f"{mid}: unknown sender is a known contact")
    elif note.startswith("[prospect]"):
        if m["from"] in contacts:
            err(f"{mid}: prospect is a known contact")
    else:
        c = contacts.get(m["from"])
        if c is None:
            err(f"{mid}: sender {m['from']} not in contacts.csv")
        elif m["channel"] == "slack" and not c["slack_user_id"]:
            err(f"{mid}: {m['from']} has no Slack id")
    found = set(ANY_REF_RE.findall(m["subject"] + "\n" + m["text"]))
    if exp["ref"] is not None and exp["ref"] not in found:
        err(f"{mid}: ref {exp['ref']} not in message")
    if exp["ref"] is None and found:
        err(f"{mid}: message names {found} but ref is null")

if len(msgs) != N_MESSAGES:
    err(f"{len(msgs)} messages, expected {N_MESSAGES}")
if [m.get("id") for m in msgs] != [f"{ID_PREFIX}{n:03d}" for n in range(1, len(msgs) + 1)]:
    err("ids are not consecutive in file order")
if sum("alt" in m["expected"] for m in msgs) > MAX_ALT:
    err("too many messages with alt")

if errors:
    print("\n".join(errors))
    print(f"{len(errors)} problem(s)")
    sys.exit(1)


def table(title, counter):
    print(f"{title}: " + ", ".join(f"{k} {v}" for k, v in counter.most_common()))


exps = [m["expected"] for m in msgs]
print(f"{len(msgs)} messages, {len(catalog)} products, {len(customers)} customers, {len(contacts)} contacts\n")
table("intent", Counter(e["intent"] for e in exps))
table("lang", Counter(m["lang"] for m in msgs))
table("channel", Counter(m["channel"] for m in msgs))
table("difficulty", Counter(m["difficulty"] for m in msgs))
table("clarify", Counter(str(e["clarify"]).lower() for e in exps))
table("ref", Counter("null" if e["ref"] is None else ("quote D-" if e["ref"].startswith("D") else "order C-") for e in exps))
print(f"with alt: {sum('alt' in e for e in exps)}; prospects: {sum(m['note'].startswith('[prospect]') for m in msgs)}; "
      f"unknown senders: {sum(m['note'].startswith('[unknown sender]') for m in msgs)}; "
      f"hard negatives: {sum('hard negative' in m['note'] for m in msgs)}; "
      f"lines: {sum(len(e['lines']) for e in exps)}, of which qty null: {sum(l['qty'] is None for e in exps for l in e['lines'])}")
print()
print("| intent | total | fr | en | slack | clarify=true |")
print("|---|---|---|---|---|---|")
for intent, n in Counter(e["intent"] for e in exps).most_common():
    sub = [m for m in msgs if m["expected"]["intent"] == intent]
    print(f"| {intent} | {n} | {sum(m['lang'] == 'fr' for m in sub)} | {sum(m['lang'] == 'en' for m in sub)} | "
          f"{sum(m['channel'] == 'slack' for m in sub)} | {sum(m['expected']['clarify'] for m in sub)} |")
print("| **total** | %d | %d | %d | %d | %d |" % (len(msgs), sum(m['lang'] == 'fr' for m in msgs), sum(m['lang'] == 'en' for m in msgs),
                                          sum(m['channel'] == 'slack' for m in msgs), sum(e['clarify'] for e in exps)))
