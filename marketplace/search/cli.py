"""`flask search rebuild`: rebuild the whole index from the database, aside, then swap it in."""

from __future__ import annotations

import click
from flask.cli import AppGroup

search_cli = AppGroup("search", help="Search index.")


@search_cli.command("rebuild")
def rebuild() -> None:
    """Rebuild the search index from the database; the live index keeps serving until the swap."""
    from marketplace.extensions import db
    from marketplace.search import api, documents

    total = documents.DocumentSource(db.engine).count_visible()
    with click.progressbar(length=total, label="Indexing listings") as bar:
        count = api.rebuild(progress=bar.update)
    click.echo(f"Indexed {count} listings.")


def init_app(app) -> None:
    app.cli.add_command(search_cli)
