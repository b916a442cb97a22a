"""The `comptoir` command line as other tools use it: real processes, both databases."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.factories import CATALOG_HEADER, write_csv

ROOT = Path(__file__).resolve().parents[2]
COMPTOIR = str(Path(sys.executable).with_name("comptoir"))


def _fresh_pg_url(pg_url: str, name: str) -> str:
    """A database of its own for one CLI scenario (the CLI opens its own connections)."""
    from sqlalchemy import create_engine, text

    admin = create_engine(pg_url.replace("postgresql://", "postgresql+psycopg://"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return pg_url.rsplit("/", 1)[0] + f"/{name}"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def cli(request, tmp_path_factory):
    workdir = tmp_path_factory.mktemp("cli")
    if request.param == "sqlite":
        url = f"sqlite:///{workdir / 'var' / 'comptoir.db'}"
    else:
        url = _fresh_pg_url(request.getfixturevalue("pg_url"), request.getfixturevalue("pg_url").rsplit("/", 1)[1] + "_cli")
    env = {**os.environ, "COMPTOIR_DATABASE_URL": url, "COLUMNS": "200"}

    def run(*args: str, check: int | None = 0) -> subprocess.CompletedProcess:
        result = subprocess.run([COMPTOIR, *args], cwd=workdir, env=env, capture_output=True, text=True,
                                timeout=120)
        if check is not None:
            assert result.returncode == check, result.stdout + result.stderr
        return result

    run("init", "--demo")
    run.workdir, run.url = workdir, url
    return run


def test_price_json_has_exactly_the_contract_shape(cli):
    data = json.loads(cli("price", "--customer", "ACME", "--date", "2026-11-22", "PAP-A4-80:60",
                          "CART-HP305-BK:3", "--json").stdout)
    assert list(data) == ["customer", "regime", "mention", "lines", "vat", "total_ht", "total_vat", "total_ttc"]
    assert data["customer"] == "ACME" and data["regime"] == "domestic" and data["mention"] is None
    line = data["lines"][0]
    assert list(line) == ["sku", "qty", "unit_price_ht", "total_ht", "vat_rate", "explain"]
    assert line == {**line, "sku": "PAP-A4-80", "qty": 60, "unit_price_ht": "3.56", "total_ht": "213.60",
                    "vat_rate": "20"}
    assert any("discount 10 %" in step for step in line["explain"])
    assert data["vat"] == [{"rate": "20", "base_ht": "251.10", "amount": "50.22"}]
    assert (data["total_ht"], data["total_vat"], data["total_ttc"]) == ("251.10", "50.22", "301.32")


def test_price_below_the_minimum_order_quantity_is_refused_as_an_order_is(cli):
    refused = cli("price", "--customer", "ACME", "STY-BIC-BL:3", "--json", check=1)
    assert "STY-BIC-BL: minimum order quantity is 10 (asked 3)" in refused.stderr and refused.stdout == ""
    assert json.loads(cli("price", "--customer", "ACME", "STY-BIC-BL:10", "--json").stdout)["lines"][0]["qty"] == 10


def test_price_regimes_for_belgian_and_swiss_customers(cli):
    be = json.loads(cli("price", "--customer", "BRUXCLEAN", "NET-SOL-5L:2", "--json").stdout)
    ch = json.loads(cli("price", "--customer", "GENEVETEC", "NET-SOL-5L:2", "--json").stdout)
    assert (be["regime"], be["mention"]) == ("intra_eu", "Exonération de TVA, article 262 ter I du CGI")
    assert (ch["regime"], ch["mention"]) == ("export", "Exonération de TVA, article 262 I du CGI")
    assert be["total_vat"] == ch["total_vat"] == "0.00"


def test_stock_json_shape(cli):
    data = json.loads(cli("stock", "PAP-A4-80", "--json").stdout)
    assert data == {"sku": "PAP-A4-80", "on_hand": 1200, "reserved": 100, "available": 1100,
                    "incoming": 500, "incoming_date": "2026-12-04", "virtual": 1600}
    assert json.loads(cli("stock", "CART-HP305-CL", "--json").stdout)["incoming_date"] is None


def test_account_json_shape(cli):
    data = json.loads(cli("account", "ACME", "--json").stdout)
    assert list(data) == ["customer", "encours", "credit_limit", "payment_terms_days", "ytd_purchases_ht",
                          "tier", "next_tier", "to_next_tier_ht"]
    assert data["customer"] == "ACME" and data["credit_limit"] == "20000.00"
    assert data["payment_terms_days"] == 30
    for key in ("encours", "ytd_purchases_ht", "to_next_tier_ht"):
        assert data[key].count(".") == 1 and len(data[key].split(".")[1]) == 2


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("price", "--customer", "NOBODY", "PAP-A4-80:1"), 1, "unknown customer: NOBODY"),
        (("price", "--customer", "ACME", "NOPE-1:1"), 1, "unknown SKU: NOPE-1"),
        (("price", "--customer", "ACME", "CAF-MOU-1K:1"), 1, "unknown SKU: CAF-MOU-1K"),  # hidden for ACME
        (("price", "--customer", "ACME", "PAP-A4-80:0"), 2, "positive whole number"),
        (("price", "--customer", "ACME", "PAP-A4-80:-2"), 2, "positive whole number"),
        (("price", "--customer", "ACME", "PAP-A4-80:1.5"), 2, "positive whole number"),
        (("price", "--customer", "ACME", "PAP-A4-80"), 2, "expected SKU:QTY"),
        (("price", "--customer", "ACME", "--date", "22/11/2026", "PAP-A4-80:1"), 2, "YYYY-MM-DD"),
        (("stock", "NOPE-1"), 1, "unknown SKU: NOPE-1"),
        (("account", "NOBODY"), 1, "unknown customer: NOBODY"),
    ],
)
def test_errors_go_to_stderr_with_a_non_zero_exit(cli, args, code, message):
    result = cli(*args, check=code)
    assert message in result.stderr
    assert result.stdout == ""


def test_import_reports_bad_rows_by_line_and_changes_nothing(cli):
    path = write_csv(cli.workdir / "bad.csv", CATALOG_HEADER, [
        "NEW-1,New,office,pièce,1,1.00,20,,false,1",
        "NEW-2,New,office,pièce,1,oops,20,,false,1",
    ])
    result = cli("import", "catalog", str(path), check=1)
    assert "line 3: price_ht is not an amount: 'oops'" in result.stderr
    assert "nothing imported" in result.stderr
    cli("stock", "NEW-1", check=1)
    result = cli("import", "catalog", str(path), "--skip-bad", check=1)
    assert "1 new" in result.stdout
    assert json.loads(cli("stock", "NEW-1", "--json").stdout)["on_hand"] == 0


def test_init_is_repeatable_and_keeps_the_data_of_a_database_in_use(cli, tmp_path):
    stock = tmp_path / "stock.csv"
    stock.write_text("sku,on_hand\nPAP-A4-80,4321\n", encoding="utf-8")
    cli("import", "stock", str(stock))
    result = cli("init", "--demo")  # what `make run` does at every start
    assert "kept as they are" in result.stdout and "imported" not in result.stdout
    figures = json.loads(cli("stock", "PAP-A4-80", "--json").stdout)
    assert figures["on_hand"] == 4321 and figures["reserved"] == 100


def test_parse_prints_the_intent_json_of_the_contract(cli):
    intent = json.loads(cli("parse", "--from", "claire.martin@acme-industries.fr",
                            "Merci de nous livrer 10 ramettes PAP-A4-80").stdout)
    assert set(intent) >= {"intent", "lines", "ref", "clarify", "questions", "lang"}
    assert intent["intent"] == "place_order" and intent["clarify"] is False and intent["lang"] == "fr"
    assert [(line["sku"], line["qty"]) for line in intent["lines"]] == [("PAP-A4-80", 10)]


def test_parse_batch_answers_line_by_line_and_knows_a_prospect_from_a_contact(cli, tmp_path):
    batch = tmp_path / "in.jsonl"
    order = "Merci de nous livrer 10 ramettes PAP-A4-80"
    batch.write_text("\n".join([
        json.dumps({"from": "claire.martin@acme-industries.fr", "subject": "", "text": order}),
        "not json",
        json.dumps({"from": "someone@new-prospect.example", "subject": "Commande", "text": order}),
    ]) + "\n", encoding="utf-8")
    results = [json.loads(line) for line in cli("parse", "--batch", str(batch)).stdout.splitlines()]
    assert len(results) == 3
    assert results[0]["clarify"] is False and results[1] == {"error": "line 2: Expecting value: line 1 column 1 (char 0)"}
    # an order from someone who has no account: the account comes first
    assert results[2]["intent"] == "place_order" and results[2]["clarify"] is True
    assert [(line["sku"], line["qty"]) for line in results[2]["lines"]] == [("PAP-A4-80", 10)]


def test_the_admin_sees_dead_lettered_messages_and_retries_them(cli):
    from sqlalchemy import create_engine

    from assistant.tables import InboundRow
    from commerce.persistence.database import session_factory, transaction

    engine = create_engine(cli.url)
    try:
        with transaction(session_factory(engine)) as session:
            row = InboundRow(channel="email", external_id="dead-cli-1", sender="claire.martin@acme-industries.fr",
                             thread_key="email:dead-cli-1", subject="Stock", text="Avez-vous du papier ?",
                             received_at=datetime(2026, 11, 23, 9, 0, tzinfo=UTC), status="dead", attempts=5,
                             error="TemplateNotFound: fr/stock_answer.txt")
            session.add(row)
            session.flush()
            number = row.id
        listed = json.loads(cli("inbox", "--failed", "--json").stdout)
        assert [(m["id"], m["status"], m["attempts"]) for m in listed] == [(number, "dead", 5)]
        assert "TemplateNotFound" in cli("inbox", "--failed").stdout
        assert "1 message(s) queued again" in cli("inbox", "--retry", str(number)).stdout
        assert json.loads(cli("inbox", "--failed", "--json").stdout) == []
        assert cli("inbox", "--retry", "nonsense", check=2).stderr
    finally:
        engine.dispose()


def test_conditions_are_listed_ended_and_deleted(cli):
    rules = json.loads(cli("conditions", "list", "--customer", "ACME", "--json").stdout)
    assert rules and all(set(r) == {"id", "kind", "value", "customer_id", "segment", "sku", "category", "min_qty",
                                    "starts_on", "ends_on"} for r in rules)
    discount = next(r for r in rules if r["customer_id"] == "ACME" and r["kind"] == "discount_pct"
                    and r["category"] == "papier")
    before = json.loads(cli("price", "--customer", "ACME", "--date", "2026-11-22", "PAP-A4-80:60", "--json").stdout)
    assert any("discount" in step for step in before["lines"][0]["explain"])
    ended = cli("conditions", "end", str(discount["id"]), "--on", "2026-11-21")
    assert f"#{discount['id']} discount_pct" in ended.stdout and "ended" in ended.stdout
    after = json.loads(cli("price", "--customer", "ACME", "--date", "2026-11-22", "PAP-A4-80:60", "--json").stdout)
    assert after["lines"][0]["unit_price_ht"] != before["lines"][0]["unit_price_ht"]
    still = json.loads(cli("price", "--customer", "ACME", "--date", "2026-11-21", "PAP-A4-80:60", "--json").stdout)
    assert still["lines"][0]["unit_price_ht"] == before["lines"][0]["unit_price_ht"]  # its history stays
    cli("conditions", "delete", str(discount["id"]))
    assert discount["id"] not in {r["id"] for r in json.loads(cli("conditions", "list", "--json").stdout)}
    missing = cli("conditions", "delete", str(discount["id"]), check=1)
    assert f"no condition #{discount['id']}" in missing.stderr
    assert "takes a rule number" in cli("conditions", "end", "abc", check=2).stderr


def test_tokens_are_created_listed_revoked_and_open_the_api_only_while_active(cli):
    import urllib.error
    import urllib.request

    from assistant.clock import FixedClock
    from assistant.config import Settings
    from assistant.core import Assistant
    from assistant.database import open_database
    from tests.integration.test_erp_api import Server

    created = cli("token", "create", "erp-main")
    token = created.stdout.strip().splitlines()[-1]
    assert token.startswith("cpt_") and len(token) > 40
    refused = cli("token", "create", "erp-main", check=1)
    assert "already exists" in refused.stderr and token not in refused.stdout
    db = open_database(cli.url)
    assistant = Assistant(db, settings=Settings(database_url=cli.url, secret_key="k"),
                          clock=FixedClock(datetime.now(UTC)))

    def status(with_token: str) -> int:
        request = urllib.request.Request(f"http://127.0.0.1:{server.port}/api/v1/orders",
                                         headers={"Authorization": f"Bearer {with_token}"})
        try:
            with urllib.request.urlopen(request, timeout=20) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    try:
        with Server(assistant) as server:
            assert status(token) == 200
            cli("token", "revoke", "erp-main")
            assert status(token) == 401
    finally:
        db.dispose()
    assert "erp-main\trevoked" in cli("token", "list").stdout
    again = cli("token", "create", "erp-main").stdout.strip().splitlines()[-1]
    assert again.startswith("cpt_") and again != token


def test_alerts_are_listed_with_a_suggestion_and_become_a_supplier_order(cli):
    listed = json.loads(cli("alerts", "list", "--json").stdout)
    assert listed and all({"id", "sku", "level", "suggested", "available", "incoming"} <= set(a) for a in listed)
    first = listed[0]
    draft = json.loads(cli("alerts", "order", str(first["id"]), "--qty", "40", "--eta", "2030-01-15", "--json").stdout)
    assert draft["status"] == "draft" and draft["lines"] == [{"sku": first["sku"], "qty": 40, "received": 0,
                                                              "eta": "2030-01-15"}]
    sent = cli("alerts", "send", str(first["id"])).stdout
    assert f"R-{first['id']} (open)" in sent
    after = json.loads(cli("stock", first["sku"], "--json").stdout)
    assert after["incoming"] == 40 and after["incoming_date"] == "2030-01-15"
