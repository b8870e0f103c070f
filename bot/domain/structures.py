"""Structures (the associations members come from) and participation per structure.

The method asks that at least one pioneer of every structure take part in each
rendez-vous, so check-ins and votes report who took part structure by structure.
Structure names are compared with ``fold`` (« Écoloc » is « ecoloc »); the spelling
shown is the one the structure was first declared with.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from bot.domain.folding import fold

MAX_STRUCTURE_NAME_LENGTH = 60


@dataclass(frozen=True)
class Membership:
    """A member of a circle and the structure they declared (``None``: not declared yet)."""

    user_id: str
    structure: str | None


@dataclass
class StructureParticipation:
    """Who, among a structure's members, took part; ``structure`` is ``None`` for members
    who have not declared a structure."""

    structure: str | None
    participants: list[str] = field(default_factory=list)
    members: list[str] = field(default_factory=list)

    @property
    def is_absent(self) -> bool:
        """True when the structure has members and none of them took part."""
        return bool(self.members) and not self.participants


def normalise_structure_name(name: str) -> str:
    """The display form of a structure name: trimmed, inner whitespace collapsed.

    >>> normalise_structure_name("  Les   Petits\\nDébrouillards ")
    'Les Petits Débrouillards'
    """
    return " ".join(name.split())


def validate_structure_name(name: str) -> str | None:
    """The error code for a structure name (``"empty"``, ``"too_long"``), or ``None`` if valid.

    The length limit (``MAX_STRUCTURE_NAME_LENGTH``) applies to the normalised name.
    """
    display = normalise_structure_name(name)
    if not display:
        return "empty"
    if len(display) > MAX_STRUCTURE_NAME_LENGTH:
        return "too_long"
    return None


def find_structure(name: str, known: Iterable[str]) -> str | None:
    """The known spelling of the structure ``name`` refers to, or ``None`` if it is new.

    >>> find_structure("ecoloc", ["La Ruche", "Écoloc"])
    'Écoloc'
    """
    key = _structure_key(name)
    return next((candidate for candidate in known if _structure_key(candidate) == key), None)


def participation_by_structure(
    participants: set[str],
    members: Mapping[str, str | None],
    structures: Iterable[str] = (),
) -> list[StructureParticipation]:
    """Participation of each structure, sorted by name, members without structure last.

    ``members`` maps every member to their structure (or ``None``); ``structures`` lists
    the circle's declared structures, so a structure whose members all left still shows
    (with no members). A participant missing from ``members`` counts as a member without
    structure. Names in ``members`` are matched to ``structures`` by ``fold``.
    """
    groups: dict[str | None, StructureParticipation] = {}
    for name in structures:
        _group_for(groups, name)
    everyone = dict(members)
    for user in participants:
        everyone.setdefault(user, None)
    for user, structure in everyone.items():
        group = _group_for(groups, structure)
        group.members.append(user)
        if user in participants:
            group.participants.append(user)
    for group in groups.values():
        group.members.sort()
        group.participants.sort()
    named = sorted(
        (group for key, group in groups.items() if key is not None),
        key=lambda group: (_structure_key(group.structure or ""), group.structure),
    )
    unnamed = groups.get(None)
    return named + ([unnamed] if unnamed is not None and unnamed.members else [])


def absent_structures(
    participants: set[str],
    members: Mapping[str, str | None],
    structures: Iterable[str] = (),
) -> list[str]:
    """Structures with at least one member and no participant, sorted by name."""
    return [
        group.structure
        for group in participation_by_structure(participants, members, structures)
        if group.structure is not None and group.is_absent
    ]


def _group_for(
    groups: dict[str | None, StructureParticipation], structure: str | None
) -> StructureParticipation:
    if structure is not None:
        structure = normalise_structure_name(structure) or None
    key = None if structure is None else _structure_key(structure)
    if key not in groups:
        groups[key] = StructureParticipation(structure=structure)
    return groups[key]


def _structure_key(name: str) -> str:
    return fold(normalise_structure_name(name))


def by_structure(members: Mapping[str, str | None], unassigned: str) -> dict[str, list[str]]:
    """structure -> members; members without a structure under ``unassigned``."""
    grouped: dict[str, list[str]] = {}
    for user, structure in sorted(members.items()):
        grouped.setdefault(structure or unassigned, []).append(user)
    return grouped


def by_declared_structure(members: Mapping[str, str | None]) -> dict[str, list[str]]:
    """structure -> members, leaving out people who declared none: they are not an absent
    structure, and participation per structure does not list them."""
    grouped: dict[str, list[str]] = {}
    for user, structure in sorted(members.items()):
        if structure:
            grouped.setdefault(structure, []).append(user)
    return grouped
