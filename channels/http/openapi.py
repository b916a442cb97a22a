"""The OpenAPI 3.1 document of /api/v1/ (a contract: the suite validates every request and
response of the API tests against it)."""

from __future__ import annotations

from functools import cache

AMOUNT = {"type": "string", "pattern": r"^-?\d+\.\d{2}$", "examples": ["120.00"]}
DAY = {"type": "string", "format": "date"}
MOMENT = {"type": "string", "format": "date-time"}
COUNT = {"type": "integer", "minimum": 0}
POSITIVE = {"type": "integer", "minimum": 1}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict) -> dict:
    return {"content": {"application/json": {"schema": schema}}}


def _answer(description: str, schema: dict) -> dict:
    return {"description": description, **_json(schema)}


ERRORS = {
    "401": {"$ref": "#/components/responses/Unauthorized"},
    "422": {"$ref": "#/components/responses/Invalid"},
}
NOT_FOUND = {"404": {"$ref": "#/components/responses/NotFound"}}
CONFLICT = {"409": {"$ref": "#/components/responses/Conflict"}}
KEY = {"$ref": "#/components/parameters/IdempotencyKey"}


def _path_param(name: str) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string", "minLength": 1}}


def _write(summary: str, request: str, answer: str, *, status: str = "200", param: str | None = None,
           conflict: bool = True, not_found: bool = True) -> dict:
    return {
        "summary": summary,
        "parameters": [KEY, *([_path_param(param)] if param else [])],
        "requestBody": {"required": True, **_json(_ref(request))},
        "responses": {status: _answer(summary, _ref(answer)), **ERRORS, **(CONFLICT if conflict else {}),
                      **(NOT_FOUND if not_found else {})},
    }


def _read(summary: str, answer: str, *, param: str | None = None, query: list[dict] | None = None) -> dict:
    return {
        "summary": summary,
        "parameters": [*([_path_param(param)] if param else []), *(query or [])],
        "responses": {"200": _answer(summary, _ref(answer)), **ERRORS, **(NOT_FOUND if param else {})},
    }


def _obj(properties: dict, required: list[str], *, extra: bool = True) -> dict:
    return {"type": "object", "properties": properties, "required": required, "additionalProperties": extra}


LINE = _obj({"sku": {"type": "string", "minLength": 1}, "qty": POSITIVE}, ["sku", "qty"])
SCHEMAS = {
    "Error": _obj({"error": {"type": "string"}, "message": {"type": "string"}, "field": {"type": "string"}},
                  ["error", "message"]),
    "Stock": _obj({"sku": {"type": "string"}, "on_hand": {"type": "integer"}, "reserved": {"type": "integer"},
                   "available": {"type": "integer"}, "incoming": {"type": "integer"},
                   "incoming_date": {"type": ["string", "null"], "format": "date"},
                   "virtual": {"type": "integer"}},
                  ["sku", "on_hand", "reserved", "available", "incoming", "incoming_date", "virtual"]),
    "StockSnapshot": _obj({"on_hand": COUNT, "as_of": MOMENT, "sequence": COUNT, "alert_threshold": COUNT,
                           "safety_stock": COUNT, "reorder_qty": COUNT}, ["on_hand", "as_of"]),
    "StockSnapshots": _obj({"snapshots": {"type": "array", "items": {
        "allOf": [_ref("StockSnapshot"), _obj({"sku": {"type": "string", "minLength": 1}}, ["sku"])]}}},
        ["snapshots"]),
    "StockSnapshotsResult": _obj({
        "taken": COUNT, "refused": COUNT,
        "results": {"type": "array", "items": _obj({
            "sku": {"type": "string"}, "status": {"enum": ["taken", "stale", "unknown", "refused"]},
            "stock": _ref("Stock"), "error": {"type": "string"}, "message": {"type": "string"}},
            ["sku", "status"])}}, ["taken", "refused", "results"]),
    "SupplyOrderIn": _obj({"reference": {"type": "string", "minLength": 1, "maxLength": 64},
                           "lines": {"type": "array", "minItems": 1, "items": {"allOf": [
                               LINE, _obj({"eta": {"type": ["string", "null"], "format": "date"}}, [])]}}},
                          ["reference", "lines"]),
    "Receipt": _obj({"lines": {"type": "array", "minItems": 1, "items": LINE}}, ["lines"]),
    "SupplyOrder": _obj({
        "reference": {"type": "string"}, "status": {"enum": ["draft", "open", "received", "cancelled"]},
        "origin": {"type": "string"},
        "lines": {"type": "array", "items": _obj({"sku": {"type": "string"}, "qty": POSITIVE, "received": COUNT,
                                                  "eta": {"type": ["string", "null"], "format": "date"}},
                                                 ["sku", "qty", "received", "eta"])},
        "stock": {"type": "array", "items": _ref("Stock")},
        "preorders_served": {"type": "array", "items": _obj(
            {"order": {"type": ["string", "null"]}, "sku": {"type": "string"}, "qty": POSITIVE},
            ["order", "sku", "qty"])}},
        ["reference", "status", "lines"]),
    "Order": _obj({
        "number": {"type": "string"}, "customer": {"type": "string"}, "status": {"type": "string"},
        "placed_at": MOMENT,
        "lines": {"type": "array", "items": _obj({
            "sku": {"type": "string"}, "name": {"type": "string"}, "qty": {"type": "integer"},
            "shipped": COUNT, "invoiced": COUNT, "unit_price_ht": AMOUNT, "total_ht": AMOUNT},
            ["sku", "qty", "unit_price_ht", "total_ht"])},
        "total_ht": AMOUNT, "total_vat": AMOUNT, "total_ttc": AMOUNT,
        "shipments": {"type": "array", "items": _obj({
            "carrier": {"type": "string"}, "tracking": {"type": "string"}, "shipped_at": MOMENT,
            "lines": {"type": "array", "items": LINE}}, ["carrier", "tracking", "shipped_at", "lines"])}},
        ["number", "customer", "status", "placed_at", "lines", "total_ht", "total_ttc"]),
    "Orders": _obj({"orders": {"type": "array", "items": _ref("Order")}}, ["orders"]),
    "ShipmentIn": _obj({"lines": {"type": "array", "minItems": 1, "items": LINE},
                        "carrier": {"type": "string", "maxLength": 100},
                        "tracking": {"type": "string", "maxLength": 100}}, ["lines"]),
    "InvoiceIn": _obj({"number": {"type": "string", "minLength": 1, "maxLength": 40}, "issued_on": DAY},
                      ["number"]),
    "Invoice": _obj({
        "number": {"type": "string"}, "order": {"type": "string"}, "issued_on": DAY, "due_on": DAY,
        "total_ht": AMOUNT, "total_vat": AMOUNT, "total_ttc": AMOUNT, "paid": AMOUNT, "credited": AMOUNT,
        "balance": AMOUNT, "refund_due": AMOUNT, "status": {"enum": ["open", "paid"]},
        "credit_note": _obj({"number": {"type": "string"}, "total_ht": AMOUNT, "total_vat": AMOUNT,
                             "total_ttc": AMOUNT, "returned": {"type": "array", "items": LINE}},
                            ["number", "total_ttc"])},
        ["number", "order", "issued_on", "due_on", "total_ht", "total_vat", "total_ttc", "paid", "balance",
         "status"]),
    "PaymentIn": _obj({"amount": AMOUNT | {"pattern": r"^\d+(\.\d{1,2})?$"}, "paid_on": DAY,
                       "reference": {"type": "string", "maxLength": 100}}, ["amount"]),
    "CreditNoteIn": _obj({"number": {"type": "string", "minLength": 1, "maxLength": 40}, "issued_on": DAY,
                          "lines": {"type": "array", "items": LINE},
                          "amount_ttc": {"type": "string", "pattern": r"^\d+(\.\d{1,2})?$"},
                          "reason": {"type": "string"}}, ["number"]),
}


