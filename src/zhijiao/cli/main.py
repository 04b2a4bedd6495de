"""The ``zhijiao`` command."""

from __future__ import annotations

import typer

from zhijiao.cli import policy, registry
from zhijiao.cli.audit import audit_app
from zhijiao.cli.calc import calc
from zhijiao.cli.common import HELP
from zhijiao.cli.cost import cost
from zhijiao.cli.examples import examples
from zhijiao.cli.fulfilment import awards_app
from zhijiao.cli.majors import majors
from zhijiao.cli.payments import payments_app
from zhijiao.cli.report import report
from zhijiao.cli.serve import serve, users_app
from zhijiao.cli.targets import targets

app = typer.Typer(
    name="zhijiao",
    help=HELP,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.command()(calc)
app.command()(examples)
app.add_typer(policy.app, name="policy")
app.add_typer(registry.db_app, name="db")
app.command()(registry.tables)
app.command("import")(registry.import_)
app.command()(registry.export)
app.command()(registry.template)
app.command()(registry.demo)
app.command()(cost)
app.command()(targets)
app.command()(majors)
app.command()(serve)
app.command()(report)
app.add_typer(users_app, name="user")
app.add_typer(awards_app, name="awards")
app.add_typer(payments_app, name="payments")
app.add_typer(audit_app, name="audit")
