"""`comptoir`: the command line (a contract: see DESIGN.md, "Command line").

Errors go to stderr with a non-zero exit code: 1 for a refused request (unknown
customer, bad quantity...), 2 for a malformed command line.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from datetime import UTC, date, datetime

from rich.console import Console
from rich.table import Table
from sqlalchemy import func, select

from assistant.config import load_settings
from assistant.database import Database, open_database
from commerce.days import local_day
from commerce.errors import CommerceError, ErrorCode
from commerce.importing import KINDS, ImportRejected, ImportReport, import_csv
from commerce.persistence import catalog_store, stock_store
from commerce.persistence.database import transaction
from commerce.persistence.tables import ContactRow, ProductRow
from commerce.pricing import BasketLine, format_rate
from commerce.services import account_summary, price_for

log = logging.getLogger("comptoir")


class UsageError(Exception):
    """A malformed command line (exit code 2)."""


def _now() -> datetime:
    return datetime.now(UTC)


def _open() -> Database:
    return open_database(load_settings().database_url)


def _print_json(data: object) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def cmd_init(args: argparse.Namespace, out: Console) -> int:
    from commerce.demo import load_demo

    settings = load_settings()
    db = open_database(settings.database_url)
    out.print(f"database ready: {_safe_url(settings.database_url)}")
    if args.demo:
        with transaction(db.sessions) as session:
            held = session.execute(select(func.count()).select_from(ProductRow)).scalar_one()
            # demo data only fills an empty database: a restart must not reset stock or contacts
            reports = [] if held else load_demo(session, now=_now())
        if held:
            out.print(f"demo data not loaded: the database already holds {held} product(s), kept as they are")
        for report in reports:
            _print_report(report, out)
    return 0


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def _print_report(report: ImportReport, out: Console) -> None:
    status = "imported" if report.applied else "rejected"
    out.print(
        f"{report.kind}: {report.rows} row(s) read, {status}: {report.inserted} new, "
        f"{report.updated} updated, {report.unchanged} unchanged"
    )


def _print_row_errors(report: ImportReport, err: Console, *, skipped: bool) -> None:
    for error in report.errors:
        err.print(f"line {error.line}: {error.reason}", markup=False, highlight=False)
    for warning in report.warnings:
        where = f"line {warning.line}: " if warning.line else ""
        err.print(f"warning: {where}{warning.reason}", markup=False, highlight=False)
    if report.errors and skipped:
        err.print(f"{len(report.errors)} bad row(s) skipped", markup=False)


def cmd_import(args: argparse.Namespace, out: Console) -> int:
    from rich.progress import Progress

    err = Console(stderr=True)
    db = _open()
    try:
        with Progress(console=err, transient=True, disable=not err.is_terminal) as bar:
            task = bar.add_task(f"importing {args.kind}", total=None)
            with transaction(db.sessions) as session:
                report = import_csv(
                    session,
                    args.kind,
                    args.file,
                    now=_now(),
                    skip_bad=args.skip_bad,
                    progress=lambda n: bar.advance(task, n),
                    commit_batches=args.kind == "stock",
                )
    except ImportRejected as rejected:
        _print_row_errors(rejected.report, err, skipped=False)
        err.print(
            f"{args.file}: {len(rejected.report.errors)} bad row(s); nothing imported "
            "(fix them, or use --skip-bad to import the good rows)",
            markup=False,
        )
        return 1
    _print_row_errors(report, err, skipped=True)
    _print_report(report, out)
    return 1 if report.errors else 0


def _parse_basket(items: Sequence[str]) -> list[BasketLine]:
    lines = []
    for item in items:
        sku, sep, qty_text = item.rpartition(":")
        if not sep or not sku:
            raise UsageError(f"expected SKU:QTY, got {item!r}")
        if not qty_text.strip().isdigit() or int(qty_text) <= 0:
            raise UsageError(f"quantity must be a positive whole number in {item!r}")
        lines.append(BasketLine(sku.strip(), int(qty_text)))
    return lines


def _parse_day(text: str | None) -> date:
    if not text:
        return local_day(_now())
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--date must be YYYY-MM-DD, got {text!r}") from None


def cmd_price(args: argparse.Namespace, out: Console) -> int:
    lines = _parse_basket(args.items)
    day = _parse_day(args.date)
    db = _open()
    with transaction(db.sessions) as session:
        basket = price_for(session, args.customer, lines, day)
        products = catalog_store.get_products(session, (line.sku for line in lines))
    # below the product's minimum, an order is refused: so is its price, with the minimum said
    short = [f"{line.sku}: minimum order quantity is {products[line.sku].min_order_qty} (asked {line.qty})"
             for line in lines if line.sku in products and line.qty < products[line.sku].min_order_qty]
    if short:
        raise CommerceError(ErrorCode.BELOW_MIN_ORDER_QTY, "; ".join(short))
    if args.json:
        _print_json(basket.to_dict())
        return 0
    table = Table(title=f"{basket.customer_id} — {day.isoformat()} — {basket.vat.regime.value}")
    for column in ("SKU", "Qty", "Unit HT", "Total HT", "VAT %", "Why"):
        table.add_column(column)
    for line in basket.lines:
        table.add_row(
            line.sku,
            str(line.qty),
            f"{line.unit_price_ht:.2f}",
            f"{line.total_ht:.2f}",
            format_rate(line.vat_rate),
            "\n".join(line.explain),
        )
    out.print(table)
    for vat in basket.vat.per_rate:
        out.print(f"VAT {format_rate(vat.rate)} % on {vat.base_ht:.2f}: {vat.amount:.2f}")
    out.print(f"Total HT {basket.total_ht:.2f}  VAT {basket.total_vat:.2f}  TTC {basket.total_ttc:.2f}")
    if basket.vat.mention:
        out.print(basket.vat.mention)
    return 0


def cmd_stock(args: argparse.Namespace, out: Console) -> int:
    db = _open()
    with transaction(db.sessions) as session:
        stock_store.expire_holds(session, now=_now())
        figures = stock_store.figures(session, args.sku)
    if args.json:
        _print_json(figures.to_dict())
        return 0
    data = figures.to_dict()
    for key, value in data.items():
        out.print(f"{key:>14}: {value if value is not None else '—'}")
    return 0


def cmd_account(args: argparse.Namespace, out: Console) -> int:
    db = _open()
    with transaction(db.sessions) as session:
        summary = account_summary(session, args.customer_id, local_day(_now()))
    if args.json:
        _print_json(summary.to_dict())
        return 0
    out.print(f"[bold]{summary.customer_name}[/bold] ({summary.customer_id})")
    out.print(f"Encours: {summary.encours:.2f} EUR / credit limit {summary.credit_limit:.2f} EUR")
    out.print(f"Payment terms: {summary.payment_terms_days} days")
    out.print(f"Purchases this year (HT): {summary.ytd_purchases_ht:.2f} EUR")
    out.print(f"Loyalty tier: {summary.tier.name} — {summary.tier.benefit}")
    if summary.next_tier:
        out.print(
            f"Next tier: {summary.next_tier.name} in {summary.to_next_tier_ht:.2f} EUR HT "
            f"({summary.next_tier.benefit})"
        )
    return 0


def cmd_parse(args: argparse.Namespace, out: Console) -> int:
    from assistant.catalog_index import CatalogIndex
    from commerce.persistence import catalog_store
    from intents.batch import parse_batch

    db = _open()
    with transaction(db.sessions) as session:
        if not catalog_store.all_products(session):
            raise UsageError("the catalog is empty: run `comptoir init --demo` or `comptoir import catalog FILE`")
        parser = CatalogIndex().parser(session)
        has_contacts = session.execute(select(ContactRow.email).limit(1)).first() is not None
        facts: dict[str, tuple[str | None, bool | None]] = {}

        def sender_facts(sender: str | None) -> tuple[str | None, bool | None]:
            """The sender's language, and whether they are one of our contacts (None: no contact list)."""
            if not sender:
                return None, None
            if sender not in facts:
                contact = catalog_store.get_contact(session, sender)
                facts[sender] = (contact.language if contact else None,
                                 (contact is not None) if has_contacts else None)
            return facts[sender]

        if args.batch:
            source = sys.stdin if args.batch == "-" else open(args.batch, encoding="utf-8")  # noqa: SIM115
            with source:
                for result in parse_batch(parser, (line.rstrip("\n") for line in source), sender_facts):
                    sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
            return 0
        if args.text is None:
            raise UsageError("give the TEXT to parse, '-' to read it from stdin, or --batch FILE")
        text = sys.stdin.read() if args.text == "-" else args.text
        hint, known = sender_facts(args.sender)
        intent = parser.parse(text, subject=args.subject, lang_hint=hint, sender_known=known)
    _print_json(intent.to_dict())
    return 0


