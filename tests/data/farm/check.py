#!/usr/bin/env python3
"""Validate the farm corpus (messages.jsonl against catalog.csv / stock.csv / customers.csv /
contacts.csv) and print the counts. Python 3, standard library only; run from any directory."""
import csv
import json
import re
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
PREFIX = "agr"
N_MESSAGES = 120
N_PRODUCTS = 80
INTENTS = {"place_order", "check_stock", "request_quote", "check_encours",
           "quote_status", "accept_quote", "order_status", "none"}
LINELESS = {"check_encours", "quote_status", "accept_quote", "order_status", "none"}
QTY_INTENTS = {"place_order", "request_quote"}
REF_RE = re.compile(r"^[DC]-\d{4}-\d{4}$")
# our quotes are D-2026-07xx, our orders C-2026-90xx
OWN_REF_RE = re.compile(r"^(D-2026-07\d{2}|C-2026-90\d{2})$")
ANY_REF_RE = re.compile(r"\b[DC]-20\d{2}-\d{4}\b")
SLACK_RE = re.compile(r"^U[0-9A-Z]{8}$")
DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
HEADERS = {
    "catalog.csv": "sku,name,category,unit,pack_size,price_ht,vat_rate,aliases,preorderable,min_order_qty",
    "stock.csv": "sku,on_hand,incoming_qty,incoming_date,alert_threshold,safety_stock",
    "customers.csv": "customer_id,name,segment,country,vat_number,payment_terms_days,credit_limit,approval_threshold_ht",
    "contacts.csv": "email,name,customer_id,role,slack_user_id,language",
}
EU = {"AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "GR", "HR", "HU", "IE", "IT", "LT",
      "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"}

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


# ---------------------------------------------------------------- catalogue
cat_rows = read_csv("catalog.csv")
catalog = {r["sku"]: r for r in cat_rows}
if len(catalog) != len(cat_rows):
    err("catalog.csv: duplicate SKU")
if len(catalog) != N_PRODUCTS:
    err(f"catalog has {len(catalog)} products, {N_PRODUCTS} expected")
categories = Counter(r["category"] for r in cat_rows)
if not 8 <= len(categories) <= 12:
    err(f"catalog has {len(categories)} categories")
for sku, r in catalog.items():
    try:
        if int(r["pack_size"]) < 1 or float(r["price_ht"]) <= 0:
            err(f"catalog {sku}: bad pack_size/price")
        if not re.match(r"^\d+\.\d{2}$", r["price_ht"]):
            err(f"catalog {sku}: price_ht must have 2 decimals")
        if int(r["min_order_qty"]) < 1:
            err(f"catalog {sku}: bad min_order_qty")
    except ValueError:
        err(f"catalog {sku}: non-numeric field")
    if r["vat_rate"] not in {"20", "10", "5.5"}:
        err(f"catalog {sku}: bad vat_rate {r['vat_rate']}")
    if r["preorderable"] not in {"0", "1"}:
        err(f"catalog {sku}: preorderable must be 0/1")
    if not r["unit"].strip():
        err(f"catalog {sku}: empty unit")
    aliases = [a for a in r["aliases"].split("|") if a.strip()]
    if not 3 <= len(aliases) <= 7:
        err(f"catalog {sku}: {len(aliases)} aliases (3-7 expected)")
if len({r["pack_size"] for r in cat_rows}) < 4:
    err("pack_size hardly varies")
if not 1 <= sum(r["min_order_qty"] != "1" for r in cat_rows) <= 10:
    err("expected a few products with min_order_qty > 1")

# ---------------------------------------------------------------- stock
stock = read_csv("stock.csv")
if {r["sku"] for r in stock} != set(catalog) or len(stock) != len(catalog):
    err("stock.csv does not cover exactly the catalogue")
out_of_stock = low = 0
for r in stock:
    if not all(r[k].isdigit() for k in ("on_hand", "incoming_qty", "alert_threshold", "safety_stock")):
        err(f"stock {r['sku']}: non-integer quantity")
        continue
    m = DATE_RE.match(r["incoming_date"])
    if (int(r["incoming_qty"]) > 0) != bool(m):
        err(f"stock {r['sku']}: incoming quantity and date disagree")
    if m and not ("2026-11" <= r["incoming_date"][:7] <= "2027-02"):
        err(f"stock {r['sku']}: incoming date {r['incoming_date']} outside Nov 2026 - Feb 2027")
    if int(r["on_hand"]) == 0:
        out_of_stock += 1
    elif int(r["on_hand"]) <= int(r["alert_threshold"]):
        low += 1
