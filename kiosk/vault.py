"""The application's DataVault, built from config."""

from flask import current_app

from kiosk.crypto import DataVault


def init_app(app):
    app.extensions["vault"] = DataVault(app.config["DATA_KEYS"], app.config["INDEX_KEY"])


def vault() -> DataVault:
    return current_app.extensions["vault"]
