"""The one domain error: a rule refuses a value or an action, and ``code`` says which rule (the screens turn it
into a message in the person's language; ``detail`` is for logs and tests, never shown)."""


class DomainError(ValueError):
    """Raise with one of the subclass's CODES, e.g. InvalidNik("length", "15 digits")."""

    CODES: tuple[str, ...] = ()
    what = "value refused"  # how the message starts: "invalid NIK (length): 15 digits"

    def __init__(self, code: str, detail: str = "") -> None:
        assert code in self.CODES, code
        self.code = code
        self.detail = detail
        super().__init__(f"{self.what} ({code})" + (f": {detail}" if detail else ""))
