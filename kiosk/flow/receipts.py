"""What the walk-in and business receipts share: the public links their QR codes carry, printing once
in kiosk mode, and the paper width."""

from flask import current_app, request, url_for

from kiosk.models import Draft


def public_url(endpoint: str, token: str) -> str:
    """An absolute link a phone can open (PUBLIC_BASE_URL when the kiosk sits behind a local address)."""
    base = current_app.config.get("PUBLIC_BASE_URL") or request.url_root
    return base.rstrip("/") + url_for(endpoint, token=token)


def claim_autoprint(current) -> bool:
    """True the first time a kiosk's visit shows its receipt: it prints itself then, never again."""
    autoprint = bool(current.draft.kiosk_id) and not current.draft.autoprinted
    if autoprint:
        Draft.update(autoprinted=True).where(Draft.id == current.draft.id).execute()
    return autoprint


def paper_mm() -> int:
    return 58 if str(current_app.config["RECEIPT_PAPER_MM"]) == "58" else 80
