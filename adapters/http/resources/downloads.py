"""GET /api/consultas/{id}/descargar: the export streamed as UTF-8 in blocks of ~64 KiB."""

from __future__ import annotations

from collections.abc import Iterator

import falcon
from attrs import frozen

from domain.use_cases.export_query import ExportQuery, ExportQueryCommand

BLOCK = 64 * 1024  # characters gathered before one write to the socket


def encoded(chunks: Iterator[str], block: int = BLOCK) -> Iterator[bytes]:
    """Gather small text chunks into blocks of UTF-8 bytes; closing this closes `chunks`."""
    pending: list[str] = []
    size = 0
    try:
        for chunk in chunks:
            pending.append(chunk)
            size += len(chunk)
            if size >= block:
                yield "".join(pending).encode("utf-8")
                pending.clear()
                size = 0
        if pending:
            yield "".join(pending).encode("utf-8")
    finally:
        close = getattr(chunks, "close", None)
        if close is not None:
            close()


@frozen
class DownloadResource:
    """Thin: parse the query string, call ExportQuery, stream what it returns."""

    export: ExportQuery

    def on_get(self, req: falcon.Request, resp: falcon.Response, query_id: int) -> None:
        download = self.export(
            ExportQueryCommand(
                principal=req.context.principal,
                query_id=query_id,
                export_format=req.get_param("formato"),
                separator=req.get_param("separador"),
                detail=req.get_param("detalle"),
            )
        )
        resp.content_type = f"{download.media_type}; charset=utf-8"
        resp.set_header("Content-Disposition", f"attachment; filename={download.filename}")
        resp.set_header("Cache-Control", "private, no-store")
        resp.set_header("X-Content-Type-Options", "nosniff")
        resp.stream = encoded(download.chunks)
