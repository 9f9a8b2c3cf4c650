"""The one plural helper: ``1 family``, ``2 families``, ``0 files``."""

from __future__ import annotations


def count(n: int, word: str, plural: str | None = None) -> str:
    """``n`` and ``word``, in the plural (``plural``, or ``word`` + ``s``) unless ``n`` is 1."""
    return f"{n} {word if n == 1 else plural or word + 's'}"
