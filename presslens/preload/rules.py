"""Importing this module warms the process for pages read with the rules entity reader (see the package)."""

from presslens.workers import warm_process

warm_process("rules")