def cmd_serve(args: argparse.Namespace, out: Console) -> int:
    from assistant.bootstrap import serve

    return serve(load_settings(), out)


def cmd_chat(args: argparse.Namespace, out: Console) -> int:
    from assistant.bootstrap import run_chat

    return run_chat(load_settings(), args.sender)


def cmd_outbox(args: argparse.Namespace, out: Console) -> int:
    from sqlalchemy import select

    from assistant.tables import OutboxRow

    db = _open()
    with transaction(db.sessions) as session:
        query = select(OutboxRow).order_by(OutboxRow.id.desc()).limit(args.limit)
        if args.to:
            query = query.where(OutboxRow.recipient == args.to.strip().lower())
        rows = list(session.scalars(query))
    for row in reversed(rows):
        out.print(f"[bold]#{row.id} {row.channel} -> {row.recipient} ({row.status})[/bold]")
        # Plain lines: links must survive a copy and paste, not be wrapped by the console.
        sys.stdout.write(f"Subject: {row.subject}\n{row.body_text}\n")
    return 0


def cmd_inbox(args: argparse.Namespace, out: Console) -> int:
    """Messages received: the latest, or the failed and dead-lettered ones; retry one or all."""
    from assistant.tables import InboundRow

    db = _open()
    if args.retry:
        from assistant.bootstrap import build

        target = None if args.retry == "all" else _message_number(args.retry)
        count = build(load_settings()).assistant.retry_failed(target)
        out.print(f"{count} message(s) queued again; `comptoir serve` takes them within a minute")
        return 0 if count or target is None else 1
    with transaction(db.sessions) as session:
        query = select(InboundRow).order_by(InboundRow.id.desc()).limit(args.limit)
        if args.failed:
            query = query.where(InboundRow.status.in_(("failed", "dead")))
        rows = list(session.scalars(query))
    if args.json:
        _print_json([{"id": r.id, "channel": r.channel, "sender": r.sender, "subject": r.subject,
                      "status": r.status, "attempts": r.attempts, "error": r.error,
                      "received_at": r.received_at.isoformat(),
                      "next_attempt_at": r.next_attempt_at.isoformat() if r.next_attempt_at else None}
                     for r in reversed(rows)])
        return 0
    for r in reversed(rows):
        retry = f", next try {r.next_attempt_at:%Y-%m-%d %H:%M} UTC" if r.next_attempt_at else ""
        sys.stdout.write(f"#{r.id} {r.channel} {r.sender} [{r.status}, {r.attempts} attempt(s){retry}] "
                         f"{(r.subject or r.text or '')[:60]!r}\n")
        if r.error and r.status in ("failed", "dead"):
            sys.stdout.write(f"    {r.error[:300]}\n")
    return 0


