"""Files the user gives presslens: opened safely, and the YAML ones read with the line of every mistake.

- :func:`read_user_file` is the one way presslens reads a file it did not write (pages and sidecars
  in raw/, sources.yaml, outlets.yaml, stories.yaml): a regular file only (a FIFO would block, a
  device never ends), its size checked before a byte is read, and, for raw/, a link's target checked
  to lie inside raw/ — all before reading.
- :func:`load_yaml` reads a user's YAML file into nodes (which keep their line numbers) with its
  aliases bounded (a 600-byte "billion laughs" file expands to gigabytes), and :func:`typed_mapping`
  turns a mapping node into typed values: text, lists of texts, URLs, whole numbers, strict booleans
  (``"false"`` is false, never ``bool("false")``). Every mistake is an error naming the file and line,
  raised as the caller's own error class.
"""

from __future__ import annotations

import errno
import functools
import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MAX_YAML_BYTES = 4 * 2**20  # a user's settings file; sources.yaml with 20,000 feed URLs is ~1.5 MB
MAX_ALIAS_VALUES = 100_000  # values that aliases may repeat in one file (an alias bomb repeats billions)


class UserFileError(Exception):
    """A user file that cannot be read safely; ``reason`` says why (for an error row or a message)."""

    def __init__(self, path: str | Path, reason: str, missing: bool = False):
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason
        self.missing = missing  # no such file (or a name the file system cannot hold): not an error for a sidecar


_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def file_kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def inside(path: str | Path, root: str | Path) -> bool:
    """Whether ``path``, every link followed, lies inside ``root`` (itself resolved)."""
    real = os.path.realpath(path)
    base = os.path.realpath(root)
    return real == base or real.startswith(base.rstrip(os.sep) + os.sep)


def read_user_file(path: str | Path, limit: int, root: str | Path | None = None, limit_for: str = "") -> bytes:
    """The bytes of a user's file, or :class:`UserFileError` before a byte is read when it is a link
    out of ``root``, not a regular file, or over ``limit`` bytes; the file is opened without blocking
    and checked again once open (the same file, still regular, still within the limit). ``limit_for``
    names what the limit is for in the message ("one page")."""
    try:
        if root is not None and not inside(path, root):
            raise UserFileError(path, "a link to a file outside raw/: not read (raw/ holds the evidence)")
        info = os.stat(path)
    except OSError as exc:
        missing = exc.errno in (errno.ENOENT, errno.ENOTDIR, errno.ENAMETOOLONG)
        raise UserFileError(path, f"cannot read ({exc.strerror or exc})", missing=missing) from exc
    if not stat.S_ISREG(info.st_mode):
        raise UserFileError(path, f"{file_kind(info.st_mode)}, not a regular file: not read")
    if info.st_size > limit:
        over = f"over the {_size(limit)} limit" + (f" for {limit_for}" if limit_for else "")
        size = f"{info.st_size / 1e6:,.0f} MB" if info.st_size >= 10**7 else f"{info.st_size:,} bytes"
        raise UserFileError(path, f"file is {size}, {over}")
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise UserFileError(path, f"cannot read ({exc.strerror or exc})") from exc
    with os.fdopen(fd, "rb") as fh:
        opened = os.fstat(fd)
        if (opened.st_dev, opened.st_ino) != (info.st_dev, info.st_ino) or not stat.S_ISREG(opened.st_mode):
            raise UserFileError(path, "the file changed while it was being opened: not read")
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise UserFileError(path, f"file grew past the {_size(limit)} limit while it was read")
    return data


def _size(limit: int) -> str:
    return f"{limit // 2**20} MiB" if limit >= 2**20 else f"{limit // 2**10} KiB"


# --- YAML ---------------------------------------------------------------------------------


def line_of(node) -> int:
    return node.start_mark.line + 1


def load_yaml(path: Path, error: type[Exception]):
    """(root node or None for an empty file, sha256 of the bytes); None for a missing file.

    A file over :data:`MAX_YAML_BYTES`, not UTF-8 YAML, nested too deeply, or whose aliases repeat
    more than :data:`MAX_ALIAS_VALUES` values is an ``error`` naming the file (and the line)."""
    import yaml

    try:
        raw = read_user_file(path, MAX_YAML_BYTES)
    except UserFileError as exc:
        if exc.missing and not Path(path).exists():
            return None
        raise error(f"{path}: {exc.reason}") from exc
    try:
        root = yaml.compose(raw.decode("utf-8"), Loader=yaml.SafeLoader)
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        raise error(f"{path}: not readable YAML ({exc})") from exc
    except RecursionError as exc:
        raise error(f"{path}: not readable YAML (nested too deeply)") from exc
    if root is not None:
        _check_aliases(path, root, error)
    return root, hashlib.sha256(raw).hexdigest()


