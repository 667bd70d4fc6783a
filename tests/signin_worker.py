"""Run in its own interpreter by tests/test_sign_in_guarding.py: one app process (like one gunicorn worker) with the
throttles on and counting in the store named by RATELIMIT_STORAGE_URI, served on a free local port. Prints
"ready <port>", then serves until it is terminated."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    import logging

    from werkzeug.serving import make_server

    from marketplace import create_app

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    app = create_app("testing")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    print(f"ready {server.server_port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