def _message_number(value: str) -> int:
    try:
        return int(value.lstrip("#"))
    except ValueError:
        raise UsageError(f"--retry takes a message number or 'all', not {value!r}") from None


def cmd_conditions(args: argparse.Namespace, out: Console) -> int:
    """Commercial conditions (admin): list them, end one on a day, delete one."""
    db = _open()
    with transaction(db.sessions) as session:
        if args.action == "list":
            rules = catalog_store.list_conditions(session, args.customer)
        else:
            if args.id is None:
                raise UsageError(f"conditions {args.action} takes the rule's number (see `comptoir conditions list`)")
            if not args.id.lstrip("#").isdigit():
                raise UsageError(f"conditions {args.action} takes a rule number, not {args.id!r}")
            rule_id = int(args.id.lstrip("#"))
            if args.action == "end":
                rules = [catalog_store.end_condition(session, rule_id, _parse_day(args.date))]
            else:
                rules = [catalog_store.delete_condition(session, rule_id)]
            log.info("condition %s %s", rule_id, "ended" if args.action == "end" else "deleted")
    if args.json:
        _print_json([_condition_json(rule) for rule in rules])
        return 0
    for rule in rules:
        done = {"end": " -> ended", "delete": " -> deleted"}.get(args.action, "")
        value = f" {rule.value.normalize():f}" if rule.value is not None else ""
        window = f" from {rule.starts_on or '…'} to {rule.ends_on or '…'}" if rule.dated else ""
        minimum = f" from {rule.min_qty}" if rule.min_qty else ""
        sys.stdout.write(f"#{rule.rule_id} {rule.kind.value}{value} for {rule.scope()}{minimum}{window}{done}\n")
    return 0


