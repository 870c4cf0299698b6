"""The review of the staged products before they are published: the privacy scan and the product check in
one pass, every file extracted once (:func:`praevention.publish.extract.judge_files`).

A file that was clean under the same recognisers, word list, register contact names and content is not
read again (the cache is keyed on all of them, the recognisers' and the check's code included).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from praevention.digest import content_key
from praevention.publish.extract import Content, judge_files
from praevention.publish.privacy_scan import Finding, recogniser_version, scan_content
from praevention.publish.product_check import Problem, check_content, rules, rules_version


@dataclass(frozen=True)
class Review:
    findings: list[Finding]  # personal data (privacy scan)
    problems: list[Problem]  # internal codes, English words, small counts, formulas (product check)
    coverage: Counter  # files read per type


def review(folder: Path, names: set[str] | frozenset[str] = frozenset(), *, cache: Path | None = None) -> Review:
    """Both checks over every product file below ``folder``."""
    word_rules = rules()

    def judge(content: Content, name: str) -> list[Finding | Problem]:
        return [*scan_content(content, names, name), *check_content(content, name, word_rules)]

    key = content_key(recogniser_version(), rules_version(), *sorted(names))
    found, paths = judge_files(Path(folder), judge, cache=cache, key=key)
    return Review(
        [f for f in found if isinstance(f, Finding)],
        [p for p in found if isinstance(p, Problem)],
        Counter(p.suffix.lower() for p in paths),
    )
