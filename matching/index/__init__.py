"""The match index (:class:`MatchIndex`), split by concern:

- :mod:`matching.index.core`: the :class:`MatchIndex` API (build, update, rank, explain, batch, save, load);
- :mod:`matching.index.state`: :class:`Filters`, :class:`ScoreMatrix` and the immutable snapshot types;
- :mod:`matching.index.blocks`: building, appending, removing and compacting blocks of rows (and embeddings);
- :mod:`matching.index.search`: the channels, their fusion, candidate generation and top-k for one query;
- :mod:`matching.index.reasons`: the reasons of a match;
- :mod:`matching.index.persist`: the snapshot on disk, memory-mapped when loaded.
"""

from matching.index.core import SEMANTIC_FLOOR, SEMANTIC_WEIGHT, MatchIndex
from matching.index.state import Filters, ScoreMatrix

__all__ = ["Filters", "MatchIndex", "ScoreMatrix", "SEMANTIC_FLOOR", "SEMANTIC_WEIGHT"]
