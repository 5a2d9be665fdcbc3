"""One command to extract and one to compile the translations of both halves of the app.

    python installer/i18n.py extract   # core + CLI -> setup_assistant.pot -> <lang>/LC_MESSAGES/setup_assistant.po
                                       # wizard (gui/) -> setup_assistant_<lang>.ts (pyside6-lupdate)
    python installer/i18n.py compile   # .po -> .mo (Babel), .ts -> .qm (pyside6-lrelease)
    python installer/i18n.py check     # exit 1 when a compiled catalog is missing or differs from its source

The core and the CLI use gettext (Qt-free, so the core stays importable without Qt); the wizard uses Qt Linguist,
whose extractor understands `self.tr()` and `QCoreApplication.translate(context, ...)`. The compiled files are
committed so that `pip install .` and the bundle ship them without Babel or the Qt tools. Babel is a development
tool here (the `test` extra), never a runtime dependency.
"""

from __future__ import annotations

import argparse
import io
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "setup_assistant"
I18N = ROOT / "resources" / "i18n"
DOMAIN = "setup_assistant"
LANGUAGES = ("es",)  # every language but the source language, English
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "Message": None, "PluralMessage": (1, 2)}
# Babel's method map: everything outside the wizard (the wizard is Qt Linguist's).
METHOD_MAP = [("setup_assistant/gui/**.py", "ignore"), ("setup_assistant/**.py", "python")]
PO_WIDTH = 120
PLURAL_FORMS = {"es": (2, "(n != 1)")}


def pot_path() -> Path:
    return I18N / f"{DOMAIN}.pot"


def po_path(language: str) -> Path:
    return I18N / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(language: str) -> Path:
    return I18N / language / "LC_MESSAGES" / f"{DOMAIN}.mo"


def ts_path(language: str) -> Path:
    return I18N / f"{DOMAIN}_{language}.ts"


def qm_path(language: str) -> Path:
    return I18N / f"{DOMAIN}_{language}.qm"


def _shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def gui_sources() -> list[Path]:
    return sorted((PACKAGE / "gui").rglob("*.py"))


def _qt_tool(name: str) -> str:
    """pyside6-lupdate / pyside6-lrelease: beside this Python first (a venv), else on PATH."""
    beside = Path(sys.executable).parent / name
    for candidate in (beside, beside.with_suffix(".exe")):
        if candidate.exists():
            return str(candidate)
    found = shutil.which(name)
    if not found:
        raise SystemExit(f"{name} is missing (it ships with PySide6-Essentials)")
    return found


def extract_template() -> object:
    """The core's and CLI's messages as a Babel catalog (the .pot's content), with their source locations."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir

    catalog = Catalog(project="NPOMail Setup Assistant", charset="utf-8", fuzzy=False)
    found: Iterator[tuple[str, int, str | tuple[str, ...], list[str], str | None]] = extract_from_dir(
        str(ROOT), METHOD_MAP, keywords=KEYWORDS, comment_tags=("TRANSLATORS:",), strip_comment_tags=True
    )
    for filename, lineno, message, comments, context in found:
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def _write_po(path: Path, catalog: object, **options: object) -> None:
    from babel.messages.pofile import write_po

    buffer = io.BytesIO()
    write_po(buffer, catalog, width=PO_WIDTH, sort_output=False, **options)  # type: ignore[arg-type]
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_bytes() != buffer.getvalue():
        path.write_bytes(buffer.getvalue())


def _read_po(path: Path, language: str) -> object:
    from babel.messages.pofile import read_po

    with path.open("rb") as f:
        return read_po(f, locale=language, domain=DOMAIN)


def extract() -> None:
    """Writes the .pot, merges it into every language's .po (new messages empty, gone ones kept as obsolete),
    and runs pyside6-lupdate over the wizard into every language's .ts."""
    from babel.messages.catalog import Catalog

    template = extract_template()
    _write_po(pot_path(), template, omit_header=False, ignore_obsolete=True)
    for language in LANGUAGES:
        path = po_path(language)
        if path.exists():
            catalog = _read_po(path, language)
        else:
            catalog = Catalog(locale=language, domain=DOMAIN, project="NPOMail Setup Assistant", fuzzy=False)
            if language in PLURAL_FORMS:  # gettext's usual rule, not CLDR's third form for a million
                catalog._num_plurals, catalog._plural_expr = PLURAL_FORMS[language]  # type: ignore[attr-defined]
        catalog.update(template, no_fuzzy_matching=True, update_header_comment=False)  # type: ignore[attr-defined]
        _write_po(path, catalog, ignore_obsolete=True)
        print(f"{_shown(path)}: {_summary(catalog)}")
        ts = ts_path(language)
        done = subprocess.run(
            [_qt_tool("pyside6-lupdate"), *map(str, gui_sources()), "-target-language", language, "-ts", str(ts)],
            capture_output=True,
            text=True,
            timeout=300,
        )
        if done.returncode:
            raise SystemExit(f"pyside6-lupdate failed:\n{done.stdout}{done.stderr}")
        print(f"{_shown(ts)}: {' '.join(done.stdout.split())}")


