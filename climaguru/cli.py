"""The `climaguru` command: serve, db upgrade/downgrade, create-admin, purge."""

from __future__ import annotations

import argparse
import getpass
import ipaddress
import logging
import os
import sys
from collections.abc import Sequence

from climaguru.purge_cli import add_purge_parser
from climaguru.settings import Settings, SettingsError, load_settings

log = logging.getLogger("climaguru.cli")


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    from climaguru.logging_setup import configure_logging

    try:
        settings = load_settings()
    except SettingsError as exc:
        print(f"Error de configuración: {exc}", file=sys.stderr)
        return 2
    configure_logging(settings.log_level, settings.log_format)
    return int(args.handler(settings, args) or 0)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="climaguru", description="ClimaGuru API")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="servir la API con gunicorn")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=None)
    serve.set_defaults(handler=_serve)
    db = sub.add_parser("db", help="migraciones de la base de datos")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    up = db_sub.add_parser("upgrade", help="aplicar migraciones hasta la última")
    up.add_argument("revision", nargs="?", default="head")
    up.set_defaults(handler=_db_upgrade)
    down = db_sub.add_parser("downgrade", help="revertir migraciones")
    down.add_argument("revision")
    down.set_defaults(handler=_db_downgrade)
    admin = sub.add_parser("create-admin", help="crear un usuario administrador")
    admin.add_argument("--username", required=True)
    admin.add_argument("--email", required=True)
    admin.add_argument("--nombre-completo", default=None)
    admin.add_argument(
        "--password-env",
        default="CLIMAGURU_ADMIN_PASSWORD",
        help="variable de entorno con la contraseña (si no existe, se pregunta)",
    )
    admin.set_defaults(handler=_create_admin)
    rotate = sub.add_parser(
        "rotate-encryption-key",
        help="re-cifrar las claves de proveedores con la primera clave de ENCRYPTION_KEY",
    )
    rotate.set_defaults(handler=_rotate)
    add_purge_parser(sub)
    return parser


def _rotate(settings: Settings, args: argparse.Namespace) -> int:
    from climaguru.container import Container

    report = Container(settings=settings).rotate_encryption_key()()
    print(f"{report.rotated} claves re-cifradas con la clave más reciente.")
    if report.unreadable:  # skipped, not fatal: the owner must enter these keys again
        ids = ", ".join(str(i) for i in report.unreadable)
        print(f"{len(report.unreadable)} claves ilegibles omitidas (ids: {ids}).", file=sys.stderr)
    return 0


def _serve(settings: Settings, args: argparse.Namespace) -> int:
    from climaguru.migrations import upgrade
    from climaguru.server import run_gunicorn

    if not settings.env_explicit and not _is_loopback(args.host):
        # The implicit default is development (generated secrets, docs on): never on a network.
        print(
            f"Error de configuración: --host {args.host} no es una dirección local; defina "
            "CLIMAGURU_ENV (production, o development a sabiendas) para servir en la red.",
            file=sys.stderr,
        )
        return 2
    if settings.is_sqlite:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        upgrade(settings.database_url)
    workers = args.workers or (1 if settings.is_sqlite else 2)
    log.info("ClimaGuru en http://%s:%s (%s workers)", args.host, args.port, workers)
    run_gunicorn(args.host, args.port, workers)
    return 0


def _is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1 or localhost; an empty host or 0.0.0.0 means every interface."""
    name = host.strip().strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False  # any other host name may resolve to a public address


def _db_upgrade(settings: Settings, args: argparse.Namespace) -> int:
    from climaguru.migrations import upgrade

    if settings.is_sqlite:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    upgrade(settings.database_url, args.revision)
    return 0


def _db_downgrade(settings: Settings, args: argparse.Namespace) -> int:
    from climaguru.migrations import downgrade

    downgrade(settings.database_url, args.revision)
    return 0


def _create_admin(settings: Settings, args: argparse.Namespace) -> int:
    from climaguru.container import Container
    from domain.errors import DomainError
    from domain.model.users import Role
    from domain.use_cases.register_user import RegisterUserCommand

    password = os.environ.get(args.password_env)
    if password is None:
        if not sys.stdin.isatty():
            print(f"Defina {args.password_env} o ejecute en una terminal.", file=sys.stderr)
            return 2
        password = getpass.getpass("Contraseña: ")
        if password != getpass.getpass("Repita la contraseña: "):
            print("Las contraseñas no coinciden.", file=sys.stderr)
            return 2
    container = Container(settings=settings)
    command = RegisterUserCommand(
        username=args.username, email=args.email, password=password, full_name=args.nombre_completo
    )
    try:
        session = container.register_user()(command, role=Role.ADMIN, sign_in=False)
    except DomainError as exc:
        print(f"No se creó el administrador: {exc.message}", file=sys.stderr)
        return 1
    print(f"Administrador '{session.user.username}' creado (id {session.user.id}).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