def _children(node) -> list:
    import yaml

    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def _check_aliases(path: Path, root, error: type[Exception]) -> None:
    """Refuse a document that aliases expand past MAX_ALIAS_VALUES values (or into a loop): the size of
    each node, aliases expanded, is computed once per node, so the check costs the file's size."""
    expanded: dict[int, int] = {}
    open_nodes: set[int] = set()
    shared: list = []

    def size(node) -> int:
        key = id(node)
        if key in expanded:
            shared.append(node)
            return expanded[key]
        if key in open_nodes:
            raise error(f"{path}:{line_of(node)}: an alias refers to the value that contains it (a loop)")
        open_nodes.add(key)
        total = 1 + sum(size(child) for child in _children(node))
        open_nodes.discard(key)
        expanded[key] = total
        return total

    try:
        total = size(root)
    except RecursionError as exc:
        raise error(f"{path}: nested too deeply") from exc
    if total - len(expanded) > MAX_ALIAS_VALUES:
        biggest = max(shared, key=lambda node: expanded[id(node)])
        raise error(
            f"{path}:{line_of(biggest)}: aliases repeat {total - len(expanded):,} values, over the "
            f"{MAX_ALIAS_VALUES:,} allowed (an alias bomb?)"
        )


@dataclass(frozen=True)
class Field:
    """One key of a mapping in a user's YAML file: its kind, and whether it must be there.

    Kinds: ``text`` (a scalar; numbers are read as their text), ``texts`` (a list of texts), ``url``
    and ``urls`` (http or https with a host), ``location(s)`` (those, or ``file:///path``), ``bool``
    (true/false; the texts "true"/"false", "yes"/"no", "on"/"off", "1"/"0" mean what they say), ``count``
    (a whole number of at least ``minimum``), ``entries`` (a list, given back as its nodes for the caller to read)."""

    kind: str
    required: bool = False
    default: Any = None
    minimum: int = 0


_TRUE = frozenset({"true", "yes", "on", "1"})
_FALSE = frozenset({"false", "no", "off", "0"})
_KIND_WORDS = {
    "text": "a text",
    "texts": "a list of texts",
    "url": "an http(s) URL",
    "urls": "a list of http(s) URLs",
    "location": "an http(s) URL or a file:/// path",
    "locations": "a list of http(s) URLs or file:/// paths",
    "bool": "true or false",
    "count": "a whole number",
    "entries": "a list",
}


def typed_mapping(
    path: Path, node, fields: dict[str, Field], error: type[Exception], what: str | None = None
) -> dict[str, Any]:
    """The values of a mapping node, each converted to its field's kind; an unknown key, a key given
    twice, a missing required key or a value of the wrong kind is an ``error`` naming its line.
    ``what`` names the entry in messages ("an outlet"); None: the file's top level."""
    import yaml

    if not isinstance(node, yaml.MappingNode):
        raise error(f"{path}:{line_of(node)}: {what or 'the file'} must be a mapping (key: value lines)")
    values: dict[str, Any] = {}
    for key_node, value_node in node.value:
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
        if key not in fields:
            expected = ", ".join(sorted(fields))
            where = f"field {key!r} in {what}" if what else f"key {key!r}"
            raise error(f"{path}:{line_of(key_node)}: unknown {where} (expected {expected})")
        if key in values:
            raise error(f"{path}:{line_of(key_node)}: {key!r} is given twice")
        values[key] = _convert(path, value_node, fields[key], key, error, what)
    for key, field in fields.items():
        if values.get(key) in (None, "", []) and field.required:
            raise error(f"{path}:{line_of(node)}: {what or 'the file'} needs a `{key}` ({_KIND_WORDS[field.kind]})")
        if values.get(key) is None:
            values[key] = field.default
    return values


@functools.cache
def _loader():
    import yaml

    return yaml.SafeLoader("")


def _construct(node):
    """The Python value of a scalar node, as PyYAML's safe loader reads it (YAML 1.1: ints, floats,
    booleans, null, text)."""
    return _loader().construct_document(node)


def _convert(path: Path, node, field: Field, key: str, error: type[Exception], what: str | None):
    import yaml

    line = line_of(node)
    wrong = f"{path}:{line}: {f'{what}: `{key}`' if what else key} must be {_KIND_WORDS[field.kind]}"
    null = isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null")
    if null:
        return None
    if field.kind in ("texts", "urls", "locations", "entries"):
        if not isinstance(node, yaml.SequenceNode):
            hint = " (write [a, b], or one `- item` per line)" if isinstance(node, yaml.ScalarNode) else ""
            raise error(wrong + hint)
        if field.kind == "entries":
            return list(node.value)
        single = {"urls": "url", "locations": "location"}.get(field.kind, "text")
        return [_convert(path, item, Field(single), key, error, what) for item in node.value]
    if not isinstance(node, yaml.ScalarNode):
        raise error(wrong)
    value = _construct(node)
    if field.kind == "bool":
        if isinstance(value, bool):
            return value
        word = str(value).strip().lower()
        if word in _TRUE or word in _FALSE:
            return word in _TRUE
        raise error(f"{wrong}, not {node.value!r}")
    if field.kind == "count":
        if isinstance(value, bool) or not isinstance(value, int):
            raise error(f"{wrong}, not {node.value!r}")
        if value < field.minimum:
            raise error(f"{wrong} of at least {field.minimum}, not {value}")
        return value
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise error(wrong)
    text = str(value).strip()
    if field.kind in ("url", "location"):
        from presslens.urls import url_problem

        problem = url_problem(text, web_only=True)
        if problem and field.kind == "location" and text.lower().startswith("file:"):
            problem = url_problem(text) or (None if text.lower().startswith("file:///") else "write file:///path")
        elif problem and field.kind == "location":
            problem = f"{problem}, or file:///path for a file on this machine"
        if problem:
            raise error(f"{wrong}: {problem}")
    return text
