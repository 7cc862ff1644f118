"""Blueprints of the web interface, registered by create_app."""
from flask import Flask


def register(app: Flask) -> None:
    pass
