"""Shipped data, read with ``importlib.resources``: trained weights and word lists.

Line models (``line_model_*.json``, from ``python -m benchmarks.train_lines --save``), the story pair model
(``grouping_model.json``, ``python -m benchmarks stories --train``), frame cues (``frames.json``) and the
outlet registry (``outlets.json``). Numbers and vocabularies only: never the text of a real page.
"""
