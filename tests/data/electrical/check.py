"""Validate the electrical corpus and print the counts used in README.md.

Run: python3 check.py  (from any directory)
"""
import csv
import json
import os
import re
import sys
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
INTENTS = {"place_order", "check_stock", "request_quote", "check_encours",
           "quote_status", "accept_quote", "order_status", "none"}
LINELESS = {"check_encours", "quote_status", "accept_quote", "order_status", "none"}
REF_RE = re.compile(r"^[DC]-\d{4}-\d{4}$")
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
    path = os.path.join(HERE, name)
    with open(path, encoding="utf-8", newline="") as f:
        first = f.readline().rstrip("\r\n")
        if first != HEADERS[name]:
            err(f"{name}: header is {first!r}")
        f.seek(0)
        return list(csv.DictReader(f))


catalog = read_csv("catalog.csv")
stock = read_csv("stock.csv")
customers = read_csv("customers.csv")
contacts = read_csv("contacts.csv")

skus = {r["sku"]: r for r in catalog}
if len(skus) != len(catalog):
    err("catalog: duplicate sku")
for r in catalog:
    for k in ("pack_size", "min_order_qty", "preorderable"):
        if not r[k].isdigit():
            err(f"catalog {r['sku']}: {k}={r[k]!r}")
    float(r["price_ht"]); float(r["vat_rate"])
    if r["vat_rate"] not in ("20", "5.5"):
        err(f"catalog {r['sku']}: vat_rate {r['vat_rate']}")
if {r["sku"] for r in stock} != set(skus):
    err("stock.csv does not cover exactly the catalogue")
cust_ids = {r["customer_id"] for r in customers}
for c in contacts:
    if c["role"] == "sales_rep":
        if c["customer_id"]:
            err(f"sales rep {c['email']} has a customer_id")
    elif c["customer_id"] not in cust_ids:
        err(f"contact {c['email']}: unknown customer {c['customer_id']}")
    if c["role"] not in ("requester", "buyer", "approver", "sales_rep"):
        err(f"contact {c['email']}: role {c['role']}")
emails = {c["email"].lower(): c for c in contacts}

msgs = []
with open(os.path.join(HERE, "messages.jsonl"), encoding="utf-8") as f:
    for n, line in enumerate(f, 1):
        try:
            msgs.append(json.loads(line))
        except json.JSONDecodeError as e:
            err(f"messages.jsonl line {n}: {e}")

KEYS = {"id", "lang", "channel", "from", "subject", "text", "expected", "difficulty", "note"}
ids = Counter(m.get("id") for m in msgs)
for i, c in ids.items():
    if c > 1:
        err(f"duplicate id {i}")


def check_exp(mid, e, partial=False):
    if not partial or "intent" in e:
        if e.get("intent") not in INTENTS:
            err(f"{mid}: intent {e.get('intent')!r}")
    if not partial or "clarify" in e:
        if not isinstance(e.get("clarify"), bool):
            err(f"{mid}: clarify not bool")
    if not partial or "ref" in e:
        ref = e.get("ref")
        if ref is not None and not REF_RE.match(ref):
            err(f"{mid}: bad ref {ref!r}")
    if not partial or "lines" in e:
        lines = e.get("lines")
        if not isinstance(lines, list):
            err(f"{mid}: lines not a list")
            return
        seen = set()
        for ln in lines:
            if set(ln) != {"sku", "qty"}:
                err(f"{mid}: line keys {sorted(ln)}")
            if ln.get("sku") not in skus:
                err(f"{mid}: unknown sku {ln.get('sku')!r}")
            if ln.get("sku") in seen:
                err(f"{mid}: sku listed twice {ln.get('sku')}")
            seen.add(ln.get("sku"))
            q = ln.get("qty")
            if q is not None and (not isinstance(q, int) or isinstance(q, bool) or q <= 0):
                err(f"{mid}: bad qty {q!r}")


