"""The portable format, for PostgreSQL without the client tools (``.axjson.gz``): gzip JSON lines, a
header, then each table's name and columns followed by its rows, one table after the other. Values
JSON cannot hold are tagged (``{"$dt": ...}``, ``{"$dec": ...}``, ...)."""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import gzip
import json
import uuid
from pathlib import Path

from sqlalchemy import MetaData, create_engine, text

from marketplace.database import normalise_url
from marketplace.ops.common import BackupError, BackupResult, fsync_and_replace, temp_next_to

PORTABLE_FORMAT = "axbridge-portable-1"


def _encode(value):
    if isinstance(value, dt.datetime):
        return {"$dt": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    if isinstance(value, dt.time):
        return {"$time": value.isoformat()}
    if isinstance(value, decimal.Decimal):
        return {"$dec": str(value)}
    if isinstance(value, (bytes, bytearray, memoryview)):
        return {"$b64": base64.b64encode(bytes(value)).decode()}
    if isinstance(value, uuid.UUID):
        return {"$uuid": str(value)}
    if hasattr(value, "value") and hasattr(value, "name") and not isinstance(value, (dict, list)):
        return value.value  # enum members
    raise TypeError(f"cannot store {type(value).__name__} in a portable backup")


def _decode(obj: dict):
    if len(obj) == 1:
        ((key, value),) = obj.items()
        decoders = {"$dt": dt.datetime.fromisoformat, "$date": dt.date.fromisoformat, "$time": dt.time.fromisoformat,
                    "$dec": decimal.Decimal, "$b64": base64.b64decode, "$uuid": uuid.UUID}
        if key in decoders:
            return decoders[key](value)
    return obj


def backup_portable(url: str, output: Path) -> BackupResult:
    engine = create_engine(normalise_url(url))
    temp = temp_next_to(output)
    revision = None
    try:
        with engine.connect() as conn:
            if engine.dialect.name == "postgresql":
                conn.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            meta = MetaData()
            meta.reflect(conn)
            with gzip.open(temp, "wt", encoding="utf-8") as out:
                tables = meta.sorted_tables
                if "alembic_version" in meta.tables:
                    revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
                out.write(json.dumps({"format": PORTABLE_FORMAT, "revision": revision,
                                      "tables": [t.name for t in tables]}) + "\n")
                for table in tables:
                    order = list(table.primary_key.columns) or list(table.columns)
                    out.write(json.dumps({"table": table.name, "columns": [c.name for c in table.columns]}) + "\n")
                    for row in conn.execute(table.select().order_by(*order)):
                        out.write(json.dumps(list(row), default=_encode, ensure_ascii=False) + "\n")
        fsync_and_replace(temp, output)
    finally:
        temp.unlink(missing_ok=True)
        engine.dispose()
    return BackupResult(output, "portable", revision, output.stat().st_size)


def read_portable_header(path: Path) -> dict:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        header = json.loads(handle.readline())
    if header.get("format") != PORTABLE_FORMAT:
        raise BackupError(f"{path} is not an AX Bridge portable backup")
    return header


def restore_portable(url: str, path: Path) -> None:
    engine = create_engine(normalise_url(url))
    try:
        with engine.begin() as conn:
            meta = MetaData()
            meta.reflect(conn)
            with gzip.open(path, "rt", encoding="utf-8") as handle:
                header = json.loads(handle.readline())
                missing = [t for t in header["tables"] if t not in meta.tables]
                if missing:
                    raise BackupError(f"the database has no tables {', '.join(missing)}; run axbridge db upgrade "
                                      "to the backup's revision first")
                for table in reversed(meta.sorted_tables):
                    conn.execute(table.delete())
                table, columns, batch = None, [], []

                def flush():
                    if batch:
                        conn.execute(table.insert(), batch)
                        batch.clear()

                for line in handle:
                    item = json.loads(line, object_hook=_decode)
                    if isinstance(item, dict):
                        flush()
                        table, columns = meta.tables[item["table"]], item["columns"]
                        continue
                    batch.append(dict(zip(columns, item)))
                    if len(batch) >= 500:
                        flush()
                flush()
            if engine.dialect.name == "postgresql":
                for table in meta.sorted_tables:
                    for column in table.primary_key.columns:
                        seq = conn.execute(text("SELECT pg_get_serial_sequence(:t, :c)"),
                                           {"t": f'"{table.name}"', "c": column.name}).scalar()
                        if seq:
                            conn.execute(text(f'SELECT setval(:s, COALESCE((SELECT MAX("{column.name}") FROM '
                                              f'"{table.name}"), 1), (SELECT MAX("{column.name}") FROM '
                                              f'"{table.name}") IS NOT NULL)'), {"s": seq})
    finally:
        engine.dispose()
