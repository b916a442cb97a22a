"""A pytest plugin (and importable guard) that makes edge libraries unimportable.

Used by tests/unit/test_architecture.py to show that `commerce` imports, and its unit
tests pass, without aiohttp, slack_bolt, aiosmtpd, jinja2 or spacy.
"""

from __future__ import annotations

import importlib.abc
import sys

BLOCKED = ("aiohttp", "slack_bolt", "slack_sdk", "aiosmtpd", "aiosmtplib", "jinja2", "spacy")


class _Blocker(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path=None, target=None):
        if fullname.split(".")[0] in BLOCKED:
            raise ModuleNotFoundError(f"{fullname} is blocked: commerce must not need it")
        return None


def install() -> None:
    for name in list(sys.modules):
        if name.split(".")[0] in BLOCKED:
            del sys.modules[name]
    sys.meta_path.insert(0, _Blocker())


install()