def _condition_json(rule) -> dict:
    return {"id": rule.rule_id, "kind": rule.kind.value,
            "value": f"{rule.value.normalize():f}" if rule.value is not None else None,
            "customer_id": rule.customer_id, "segment": rule.segment, "sku": rule.sku, "category": rule.category,
            "min_qty": rule.min_qty, "starts_on": rule.starts_on.isoformat() if rule.starts_on else None,
            "ends_on": rule.ends_on.isoformat() if rule.ends_on else None}


def cmd_token(args: argparse.Namespace, out: Console) -> int:
    """Bearer tokens of the ERP integrations: the new token alone on the last line."""
    from assistant import api_tokens

    db = _open()
    try:
        with transaction(db.sessions) as session:
            if args.action == "list":
                for info in api_tokens.listed(session):
                    state = f"revoked {info.revoked_at:%Y-%m-%d %H:%M}" if info.revoked_at else "active"
                    used = f", last used {info.last_used_at:%Y-%m-%d %H:%M}" if info.last_used_at else ""
                    sys.stdout.write(f"{info.name}\t{state}, created {info.created_at:%Y-%m-%d %H:%M}{used}\n")
                return 0
            if not args.name:
                raise UsageError(f"token {args.action} takes the integration's name")
            if args.action == "revoke":
                api_tokens.revoke(session, args.name, now=_now())
                log.info("token %s revoked", args.name)
                sys.stdout.write(f"token {args.name} revoked\n")
                return 0
            token = api_tokens.create(session, args.name, now=_now())
            log.info("token %s created", args.name)
    except api_tokens.TokenError as error:
        raise CommerceError(ErrorCode.DUPLICATE, str(error)) from None
    sys.stdout.write(f"token for {args.name} (shown once: keep it in the ERP's secrets):\n{token}\n")
    return 0


def cmd_alerts(args: argparse.Namespace, out: Console) -> int:
    """Restock alerts with their suggested quantity; `order ID` turns one into a draft supplier order."""
    from assistant import erp
    from commerce.persistence import supply_store

    db = _open()
    with transaction(db.sessions) as session:
        if args.action == "list":
            rows = erp.alert_rows(session, include_done=args.all)
            if args.json:
                _print_json(rows)
                return 0
            if not rows:
                sys.stdout.write("no stock alert waiting\n")
            for row in rows:
                done = f" -> {row['supply_order']}" if row["supply_order"] else ""
                sys.stdout.write(f"#{row['id']} {row['sku']} {row['level']}: {row['available']} available, "
                                 f"{row['incoming']} incoming, {row['preordered']} pre-ordered; "
                                 f"suggested {row['suggested']}{done}\n")
            return 0
        if args.id is None or not args.id.lstrip("#").isdigit():
            raise UsageError(f"alerts {args.action} takes an alert number (see `comptoir alerts list`)")
        if args.action == "order":
            order = erp.order_from_alert(session, int(args.id.lstrip("#")), now=_now(), qty=args.qty,
                                         eta=_parse_day(args.eta) if args.eta else None)
        else:
            order = supply_store.to_dict(supply_store.confirm(session, f"R-{int(args.id.lstrip('#'))}", now=_now()))
    if args.json:
        _print_json(order)
        return 0
    lines = ", ".join(f"{ln['qty']} x {ln['sku']}" for ln in order["lines"])
    sys.stdout.write(f"supplier order {order['reference']} ({order['status']}): {lines}\n")
    return 0