if out_of_stock < 2 or low < 2:
    err(f"expected a few out-of-stock ({out_of_stock}) and low ({low}) products")

# ---------------------------------------------------------------- customers / contacts
customers = {r["customer_id"]: r for r in read_csv("customers.csv")}
if not 6 <= len(customers) <= 8:
    err(f"{len(customers)} customers")
countries = Counter(c["country"] for c in customers.values())
if countries["FR"] < len(customers) - 3 or not any(k in EU for k in countries) \
        or not any(k not in EU and k != "FR" for k in countries):
    err(f"customer countries {dict(countries)}: need mostly FR, one other EU, one non-EU")
for c in customers.values():
    if c["approval_threshold_ht"] and not c["approval_threshold_ht"].isdigit():
        err(f"customer {c['customer_id']}: bad approval threshold")
contacts = {r["email"]: r for r in read_csv("contacts.csv")}
if sum(c["role"] == "sales_rep" for c in contacts.values()) != 2:
    err("expected exactly 2 sales reps")
per_customer = Counter(c["customer_id"] for c in contacts.values() if c["role"] != "sales_rep")
for c in contacts.values():
    if c["role"] == "sales_rep":
        if c["customer_id"]:
            err(f"sales rep {c['email']} has a customer_id")
    elif c["customer_id"] not in customers:
        err(f"contact {c['email']} has unknown customer {c['customer_id']}")
    if c["role"] not in {"requester", "buyer", "approver", "sales_rep"}:
        err(f"contact {c['email']}: bad role {c['role']}")
    if c["language"] not in {"fr", "en"}:
        err(f"contact {c['email']}: bad language")
    if c["slack_user_id"] and not SLACK_RE.match(c["slack_user_id"]):
        err(f"contact {c['email']}: bad Slack id {c['slack_user_id']}")
for cid in customers:
    if not 2 <= per_customer[cid] <= 4:
        err(f"customer {cid} has {per_customer[cid]} contacts (2-4 expected)")
slack_ids = [c["slack_user_id"] for c in contacts.values() if c["slack_user_id"]]
if len(slack_ids) != len(set(slack_ids)):
    err("duplicate Slack id")

# ---------------------------------------------------------------- messages
msgs = []
for n, raw in enumerate((HERE / "messages.jsonl").read_text(encoding="utf-8").splitlines(), 1):
    try:
        msgs.append(json.loads(raw))
    except json.JSONDecodeError as e:
        err(f"line {n}: {e}")
if len(msgs) != N_MESSAGES:
    err(f"{len(msgs)} messages, {N_MESSAGES} expected")

ids = Counter(m.get("id") for m in msgs)
for i, c in ids.items():
    if c > 1:
        err(f"duplicate id {i}")
expected_ids = [f"{PREFIX}{i:03d}" for i in range(1, N_MESSAGES + 1)]
if sorted(ids) != expected_ids:
    err(f"ids are not exactly {PREFIX}001..{PREFIX}{N_MESSAGES:03d}")


