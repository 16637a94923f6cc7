"""The company profile: the shipped sample loads, slots map to it, bad files say why."""

from __future__ import annotations

from pathlib import Path

import pytest

from guards.company_profile import SAMPLE_PROFILE_PATH, CompanyProfile, CompanyProfileError


def test_sample_profile_loads_by_default() -> None:
    profile = CompanyProfile.from_yaml(None)
    assert profile.name and profile.email and "refund" in profile.policies


def test_example_at_repo_root_matches_the_shipped_sample() -> None:
    example = Path(__file__).resolve().parents[3] / "company_profile.example.yaml"
    assert example.read_text() == SAMPLE_PROFILE_PATH.read_text()


def test_bitext_slot_names_map_to_profile_values() -> None:
    profile = CompanyProfile.from_yaml(None)
    slots = profile.slot_values()
    assert slots["Company Name"] == profile.name
    assert slots["Customer Support Phone Number"] == profile.phone
    assert slots["Customer Support Email"] == profile.email
    assert slots["Website URL"] == slots["Company Website"] == profile.website
    assert slots["Customer Support Hours"] == profile.support_hours


def test_missing_field_gives_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "profile.yaml"
    path.write_text("name: Shop\nphone: '1'\n")
    with pytest.raises(CompanyProfileError, match="email"):
        CompanyProfile.from_yaml(path)


def test_file_that_is_not_a_mapping_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "profile.yaml"
    path.write_text("- just\n- a list\n")
    with pytest.raises(CompanyProfileError, match="mapping"):
        CompanyProfile.from_yaml(path)


def test_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CompanyProfileError, match="cannot read"):
        CompanyProfile.from_yaml(tmp_path / "absent.yaml")
