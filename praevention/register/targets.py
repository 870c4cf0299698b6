"""What a measure aims at: PKS offence keys and accident groups, parsed from the ``Zielgröße`` cell.

The cell holds items separated by ``;``, ``,`` or line breaks. Each item is

* a PKS offence key as the BKA publishes it, six characters of digits, ``*`` and ``-``
  (``435*00``, ``899000``, ``------``), optionally followed by its label (``435*00 Wohnungseinbruchdiebstahl``,
  as the template's dropdown offers it);
* a label of a key listed in :data:`~praevention.register.schema.OFFENCE_KEYS` (``Straßenkriminalität``);
* an accident group: its code (``cyclists``), its German label (``Radfahrende``) or an alias (``Radfahrer``);
* the sense of safety (``Sicherheitsgefühl``, ``Sicherheitsempfinden``, ``subjektive Sicherheit``, also as a goal:
  ``Sicherheitsgefühl stärken``), which is measured with local surveys (:mod:`praevention.survey`).

A key-like item of the wrong shape (``43500``, ``4350*00``) is an error; anything else unknown is a
warning, and a measure left without any key or group is loaded but not evaluable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from praevention.register.schema import ACCIDENT_GROUPS, ALIASES, OFFENCE_KEY_PATTERN, OFFENCE_KEYS

_GROUPS = {
    **{code.lower(): code for code in ACCIDENT_GROUPS},
    **{label.lower(): code for code, label in ACCIDENT_GROUPS.items()},
    **ALIASES["accident_groups"],
}
_KEY_LABELS = {label.lower(): key for key, label in OFFENCE_KEYS.items()}
_KEYLIKE = re.compile(r"[0-9*\-]{3,}")
#: the German label of the survey target, as the template offers it
SAFETY_TARGET = "Sicherheitsgefühl"
_SAFETY = re.compile(
    r"^(?:(?:das|subjektive[sn]?)\s+)?(?:sicherheitsgef(?:ü|ue)hl|sicherheitsempfinden|subjektive sicherheit|"
    r"kriminalit(?:ä|ae)tsfurcht)(?:\s+(?:st(?:ä|ae)rken|verbessern|erh(?:ö|oe)hen))?$"
)


@dataclass
class Targets:
    pks_keys: list[str] = field(default_factory=list)
    accident_groups: list[str] = field(default_factory=list)
    #: the measure aims at the sense of safety (evaluated on survey waves)
    safety: bool = False
    #: (problem code, item): ``bad_key`` (error), ``unknown_key`` and ``unknown_target`` (warnings)
    issues: list[tuple[str, str]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.pks_keys and not self.accident_groups and not self.safety


def split_items(text: str) -> list[str]:
    return [t.strip() for t in re.split(r"[;,\n]", text or "") if t.strip()]


def parse_targets(text: str) -> Targets:
    out = Targets()
    for item in split_items(text):
        first = item.split()[0]
        low = " ".join(item.lower().split())
        if re.fullmatch(OFFENCE_KEY_PATTERN, first):
            out.pks_keys.append(first)
            if first not in OFFENCE_KEYS:
                out.issues.append(("unknown_key", first))
        elif _KEYLIKE.fullmatch(first):
            out.issues.append(("bad_key", item))
        elif low in _GROUPS:
            out.accident_groups.append(_GROUPS[low])
        elif low in _KEY_LABELS:
            out.pks_keys.append(_KEY_LABELS[low])
        elif _SAFETY.match(low):
            out.safety = True
        else:
            out.issues.append(("unknown_target", item))
    out.pks_keys = list(dict.fromkeys(out.pks_keys))
    out.accident_groups = list(dict.fromkeys(out.accident_groups))
    return out


def dropdown_items() -> list[str]:
    """The values the template offers for ``Zielgröße`` (one per cell; more can be typed, ';'-separated)."""
    return [f"{key} {label}" for key, label in OFFENCE_KEYS.items()] + [*ACCIDENT_GROUPS.values(), SAFETY_TARGET]


def aims_at_safety(target: object) -> bool:
    """Whether a register ``target`` cell names the sense of safety."""
    return isinstance(target, str) and parse_targets(target).safety
