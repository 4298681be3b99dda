"""Scripts: compile the command line's French catalogue (argparse.po → argparse.mo).

Pure Python (no gettext tools needed): `python scripts/compile_catalogue.py` writes the .mo
beside the .po; `--check` exits 1 when the committed .mo differs from what the .po gives.
"""

from __future__ import annotations

import ast
import struct
import sys
from pathlib import Path

CATALOGUE = (
    Path(__file__).resolve().parent.parent / "mesodesk_app" / "locale" / "fr" / "LC_MESSAGES"
)


def parse_po(text: str) -> dict[bytes, bytes]:
    """msgid (plural forms joined by NUL) -> msgstr, as the .mo format stores them."""
    entries: dict[bytes, bytes] = {}
    fields: dict[str, list[str]] = {}
    current = ""

    def flush() -> None:
        if "msgid" in fields:
            key = "".join(fields["msgid"])
            if "msgid_plural" in fields:
                key += "\0" + "".join(fields["msgid_plural"])
                forms = sorted(k for k in fields if k.startswith("msgstr["))
                value = "\0".join("".join(fields[k]) for k in forms)
            else:
                value = "".join(fields.get("msgstr", []))
            if value:
                entries[key.encode()] = value.encode()
        fields.clear()

    for raw in [*text.splitlines(), ""]:
        line = raw.strip()
        if not line or line.startswith("#"):
            if not line:
                flush()
            continue
        if line.startswith('"'):
            fields[current].append(ast.literal_eval(line))
            continue
        keyword, _, rest = line.partition(" ")
        if keyword == "msgid" and "msgid" in fields:
            flush()
        current = keyword
        fields[current] = [ast.literal_eval(rest)]
    return entries


def mo_bytes(entries: dict[bytes, bytes]) -> bytes:
    """GNU .mo: header, sorted original and translated tables, then the strings."""
    keys = sorted(entries)
    count = len(keys)
    originals_at = 7 * 4
    translations_at = originals_at + count * 8
    data_at = translations_at + count * 8
    tables = [b"", b""]
    blob = b""
    for which, strings in enumerate((keys, [entries[k] for k in keys])):
        for string in strings:
            tables[which] += struct.pack("<II", len(string), data_at + len(blob))
            blob += string + b"\0"
    header = struct.pack("<7I", 0x950412DE, 0, count, originals_at, translations_at, 0, 0)
    return header + tables[0] + tables[1] + blob


def main(argv: list[str]) -> int:
    po = CATALOGUE / "argparse.po"
    mo = CATALOGUE / "argparse.mo"
    compiled = mo_bytes(parse_po(po.read_text(encoding="utf-8")))
    if "--check" in argv:
        if not mo.is_file() or mo.read_bytes() != compiled:
            print(f"{mo} ne correspond pas à {po.name} : lancez scripts/compile_catalogue.py")
            return 1
        return 0
    mo.write_bytes(compiled)
    print(f"{mo} écrit ({len(parse_po(po.read_text(encoding='utf-8')))} messages).")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
