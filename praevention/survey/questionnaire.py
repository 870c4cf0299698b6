"""The standard short questionnaire, read from ``data/survey_questionnaire.yaml``.

One versioned data file drives everything that depends on the questions: the printable PDF, the online-form
table, the import workbook (:mod:`praevention.render.questionnaire`), the validation of imported answers
(:mod:`praevention.survey.read`) and the estimates (:mod:`praevention.survey.perception`). Item codes are
stable: a code never changes its meaning between versions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

QUESTIONNAIRE = Path(__file__).resolve().parents[2] / "data" / "survey_questionnaire.yaml"


@dataclass(frozen=True)
class Item:
    """One question with a fixed answer scale; ``share_codes`` are the answers whose share is reported."""

    code: str
    section: str
    question: str
    wording: str
    short: str
    scale: dict[int, str]
    share_codes: tuple[int, ...]
    share_label: str
    lower_is_better: bool
    headline: bool
    sources: tuple[str, ...]
    wording_basis: str


@dataclass(frozen=True)
class WeightingQuestion:
    """Age group, gender and Ortsteil: asked for weighting, never published per person."""

    code: str
    question: str
    variable: str
    scale: dict[int, str] = field(default_factory=dict)
    max_code: int | None = None

    def valid(self, code: int) -> bool:
        return code in self.scale if self.scale else 1 <= code <= (self.max_code or 999)


@dataclass(frozen=True)
class Questionnaire:
    version: str
    title: str
    subtitle: str
    intro: str
    population: str
    sources: dict[str, dict[str, str]]
    items: tuple[Item, ...]
    weighting: tuple[WeightingQuestion, ...]

    @property
    def headline(self) -> Item:
        return next(i for i in self.items if i.headline)

    def item(self, code: str) -> Item | None:
        return next((i for i in self.items if i.code == code), None)

    def weighting_question(self, code: str) -> WeightingQuestion | None:
        return next((w for w in self.weighting if w.code == code), None)

    @property
    def codes(self) -> list[str]:
        """Every column of the online form and of the respondent sheet, in questionnaire order."""
        return [i.code for i in self.items] + [w.code for w in self.weighting]

    def citation(self, key: str) -> str:
        return " ".join(str(self.sources[key]["citation"]).split())


def _scale(scales: dict, name: str | None) -> dict[int, str]:
    return {int(k): str(v) for k, v in (scales.get(name) or {}).items()} if name else {}


def parse(doc: dict) -> Questionnaire:
    """The questionnaire from its YAML document; unknown scales or sources are errors."""
    scales = doc["scales"]
    items, question = [], ""
    for raw in doc["items"]:
        question = raw.get("question", question)  # items of a block share the question of its first item
        if raw["scale"] not in scales:
            raise ValueError(f"item {raw['code']}: unknown scale {raw['scale']}")
        unknown = [s for s in raw["sources"] if s not in doc["sources"]]
        if unknown:
            raise ValueError(f"item {raw['code']}: unknown source {unknown}")
        scale = _scale(scales, raw["scale"])
        if not set(raw["share_codes"]) <= set(scale):
            raise ValueError(f"item {raw['code']}: share codes {raw['share_codes']} not in its scale")
        items.append(
            Item(
                code=str(raw["code"]),
                section=str(raw["section"]),
                question=str(question),
                wording=str(raw["wording"]),
                short=str(raw["short"]),
                scale=scale,
                share_codes=tuple(int(c) for c in raw["share_codes"]),
                share_label=str(raw["share_label"]),
                lower_is_better=bool(raw["lower_is_better"]),
                headline=bool(raw.get("headline", False)),
                sources=tuple(raw["sources"]),
                wording_basis=str(raw["wording_basis"]),
            )
        )
    if sum(i.headline for i in items) != 1:
        raise ValueError("the questionnaire needs exactly one headline item")
    weighting = tuple(
        WeightingQuestion(
            code=str(w["code"]),
            question=str(w["question"]),
            variable=str(w["variable"]),
            scale=_scale(scales, w.get("scale")),
            max_code=w.get("max_code"),
        )
        for w in doc["weighting"]
    )
    return Questionnaire(
        version=str(doc["version"]),
        title=str(doc["title"]),
        subtitle=str(doc["subtitle"]),
        intro=" ".join(str(doc["intro"]).split()),
        population=str(doc["population"]),
        sources={k: {kk: str(vv) for kk, vv in v.items()} for k, v in doc["sources"].items()},
        items=tuple(items),
        weighting=weighting,
    )


@cache
def questionnaire(path: Path = QUESTIONNAIRE) -> Questionnaire:
    """The project's questionnaire (read once)."""
    return parse(yaml.safe_load(path.read_text(encoding="utf-8")))
