"""`climaguru purge`: delete queries and audit entries past their retention and the rows of
expired sessions, and say what went."""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from datetime import datetime

from climaguru.settings import Settings

log = logging.getLogger("climaguru.purge")


def add_purge_parser(sub: argparse._SubParsersAction) -> None:
    purge = sub.add_parser(
        "purge",
        help="borrar las consultas y la auditoría más antiguas que su retención, y las "
        "sesiones caducadas",
    )
    purge.add_argument(
        "--older-than",
        type=int,
        metavar="DIAS",
        default=None,
        help="conservar las consultas de estos días (por defecto RETENTION_DAYS)",
    )
    purge.add_argument(
        "--audit-older-than",
        type=int,
        metavar="DIAS",
        default=None,
        help="conservar la auditoría de estos días (por defecto "
        "AUDIT_RETENTION_DAYS, y nunca menos que --older-than)",
    )
    purge.add_argument(
        "--batch-size",
        type=int,
        default=500,
        metavar="N",
        help="filas por lote; cada lote es una transacción corta (500)",
    )
    purge.add_argument("--dry-run", action="store_true", help="solo contar lo que se borraría")
    purge.add_argument("--json", action="store_true", help="el informe como un objeto JSON")
    purge.set_defaults(handler=purge_command)


def purge_command(settings: Settings, args: argparse.Namespace) -> int:
    from climaguru.container import Container
    from domain.errors import ValidationError
    from domain.use_cases.purge_old_data import PurgeOldDataCommand

    days = settings.retention_days if args.older_than is None else args.older_than
    audit = args.audit_older_than
    if audit is None:
        audit = max(settings.audit_retention_days, days)
    command = PurgeOldDataCommand(days, audit, args.batch_size, args.dry_run)
    started = time.monotonic()
    try:
        report = Container(settings=settings).purge_old_data()(command)
    except ValidationError as exc:
        print(f"No se purgó nada: {exc.message}", file=sys.stderr)
        return 2
    doc = {
        "simulacion": report.dry_run,
        "consultas_anteriores_a": _iso(report.query_cutoff),
        "auditoria_anterior_a": _iso(report.audit_cutoff),
        "consultas": report.queries.queries,
        "datos_clima": report.queries.summaries,
        "series_clima": report.queries.series_points,
        "logs_actividad": report.activity_entries,
        "sesiones_caducadas_antes_de": _iso(report.sessions_expired_before),
        "tokens_revocados": report.sessions.revoked_access,
        "tokens_refresco": report.sessions.refresh_tokens,
        "familias_tokens": report.sessions.families,
        "lotes": report.batches,
        "segundos": round(time.monotonic() - started, 3),
    }
    log.info("purga %s", json.dumps(doc))
    print(json.dumps(doc, ensure_ascii=False) if args.json else _text(doc))
    return 0


def _iso(instant: datetime) -> str:
    return instant.isoformat(timespec="seconds").replace("+00:00", "Z")


def _text(doc: dict) -> str:
    verb = "Se borrarían" if doc["simulacion"] else "Borradas"
    return (
        f"{verb}: {doc['consultas']} consultas anteriores a {doc['consultas_anteriores_a']} "
        f"({doc['datos_clima']} resúmenes, {doc['series_clima']} puntos de serie) y "
        f"{doc['logs_actividad']} entradas de auditoría anteriores a "
        f"{doc['auditoria_anterior_a']}; de las sesiones caducadas antes de "
        f"{doc['sesiones_caducadas_antes_de']}, {doc['tokens_refresco']} tokens de refresco, "
        f"{doc['familias_tokens']} familias y {doc['tokens_revocados']} tokens revocados; "
        f"en {doc['lotes']} lotes y {doc['segundos']} s. "
        "Usuarios, claves, favoritas y sesiones vigentes no se tocan."
    )
