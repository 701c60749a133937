"""Who is reading: the FastAPI dependency every route uses to decide what a request may see.

Anonymous requests are readers of public data only. (Token authentication: see issue 6 work.)
"""

from __future__ import annotations

from dataclasses import dataclass

ROLES = ("reader", "confidential", "admin")


@dataclass(frozen=True)
class Reader:
    name: str
    role: str  # anonymous | reader | confidential | admin

    @property
    def can_see_confidential(self) -> bool:
        return self.role in ("confidential", "admin")


ANONYMOUS = Reader("anonymous", "anonymous")


def get_reader() -> Reader:
    """FastAPI dependency: the reader of this request."""
    return ANONYMOUS
