"""The ``zhijiao`` console script. A one-situation ``zhijiao calc`` spends most of its time starting up, so it
loads only its own modules (the engine and the policy: no database, no workbooks, no web); every other
command, and ``--help``, loads the whole command line (``zhijiao.cli.main``)."""

from __future__ import annotations

import sys


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "calc":
        import typer  # noqa: PLC0415 -- see the module's description

        from zhijiao.cli.calc import calc  # noqa: PLC0415
        from zhijiao.cli.common import HELP  # noqa: PLC0415

        alone = typer.Typer(name="zhijiao", help=HELP, pretty_exceptions_enable=False)
        alone.callback()(lambda: None)  # a group, so "calc" stays a subcommand as in the whole command line
        alone.command()(calc)
        alone()
        return
    from zhijiao.cli.main import app  # noqa: PLC0415

    app()
