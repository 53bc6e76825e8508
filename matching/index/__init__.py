"""The match index (:class:`MatchIndex`), split by concern:

- :mod:`matching.index.core`: the :class:`MatchIndex` API (build, update, save, load);
- :mod:`matching.index.queries`: its read side (rank offerings, rank problems, explain a pair);
- :mod:`matching.index.state`: :class:`Filters`, :class:`ScoreMatrix` and the immutable snapshot types;
- :mod:`matching.index.blocks`: building, appending, removing and compacting blocks of rows (and embeddings);
- :mod:`matching.index.search`: the channels, their fusion and top-k for one query;
- :mod:`matching.index.candidates`: which rows of a large offerings block are scored exactly;
- :mod:`matching.index.products`: sparse products of one query with a block's matrices;
- :mod:`matching.index.reasons`: the reasons of a match;
- :mod:`matching.index.persist`: the snapshot on disk, memory-mapped when loaded.
"""

from matching.index.core import SEMANTIC_FLOOR, SEMANTIC_WEIGHT, MatchIndex
from matching.index.state import Filters, ScoreMatrix

__all__ = ["Filters", "MatchIndex", "ScoreMatrix", "SEMANTIC_FLOOR", "SEMANTIC_WEIGHT"]
