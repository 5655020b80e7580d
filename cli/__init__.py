"""The ``kolmap`` command: parses arguments, calls the library, prints results.

Every command takes ``--store`` (else ``$KOLMAP_STORE``, else ``./kolmap.duckdb``); the group
takes ``--config`` (a TOML settings file). Library errors become one-line messages and exit
status 1; nothing here computes anything the library could. Each module holds a few commands
(:mod:`.ingest`, :mod:`.rank`, :mod:`.exports`, :mod:`.roles`, :mod:`.store_info`,
:mod:`.compliance`, :mod:`.neo4j_commands`, :mod:`.app`) and this one gathers them.
"""

from __future__ import annotations

import click

from kolmap import __version__
from kolmap.cli.app import app_command, demo, sample, ui
from kolmap.cli.compliance import audit, erase, purge, subject, suppress, users
from kolmap.cli.congress import congress
from kolmap.cli.exports import export_command
from kolmap.cli.ingest import ingest
from kolmap.cli.neo4j_commands import (
    export_neo4j,
    export_neo4j_bulk,
    import_neo4j,
    publish_scores_command,
)
from kolmap.cli.rank import rank_command
from kolmap.cli.roles import accounts, label
from kolmap.cli.safety import pv
from kolmap.cli.science import (
    fetch_openalex_command,
    fetch_pubmed_command,
    persons,
    quadrant,
    science,
)
from kolmap.cli.store_info import areas, config, exports, formats, runs, stats
from kolmap.cli.support import reported_errors
from kolmap.cli.transparency import coi, transparency
from kolmap.cli.trends import rising, share_of_voice_command
from kolmap.settings import load_settings

__all__ = ["app_command", "cli", "main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kolmap")
@click.option(
    "--config",
    "config",
    default=None,
    metavar="FILE",
    help="Settings TOML file (default: $KOLMAP_CONFIG or ./kolmap.toml if present).",
)
@click.pass_context
def cli(ctx: click.Context, config: str | None) -> None:
    """kolmap: map the KOLs, DOLs and health influencers of a therapeutic area."""
    with reported_errors():
        ctx.obj = load_settings(config)


for command in (
    ingest,
    rank_command,
    stats,
    runs,
    areas,
    formats,
    config,
    erase,
    export_neo4j,
    export_neo4j_bulk,
    publish_scores_command,
    import_neo4j,
    export_command,
    exports,
    suppress,
    audit,
    subject,
    purge,
    pv,
    transparency,
    coi,
    users,
    ui,
    sample,
    demo,
    accounts,
    label,
    science,
    persons,
    quadrant,
    fetch_pubmed_command,
    fetch_openalex_command,
    rising,
    share_of_voice_command,
    congress,
):
    cli.add_command(command)


def main() -> None:
    """Entry point of the ``kolmap`` console script."""
    cli(prog_name="kolmap")
