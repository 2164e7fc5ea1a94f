"""Well-formed XML and CSV, a consistent manifest, and a complete Chinese translation."""

import ast
import csv
import re
import xml.etree.ElementTree as ET

import polib
import pytest
from conftest import ADDON

MANIFEST = ast.literal_eval((ADDON / "__manifest__.py").read_text(encoding="utf-8"))
XML_FILES = sorted(ADDON.rglob("*.xml"))
PLACEHOLDER = re.compile(r"%\(\w+\)s|%s|%d")


@pytest.mark.parametrize("path", XML_FILES, ids=lambda p: str(p.relative_to(ADDON)))
def test_xml_is_well_formed(path):
    root = ET.parse(path).getroot()
    # Web client (OWL) templates under static/ are <templates>; data files are <odoo>.
    assert root.tag == ("templates" if "static" in path.relative_to(ADDON).parts else "odoo")


def test_no_legacy_view_syntax():
    for path in XML_FILES:
        text = path.read_text(encoding="utf-8")
        assert "<tree" not in text, path
        assert " attrs=" not in text and " states=" not in text, path


def test_manifest_lists_existing_files():
    for key in ("data", "demo"):
        for name in MANIFEST.get(key, []):
            assert (ADDON / name).is_file(), name
    assert MANIFEST["version"].startswith("18.0.")
    assert MANIFEST["license"] == "LGPL-3"


def test_every_xml_file_is_loaded():
    listed = set(MANIFEST["data"]) | set(MANIFEST.get("demo", []))
    for path in XML_FILES:
        relative = str(path.relative_to(ADDON))
        if relative.startswith(("views/", "data/", "security/", "demo/", "wizards/", "report/")):
            assert relative in listed, relative


def test_access_csv():
    with (ADDON / "security" / "ir.model.access.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows
    ids = [row["id"] for row in rows]
    assert len(ids) == len(set(ids))
    for row in rows:
        # Our models, or another module's model (stock.model_stock_lot) that a role reads.
        assert row["model_id:id"].rpartition(".")[2].startswith("model_"), row
        for perm in ("perm_read", "perm_write", "perm_create", "perm_unlink"):
            assert row[perm] in ("0", "1"), row


def test_every_model_has_access_rules():
    with (ADDON / "security" / "ir.model.access.csv").open(encoding="utf-8") as handle:
        covered = {row["model_id:id"] for row in csv.DictReader(handle)}
    for path in (ADDON / "models").glob("*.py"):
        for name in re.findall(r'^\s+_name = "([\w.]+)"', path.read_text(encoding="utf-8"), re.M):
            text = path.read_text(encoding="utf-8")
            if "models.Model" in text and f'_inherit = ["{name}"' not in text:
                assert "model_" + name.replace(".", "_") in covered, name


def test_chinese_translation_is_complete():
    po = polib.pofile(str(ADDON / "i18n" / "zh_CN.po"))
    pot = polib.pofile(str(ADDON / "i18n" / "qms_customer.pot"))
    assert len(po) >= len(pot) > 100
    assert {(e.msgctxt, e.msgid) for e in pot} <= {(e.msgctxt, e.msgid) for e in po}, "run make pot"
    empty = [e.msgid for e in po if not e.msgstr]
    assert not empty, f"{len(empty)} untranslated, e.g. {empty[:3]}"
    for entry in po:
        assert sorted(PLACEHOLDER.findall(entry.msgid)) == sorted(
            PLACEHOLDER.findall(entry.msgstr)
        ), entry.msgid
