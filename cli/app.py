"""``kolmap ui``, ``kolmap demo`` and ``kolmap sample``: the app, and data to try it on."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

import click

from kolmap.cli.ingest import print_summary, run_ingest, warm_app
from kolmap.cli.rank import print_ranking
from kolmap.cli.support import open_store_for, reported_errors, settings_of, store_option
from kolmap.errors import KolmapError
from kolmap.graph.location import StoreLocation
from kolmap.graph.store import Scope
from kolmap.ingest.science.load import import_science
from kolmap.scoring.rank import RankKind, rank
from kolmap.settings import UPLOAD_LIMIT_MB, Settings

__all__ = ["app_command", "can_open_browser", "demo", "sample", "sample_folder", "serve", "ui"]


def app_command(port: int, host: str = "localhost", *, options: Sequence[str] = ()) -> list[str]:
    """The command that serves the kolmap app with Streamlit; ``kolmap ui``, the browser
    tests and the screenshot tool all start it this way. ``options`` are extra Streamlit
    flags (a later flag wins). The store is chosen by the ``KOLMAP_STORE`` environment
    variable.

    The server is always headless: a non-headless Streamlit with no
    ``~/.streamlit/credentials.toml`` (a fresh machine) stops at an "Email:" prompt, and it
    advertises and offers to install add-ons. ``kolmap ui`` opens the browser itself. Flags
    on the command line, rather than a config file, because the app may be started from any
    folder; they also win over a user's own ``~/.streamlit/config.toml``. Usage statistics
    stay off, and the toolbar is the viewer's (no "Deploy" button, no developer menu).
    Streamlit's file watcher is off: the app is not edited while it runs, so watching the
    package's folders (thousands of inotify events when files change nearby) is only cost.

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
        "--server.headless=true",
        "--server.showEmailPrompt=false",
        "--browser.gatherUsageStats=false",
        "--server.fileWatcherType=none",
        f"--server.maxUploadSize={UPLOAD_LIMIT_MB}",
        "--client.toolbarMode=viewer",
        *options,
    ]


