"""What every ``kolmap`` command shares: the store option, error reporting, settings,
consoles. Commands live in :mod:`kolmap.cli` and the modules it registers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import click
from rich.console import Console

from kolmap.errors import KolmapError
from kolmap.graph.store import open_store
from kolmap.settings import Settings

__all__ = [
    "F",
    "console",
    "err_console",
    "escape",
    "open_store_for",
    "reported_errors",
    "settings_of",
    "store_option",
]

F = TypeVar("F", bound=Callable[..., Any])
err_console = Console(stderr=True)


def store_option(func: F) -> F:
    return click.option(
        "--store",
        "store",
        default=None,
        metavar="PATH",
        help="Store to use: a DuckDB file, or a neo4j:// or bolt:// URI. Default: "
        "$KOLMAP_STORE or ./kolmap.duckdb.",
    )(func)


@contextmanager
def reported_errors() -> Iterator[None]:
    try:
        yield
    except KolmapError as err:
        raise click.ClickException(str(err)) from None


def settings_of(ctx: click.Context) -> Settings:
    obj = ctx.obj
    return obj if isinstance(obj, Settings) else Settings()


def open_store_for(location: str | None, *, read_only: bool = False) -> Any:
    """The store at ``location``, opened with this invocation's store settings."""
    ctx = click.get_current_context(silent=True)
    settings = settings_of(ctx.find_root()) if ctx is not None else Settings()
    return open_store(location, read_only=read_only, memory_limit=settings.store.memory_limit)


def console() -> Console:
    """Standard output; wide when it is a file or a pipe, so tables are not squeezed."""
    probe = Console()
    return probe if probe.is_terminal else Console(width=200)


def escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)
