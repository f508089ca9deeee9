"""The optional parts of threadline and the pip extra that installs each: a plain
`pip install threadline` screens, matches, imports and reports without FastAPI or WeasyPrint.

Commands that need an extra call `require` before any work, so that its absence is one line
naming the install command (exit 2), not an ImportError halfway through.
"""

from __future__ import annotations

import importlib.util

from threadline.errors import MissingExtra

# The modules each extra provides, as imported (pyproject.toml names the distributions).
EXTRAS: dict[str, tuple[str, ...]] = {
    "server": ("fastapi", "uvicorn", "multipart", "itsdangerous", "argon2"),
    "pdf": ("weasyprint",),
}


def install_hint(extra: str) -> str:
    return f"pip install 'threadline[{extra}]'"


def missing(extra: str) -> str | None:
    """The first module of `extra` that cannot be imported here, or None when all can."""
    # find_spec looks without importing (no Pango loaded, nothing slow at start-up).
    return next((m for m in EXTRAS[extra] if importlib.util.find_spec(m) is None), None)


def require(extra: str, what: str) -> None:
    """MissingExtra, naming the install command, unless `extra` is installed."""
    module = missing(extra)
    if module is not None:
        raise MissingExtra(f"{what} needs {module}, not installed: {install_hint(extra)}")