for m in msgs:
    mid = m.get("id")
    if set(m) != KEYS:
        err(f"{mid}: keys {sorted(set(m) ^ KEYS)}")
    if not re.match(r"^elec\d{3}$", mid or ""):
        err(f"{mid}: id format")
    if m.get("lang") not in ("fr", "en"):
        err(f"{mid}: lang")
    if m.get("channel") not in ("email", "slack"):
        err(f"{mid}: channel")
    if m.get("difficulty") not in ("easy", "medium", "hard"):
        err(f"{mid}: difficulty")
    e = m["expected"]
    if set(e) - {"intent", "lines", "ref", "clarify", "alt"}:
        err(f"{mid}: expected keys {sorted(e)}")
    check_exp(mid, e)
    if e["intent"] in LINELESS and e["lines"]:
        err(f"{mid}: lines must be empty for {e['intent']}")
    for a in e.get("alt", []):
        check_exp(mid + " alt", a, partial=True)
        if a.get("intent", e["intent"]) in LINELESS and a.get("lines", e["lines"] if "intent" not in a else []):
            err(f"{mid}: alt has lines for a line-less intent")
    note = m.get("note", "")
    outside = note.startswith("[prospect]") or note.startswith("[unknown sender]")
    frm = m.get("from", "").lower()
    if not outside:
        if frm not in emails:
            err(f"{mid}: from {frm} not in contacts.csv")
        elif m["channel"] == "slack" and not emails[frm]["slack_user_id"]:
            err(f"{mid}: slack message from a contact without slack_user_id")
    elif frm in emails:
        err(f"{mid}: tagged outside sender but {frm} is a contact")
    if note.startswith("[unknown sender]") and e["intent"] != "none":
        err(f"{mid}: unknown sender must be none")
    if m["channel"] == "email" and not m.get("subject"):
        err(f"{mid}: email without subject")

# ---------- counts
def fmt(c, order=None):
    keys = order or [k for k, _ in c.most_common()]
    return ", ".join(f"{k} {c[k]}" for k in keys)

ORDER = ["place_order", "check_stock", "request_quote", "none", "check_encours",
         "order_status", "accept_quote", "quote_status"]
ex = [m["expected"] for m in msgs]
print(f"messages: {len(msgs)}; products: {len(catalog)}; categories: {len({r['category'] for r in catalog})}; "
      f"customers: {len(customers)}; contacts: {len(contacts)}")
print("- intent:", fmt(Counter(e["intent"] for e in ex), ORDER))
print("- lang:", fmt(Counter(m["lang"] for m in msgs)))
print("- channel:", fmt(Counter(m["channel"] for m in msgs)))
print("- difficulty:", fmt(Counter(m["difficulty"] for m in msgs), ["easy", "medium", "hard"]))
print("- clarify:", fmt(Counter(str(e["clarify"]).lower() for e in ex)))
refs = Counter("null" if e["ref"] is None else ("quote D-" if e["ref"].startswith("D-") else "order C-") for e in ex)
print("- ref:", fmt(refs))
print("- messages with alt:", sum("alt" in e for e in ex))
print("- prospects [prospect]:", sum(m["note"].startswith("[prospect]") for m in msgs),
      "; spam / newsletters / auto-mails [unknown sender]:", sum(m["note"].startswith("[unknown sender]") for m in msgs))
print("- lines:", sum(len(e["lines"]) for e in ex), "; with qty null:",
      sum(1 for e in ex for ln in e["lines"] if ln["qty"] is None))
print()
print("| intent | total | fr | en | slack | clarify=true | easy | medium | hard |")
print("|---|---|---|---|---|---|---|---|---|")
for it in ORDER:
    sub = [m for m in msgs if m["expected"]["intent"] == it]
    c = Counter()
    for m in sub:
        c[m["lang"]] += 1; c[m["channel"]] += 1; c[m["difficulty"]] += 1
        c["clar"] += m["expected"]["clarify"]
    print(f"| {it} | {len(sub)} | {c['fr']} | {c['en']} | {c['slack']} | {c['clar']} | {c['easy']} | {c['medium']} | {c['hard']} |")
print(f"| **total** | **{len(msgs)}** | {sum(m['lang']=='fr' for m in msgs)} | {sum(m['lang']=='en' for m in msgs)} | "
      f"{sum(m['channel']=='slack' for m in msgs)} | {sum(m['expected']['clarify'] for m in msgs)} | "
      f"{sum(m['difficulty']=='easy' for m in msgs)} | {sum(m['difficulty']=='medium' for m in msgs)} | {sum(m['difficulty']=='hard' for m in msgs)} |")
print()
print("- catalogue categories:", fmt(Counter(r["category"] for r in catalog)))
print("- customers by country:", fmt(Counter(r["country"] for r in customers)))
print("- contacts by role:", fmt(Counter(r["role"] for r in contacts)))

if errors:
    print(f"\n{len(errors)} problem(s):")
    for e in errors:
        print("  -", e)
    sys.exit(1)
print("\nOK")
