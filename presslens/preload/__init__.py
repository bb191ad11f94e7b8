"""Modules the worker pool's forkserver imports, so that every worker forks with its models loaded.

Importing ``presslens.preload.rules`` (or ``presslens.preload.spacy``) warms the importing process for
pages whose names that entity reader reads (:func:`presslens.workers.warm_process`). The forkserver
only imports modules, so the reader is in the module's name; a worker still warms itself when the
forkserver was started for another reader.
"""
