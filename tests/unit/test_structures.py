import pytest

from bot.domain.structures import (
    MAX_STRUCTURE_NAME_LENGTH,
    Membership,
    StructureParticipation,
    absent_structures,
    find_structure,
    normalise_structure_name,
    participation_by_structure,
    validate_structure_name,
)

MEMBERS: dict[str, str | None] = {
    "@alice:ex.org": "Écoloc",
    "@bruno:ex.org": "ecoloc",
    "@chloe:ex.org": "La Ruche",
    "@dev:ex.org": None,
    "@eve:ex.org": "Repair Café",
}


def test_a_structure_name_is_trimmed_with_spaces_collapsed() -> None:
    assert normalise_structure_name("  Les   Petits\nDébrouillards ") == "Les Petits Débrouillards"


@pytest.mark.parametrize(
    ("name", "error"),
    [
        ("Écoloc", None),
        ("   ", "empty"),
        ("", "empty"),
        ("x" * MAX_STRUCTURE_NAME_LENGTH, None),
        ("x" * (MAX_STRUCTURE_NAME_LENGTH + 1), "too_long"),
        ("  " + "x" * MAX_STRUCTURE_NAME_LENGTH + "  ", None),
    ],
)
def test_validate_structure_name(name: str, error: str | None) -> None:
    assert validate_structure_name(name) == error


def test_structures_compare_without_case_accents_or_extra_spaces() -> None:
    assert find_structure("ECOLOC", ["Écoloc"]) == "Écoloc"
    assert find_structure("repair cafe", ["Repair  Café"]) == "Repair  Café"
    assert find_structure("Éco-loc", ["Écoloc"]) is None


def test_find_structure_returns_the_known_spelling() -> None:
    assert find_structure("ecoloc ", ["La Ruche", "Écoloc"]) == "Écoloc"
    assert find_structure("Nouvelle", ["La Ruche", "Écoloc"]) is None


def test_a_membership_links_a_member_to_a_structure() -> None:
    membership = Membership("@alice:ex.org", "Écoloc")
    assert (membership.user_id, membership.structure) == ("@alice:ex.org", "Écoloc")


def test_participation_groups_members_by_folded_structure_name() -> None:
    groups = participation_by_structure(
        {"@alice:ex.org", "@chloe:ex.org"}, MEMBERS, structures=["Écoloc", "La Ruche"]
    )
    assert groups == [
        StructureParticipation("Écoloc", ["@alice:ex.org"], ["@alice:ex.org", "@bruno:ex.org"]),
        StructureParticipation("La Ruche", ["@chloe:ex.org"], ["@chloe:ex.org"]),
        StructureParticipation("Repair Café", [], ["@eve:ex.org"]),
        StructureParticipation(None, [], ["@dev:ex.org"]),
    ]


def test_a_declared_structure_without_members_is_listed_empty() -> None:
    groups = participation_by_structure(set(), {}, structures=["Atelier Vélo"])
    assert groups == [StructureParticipation("Atelier Vélo", [], [])]
    assert not groups[0].is_absent


def test_a_participant_who_is_not_a_member_counts_without_structure() -> None:
    groups = participation_by_structure({"@guest:ex.org"}, {"@ana:ex.org": "La Ruche"})
    assert groups[-1] == StructureParticipation(None, ["@guest:ex.org"], ["@guest:ex.org"])


def test_members_without_structure_are_omitted_when_there_are_none() -> None:
    groups = participation_by_structure(set(), {"@ana:ex.org": "La Ruche"})
    assert [group.structure for group in groups] == ["La Ruche"]


def test_absent_structures_have_members_and_no_participant() -> None:
    absent = absent_structures({"@bruno:ex.org"}, MEMBERS, structures=["Atelier Vélo"])
    assert absent == ["La Ruche", "Repair Café"]


def test_no_structure_is_absent_when_each_one_took_part() -> None:
    everyone = {"@alice:ex.org", "@chloe:ex.org", "@eve:ex.org"}
    assert absent_structures(everyone, MEMBERS) == []
