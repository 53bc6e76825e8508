"""``axbridge rank``: rank JSON Lines problems against JSON Lines offerings.

Each input line is one JSON object. The semantic channel is on by default (``--no-semantic``: lexical only). Only ``id`` and one of ``title`` /
``description`` are required; unknown fields are ignored; a bad line stops the
run with its file, line number and reason. Output is one JSON line per query,
in input order, with matches in rank order.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from matching.errors import MatchingError
from matching.index import MatchIndex
from matching.records import offering_from_dict, problem_from_dict
from matching.semantic import default_embedder

__all__ = ["read_jsonl", "rank_command"]

_CHUNK = 128


def read_jsonl(path: str | Path, parse: Callable[[dict], Any], what: str) -> list:
    """Records from a JSON Lines file; raises :class:`MatchingError` naming the line of the first bad one."""
    records, seen = [], {}
    path = Path(path)
    try:
        fh = open(path, encoding="utf-8")
    except OSError as exc:
        raise MatchingError(f"{what} file {path}: {exc.strerror}") from exc
    with fh:
        try:
            for lineno, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    data = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise MatchingError(f"{path}:{lineno}: invalid JSON ({exc.msg})") from exc
                if not isinstance(data, dict):
                    raise MatchingError(f"{path}:{lineno}: expected a JSON object, got {type(data).__name__}")
                try:
                    record = parse(data)
                except MatchingError as exc:
                    raise MatchingError(f"{path}:{lineno}: {exc}") from exc
                except (TypeError, ValueError) as exc:
                    raise MatchingError(f"{path}:{lineno}: {exc}") from exc
                if record.id in seen:
                    raise MatchingError(f"{path}:{lineno}: duplicate id {record.id!r} (first on line {seen[record.id]})")
                seen[record.id] = lineno
                records.append(record)
        except UnicodeDecodeError as exc:
            raise MatchingError(f"{path}: not UTF-8 text ({exc.reason})") from exc
    return records


@click.command("rank")
@click.option("--problems", "problems_path", required=True, type=click.Path(dir_okay=False),
              help="Problems as JSON Lines.")
@click.option("--offerings", "offerings_path", required=True, type=click.Path(dir_okay=False),
              help="Offerings as JSON Lines.")
@click.option("--top", default=10, show_default=True, type=click.IntRange(1, 10_000), help="Matches per query.")
@click.option("--direction", type=click.Choice(["offerings", "problems"]), default="offerings", show_default=True,
              help="offerings: best offerings for each problem; problems: best problems for each offering.")
@click.option("--lang", type=click.Choice(["ko", "en", "both"]), default="both", show_default=True,
              help="Language of the reason texts.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write to FILE instead of standard output.")
@click.option("--progress/--no-progress", default=None, help="Progress bar on stderr (default: for long batches on a terminal).")
@click.option("--semantic/--no-semantic", default=True, show_default=True,
              help="Fuse the multilingual sentence-embedding channel (multilingual-e5-small, on the CPU) with the "
                   "lexical channels. Records may carry their own 'embedding'; the others are embedded once.")
def rank_command(problems_path, offerings_path, top, direction, lang, output, progress, semantic):
    """Rank offerings for problems (or problems for offerings) and print JSON Lines."""
    try:
        problems = read_jsonl(problems_path, problem_from_dict, "problems")
        offerings = read_jsonl(offerings_path, offering_from_dict, "offerings")
    except MatchingError as exc:
        raise click.ClickException(str(exc)) from exc
    langs = ("ko", "en") if lang == "both" else (lang,)
    try:
        index = MatchIndex.build(offerings, problems, embedder=default_embedder() if semantic else None)
    except MatchingError as exc:
        raise click.ClickException(str(exc)) from exc
    queries = problems if direction == "offerings" else offerings
    query_key, match_key = ("problem_id", "offering_id") if direction == "offerings" else ("offering_id", "problem_id")
    show = progress if progress is not None else (len(queries) > 200 and sys.stderr.isatty())
    out = open(output, "w", encoding="utf-8") if output else sys.stdout
    try:
        with click.progressbar(length=len(queries), label="ranking", file=sys.stderr if show else _Null()) as bar:
            for lo in range(0, len(queries), _CHUNK):
                chunk = [q.id for q in queries[lo:lo + _CHUNK]]
                if direction == "offerings":
                    results = index.batch(problems=chunk, top=top, direction="offerings")
                else:
                    results = index.batch(offerings=chunk, top=top, direction="problems")
                for qid in chunk:
                    line = {query_key: qid, "matches": [m.as_dict(match_key, langs) for m in results[qid]]}
                    out.write(json.dumps(line, ensure_ascii=False) + "\n")
                bar.update(len(chunk))
    finally:
        if output:
            out.close()


class _Null:
    def write(self, _s: str) -> int:
        return 0

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False


@click.group()
def main() -> None:
    """AX Bridge matching engine."""


main.add_command(rank_command)