@cache
def document() -> dict:
    return {
        "openapi": "3.1.0",
        "info": {"title": "Comptoir ERP API", "version": "1.0.0",
                 "description": "Stock, supplier orders and the order life cycle to cash, for the distributor's "
                                "ERP. Amounts are strings with two decimals, quantities integers. Every write "
                                "takes an Idempotency-Key: the same key and body answer the same result, the "
                                "same key with another body is a 409."},
        "servers": [{"url": "/"}],
        "security": [{"bearer": []}],
        "paths": {
            "/api/v1/openapi.json": {"get": {"summary": "This document", "security": [],
                                             "responses": {"200": _answer("OpenAPI 3.1", {"type": "object"})}}},
            "/api/v1/stock": {"post": _write("Many stock snapshots; each taken or refused on its own",
                                             "StockSnapshots", "StockSnapshotsResult", conflict=False,
                                             not_found=False)},
            "/api/v1/stock/{sku}": {
                "put": _write("Absolute stock snapshot of one product (stale or replayed: 409)", "StockSnapshot",
                              "Stock", param="sku"),
                "get": _read("Stock figures of one product", "Stock", param="sku")},
            "/api/v1/supply-orders": {"post": _write("A supplier order, in batches with their ETA", "SupplyOrderIn",
                                                     "SupplyOrder", status="201")},
            "/api/v1/supply-orders/{reference}": {"get": _read("A supplier order", "SupplyOrder",
                                                               param="reference")},
            "/api/v1/supply-orders/{reference}/receipts": {"post": _write(
                "Goods received: into on hand, pre-orders served first", "Receipt", "SupplyOrder",
                param="reference")},
            "/api/v1/orders": {"get": _read("Orders to pull, by status and last change", "Orders", query=[
                {"name": "status", "in": "query", "required": False, "schema": {"type": "string"}},
                {"name": "since", "in": "query", "required": False, "schema": MOMENT}])},
            "/api/v1/orders/{number}": {"get": _read("One order with its shipments", "Order", param="number")},
            "/api/v1/orders/{number}/shipments": {"post": _write(
                "Goods left (partial shipments allowed): reservations consumed", "ShipmentIn", "Order",
                status="201", param="number")},
            "/api/v1/orders/{number}/invoices": {"post": _write(
                "Invoice what was shipped and not invoiced; due date from the payment terms", "InvoiceIn",
                "Invoice", status="201", param="number")},
            "/api/v1/invoices/{number}": {"get": _read("One invoice and what is due", "Invoice", param="number")},
            "/api/v1/invoices/{number}/payments": {"post": _write(
                "A payment, in part or in full (never more than is due)", "PaymentIn", "Invoice", status="201",
                param="number")},
            "/api/v1/invoices/{number}/credit-notes": {"post": _write(
                "A credit note: goods returned to stock and/or an amount", "CreditNoteIn", "Invoice",
                status="201", param="number")},
        },
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "parameters": {"IdempotencyKey": {"name": "Idempotency-Key", "in": "header", "required": False,
                                              "schema": {"type": "string", "minLength": 1, "maxLength": 200}}},
            "responses": {
                "Unauthorized": _answer("No valid bearer token", _ref("Error")),
                "NotFound": _answer("Unknown product or document", _ref("Error")),
                "Conflict": _answer("Against the current state: stale snapshot, illegal transition, "
                                    "Idempotency-Key reused with another body", _ref("Error")),
                "Invalid": _answer("A malformed request, or one the rules refuse", _ref("Error")),
            },
            "schemas": SCHEMAS,
        },
    }
