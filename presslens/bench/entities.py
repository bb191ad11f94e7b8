"""Entity benchmark on BASIL: are an article's annotated main entities among the names it mentions most?

For each of BASIL's 300 articles (title and body as published), :func:`presslens.compare.entities.
article_entities` ranks the names by mentions (then by first position); a main entity is found
when it and one of the top K names contain one another ("Donald Trump" and "Trump"), case
ignored. Reported: recall at K = 3, 5 and 8 over all 612 main entities, and for people alone.
"""

from __future__ import annotations

import json
from pathlib import Path

from presslens.compare.entities import article_entities

TOP_K = (3, 5, 8)


def run(shared: str | Path) -> str:
    root = Path(shared) / "bench" / "corpora" / "basil" / "articles"
    found = {k: 0 for k in TOP_K}
    total = 0
    two_words = {k: 0 for k in TOP_K}
    total_two = 0
    for path in sorted(root.rglob("*.json")):
        article = json.loads(path.read_text(encoding="utf-8"))
        text = "\n".join(" ".join(p) if isinstance(p, list) else str(p) for p in article.get("body-paragraphs", []))
        entities = article_entities(article.get("title", ""), text)
        ranked = [
            n.lower()
            for n, _e in sorted(entities.items(), key=lambda kv: (-kv[1]["mentions"], kv[1]["first_position"]))
        ]
        for main in article.get("main-entities", []):
            wanted = main.lower()
            total += 1
            is_name = len(main.split()) == 2 and main.istitle()
            total_two += is_name
            for k in TOP_K:
                if any(wanted == t or wanted in t or t in wanted for t in ranked[:k]):
                    found[k] += 1
                    two_words[k] += is_name
    lines = [f"entity benchmark: BASIL main entities among each article's most mentioned names ({total} entities)"]
    for k in TOP_K:
        lines.append(
            f"  top {k}: recall {found[k] / total:.3f}   (two-word proper names, {total_two} of them: "
            f"{two_words[k] / max(1, total_two):.3f})"
        )
    return "\n".join(lines)
