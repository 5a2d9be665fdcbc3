"""`Qt`, the namespace of Qt's enums, built only when first used, and enum properties set by their key names.

PySide6 builds the whole Qt namespace (every enum Qt has) the first time anything touches it: 20 ms on an idle
machine here, and up to 150 ms on a busy one, more than a bare window needs to come up. The first page is built
and painted without it (`set_enum`); the later pages use `Qt` as usual and pay for it after the first paint.
"""

from __future__ import annotations

from typing import Any

from PySide6 import QtCore


class _LazyQt:
    def __getattr__(self, name: str) -> Any:
        return getattr(QtCore.Qt, name)


Qt: Any = _LazyQt()


def set_enum(target: QtCore.QObject, prop: str, keys: str) -> None:
    """Sets an enum or flags property by key names (`"AlignLeft|AlignTop"`) through Qt's property system.

    No Python enum is needed for that; a misspelt key or property raises instead of being ignored.
    """
    if not target.setProperty(prop, keys):
        raise ValueError(f"{type(target).__name__} has no property {prop!r} that takes {keys!r}")
