"""Merge a fresh .pot into a .po: keep known translations, add new terms, drop obsolete ones."""

import sys

import polib


def merge(pot_path, po_path, lang="zh_CN"):
    pot = polib.pofile(pot_path)
    try:
        old = {(e.msgctxt, e.msgid): e.msgstr for e in polib.pofile(po_path)}
    except OSError:
        old = {}
    po = polib.POFile(wrapwidth=pot.wrapwidth)
    po.metadata = dict(pot.metadata, Language=lang, **{"Plural-Forms": "nplurals=1; plural=0;"})
    po.header = pot.header
    for entry in pot:
        entry.msgstr = old.get((entry.msgctxt, entry.msgid), "")
        po.append(entry)
    po.save(po_path)
    missing = [e.msgid for e in po if not e.msgstr]
    print(f"{po_path}: {len(po)} terms, {len(missing)} untranslated")
    return missing


if __name__ == "__main__":
    merge(sys.argv[1], sys.argv[2])