def _summary(catalog: object) -> str:
    messages = [m for m in catalog if m.id]  # type: ignore[attr-defined]
    done = [m for m in messages if _is_translated(m.string)]
    return f"{len(done)} of {len(messages)} messages translated"


def _is_translated(string: str | tuple[str, ...]) -> bool:
    return all(string) if isinstance(string, tuple) else bool(string)


def problems(template: object, catalog: object) -> list[str]:
    """What a language's catalog lacks for the source's messages: absent, empty or fuzzy (left out of the .mo)."""
    have = {m.id: m for m in catalog if m.id}  # type: ignore[attr-defined]
    out = []
    for message in template:  # type: ignore[attr-defined]
        if not message.id:
            continue
        found = have.get(message.id)
        if found is None:
            out.append(f"not in the .po (run extract): {message.id!r}")
        elif not _is_translated(found.string):
            out.append(f"untranslated: {message.id!r}")
        elif found.fuzzy:
            out.append(f"fuzzy: {message.id!r}")
    return out


def compiled_mo(language: str) -> bytes:
    """The .mo that the language's .po compiles to (fuzzy entries left out, as gettext would)."""
    from babel.messages.mofile import write_mo

    buffer = io.BytesIO()
    write_mo(buffer, _read_po(po_path(language), language), use_fuzzy=False)  # type: ignore[arg-type]
    return buffer.getvalue()


def compile_qm(language: str, out: Path) -> None:
    done = subprocess.run(
        [_qt_tool("pyside6-lrelease"), str(ts_path(language)), "-qm", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if done.returncode:
        raise SystemExit(f"pyside6-lrelease failed:\n{done.stdout}{done.stderr}")


def compile_all() -> None:
    for language in LANGUAGES:
        data = compiled_mo(language)
        path = mo_path(language)
        if not path.exists() or path.read_bytes() != data:
            path.write_bytes(data)
        print(f"{_shown(path)}: {len(data)} bytes")
        if ts_path(language).exists():
            compile_qm(language, qm_path(language))
            print(f"{_shown(qm_path(language))}: {qm_path(language).stat().st_size} bytes")


def stale(scratch: Path) -> list[str]:
    """What `compile` would change: compiled catalogs that are missing or differ from their sources."""
    problems = []
    for language in LANGUAGES:
        mo = mo_path(language)
        if not mo.exists():
            problems.append(f"{_shown(mo)} is missing")
        elif mo.read_bytes() != compiled_mo(language):
            problems.append(f"{_shown(mo)} differs from {_shown(po_path(language))}")
        if ts_path(language).exists():
            qm = qm_path(language)
            fresh = scratch / qm.name
            compile_qm(language, fresh)
            if not qm.exists():
                problems.append(f"{_shown(qm)} is missing")
            elif qm.read_bytes() != fresh.read_bytes():
                problems.append(f"{_shown(qm)} differs from {_shown(ts_path(language))}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("action", choices=("extract", "compile", "check"))
    args = parser.parse_args(argv)
    if args.action == "extract":
        extract()
    elif args.action == "compile":
        compile_all()
    else:
        import tempfile

        with tempfile.TemporaryDirectory() as scratch:
            problems = stale(Path(scratch))
        for problem in problems:
            print(problem, file=sys.stderr)
        if problems:
            print("run: python installer/i18n.py compile", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
