"""Bearer tokens of the ERP integrations, and the answers replayed for their idempotency keys.

A token is shown once, when created; only its SHA-256 is stored (a token is 32 random
bytes, so a plain hash is as good as a slow one and costs nothing per request).
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from assistant.tables import ApiTokenRow, IdempotencyRow

PREFIX = "cpt_"


class TokenError(Exception):
    """A token command that cannot be done (the name is taken, unknown...)."""


@dataclass(frozen=True, slots=True)
class TokenInfo:
    name: str
    created_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create(session: Session, name: str, *, now: datetime) -> str:
    name = name.strip()
    if not name or len(name) > 100:
        raise TokenError("a token needs a name of 1 to 100 characters")
    row = session.get(ApiTokenRow, name)
    if row is not None and row.revoked_at is None:
        raise TokenError(f"a token named {name} already exists (revoke it first, then create it again)")
    token = PREFIX + secrets.token_urlsafe(32)
    if row is None:
        session.add(ApiTokenRow(name=name, token_hash=_digest(token), created_at=now))
    else:  # a revoked name gets a new token; the old one stays dead
        row.token_hash, row.created_at, row.revoked_at, row.last_used_at = _digest(token), now, None, None
    session.flush()
    return token


def revoke(session: Session, name: str, *, now: datetime) -> None:
    row = session.get(ApiTokenRow, name)
    if row is None or row.revoked_at is not None:
        raise TokenError(f"no active token named {name}")
    row.revoked_at = now
    session.flush()


def listed(session: Session) -> list[TokenInfo]:
    return [TokenInfo(r.name, r.created_at, r.revoked_at, r.last_used_at)
            for r in session.scalars(select(ApiTokenRow).order_by(ApiTokenRow.name))]


def authenticate(session: Session, token: str, *, now: datetime) -> str | None:
    """The integration's name for a valid token, None otherwise."""
    if not token.startswith(PREFIX):
        return None
    row = session.scalars(select(ApiTokenRow).where(ApiTokenRow.token_hash == _digest(token))).first()
    if row is None or row.revoked_at is not None:
        return None
    if row.last_used_at is None or (now - row.last_used_at).total_seconds() > 60:
        session.execute(update(ApiTokenRow).where(ApiTokenRow.name == row.name).values(last_used_at=now))
    return row.name


def request_hash(method: str, path: str, body: object) -> str:
    """What makes two writes the same: method, path and the body as JSON (key order aside)."""
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(f"{method} {path}\n{canonical}".encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class Replay:
    status: int
    body: dict
    conflict: bool  # the key was used with another request


def replay(session: Session, integration: str, key: str, digest: str) -> Replay | None:
    row = session.scalars(select(IdempotencyRow).where(IdempotencyRow.token_name == integration,
                                                       IdempotencyRow.key == key)).first()
    if row is None:
        return None
    return Replay(row.status, row.body, conflict=row.request_hash != digest)


def remember(session: Session, integration: str, key: str, digest: str, status: int, body: dict, *,
             now: datetime) -> bool:
    """Keep the answer in the same transaction as the write; False when a concurrent request
    with the same key got there first (the caller rolls back and replays that one)."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    result = session.execute(insert(IdempotencyRow).values(
        token_name=integration, key=key, request_hash=digest, status=status, body=body, created_at=now)
        .on_conflict_do_nothing(index_elements=["token_name", "key"]).returning(IdempotencyRow.id))
    return result.first() is not None
