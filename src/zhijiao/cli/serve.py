"""``zhijiao serve``: the platform in a browser, and ``zhijiao user add``: accounts."""

from __future__ import annotations

import getpass
import os
from typing import Annotated

import typer
from sqlalchemy import func, select

from zhijiao.authz import Role
from zhijiao.cli.common import LangOption, err, the_plans, user_errors
from zhijiao.language import Lang, say
from zhijiao.registry.models import School
from zhijiao.storage.database import database_url, unit_of_work
from zhijiao.storage.migrate import ensure_schema

users_app = typer.Typer(help="账号管理 / accounts", no_args_is_help=True)
PASSWORD_VARIABLE = "ZHIJIAO_PASSWORD"  # noqa: S105 -- the name of a variable, not a password


def serve(
    demo: Annotated[
        bool, typer.Option("--demo", help="首次启动时载入演示数据和演示账号 / load the demo data once")
    ] = False,
    host: Annotated[str, typer.Option(help="监听地址 / address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="端口 / port")] = 8000,
    forwarded_allow_ips: Annotated[
        str | None,
        typer.Option(
            help="信任其 X-Forwarded-Proto/For 头的反向代理地址（逗号分隔）；不设则不信任任何代理 / addresses of the "
            "TLS proxy whose X-Forwarded-Proto/For headers are trusted (comma-separated); none if unset"
        ),
    ] = None,
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            max=64,
            help="工作进程数；生产环境用 PostgreSQL / worker processes (use PostgreSQL in production)",
        ),
    ] = 1,
    lang: LangOption = Lang.zh,
) -> None:
    """启动平台（网页与 API）/ serve the platform (pages and API)."""
    import uvicorn  # noqa: PLC0415 -- only this command needs the server

    from zhijiao.cli.platform import DEMO_VARIABLE, create_app  # noqa: PLC0415 -- nor the web application

    engine = ensure_schema()
    from zhijiao.audit.policy_version import record_policy_version  # noqa: PLC0415

    with user_errors(lang):  # ZHIJIAO_PLANS naming an unknown plan: said, not a traceback
        plans = the_plans(demo=demo)
    policy = plans.first  # the services' plan; a calculation takes the plan in force on its date
    with unit_of_work(engine) as session:
        for plan in plans.plans:
            record_policy_version(session, plan)  # a new version of a policy starts its own audit record
    if demo:
        from zhijiao.demo.accounts import create_demo_accounts  # noqa: PLC0415
        from zhijiao.demo.drafting_2026 import load_2026_demo  # noqa: PLC0415 -- demo mode only
        from zhijiao.demo.payees import load_demo_payees  # noqa: PLC0415 -- demo mode only
        from zhijiao.demo.payments import load_demo_payments  # noqa: PLC0415 -- demo mode only
        from zhijiao.demo.registry import generate  # noqa: PLC0415 -- the generator's name lists load only here
        from zhijiao.drafting.history_2023 import load_2023  # noqa: PLC0415
        from zhijiao.drafting.versions import wenzhou_today  # noqa: PLC0415 -- demo mode only

        with user_errors(lang), unit_of_work(engine) as session:
            if not session.scalar(select(func.count()).select_from(School)):
                err.print(say(lang, "首次启动：正在载入演示数据……", "First start: loading the demo data…"))
                generate(session)
            load_2023(session, policy)  # the 2023 plan's drafting record; already there, left alone
            create_demo_accounts(session)
            load_demo_payees(session)  # finance proposes, finance2 confirms: the accounts just made
            load_demo_payments(session, policy)  # a batch the bank answered, one payment failed
            load_2026_demo(session, wenzhou_today(), policy)  # a plan in progress, by the demo accounts just made
    err.print(say(lang, f"数据库：{database_url()}", f"Database: {database_url()}"))
    err.print(say(lang, f"平台地址：http://{host}:{port}/", f"Platform at http://{host}:{port}/"))
    # Forwarded headers are believed only from the proxy named here: from anyone else they would let a client
    # claim HTTPS or another address. Behind a TLS proxy the app then sees https, sets Secure cookies and HSTS.
    served: dict[str, object] = {
        "host": host,
        "port": port,
        "log_level": "info",
        "proxy_headers": forwarded_allow_ips is not None,
        "forwarded_allow_ips": forwarded_allow_ips or "",
    }
    if workers == 1:
        uvicorn.run(create_app(engine, demo=demo, policy=policy, plans=plans), **served)  # type: ignore[arg-type]
        return
    if engine.dialect.name == "sqlite":
        err.print(
            say(
                lang,
                "提示：多个工作进程共用一个 SQLite 文件时写入逐个排队；生产环境请用 PostgreSQL。",
                "Note: worker processes sharing one SQLite file queue their writes; use PostgreSQL in production.",
            )
        )
    # Each worker builds its own app and connection pool: a pool must not cross a fork.
    os.environ[DEMO_VARIABLE] = "1" if demo else "0"
    engine.dispose()
    uvicorn.run("zhijiao.cli.platform:served_app", factory=True, workers=workers, **served)  # type: ignore[arg-type]


@users_app.command("add")
def add(
    username: Annotated[str, typer.Argument(help="用户名 / user name")],
    role: Annotated[Role, typer.Option(help="角色 / role")],
    name: Annotated[str | None, typer.Option(help="显示名称 / display name")] = None,
    county: Annotated[str | None, typer.Option(help="县级经办人员的县（市、区）/ a county officer's county")] = None,
    school: Annotated[str | None, typer.Option(help="学校用户的学校代码 / a school user's school code")] = None,
    enterprise: Annotated[str | None, typer.Option(help="企业用户的企业代码 / an enterprise user's code")] = None,
    lang: LangOption = Lang.zh,
) -> None:
    """新增账号；密码从提示输入或环境变量 ZHIJIAO_PASSWORD 读取 / add an account (password prompted or from
    ZHIJIAO_PASSWORD, never on the command line where the shell history would keep it)."""
    from zhijiao.accounts.service import add_user  # noqa: PLC0415 -- argon2 loads only here

    password = os.environ.get(PASSWORD_VARIABLE) or getpass.getpass(say(lang, "密码：", "Password: "))
    engine = ensure_schema()
    with user_errors(lang), unit_of_work(engine) as session:
        user = add_user(
            session,
            username=username,
            password=password,
            role=role,
            display_name=name,
            county=county,
            school_code=school,
            enterprise_code=enterprise,
        )
    err.print(
        say(lang, f"已创建账号 {user.username}（{role.value}）", f"Account {user.username} ({role.value}) created")
    )
