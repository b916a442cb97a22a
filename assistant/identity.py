"""Who wrote: a known contact (and their customer and role) or a prospect."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from commerce.customers import Contact, Customer, Role
from commerce.persistence import catalog_store


@dataclass(frozen=True, slots=True)
class Identity:
    address: str
    contact: Contact | None
    customer: Customer | None

    @property
    def is_prospect(self) -> bool:
        return self.contact is None

    @property
    def is_rep(self) -> bool:
        return self.contact is not None and self.contact.role is Role.SALES_REP

    @property
    def role(self) -> Role | None:
        return self.contact.role if self.contact else None

    @property
    def language_hint(self) -> str | None:
        return self.contact.language if self.contact else None

    @property
    def name(self) -> str:
        return self.contact.name if self.contact else self.address


def resolve(session: Session, address: str) -> Identity:
    address = address.strip().lower()
    contact = catalog_store.get_contact(session, address) if "@" in address else None
    if contact is None and address:
        contact = catalog_store.contact_by_slack_id(session, address)
    customer = None
    if contact is not None and contact.customer_id:
        customer = catalog_store.get_customer(session, contact.customer_id)
    return Identity(address=contact.email if contact else address, contact=contact, customer=customer)
