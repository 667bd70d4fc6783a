"""The ceiling: a bare Flask app with one route, served by the same gunicorn settings as the marketplace."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    return "Xin chào"
