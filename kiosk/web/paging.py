"""Which page of a long list to show: the ?page= asked for, kept within the list (a typed or stale number never
errors)."""

from flask import request

MAX_PAGE = 100_000


def page_of(total: int, size: int) -> tuple[int, int]:
    """(page, pages) for total rows shown size at a time."""
    pages = max(1, -(-total // size))
    raw = request.args.get("page", "")[:7]
    asked = int(raw) if raw.isascii() and raw.isdigit() else 1
    return max(1, min(asked, pages, MAX_PAGE)), pages