def can_open_browser() -> bool:
    """Whether a browser window can open here; on Linux without a display (a server, an SSH
    session) Python's ``webbrowser`` would fall back to a text browser in this terminal."""
    if not sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        return True
    return any(os.environ.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY", "BROWSER"))


def _open_when_up(url: str, proc: subprocess.Popen[bytes], timeout: float = 120) -> None:
    """Open ``url`` in the browser once the server answers its health check."""
    import urllib.request
    import webbrowser

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as response:
                if response.read() == b"ok":
                    webbrowser.open(url)
                    return
        except OSError:
            pass
        time.sleep(0.25)


# Seconds the app server has to stop after the first signal before it is killed.
STOP_GRACE = 10.0


def serve(
    command: Sequence[str],
    env: dict[str, str],
    open_url: str | None = None,
    *,
    grace: float = STOP_GRACE,
) -> int:
    """Run the app server ``command`` until it ends; return its exit status.

    SIGINT, SIGTERM and SIGHUP sent to this process are passed on to the server, which
    then stops cleanly, and this process waits for it: stopping ``kolmap ui`` never leaves
    a server holding the port, and Ctrl+C ends without a traceback. A second signal while
    the server is stopping kills it, and so does ``grace`` seconds of waiting: Streamlit's
    web server waits for every open connection to close before it stops, and a browser
    tab that never lets go kept it running after SIGTERM. With ``open_url``, the browser
    opens on it once the server answers.
    """
    proc: subprocess.Popen[bytes] | None = None
    received: list[int] = []
    first: list[float] = []

    def forward(signum: int, _frame: object) -> None:
        received.append(signum)
        first.append(time.monotonic())
        if proc is None or proc.poll() is not None:
            return
        if len(received) > 1:
            proc.kill()
        elif sys.platform == "win32":  # Windows passes on no SIGINT to a child
            proc.terminate()
        else:
            proc.send_signal(signum)

    wanted = [signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGHUP", None)]
    signums = [s for s in wanted if s is not None]
    previous = {s: signal.signal(s, forward) for s in signums}
    try:
        proc = subprocess.Popen(list(command), env=env)
        if received:  # a signal came before the server started
            proc.terminate()
        elif open_url is not None:
            threading.Thread(target=_open_when_up, args=(open_url, proc), daemon=True).start()
        while True:
            try:
                status = proc.wait(timeout=0.2)
                break
            except subprocess.TimeoutExpired:
                if first and time.monotonic() - first[0] > grace:
                    proc.kill()
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
    return 128 - status if status < 0 else status  # killed by a signal: the shell's code


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
@click.option(
    "--warm/--no-warm",
    default=True,
    show_default=True,
    help="Before serving, score all data if this version of the store was never scored "
    "(a store ingested with --no-warm or by an older kolmap), so that no page's first "
    "load waits for it.",
)
@click.pass_context
def ui(
    ctx: click.Context, store: str | None, port: int, host: str, no_browser: bool, warm: bool
) -> None:
    """Open the kolmap app (Streamlit) on the store."""
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
    if warm and not where.is_neo4j:
        _warm_before_serving(settings_of(ctx), where.text)
    value = where.text if where.is_neo4j or where.is_memory else str(where.path.resolve())
    env = {**os.environ, "KOLMAP_STORE": value, "KOLMAP_APP_HOST": host}  # roles: access.py
    shown = "localhost" if host in {"0.0.0.0", "::", ""} else host
    url = f"http://{'[' + shown + ']' if ':' in shown else shown}:{port}"
    click.echo(f"kolmap app on {url} (store {where}); Ctrl+C to stop")
    open_url = None if no_browser or not can_open_browser() else url
    raise SystemExit(serve(app_command(port, host), env, open_url))


def _warm_before_serving(settings: Settings, store: str) -> None:
    """Score all data for the app unless it is kept for the store's version already; a
    failure is reported and the app starts anyway (the page that needs it shows the error)."""

    def announce() -> None:
        click.echo("scoring all data for the app (this version of the store was never scored) ...")

    try:
        seconds = warm_app(settings, store, before=announce, read_only=True)
    except KolmapError as exc:
        click.echo(f"warning: could not score all data before opening the app: {exc}", err=True)
        return
    if seconds is not None:
        click.echo(f"scored all data in {seconds:.1f} s")


def sample_folder() -> Path:
    """The bundled synthetic sample (canonical CSV files)."""
    return Path(str(resources.files("kolmap.data.samples").joinpath("canonical")))


def sample_science() -> Path:
    """The sample's scientific record: PubMed, MEDLINE, ClinicalTrials.gov and programme
    files, and the Bluesky accounts of some of its oncologists (``canonical/``)."""
    return Path(str(resources.files("kolmap.data.samples").joinpath("science")))


SCIENCE_FILES = ("pubmed.xml", "medline.nbib", "studies.json", "programme.csv")


def sample_timeline() -> Path:
    """The sample's timeline overlay: a rising newcomer and brand mentions with known shares
    (``canonical/``), and the brand list (``brands.csv``); docs/congress.md."""
    return Path(str(resources.files("kolmap.data.samples").joinpath("timeline")))


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
    """Ingest the bundled synthetic sample (with its scientific record) and print the top
    KOLs of each area."""
    settings = settings_of(ctx)
    science = sample_science()
    with reported_errors():
        summary = run_ingest(
            settings,
            [
                sample_folder(),
                science / "canonical",
                sample_timeline() / "canonical",
                sample_folder().parent / "platforms",
            ],
            store,
            None,
            None,
            None,
            show_progress=True,
        )
    print_summary(summary)
    with reported_errors(), open_store_for(store) as target:
        imported = import_science(
            target,
            [science / name for name in SCIENCE_FILES],
            quarantine_dir=StoreLocation.resolve(store).quarantine_dir(),
        )
    works = sum(s["written"].get("works", 0) for s in imported)
    click.echo(f"scientific record: {works} works, trials and congress roles (docs/science.md)")
    with reported_errors(), open_store_for(store, read_only=True) as source:
        for area in source.stats()["posts_by_area"]:
            scope = Scope(area=area)
            table = rank(source.projection(scope), RankKind.KOL, settings.scoring, top=top)
            print_ranking(table, "kol", scope, explain=False)
    click.echo(f"Explore further: kolmap rank --store {store} --area oncology --kind dol --explain")
    click.echo(
        f"Over time: kolmap rising --store {store} --area oncology --since 2026-06-01 "
        f"--compare-until 2026-06-01; kolmap congress ASCO --store {store}; kolmap "
        f"share-of-voice --store {store} --brands {sample_timeline() / 'brands.csv'}"
    )
