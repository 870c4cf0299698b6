"""Every estimator the evaluation runs has one code and one German name, in one registry."""

from __future__ import annotations

from praevention.evaluation.evaluator import COMPARISON_TEXT, HEADLINE_ORDER
from praevention.stats import did, naive, synth
from praevention.stats.methods import LABELS, NAIVE, label


def test_every_estimator_code_has_a_german_name() -> None:
    codes = {naive.METHOD, did.METHOD, did.NEIGHBOURS, synth.METHOD, *COMPARISON_TEXT}
    codes |= {m for order in HEADLINE_ORDER.values() for m in order}
    assert codes <= set(LABELS)
    assert len(set(LABELS.values())) == len(LABELS)
    assert label(NAIVE) == "einfacher Vorher-Nachher-Vergleich"
    assert label("unknown_code") == "unknown_code"
