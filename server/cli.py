"""The ``certdesk-server`` command: the provincial server (FastAPI + PostgreSQL).

    certdesk-server migrate --database-url URL
    certdesk-server serve --database-url URL --host 127.0.0.1 --port 8700
    certdesk-server station add --database-url URL --code CODE --name NAME [--workstation NN] [--json]
    certdesk-server workstation list --station CODE [--json]
    certdesk-server conflicts [--station CODE] [--json]
    certdesk-server key revoke --station CODE --workstation NN --reason retired|compromised
                               [--from YYYY-MM-DD] [--json]
    certdesk-server catalog publish FILE [--database-url URL]
    certdesk-server holidays publish FILE.json
    certdesk-server user add --name NAME --role province --password-stdin [--json]
    certdesk-server user list [--json] | user disable --name NAME
    certdesk-server stats [--from DATE] [--to DATE] --json
    certdesk-server oversight [--from DATE] [--to DATE] --json
    certdesk-server reports [--from DATE] [--to DATE] --json   refusals reported up, per unit
    certdesk-server partner add --name UNIT --sector SECTOR [--login NAME] --password-stdin [--json]
    certdesk-server partner list [--json] | partner disable --login NAME

Settings also come from the environment: CERTDESK_DATABASE_URL, CERTDESK_PROVINCE_KEY, …
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any


def build_parser() -> argparse.ArgumentParser:
    from app import __version__
    from app.commandline import Parser

    parser = Parser(prog="certdesk-server", description="certdesk 省级服务器")
    parser.add_argument(
        "--version",
        action="version",
        version=f"certdesk-server {__version__}",
        help="显示版本号并退出",
    )
    common = Parser(help_option=False)
    common.add_argument("--database-url", help="PostgreSQL 地址(或 CERTDESK_DATABASE_URL)")
    common.add_argument(
        "--province-key", type=Path, help="省级签名私钥文件(或 CERTDESK_PROVINCE_KEY)"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    sub.add_parser("migrate", parents=[common], help="建立或升级省级数据库，生成省级密钥(若无)")
    serve = sub.add_parser("serve", parents=[common], help="启动省级服务")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8700)
    serve.add_argument("--workers", type=int, default=1, help="进程数(默认1)")
    station = sub.add_parser("station", help="派出所登记")
    ssub = station.add_subparsers(dest="station_command", metavar="ACTION", parser_class=Parser)
    add = ssub.add_parser("add", parents=[common], help="登记派出所，给出一次性登记码")
    add.add_argument("--code", required=True, help="派出所代码")
    add.add_argument("--name", required=True, help="派出所名称")
    add.add_argument(
        "--workstation",
        metavar="NN",
        help="只给这个工作站(更换其电脑)；不给则只能登记尚未登记的工作站",
    )
    add.add_argument("--json", action="store_true")
    workstation = sub.add_parser("workstation", help="工作站")
    wsub = workstation.add_subparsers(
        dest="workstation_command", metavar="ACTION", parser_class=Parser
    )
    wlist = wsub.add_parser("list", parents=[common], help="列出派出所的工作站、同步位置和密钥")
    wlist.add_argument("--station", required=True, help="派出所代码")
    wlist.add_argument("--json", action="store_true")
    key = sub.add_parser("key", help="工作站签名密钥")
    ksub = key.add_subparsers(dest="key_command", metavar="ACTION", parser_class=Parser)
    revoke = ksub.add_parser(
        "revoke", parents=[common], help="吊销工作站密钥及其令牌(须用新登记码重新登记)"
    )
    revoke.add_argument("--station", required=True, help="派出所代码")
    revoke.add_argument("--workstation", required=True, metavar="NN", help="工作站编号(01-99)")
    revoke.add_argument(
        "--reason",
        required=True,
        choices=("retired", "compromised"),
        help="retired：停用(此前所签证明仍有效)；compromised：泄露(自该日起所签证明须在线核验)",
    )
    revoke.add_argument("--from", dest="from_day", metavar="YYYY-MM-DD", help="生效日期")
    revoke.add_argument("--json", action="store_true")
    user = sub.add_parser("user", help="省级账号(查看全省明细)")
    usub = user.add_subparsers(dest="user_command", metavar="ACTION", parser_class=Parser)
    uadd = usub.add_parser("add", parents=[common], help="新建省级账号(密码从标准输入读取)")
    uadd.add_argument("--name", required=True, help="账号名(小写字母开头)")
    uadd.add_argument("--role", required=True, choices=("province",), help="角色")
    uadd.add_argument("--password-stdin", action="store_true", required=True)
    uadd.add_argument("--json", action="store_true")
    ulist = usub.add_parser("list", parents=[common], help="列出省级账号")
    ulist.add_argument("--json", action="store_true")
    udisable = usub.add_parser("disable", parents=[common], help="停用省级账号(其令牌随即失效)")
    udisable.add_argument("--name", required=True)
    udisable.add_argument("--json", action="store_true")
    partner = sub.add_parser("partner", help="信息核查的协作部门账号(法院、检察院…)")
    psub = partner.add_subparsers(dest="partner_command", metavar="ACTION", parser_class=Parser)
    padd = psub.add_parser("add", parents=[common], help="开通协作部门核查账号(密码从标准输入读取)")
    padd.add_argument("--name", required=True, help="单位名称，如：长春市朝阳区人民法院")
    padd.add_argument("--sector", required=True, help="部门类别：court、procuratorate、education…")
    padd.add_argument("--login", help="登录名(小写字母开头)；不给则按部门类别编号，如 court-001")
    padd.add_argument("--password-stdin", action="store_true", required=True)
    padd.add_argument("--json", action="store_true")
    plist = psub.add_parser("list", parents=[common], help="列出协作部门账号")
    plist.add_argument("--json", action="store_true")
    pdisable = psub.add_parser("disable", parents=[common], help="停用协作部门账号")
    pdisable.add_argument("--login", required=True)
    pdisable.add_argument("--json", action="store_true")
    conflicts = sub.add_parser("conflicts", parents=[common], help="各派出所上报的冲突记录")
    conflicts.add_argument("--station", help="只列这个派出所的")
    conflicts.add_argument("--json", action="store_true")
    catalog = sub.add_parser("catalog", help="证明目录")
    csub = catalog.add_subparsers(dest="catalog_command", metavar="ACTION", parser_class=Parser)
    publish = csub.add_parser("publish", parents=[common], help="校验并以省级密钥签名发布目录")
    publish.add_argument("file", type=Path)
    publish.add_argument("--json", action="store_true")
    holidays = sub.add_parser("holidays", help="法定节假日安排")
    hsub = holidays.add_subparsers(dest="holidays_command", metavar="ACTION", parser_class=Parser)
    hpublish = hsub.add_parser("publish", parents=[common], help="校验并下发节假日表(JSON)")
    hpublish.add_argument("file", type=Path)
    hpublish.add_argument("--json", action="store_true")
    stats = sub.add_parser("stats", parents=[common], help="按派出所、证明种类、结论统计")
    stats.add_argument("--from", dest="start", metavar="YYYY-MM-DD")
    stats.add_argument("--to", dest="end", metavar="YYYY-MM-DD")
    stats.add_argument("--json", action="store_true")
    over = sub.add_parser("oversight", parents=[common], help="全省监督提示")
    over.add_argument("--from", dest="start", metavar="YYYY-MM-DD")
    over.add_argument("--to", dest="end", metavar="YYYY-MM-DD")
    over.add_argument("--json", action="store_true")
    reports = sub.add_parser("reports", parents=[common], help="全省报告上级的证明要求(按要求单位)")
    reports.add_argument("--from", dest="start", metavar="YYYY-MM-DD")
    reports.add_argument("--to", dest="end", metavar="YYYY-MM-DD")
    reports.add_argument("--json", action="store_true")
    return parser


def settings_for(args: argparse.Namespace) -> Any:
    from server.settings import Settings

    overrides: dict[str, Any] = {}
    if getattr(args, "database_url", None):
        overrides["database_url"] = args.database_url
    if getattr(args, "province_key", None):
        overrides["province_key"] = args.province_key
    return Settings(**overrides)


def emit(args: argparse.Namespace, data: Any, text: str) -> None:
    if getattr(args, "json", False):
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print(text)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    from sqlalchemy.exc import OperationalError

    from app.errors import CertdeskError
    from server.service import ServerError

    try:
        return run(args, parser)
    except ServerError as error:
        print(f"certdesk-server: {error.message}", file=sys.stderr)
        return 2
    except CertdeskError as error:  # the province key file is unreadable, …
        print(f"certdesk-server: {error.message}", file=sys.stderr)
        return 1
    except OperationalError as error:
        reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
        print(f"certdesk-server: 无法连接省级数据库：{reason}", file=sys.stderr)
        return 1


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    settings = settings_for(args)
    if args.command == "migrate":
        from server.db import migrate
        from server.keys import ensure_key, public_hex

        revision = migrate(settings.database_url)
        private = ensure_key(settings.province_key)
        key = public_hex(private)
        from server.sealing import check_against, ensure_data_key

        data_key = ensure_data_key(settings.data_key_path)
        from server import feed
        from server.db import make_engine, sessions

        engine = make_engine(settings.database_url, pool_size=1)
        try:
            with sessions(engine)() as session, session.begin():
                feed.sign_legacy(session, private)
                check_against(session, data_key)
        finally:
            engine.dispose()
        print(f"省级数据库已是最新结构({revision})；省级公钥 {key}")
        return 0
    if args.command == "serve":
        import os

        import uvicorn

        os.environ["CERTDESK_DATABASE_URL"] = settings.database_url
        os.environ["CERTDESK_PROVINCE_KEY"] = str(settings.province_key)
        os.environ["CERTDESK_DATA_KEY"] = str(settings.data_key_path)
        uvicorn.run(
            "server.api:app_from_env",
            factory=True,
            host=args.host,
            port=args.port,
            workers=args.workers,
            log_level="warning",
            access_log=False,  # a verification address carries a paper's signed facts
            timeout_graceful_shutdown=5,
            # the client's address is ours to read (CERTDESK_TRUSTED_PROXIES), not uvicorn's
            proxy_headers=False,
        )
        return 0
    from server import service
    from server.db import make_engine, sessions

    engine = make_engine(settings.database_url, pool_size=1)
    feed_key = None
    if args.command in ("key", "catalog", "holidays"):  # they write feed entries, signed
        from server.keys import ensure_key

        feed_key = ensure_key(settings.province_key)
    try:
        with sessions(engine, feed_key=feed_key)() as session, session.begin():
            if args.command == "station" and args.station_command == "add":
                from server.keys import ensure_key, public_hex

                province = public_hex(ensure_key(settings.province_key))
                number = args.workstation.zfill(2) if args.workstation else None
                code = service.add_station(
                    session,
                    code=args.code,
                    name=args.name,
                    province_key=province,
                    workstation=number,
                )
                which = f"第 {number} 号工作站(可更换其电脑)" if number else "一台尚未登记的工作站"
                emit(
                    args,
                    {"station_code": args.code.upper(), "enrol_code": code, "workstation": number},
                    f"已登记 {args.code.upper()} {args.name}。一次性登记码(7日内有效，"
                    f"登记{which}；末8位是省级公钥指纹)：{code}",
                )
                return 0
            if args.command == "workstation" and args.workstation_command == "list":
                rows = service.list_workstations(session, args.station)
                lines = [
                    f"{r['station']}-{r['workstation']}  "
                    f"{'已登记' if r['enrolled'] else '未登记/已吊销'}  已确认至第 {r['acked_seq']} 条  "
                    f"密钥 {len(r['keys'])} 把"
                    for r in rows
                ]
                emit(args, rows, "\n".join(lines) or "(尚无工作站登记)")
                return 0
            if args.command == "key" and args.key_command == "revoke":
                done = service.revoke_key(
                    session,
                    station=args.station,
                    workstation=args.workstation.zfill(2),
                    reason=args.reason,
                    from_day=args.from_day,
                )
                what = (
                    "停用，此前所签证明仍有效"
                    if args.reason == "retired"
                    else "泄露，自该日起所签证明须在线核验"
                )
                emit(
                    args,
                    done,
                    f"已吊销 {done['station']} 第 {done['workstation']} 号工作站的密钥"
                    f"({what}，{done['from']})；该工作站须用新登记码重新登记",
                )
                return 0
            if args.command == "user" and args.user_command:
                from server import accounts

                if args.user_command == "add":
                    password = sys.stdin.readline().rstrip("\r\n")
                    done = accounts.add_user(
                        session, name=args.name, role=args.role, password=password
                    )
                    emit(args, done, f"已新建省级账号 {args.name}(角色 {args.role})")
                elif args.user_command == "disable":
                    done = accounts.disable_user(session, args.name)
                    emit(args, done, f"已停用省级账号 {args.name}")
                else:
                    rows = accounts.list_users(session)
                    lines = [
                        f"{r['name']}  {r['role']}  {'在用' if r['active'] else '已停用'}"
                        f"{'  已锁定' if r['locked'] else ''}"
                        for r in rows
                    ]
                    emit(args, rows, "\n".join(lines) or "(尚无省级账号)")
                return 0
            if args.command == "partner" and args.partner_command:
                return _partner(args, session)
            if args.command == "conflicts":
                rows = service.list_conflicts(session, args.station)
                lines = [
                    f"{r['station']}-{r['workstation']}  第 {r['seq']} 条  "
                    f"{r['number'] or r['topic']}  {r['reason']}  {r['received_at']}"
                    for r in rows
                ]
                emit(args, rows, "\n".join(lines) or "(没有冲突记录)")
                return 0
            if args.command == "catalog" and args.catalog_command == "publish":
                return _publish(args, settings, session)
            if args.command == "holidays" and args.holidays_command == "publish":
                return _publish_holidays(args, session)
            if args.command in ("stats", "oversight", "reports"):
                import datetime as dt

                from app.policy.workdays import CHINA
                from server import supervision

                today = dt.datetime.now(CHINA).date()
                start = args.start or today.replace(day=1).isoformat()
                end = args.end or today.isoformat()
                if args.command == "reports":
                    demands = supervision.reported_demands(session, start=start, end=end)
                    lines = [
                        f"{d.unit or '(未记录单位名称)'}  {d.sector}  {d.count} 件  "
                        f"{'、'.join(d.stations)}  {'、'.join(d.kinds)}  "
                        f"{d.first_day} 至 {d.last_day}"
                        for d in demands
                    ]
                    emit(
                        args,
                        [d.model_dump(mode="json") for d in demands],
                        "\n".join(lines) or "(没有须报告的要求)",
                    )
                    return 0
                if args.command == "oversight":
                    flags = supervision.oversight(session, start=start, end=end)
                    lines = [
                        f"{f.day}  {f.officer}  {f.title}  {f.case_no}  {f.serial or ''}  {f.detail}"
                        for f in flags
                    ]
                    emit(
                        args,
                        [f.model_dump(mode="json") for f in flags],
                        "\n".join(lines) or "(没有监督提示)",
                    )
                    return 0
                data = supervision.statistics(session, start=start, end=end)
                lines = [f"{r.station_code}  {r.count}" for r in data.by_station]
                for title, counts in (
                    ("各派出所答复核查", data.inquiries_by_station),
                    ("各协作部门请求核查", data.inquiries_by_partner),
                ):
                    if counts:
                        lines.append(f"{title}(请求/按期/超期/待答复/已逾期/不予答复)：")
                    lines += [
                        f"  {r.name}({r.key})  {r.asked}/{r.in_time}/{r.late}/{r.open}/"
                        f"{r.overdue}/{r.declined}"
                        for r in counts
                    ]
                emit(args, data.to_dict(), "\n".join(lines) or "(没有记录)")
                return 0
    finally:
        engine.dispose()
    parser.print_help()
    return 2


def _publish(args: argparse.Namespace, settings: Any, session: Any) -> int:
    from app.errors import CertdeskError
    from app.policy.catalog import parse_catalog
    from server import service
    from server.keys import ensure_key, sign

    try:
        raw = args.file.read_bytes()
        catalog = parse_catalog(raw, file=str(args.file))
    except OSError as error:
        raise service.ServerError(400, f"无法读取目录文件 {args.file}：{error.strerror}") from None
    except CertdeskError as error:
        raise service.ServerError(400, error.message) from None
    signature = sign(ensure_key(settings.province_key), raw)
    meta = catalog.data.catalog
    number = service.publish_catalog(
        session,
        text=raw.decode("utf-8"),
        signature=signature,
        catalog_id=meta.id,
        version=meta.version,
    )
    emit(
        args,
        {"id": number, "catalog_id": meta.id, "version": meta.version, "signature": signature},
        f"已发布目录 {meta.id} 版本 {meta.version}(签名 {signature[:16]}…)",
    )
    return 0


def _publish_holidays(args: argparse.Namespace, session: Any) -> int:
    """A year's holidays and make-up working days ({"years", "holidays", "workdays"}), checked
    as the stations will check it, then queued for every station."""
    from app.errors import CertdeskError
    from app.policy.workdays import HolidayTable
    from server import feed, service

    try:
        body = json.loads(args.file.read_text(encoding="utf-8"))
        table = HolidayTable.from_mapping(body)
    except OSError as error:
        raise service.ServerError(400, f"无法读取节假日表 {args.file}：{error.strerror}") from None
    except ValueError as error:
        raise service.ServerError(400, f"{args.file} 不是 JSON：{error}") from None
    except CertdeskError as error:
        raise service.ServerError(400, f"{args.file}：{error.message}") from None
    feed.add(session, "holidays", body)
    years = "、".join(str(y) for y in sorted(table.years))
    emit(args, {"years": sorted(table.years)}, f"已下发 {years} 年的节假日表")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())


def _partner(args: argparse.Namespace, session: Any) -> int:
    from server import inquiries

    if args.partner_command == "add":
        password = sys.stdin.readline().rstrip("\r\n")
        login = args.login or inquiries.next_login(session, args.sector)
        done = inquiries.add_partner(
            session, name=login, unit=args.name, sector=args.sector, password=password
        )
        asks = "；".join(k["information"] or k["kind_id"] for k in done["may_ask"])
        emit(args, done, f"已开通 {done['unit']} 的核查账号 {login}；可核查：{asks}")
    elif args.partner_command == "disable":
        done = inquiries.disable_partner(session, args.login)
        emit(args, done, f"已停用核查账号 {args.login}")
    else:
        rows = inquiries.list_partners(session)
        lines = [
            f"{r['name']}  {r['unit']}  {r['sector']}  {'在用' if r['active'] else '已停用'}"
            f"{'  已锁定' if r['locked'] else ''}"
            for r in rows
        ]
        emit(args, rows, "\n".join(lines) or "(尚无协作部门账号)")
    return 0
