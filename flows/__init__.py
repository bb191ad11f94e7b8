"""Prefect flows: thin wrappers that compose the presslens library (which knows nothing of Prefect).

Takes: the run's settings — resolved by the CLI (``settings.RunSettings``), or a deployment's plain
``settings.RunOptions`` parameters, resolved once here. Hands on: the library's steps run as Prefect tasks
(``pipeline.Steps``; page batches submitted together), the run's artifacts, and processed/ exactly as
``presslens run --local`` writes it. Never: holds pipeline logic of its own, resolves settings twice, or is
imported by the library (only the CLI, the edge, starts a flow).
"""
