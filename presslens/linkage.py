"""Average-linkage clustering over a sparse similarity graph, with pins; shared by stories and key points.

Two groups merge when the mean similarity of their pairs (a pair missing from the graph counts
as 0) is the highest left and reaches the threshold. Work is proportional to the edges, not to
n²: a merge touches only the two groups' neighbours. Options used by story grouping:

- ``pins``: nodes pinned to the same label start as one group; different labels never meet.
- ``cohesion``: two groups of two or more do not merge when their mean similarity is below
  ``cohesion`` × the looser group's own mean similarity (two tight groups of one kind).
- ``copies``: pairs that are one text twice; they do not count towards a group's own similarity.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence


def average_linkage(
    nodes: Sequence[int],
    edges: dict[tuple[int, int], float],
    threshold: float,
    pins: dict[int, str] | None = None,
    cohesion: float = 0.0,
    copies: set[tuple[int, int]] | None = None,
) -> list[list[int]]:
    """Groups of ``nodes`` (each sorted, ordered by their first node); ``edges`` maps (i, j), i < j, to a similarity."""
    pins = pins or {}
    copy_pairs = copies or set()
    members: dict[int, set[int]] = {}
    label: dict[int, str | None] = {}
    inner: dict[int, float] = {}  # sum of similarities inside a group, copies left out
    copy_count: dict[int, int] = {}  # pairs of copies inside a group
    copy_of: dict[int, list[int]] = {}  # node -> the nodes it is a copy of
    of: dict[int, int] = {}
    seeds: dict[str, int] = {}
    next_id = 0
    for node in sorted(nodes):
        pin = pins.get(node)
        if pin is not None and pin in seeds:
            cid = seeds[pin]
            members[cid].add(node)
        else:
            cid = next_id
            next_id += 1
            members[cid], label[cid], inner[cid], copy_count[cid] = {node}, pin, 0.0, 0
            if pin is not None:
                seeds[pin] = cid
        of[node] = cid
    sums: dict[int, dict[int, float]] = {cid: {} for cid in members}
    for (i, j), s in edges.items():
        if i not in of or j not in of:
            continue
        a, b = of[i], of[j]
        is_copy = (i, j) in copy_pairs
        if is_copy:
            copy_of.setdefault(i, []).append(j)
            copy_of.setdefault(j, []).append(i)
        if a == b and is_copy:
            copy_count[a] += 1
        elif a == b:
            inner[a] += s
        else:
            sums[a][b] = sums[a].get(b, 0.0) + s
            sums[b][a] = sums[b].get(a, 0.0) + s
    similarity = {pair: edges[pair] for pair in copy_pairs if pair in edges}

    def mean(a: int, b: int) -> float:
        return sums[a].get(b, 0.0) / (len(members[a]) * len(members[b]))

    def own(c: int) -> float | None:
        """Mean similarity of the group's pairs that are not copies; None for a single text."""
        k = len(members[c])
        pairs = k * (k - 1) // 2 - copy_count[c]
        return inner[c] / pairs if pairs > 0 else None

    def copies_between(small: set[int], large: set[int]) -> tuple[int, float]:
        count, total = 0, 0.0
        for i in small:
            for j in copy_of.get(i, ()):
                if j in large:
                    count += 1
                    total += similarity[(min(i, j), max(i, j))]
        return count, total

    heap = [(-mean(a, b), a, b) for a in sums for b in sums[a] if a < b]
    heapq.heapify(heap)
    while heap:
        negative, a, b = heapq.heappop(heap)
        if a not in members or b not in members:
            continue
        value = mean(a, b)
        if abs(value + negative) > 1e-12:
            continue  # stale entry
        if value < threshold:
            break
        if label[a] is not None and label[b] is not None and label[a] != label[b]:
            continue
        own_a, own_b = own(a), own(b)
        if own_a is not None and own_b is not None and value < cohesion * min(own_a, own_b):
            continue
        c = next_id
        next_id += 1
        small, large = sorted((members.pop(a), members.pop(b)), key=len)
        n_copies, copy_sum = copies_between(small, large)
        large |= small
        members[c] = large
        label_a, label_b = label.pop(a), label.pop(b)
        label[c] = label_a if label_a is not None else label_b
        inner[c] = inner.pop(a) + inner.pop(b) + sums[a].get(b, 0.0) - copy_sum
        copy_count[c] = copy_count.pop(a) + copy_count.pop(b) + n_copies
        merged: dict[int, float] = {}
        for old in (a, b):
            for other, s in sums.pop(old).items():
                if other in (a, b):
                    continue
                merged[other] = merged.get(other, 0.0) + s
                sums[other].pop(old, None)
        sums[c] = merged
        for other, s in merged.items():
            sums[other][c] = s
            heapq.heappush(heap, (-(s / (len(members[other]) * len(members[c]))), min(other, c), max(other, c)))
    return sorted((sorted(m) for m in members.values()), key=lambda m: m[0])


def shared_term_candidates(retrieval, rows, among=None, max_candidates: int = 300, chunk_rows: int = 256):
    """For each row, the items sharing a retrieval term with it: yields (row, partner) arrays per chunk of rows.

    ``retrieval`` is a sparse 0/1 item x term matrix (only the terms worth retrieving by);
    ``among`` restricts the partners. A row with more than ``max_candidates`` partners keeps
    those sharing the most terms. Yields (rows, partners, the rows so capped) for ``chunk_rows``
    rows at a time, so memory stays bounded by chunk_rows x items; a pair may come twice (once
    from each side).
    """
    import numpy as np
    import scipy.sparse as sp

    rows = np.asarray(sorted(set(rows)), dtype=int)
    pool = retrieval
    if among is not None:
        mask = np.zeros(retrieval.shape[0])
        mask[np.asarray(list(among), dtype=int)] = 1.0
        pool = sp.diags(mask) @ retrieval
    for first in range(0, len(rows), chunk_rows):
        chunk = rows[first : first + chunk_rows]
        shared = sp.csr_matrix(retrieval[chunk] @ pool.T)
        left, right, capped = [], [], []
        for k, i in enumerate(chunk):
            start, end = shared.indptr[k], shared.indptr[k + 1]
            others, counts = shared.indices[start:end], shared.data[start:end]
            keep = others != i
            others, counts = others[keep], counts[keep]
            if len(others) > max_candidates:
                capped.append(int(i))
                others = others[np.lexsort((others, -counts))[:max_candidates]]
            left.append(np.full(len(others), i))
            right.append(others)
        if left:
            yield np.concatenate(left), np.concatenate(right), capped


def unique_pairs(left, right):
    """The distinct unordered pairs of two index arrays, as an array of (i, j) rows with i < j."""
    import numpy as np

    if not len(left):
        return np.zeros((0, 2), dtype=int)
    return np.unique(np.stack([np.minimum(left, right), np.maximum(left, right)], axis=1), axis=0)
