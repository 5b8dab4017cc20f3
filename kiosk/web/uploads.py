"""Which requests may carry a file: only views marked with takes_upload(), each with its own size limit."""

from flask import abort, current_app, request


def takes_upload(max_bytes: int):
    """Mark a view as one that receives a file of at most max_bytes (all other POSTs refuse files)."""

    def mark(view):
        view.upload_max_bytes = max_bytes
        return view

    return mark


def upload_limit(endpoint: str | None) -> int | None:
    """The file size a view marked with takes_upload() accepts, else None."""
    view = current_app.view_functions.get(endpoint) if endpoint else None
    return getattr(view, "upload_max_bytes", None)


def init_app(app):
    @app.url_value_preprocessor
    def _upload_limit(endpoint, _values):
        # Runs before every before_request (CSRF reads the body first): a view marked with
        # takes_upload() may receive its file's limit plus the usual allowance for the other fields.
        limit = upload_limit(endpoint)
        if limit:
            request.max_content_length = limit + current_app.config["MAX_CONTENT_LENGTH"]

    @app.before_request
    def _form_fields_only():
        # Flask-WTF takes a JSON body, and a file part named like a field, as that field's value: the
        # validators expect text and would crash. The kiosk only posts form fields, except to the
        # views marked with takes_upload(), which read their file themselves.
        if request.method == "POST" and (request.is_json or (request.files and not upload_limit(request.endpoint))):
            abort(400)
