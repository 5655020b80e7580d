"""``kolmap ui``, ``kolmap demo`` and ``kolmap sample``: the app, and data to try it on."""

from __future__ import annotations

from collections.abc import Sequence
from importlib import resources
from pathlib import Path

import click

from kolmap.cli.ingest import print_summary, run_ingest
from kolmap.cli.rank import print_ranking
from kolmap.cli.support import open_store_for, reported_errors, settings_of, store_option
from kolmap.graph.store import Scope, StoreLocation
from kolmap.scoring.rank import RankKind, rank

__all__ = ["app_command", "demo", "sample", "sample_folder", "ui"]


def app_command(
    port: int, host: str = "localhost", *, headless: bool = True, options: Sequence[str] = ()
) -> list[str]:
    """The command that serves the kolmap app with Streamlit; ``kolmap ui``, the browser
    tests and the screenshot tool all start it this way. ``options`` are extra Streamlit
    flags. The store is chosen by the ``KOLMAP_STORE`` environment variable.

    >>> app_command(8600)[2:4], app_command(8600)[5:7]
    (['streamlit', 'run'], ['--server.port=8600', '--server.address=localhost'])
    """
    import sys

    app = Path(str(resources.files("kolmap.ui").joinpath("app.py")))
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(app),
        f"--server.port={port}",
        f"--server.address={host}",
        "--browser.gatherUsageStats=false",
        f"--server.headless={'true' if headless else 'false'}",
        *options,
    ]


@click.command()
@store_option
@click.option("--port", default=8501, show_default=True, type=int)
@click.option(
    "--host",
    default="localhost",
    show_default=True,
    help="Address to listen on; keep localhost unless a reverse proxy fronts it.",
)
@click.option("--no-browser", is_flag=True, help="Do not open a browser window.")
def ui(store: str | None, port: int, host: str, no_browser: bool) -> None:
    """Open the kolmap app (Streamlit) on the store."""
    import os
    import subprocess
    from importlib.util import find_spec

    if find_spec("streamlit") is None:
        raise click.ClickException(
            "the app needs Streamlit: pip install 'kolmap[ui]' (make demo installs it)"
        )
    where = StoreLocation.resolve(store)
    if not where.exists():
        raise click.ClickException(
            f"{where}: no store here yet; run `kolmap ingest` or `kolmap demo` first"
        )
    if where.is_neo4j:  # fail here, readably, rather than in the app: server, password, copy
        with reported_errors(), open_store_for(where.text, read_only=True):
            pass
    value = where.text if where.is_neo4j or where.is_memory else str(where.path.resolve())
    env = {**os.environ, "KOLMAP_STORE": value}
    command = app_command(port, host, headless=no_browser)
    click.echo(f"kolmap app on http://{host}:{port} (store {where}); Ctrl+C to stop")
    raise SystemExit(subprocess.call(command, env=env))


def sample_folder() -> Path:
    """The bundled synthetic sample (canonical CSV files)."""
    return Path(str(resources.files("kolmap.data.samples").joinpath("canonical")))


@click.command()
@click.argument("out", type=click.Path(path_type=Path))
@click.option("--seed", default=None, type=int, help="Default 42 (sample) or 7 (adversarial).")
@click.option(
    "--scale",
    default=1.0,
    show_default=True,
    help="Size factor: 1 gives ~3k accounts and ~25k posts (the adversarial world ~5k, ~50k).",
)
@click.option(
    "--world",
    type=click.Choice(["sample", "adversarial"]),
    default="sample",
    show_default=True,
    help="The friendly sample, or the adversarial world built to break rankings "
    "(data/worlds/README.md).",
)
def sample(out: Path, seed: int | None, scale: float, world: str) -> None:
    """Generate a synthetic sample (no real people) in the canonical format."""
    if world == "adversarial":
        from kolmap.data.worlds.adversarial import generate as make_world
        from kolmap.data.worlds.adversarial import write_world

        folder = write_world(make_world(7 if seed is None else seed, scale), out)
    else:
        from kolmap.data.samples.generate import generate, write_sample

        folder = write_sample(generate(42 if seed is None else seed, scale), out)
    click.echo(f"wrote {folder} (+ truth.csv and known_answers.json in {out})")


@click.command()
@click.option(
    "--store",
    default="kolmap-demo.duckdb",
    show_default=True,
    help="Store for the demo (kept apart from your own data).",
)
@click.option("--top", default=5, show_default=True)
@click.pass_context
def demo(ctx: click.Context, store: str, top: int) -> None:
    """Ingest the bundled synthetic sample and print the top KOLs of each area."""
    settings = settings_of(ctx)
    with reported_errors():
        summary = run_ingest(
            settings, [sample_folder()], store, None, None, None, show_progress=True
        )
    print_summary(summary)
    with reported_errors(), open_store_for(store, read_only=True) as source:
        for area in source.stats()["posts_by_area"]:
            scope = Scope(area=area)
            table = rank(source.projection(scope), RankKind.KOL, settings.scoring, top=top)
            print_ranking(table, "kol", scope, explain=False)
    click.echo(f"Explore further: kolmap rank --store {store} --area oncology --kind dol --explain")
