#!/usr/bin/env python3
"""Validate the janitorial corpus and print the counts used in README.md."""
import csv, json, re, sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
INTENTS = {"place_order", "check_stock", "request_quote", "check_encours",
           "quote_status", "accept_quote", "order_status", "none"}
LINELESS = {"check_encours", "quote_status", "accept_quote", "order_status", "none"}
REF = re.compile(r"^[DC]-\d{4}-\d{4}$")
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
        first = f.readline().rstrip("\r\n")
        if first != HEADERS[name]:
            err(f"{name}: bad header {first!r}")
        f.seek(0)
        return list(csv.DictReader(f))

catalog = read_csv("catalog.csv")
stock = read_csv("stock.csv")
customers = read_csv("customers.csv")
contacts = read_csv("contacts.csv")
skus = {r["sku"] for r in catalog}
if len(skus) != len(catalog):
    err("duplicate sku in catalog")
if {r["sku"] for r in stock} != skus or len(stock) != len(catalog):
    err("stock.csv does not cover every product exactly once")
for r in catalog:
    if int(r["pack_size"]) < 1 or int(r["min_order_qty"]) < 1:
        err(f"catalog {r['sku']}: pack_size / min_order_qty")
    float(r["price_ht"]); float(r["vat_rate"])
cust_ids = {r["customer_id"] for r in customers}
for c in contacts:
    if c["role"] not in {"requester", "buyer", "approver", "sales_rep"}:
        err(f"contact {c['email']}: role {c['role']}")
    if (c["role"] == "sales_rep") != (c["customer_id"] == ""):
        err(f"contact {c['email']}: sales_rep iff empty customer_id")
    if c["customer_id"] and c["customer_id"] not in cust_ids:
        err(f"contact {c['email']}: unknown customer")
emails = {c["email"] for c in contacts}
slack_ok = {c["email"] for c in contacts if c["slack_user_id"]}

msgs, ids = [], set()
for n, line in enumerate(open(HERE / "messages.jsonl", encoding="utf-8"), 1):
    try:
        m = json.loads(line)
    except json.JSONDecodeError as e:
        err(f"line {n}: {e}"); continue
    msgs.append(m)
    mid = m.get("id")
    if mid in ids:
        err(f"{mid}: duplicate id")
    ids.add(mid)
    for k in ("id", "lang", "channel", "from", "subject", "text", "expected", "difficulty", "note"):
        if k not in m:
            err(f"{mid}: missing {k}")
    if m["lang"] not in ("fr", "en"): err(f"{mid}: lang")
    if m["channel"] not in ("email", "slack"): err(f"{mid}: channel")
    if m["difficulty"] not in ("easy", "medium", "hard"): err(f"{mid}: difficulty")
    if m["channel"] == "slack" and m["subject"] != "": err(f"{mid}: slack with subject")
    e = m["expected"]
    if set(e) - {"intent", "lines", "ref", "clarify", "alt"}: err(f"{mid}: extra keys in expected")
    if e["intent"] not in INTENTS: err(f"{mid}: intent {e['intent']}")
    if not isinstance(e["clarify"], bool): err(f"{mid}: clarify not bool")
    if e["ref"] is not None and not REF.match(e["ref"]): err(f"{mid}: ref {e['ref']}")
    if e["ref"] and e["ref"] not in (m["subject"] + "\n" + m["text"]): err(f"{mid}: ref not in message")
    if e["intent"] in LINELESS and e["lines"]: err(f"{mid}: lines must be empty for {e['intent']}")
    seen = set()
    for l in e["lines"]:
        if l["sku"] not in skus: err(f"{mid}: unknown sku {l['sku']}")
        if l["sku"] in seen: err(f"{mid}: sku listed twice {l['sku']}")
        seen.add(l["sku"])
        q = l["qty"]
        if q is not None and (not isinstance(q, int) or isinstance(q, bool) or q <= 0):
            err(f"{mid}: bad qty {q}")
        if q is None and not e["clarify"] and e["intent"] != "check_stock":
            err(f"{mid}: null qty without clarify")
    for a in e.get("alt", []):
        if set(a) - {"intent", "lines", "ref", "clarify"}: err(f"{mid}: bad alt {a}")
    note = m["note"]
    tagged = note.startswith("[prospect]") or note.startswith("[unknown sender]")
    if m["from"] not in emails and not tagged: err(f"{mid}: sender {m['from']} not in contacts")
    if m["from"] in emails and tagged: err(f"{mid}: tagged note but known sender")
    if note.startswith("[unknown sender]") and e["intent"] != "none": err(f"{mid}: unknown sender must be none")
    if m["channel"] == "slack" and m["from"] not in slack_ok: err(f"{mid}: slack sender without slack id")

def show(title, counter):
    print(f"{title}: " + ", ".join(f"{k} {v}" for k, v in counter.most_common()))

print(f"products {len(catalog)}, categories {len({r['category'] for r in catalog})}, "
      f"customers {len(customers)}, contacts {len(contacts)}, messages {len(msgs)}")
show("category", Counter(r["category"] for r in catalog))
show("intent", Counter(m["expected"]["intent"] for m in msgs))
show("lang", Counter(m["lang"] for m in msgs))
show("channel", Counter(m["channel"] for m in msgs))
show("difficulty", Counter(m["difficulty"] for m in msgs))
show("clarify", Counter(str(m["expected"]["clarify"]).lower() for m in msgs))
show("ref", Counter(("quote D-" if m["expected"]["ref"].startswith("D") else "order C-") if m["expected"]["ref"] else "null" for m in msgs))
print("alt:", sum(1 for m in msgs if "alt" in m["expected"]),
      "| prospects:", sum(m["note"].startswith("[prospect]") for m in msgs),
      "| unknown senders:", sum(m["note"].startswith("[unknown sender]") for m in msgs),
      "| hard negatives:", sum("hard negative" in m["note"] for m in msgs))
print()
print("| intent | total | fr | en | slack | clarify=true |")
print("|---|---|---|---|---|---|")
ic = Counter(m["expected"]["intent"] for m in msgs)
for it, n in ic.most_common():
    sub = [m for m in msgs if m["expected"]["intent"] == it]
    print(f"| {it} | {n} | {sum(m['lang']=='fr' for m in sub)} | {sum(m['lang']=='en' for m in sub)} | "
          f"{sum(m['channel']=='slack' for m in sub)} | {sum(m['expected']['clarify'] for m in sub)} |")
if errors:
    print("\nERRORS:"); [print(" -", e) for e in errors]
    sys.exit(1)
print("\nOK: no problems found")
