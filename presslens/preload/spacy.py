"""Importing this module warms the process for pages read with the spacy entity reader (see the package)."""

from presslens.workers import warm_process

warm_process("spacy")
