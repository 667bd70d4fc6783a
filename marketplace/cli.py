"""Flask commands: `flask demo load`, `flask demo synth --products N`."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

demo_cli = AppGroup("demo", help="Demo and benchmark data.")


@demo_cli.command("load")
def demo_load() -> None:
    """Load the demo marketplace once (idempotent) and print the demo accounts."""
    from marketplace.demo import load_demo

    created = load_demo(progress=True)
    click.echo("Demo data loaded." if created else "Demo data already present; nothing changed.")
    from marketplace.demo import DEMO_ACCOUNTS

    click.echo("\nDemo accounts (password for all: %s)" % DEMO_ACCOUNTS["password"])
    for role, ident, label in DEMO_ACCOUNTS["accounts"]:
        click.echo(f"  {role:<10} {ident:<28} {label}")
    from marketplace.demo import postal_summary

    postal = postal_summary()
    if postal:
        click.echo(f"\nThe clerk works at {postal['clerk_point']}.")
        if "clerk2_point" in postal:
            click.echo(f"The second clerk delivers the buyer's parcels at {postal['clerk2_point']}.")
        click.echo(f"The buyer's digital address code (use it at checkout): {postal['buyer_address']}")


@demo_cli.command("synth")
@click.option("--products", default=10_000, show_default=True, help="How many synthetic listings to add.")
@click.option("--households", default=None, type=int, help="How many synthetic households (default products/50).")
def demo_synth(products: int, households: int | None) -> None:
    """Add a large synthetic catalogue for benchmarks."""
    from marketplace.demo import synthesize

    count = synthesize(products, households=households, progress=True)
    click.echo(f"Added {count} synthetic listings.")


def init_app(app: Flask) -> None:
    from marketplace.orders.conservation import ledger_cli

    app.cli.add_command(demo_cli)
    app.cli.add_command(ledger_cli)
