"""The request class: htmx-aware, and with NUL characters removed from form and query values.

A NUL is never meaningful in anything a person types, and PostgreSQL refuses it in any string,
so it is dropped where requests come in rather than checked at every query.
"""

from htmx_flask.requests import HtmxAwareRequest
from werkzeug.datastructures import ImmutableMultiDict


class NulFreeMultiDict(ImmutableMultiDict):
    """Form/query storage that drops NUL characters from keys and values as they are parsed."""

    def __init__(self, mapping=None):
        if mapping is not None and not hasattr(mapping, "keys"):  # the (key, value) pairs werkzeug parses
            mapping = [(_clean(key), _clean(value)) for key, value in mapping]
        super().__init__(mapping)


def _clean(value):
    return value.replace("\x00", "") if isinstance(value, str) else value


class KioskRequest(HtmxAwareRequest):
    parameter_storage_class = NulFreeMultiDict
