"""The limits agentforge puts on its input, so that a hostile or huge file gets one clear
error within seconds instead of a hang, a memory blow-up or a traceback.

Every limit is far above what real agents need. Measured on ``../shared/corpus`` (1,110
agents from six public repositories): the largest file is 35,413 bytes, the largest
frontmatter 5,846 bytes, lists nest at most 3 deep, YAML at most 2 deep, and no frontmatter
uses a YAML anchor. Going over a limit raises ``errors.LimitError`` (a ``ParseError``)
naming the file and line; ``lint`` reports it as the rule ``over-limit``.
"""

from __future__ import annotations

# A file (or a string given to ``loads``) larger than this is not read at all: 1 MiB, about
# 30 times the largest agent of the corpus; only this much is ever read from a file.
MAX_FILE_BYTES = 1024 * 1024

# The frontmatter between the fences, in UTF-8 bytes: 64 KiB, 11 times the largest of the
# corpus (a description with a dozen examples). Bounds strict and lenient YAML reading,
# which is slow on a frontmatter of 100,000 keys.
MAX_FRONTMATTER_BYTES = 64 * 1024

# Top-level keys of one frontmatter: Claude Code reads about fifteen and the corpus uses at
# most 9. Without this limit 6,000 keys, which fit in 64 KiB, took 15 s to inspect.
MAX_FRONTMATTER_KEYS = 100

# YAML aliases (``*name``) may repeat anchored values (``&name``), but all aliases of one
# frontmatter together may stand for at most this many values (every scalar, list and
# mapping counted once for each time an alias repeats it). A "billion laughs" document, ten
# lines that expand to billions of values, is refused while it is parsed, before anything
# is expanded. The corpus uses no alias at all.
MAX_ALIAS_VALUES = 1000

# How deep lists and mappings may nest in the frontmatter (aliases included), and how deep
# Markdown list items may nest in the body. The corpus nests 2 and 3 deep; 32 keeps every
# walk of the model (reading, ``inspect``, JSON, templates, merging) far from Python's
# recursion limit.
MAX_YAML_DEPTH = 32
MAX_LIST_DEPTH = 32

# A merge of more list items than this (all sources, every depth) is refused before
# clustering. Clustering scores each pair of *distinct* items (copies are scored once) a
# block at a time, so memory stays small; time grows with the square of the distinct items:
# a family of 100 drifted copies (9,977 items, 1,117 distinct) clusters in about 2 s, 4,000
# distinct items take about 15 s, 20,000 distinct items would take minutes.
MAX_MERGE_ITEMS = 20000
