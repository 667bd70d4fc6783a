"""A WSGI app served on a free local port in a background thread."""

from __future__ import annotations

import logging
import threading

from werkzeug.serving import WSGIRequestHandler, make_server


class RawHeadersHandler(WSGIRequestHandler):
    """Werkzeug drops request headers whose names hold an underscore; some providers use such names (Zalo's
    `access_token`, `secret_key`): every header as sent is also put in `environ["standin.raw_headers"]`."""

    def make_environ(self):
        environ = super().make_environ()
        environ["standin.raw_headers"] = {k.lower(): v for k, v in self.headers.items()}
        return environ


class Background:
    def __init__(self, wsgi_app, host: str = "127.0.0.1", port: int = 0):
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        self.server = make_server(host, port, wsgi_app, threaded=True, request_handler=RawHeadersHandler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"

    def start(self) -> "Background":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.thread.join(timeout=10)
