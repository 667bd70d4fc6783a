"""Search: one interface (api.py) over two backends (Whoosh by default, PostgreSQL full text), kept in sync."""

from flask import Blueprint

bp = Blueprint("search", __name__)


@bp.record_once
def _setup(state) -> None:
    from marketplace.search import cli, sync

    sync.init_app(state.app)
    cli.init_app(state.app)


from marketplace.search import views  # noqa: E402,F401