def check_expected(mid, exp, where, intent_for_lines):
    intent = exp.get("intent")
    if intent is not None and intent not in INTENTS:
        err(f"{mid} {where}: bad intent {intent}")
    if "clarify" in exp and not isinstance(exp["clarify"], bool):
        err(f"{mid} {where}: clarify not bool")
    if "ref" in exp and exp["ref"] is not None and not REF_RE.match(exp["ref"]):
        err(f"{mid} {where}: bad ref {exp['ref']}")
    elif "ref" in exp and exp["ref"] is not None and not OWN_REF_RE.match(exp["ref"]):
        err(f"{mid} {where}: ref {exp['ref']} is not one of our D-2026-07xx / C-2026-90xx numbers")
    if "lines" in exp:
        if not isinstance(exp["lines"], list):
            err(f"{mid} {where}: lines not a list")
            return
        skus = [l.get("sku") for l in exp["lines"]]
        if len(skus) != len(set(skus)):
            err(f"{mid} {where}: duplicate sku in lines")
        for l in exp["lines"]:
            if set(l) != {"sku", "qty"}:
                err(f"{mid} {where}: line keys {sorted(l)}")
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
    if set(m) - {"id", "lang", "channel", "from", "subject", "text", "expected", "difficulty", "note"}:
        err(f"{mid}: unexpected keys")
    if not re.match(rf"^{PREFIX}\d{{3}}$", mid or ""):
        err(f"{mid}: bad id")
    if m.get("lang") not in {"fr", "en"}:
        err(f"{mid}: bad lang")
    if m.get("channel") not in {"email", "slack"}:
        err(f"{mid}: bad channel")
    if m.get("difficulty") not in {"easy", "medium", "hard"}:
        err(f"{mid}: bad difficulty")
    if not m.get("text", "").strip():
        err(f"{mid}: empty text")
    exp = m["expected"]
    for k in ("intent", "lines", "ref", "clarify"):
        if k not in exp:
            err(f"{mid}: expected lacks {k}")
    if set(exp) - {"intent", "lines", "ref", "clarify", "alt"}:
        err(f"{mid}: unexpected keys in expected")
    check_expected(mid, exp, "expected", exp["intent"])
    if exp["intent"] in LINELESS and exp["lines"]:
        err(f"{mid}: lines must be empty for {exp['intent']}")
    if exp["intent"] in QTY_INTENTS and any(l["qty"] is None for l in exp["lines"]) and not exp["clarify"]:
        err(f"{mid}: qty null in an order/quote requires clarify true")
    if exp["intent"] in QTY_INTENTS:
        for l in exp["lines"]:
            if l["qty"] is not None and l["sku"] in catalog and l["qty"] < int(catalog[l["sku"]]["min_order_qty"]) \
                    and not exp["clarify"]:
                err(f"{mid}: {l['sku']} below min_order_qty without clarify")
    if exp["intent"] in {"place_order", "request_quote"} and not exp["lines"] and not exp["clarify"]:
        err(f"{mid}: order/quote with no certain line must be clarify true")
    if exp["intent"] in {"none", "check_encours", "order_status"} and exp["clarify"]:
        err(f"{mid}: clarify true on {exp['intent']}")
    for j, alt in enumerate(exp.get("alt", [])):
        if not alt or set(alt) - {"intent", "lines", "ref", "clarify"}:
            err(f"{mid} alt[{j}]: bad keys")
        check_expected(mid, alt, f"alt[{j}]", alt.get("intent", exp["intent"]))
        eff_intent = alt.get("intent", exp["intent"])
        eff_lines = alt.get("lines", exp["lines"])
        if eff_intent in LINELESS and eff_lines:
            err(f"{mid} alt[{j}]: lines must be empty for a line-less intent")
    note = m.get("note", "")
    if not note.strip():
        err(f"{mid}: empty note")
    if m["channel"] == "slack" and m["subject"]:
        err(f"{mid}: slack message with a subject")
    if m["channel"] == "email" and not m["subject"].strip():
        err(f"{mid}: email without subject")
    if note.startswith("[unknown sender]"):
        if exp["intent"] != "none" or exp["lines"]:
            err(f"{mid}: unknown sender must be none")
        if m["from"] in contacts:
            err(f"{mid}: unknown sender is a known contact")
        if m["channel"] != "email":
            err(f"{mid}: unknown sender on Slack")
    elif note.startswith("[prospect]"):
        if m["from"] in contacts:
            err(f"{mid}: prospect is a known contact")
        if m["channel"] != "email":
            err(f"{mid}: prospect on Slack")
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

readme = HERE / "README.md"
if not readme.exists():
    err("README.md missing")
elif re.search(r"(^|[\s(`'\"])/(work|tmp|home|root|Users)/", readme.read_text(encoding="utf-8")):
    err("README.md contains an absolute path of a machine")

if errors:
    print("\n".join(errors))
    print(f"{len(errors)} problem(s)")
    sys.exit(1)


def table(title, counter):
    print(f"{title}: " + ", ".join(f"{k} {v}" for k, v in counter.most_common()))


exps = [m["expected"] for m in msgs]
print(f"{len(msgs)} messages, {len(catalog)} products in {len(categories)} categories, "
      f"{len(customers)} customers, {len(contacts)} contacts "
      f"({out_of_stock} products out of stock, {low} low)\n")
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
