"""Postal services: the shipping tariff (later: digital addresses, service points, parcels)."""

from flask import Blueprint

bp = Blueprint("postal", __name__)
