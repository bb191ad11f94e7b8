"""The user-edited YAML files (stories.yaml, outlets.yaml): read with the line of every mistake.

:func:`read_sections` reads a file into its top-level sections (YAML nodes, which keep their line
numbers); a file that is not YAML, not a mapping, or has an unknown top-level key is an error
naming the file and the line, raised as the caller's own error class.
"""

from __future__ import annotations

import hashlib
from pathlib import Path


def line_of(node) -> int:
    return node.start_mark.line + 1


def read_sections(path: Path, keys: tuple[str, ...], root_hint: str, error: type[ValueError]):
    """([(top-level key, value node)], sha256 of the bytes); None for a missing file, ([], digest) for an empty one."""
    import yaml

    if not path.exists():
        return None
    raw = path.read_bytes()
    try:
        root = yaml.compose(raw.decode("utf-8"))
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        raise error(f"{path}: not readable YAML ({exc})") from exc
    digest = hashlib.sha256(raw).hexdigest()
    if root is None:
        return [], digest
    if not isinstance(root, yaml.MappingNode):
        raise error(f"{path}:{line_of(root)}: {root_hint}")
    expected = keys[0] if len(keys) == 1 else f"{', '.join(keys[:-1])} or {keys[-1]}"
    sections = []
    for key_node, value_node in root.value:
        if key_node.value not in keys:
            raise error(f"{path}:{line_of(key_node)}: unknown key {key_node.value!r} (expected {expected})")
        sections.append((key_node.value, value_node))
    return sections, digest
