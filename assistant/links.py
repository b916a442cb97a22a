"""Signed, expiring approve/reject links (itsdangerous). Single use comes from the
approval itself: once decided, the link only shows who decided and when."""

from __future__ import annotations

from dataclasses import dataclass

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

DECISIONS = ("approve", "reject")


class BadLink(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # "expired" | "invalid"


@dataclass(frozen=True, slots=True)
class LinkClaim:
    approval_id: int
    decision: str


class ApprovalLinks:
    def __init__(self, secret_key: str, base_url: str, *, max_age_seconds: int) -> None:
        self._serializer = URLSafeTimedSerializer(secret_key, salt="comptoir-approval")
        self._base_url = base_url.rstrip("/")
        self._max_age = max_age_seconds

    def token(self, approval_id: int, decision: str) -> str:
        if decision not in DECISIONS:
            raise ValueError(decision)
        return self._serializer.dumps({"a": approval_id, "d": decision})

    def url(self, approval_id: int, decision: str) -> str:
        return f"{self._base_url}/approvals/{self.token(approval_id, decision)}"

    def read(self, token: str) -> LinkClaim:
        try:
            data = self._serializer.loads(token, max_age=self._max_age)
        except SignatureExpired:
            raise BadLink("expired") from None
        except BadSignature:
            raise BadLink("invalid") from None
        if not isinstance(data, dict) or data.get("d") not in DECISIONS or not isinstance(data.get("a"), int):
            raise BadLink("invalid")
        return LinkClaim(data["a"], data["d"])
