"""Form definition files: the shipped ones load; broken ones fail naming the file and the key."""

import shutil
from pathlib import Path

import pytest

from app.procedures import FormDefinitionError, load_catalog
from app.procedures.catalog import FORMS_DIR
from app.procedures.consent import PARTS, load_consent


def test_shipped_catalog_per_profile():
    catalog = load_catalog()
    assert [p.id for p in catalog.for_profile("public-admin")] == [
        "birth_registration_group", "death_registration_group"]
    assert [p.id for p in catalog.for_profile("hospital")] == ["hospital_bhyt_checkin"]
    assert [p.id for p in catalog.for_profile("lodging")] == ["lodging_residence_notification"]
    hospital = catalog.get("hospital_bhyt_checkin")
    assert hospital.needs_face and hospital.consent_id == "hospital"
    assert catalog.get("lodging_residence_notification").role("guest").many
    for proc in catalog:
        assert proc.title["vi"] and proc.title["en"]
        for sec in proc.sections:
            for f in sec.fields:
                assert f.label["vi"] and f.label["en"]


def test_every_consent_text_has_all_parts_in_both_languages():
    for proc in load_catalog():
        text = load_consent(proc.consent_id)
        assert text.version
        for part in PARTS:
            assert text.parts[part]["vi"] and text.parts[part]["en"]
        assert "13/2023" in text.text("vi") and "13/2023" in text.text("en")
        assert text.digest("vi") != text.digest("en")


def _broken(tmp_path: Path, old: str, new: str, name="hospital_bhyt_checkin.toml") -> Path:
    folder = tmp_path / "forms"
    folder.mkdir()
    src = (FORMS_DIR / name).read_text(encoding="utf-8")
    assert old in src
    (folder / name).write_text(src.replace(old, new, 1), encoding="utf-8")
    return folder


@pytest.mark.parametrize("old, new, where, words", [
    ('type = "phone"', 'type = "telephone"', "sections[0].fields[5].type", "unknown type"),
    ('label = { vi = "Số điện thoại", en = "Phone number" }', 'label = { vi = "Số điện thoại" }',
     "sections[0].fields[5].label.en", "missing"),
    ('sources = ["identity.full_name"]', 'sources = ["identity.fullname"]',
     "sections[0].fields[1].sources[0]", "unknown source"),
    ('role = "patient"', 'role = "patiant"', "sections[0].role", "unknown role"),
    ('id = "patient.id_number"', 'id = "patient.id_numbr"', "checks[0].id", "no field"),
    ('max_length = 300', 'max_lenght = 300', "sections[2].fields[1].max_lenght", "unknown key"),
    ('profiles = ["hospital"]', 'profiles = ["clinic"]', "profiles", "non-empty list"),
])
def test_error_names_file_and_key(tmp_path, old, new, where, words):
    with pytest.raises(FormDefinitionError) as exc:
        load_catalog(_broken(tmp_path, old, new))
    err = exc.value
    assert err.file == "hospital_bhyt_checkin.toml" and err.where == where
    assert words in err.problem
    assert "hospital_bhyt_checkin.toml" in err.en and where in err.en and err.vi
    assert err.reason == "form_definition"


def test_invalid_toml_and_unknown_consent(tmp_path):
    with pytest.raises(FormDefinitionError) as exc:
        load_catalog(_broken(tmp_path, "[[agencies]]", "[[agencies"))
    assert "not valid TOML" in exc.value.problem
    shutil.rmtree(tmp_path / "forms")
    with pytest.raises(FormDefinitionError) as exc:
        load_catalog(_broken(tmp_path, 'consent_id = "hospital"', 'consent_id = "nothing"'))
    assert exc.value.where == "consent_id"


def test_duplicate_ids_and_empty_folder(tmp_path):
    folder = tmp_path / "forms"
    folder.mkdir()
    with pytest.raises(FormDefinitionError):
        load_catalog(folder)
    shutil.copy(FORMS_DIR / "hospital_bhyt_checkin.toml", folder / "a.toml")
    shutil.copy(FORMS_DIR / "hospital_bhyt_checkin.toml", folder / "b.toml")
    with pytest.raises(FormDefinitionError) as exc:
        load_catalog(folder)
    assert exc.value.file == "b.toml" and "a.toml" in exc.value.problem


def test_no_qt_in_the_domain():
    import subprocess
    import sys
    code = ("import sys, app.procedures, app.hospital, app.lodging, app.addresses;"
            "from app.procedures import load_catalog; load_catalog();"
            "sys.exit(any(m.startswith('PySide6') for m in sys.modules))")
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0