def cmd_train_intents(args: argparse.Namespace, out: Console) -> int:
    from intents.training import rebuild

    def say(text: str) -> None:
        sys.stdout.write(text + "\n")
        sys.stdout.flush()

    rebuild(held_out=not args.no_held_out, seed=args.seed, say=say)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="comptoir", description="Comptoir procurement assistant")
    parser.add_argument("-v", "--verbose", action="store_true", help="log to stderr")
    sub = parser.add_subparsers(dest="command", required=True)

    init = sub.add_parser("init", help="create/upgrade the database")
    init.add_argument("--demo", action="store_true", help="load the demo data")
    init.set_defaults(handler=cmd_init)

    imp = sub.add_parser("import", help="import a CSV file")
    imp.add_argument("kind", choices=KINDS)
    imp.add_argument("file")
    imp.add_argument("--skip-bad", action="store_true", help="import the good rows, report the bad")
    imp.set_defaults(handler=cmd_import)

    parse = sub.add_parser("parse", help="print the Intent of a message as JSON")
    parse.add_argument("text", nargs="?", help="the message ('-' reads stdin)")
    parse.add_argument("--from", dest="sender", metavar="EMAIL", help="sender (their language is a hint)")
    parse.add_argument("--subject", help="email subject")
    parse.add_argument("--batch", metavar="IN.jsonl", help='one {"from", "subject", "text"} per line')
    parse.set_defaults(handler=cmd_parse)

    train = sub.add_parser("train-intents", help="rebuild the intent model from the labelled sets")
    train.add_argument("--no-held-out", action="store_true", help="skip the held-out figures (faster)")
    train.add_argument("--seed", type=int, default=7)
    train.set_defaults(handler=cmd_train_intents)

    price = sub.add_parser("price", help="price a basket for a customer")
    price.add_argument("--customer", required=True)
    price.add_argument("--date")
    price.add_argument("items", nargs="+", metavar="SKU:QTY")
    price.add_argument("--json", action="store_true")
    price.set_defaults(handler=cmd_price)

    stock = sub.add_parser("stock", help="stock figures of a product")
    stock.add_argument("sku")
    stock.add_argument("--json", action="store_true")
    stock.set_defaults(handler=cmd_stock)

    account = sub.add_parser("account", help="a customer's account")
    account.add_argument("customer_id")
    account.add_argument("--json", action="store_true")
    account.set_defaults(handler=cmd_account)

    chat = sub.add_parser("chat", help="talk to the assistant in the terminal (also from a pipe)")
    chat.add_argument("--as", dest="sender", required=True, metavar="EMAIL")
    chat.set_defaults(handler=cmd_chat)

    box = sub.add_parser("outbox", help="show the latest outgoing messages (admin)")
    box.add_argument("--to", help="only messages to this address")
    box.add_argument("--limit", type=int, default=10)
    box.set_defaults(handler=cmd_outbox)

    inbox = sub.add_parser("inbox", help="messages received; the failed ones; retry (admin)")
    inbox.add_argument("--failed", action="store_true", help="only failed and dead-lettered messages")
    inbox.add_argument("--retry", metavar="ID|all", help="take a failed message (or all of them) again")
    inbox.add_argument("--limit", type=int, default=20)
    inbox.add_argument("--json", action="store_true")
    inbox.set_defaults(handler=cmd_inbox)

    conditions = sub.add_parser("conditions", help="commercial conditions: list, end or delete one (admin)")
    conditions.add_argument("action", choices=("list", "end", "delete"))
    conditions.add_argument("id", nargs="?", help="the rule's number (end, delete)")
    conditions.add_argument("--customer", help="list: the rules that apply to this customer")
    conditions.add_argument("--on", dest="date", metavar="YYYY-MM-DD",
                            help="end: last day the rule applies (default today)")
    conditions.add_argument("--json", action="store_true")
    conditions.set_defaults(handler=cmd_conditions)

    token = sub.add_parser("token", help="bearer tokens of the ERP integrations (admin)")
    token.add_argument("action", choices=("create", "list", "revoke"))
    token.add_argument("name", nargs="?", help="the integration's name (create, revoke)")
    token.set_defaults(handler=cmd_token)

    alerts = sub.add_parser("alerts", help="restock alerts: list, order (a draft supplier order), send it")
    alerts.add_argument("action", nargs="?", default="list", choices=("list", "order", "send"))
    alerts.add_argument("id", nargs="?", help="the alert's number (order, send)")
    alerts.add_argument("--qty", type=int, help="order: instead of the suggested quantity")
    alerts.add_argument("--eta", metavar="YYYY-MM-DD", help="order: the supplier's date")
    alerts.add_argument("--all", action="store_true", help="list: also the alerts already ordered")
    alerts.add_argument("--json", action="store_true")
    alerts.set_defaults(handler=cmd_alerts)

    serve = sub.add_parser("serve", help="run the service (HTTP, SMTP, workers)")
    serve.set_defaults(handler=cmd_serve)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    out = Console(highlight=False)
    err = Console(stderr=True, highlight=False)
    try:
        return args.handler(args, out)
    except UsageError as error:
        err.print(f"comptoir {args.command}: {error}", markup=False)
        return 2
    except CommerceError as error:
        err.print(f"comptoir {args.command}: {error}", markup=False)
        log.info("refused: %s (%s)", error, error.code)
        return 1
    except (OSError, ValueError) as error:
        err.print(f"comptoir {args.command}: {error}", markup=False)
        return 1


if __name__ == "__main__":
    sys.exit(main())
