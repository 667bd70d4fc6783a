"""`flask postal load-points FILE.csv`, `flask postal demo-points PROVINCE…`, `flask postal create-token NAME`."""

from __future__ import annotations

import click
from flask_babel import force_locale

from marketplace.extensions import db
from marketplace.postal import bp
from marketplace.postal.errors import PostalError


@bp.cli.command("load-points")
@click.argument("path", type=click.File("r", encoding="utf-8-sig"))
def load_points(path) -> None:
    """Create or update service points from a CSV (code,name,ward_code,lat,lng,opening_hours)."""
    rows = list(path)
    with force_locale("vi"):  # messages are lazy strings; there is no request to choose a language from
        created, updated = _load(rows)
    db.session.commit()
    click.echo(f"{created} created, {updated} updated.")
    _route_waiting_orders()


def _route_waiting_orders() -> None:
    """Orders marked ready while no point served them get their parcels now that new points exist."""
    from marketplace.postal.shipping import create_missing

    parcels = create_missing(limit=100_000)
    db.session.commit()
    if parcels:
        click.echo(f"Parcels created for orders that were waiting for a service point: {len(parcels)}.")


def _load(rows: list[str]) -> tuple[int, int]:
    from marketplace.postal.points import read_points_csv, refresh_serving_points, upsert_point

    created = updated = 0
    provinces: set[int] = set()
    try:
        with click.progressbar(list(read_points_csv(rows)), label="Service points") as bar:
            for line, data in bar:
                try:
                    point, new = upsert_point(data, refresh=False)
                except PostalError as exc:
                    raise click.ClickException(f"line {line}: {exc}") from None
                provinces.add(point.province_code)
                created += new
                updated += not new
        for province_code in sorted(provinces):
            refresh_serving_points(province_code)
    except PostalError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from None
    except click.ClickException:
        db.session.rollback()
        raise
    return created, updated


@bp.cli.command("demo-points")
@click.argument("provinces", nargs=-1, type=int, required=True)
def demo_points(provinces: tuple[int, ...]) -> None:
    """One demo service point per ward of the given province codes (idempotent)."""
    from marketplace.postal.demo import create_demo_points

    count = create_demo_points(provinces)
    db.session.commit()
    click.echo(f"{count} service points created.")
    _route_waiting_orders()


@bp.cli.command("create-token")
@click.argument("name")
def create_token(name: str) -> None:
    """Create a bearer token for a postal system; the token is printed once and only its hash is kept."""
    from marketplace.postal.tracking import create_token as make

    with force_locale("vi"):
        try:
            _row, token = make(name)
        except PostalError as exc:
            raise click.ClickException(str(exc)) from None
    db.session.commit()
    click.echo(token)


@bp.cli.command("assign-clerk")
@click.argument("identifier")
@click.argument("point_code")
def assign_clerk(identifier: str, point_code: str) -> None:
    """Attach a clerk (by phone `0912…` or e-mail) to a service point."""
    from sqlalchemy import select

    from marketplace.accounts.models import User
    from marketplace.accounts.phone import normalize_phone
    from marketplace.postal.points import assign_clerk as assign
    from marketplace.postal.points import get_point

    phone = normalize_phone(identifier)
    match = User.phone == phone if phone else User.email == identifier.strip().lower()
    user = db.session.scalar(select(User).where(match))
    point = get_point(point_code)
    if user is None or point is None:
        raise click.ClickException("unknown user or service point")
    with force_locale("vi"):
        try:
            assign(user, point)
        except PostalError as exc:
            raise click.ClickException(str(exc)) from None
    db.session.commit()
    click.echo(f"{user.name} now works at {point.code} {point.name}.")


@bp.cli.command("create-missing-parcels")
def create_missing_parcels() -> None:
    """Create the parcels of orders marked ready while no service point served them (safe to run any time)."""
    from marketplace.postal.shipping import create_missing

    created = create_missing(limit=10_000)
    db.session.commit()
    click.echo(f"{len(created)} parcel(s) created.")
