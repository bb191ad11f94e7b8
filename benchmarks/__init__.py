"""Benchmarks: each stage scored on ../shared/bench beside its chance or reference band, and the run's costs.

Takes: the corpora in ../shared/bench, read in place (never copied into the repo). Hands on: printed scores
(``python -m benchmarks NAME``, ``make bench``), optional JSON, and — only when asked (``train_lines --save``,
``stories --train``) — retrained weights in presslens/data. Never: installed with the package, or imported
by ``presslens`` except when ``presslens bench`` (a thin alias) is called.
"""
