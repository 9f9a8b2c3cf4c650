"""Find templates: a path, or a name looked up in the project's ``templates/`` folder, the
user's config folder, then the built-ins shipped inside the package."""

from __future__ import annotations

import os
from pathlib import Path

from .errors import TemplateError

PACKAGE = Path(__file__).parent


def builtin_dir() -> Path:
    """Built-in templates: inside the installed package, or ``templates/`` of a checkout."""
    installed = PACKAGE / "templates"
    return installed if installed.is_dir() else PACKAGE.parent / "templates"


def user_dir() -> Path:
    """The user's template folder: ``$XDG_CONFIG_HOME/agentforge/templates``."""
    base = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(base) / "agentforge" / "templates"


def search_dirs(project: Path | None = None) -> list[tuple[str, Path]]:
    """Where templates are looked up, first match wins: project, user, built-in."""
    project = project if project is not None else Path.cwd() / "templates"
    dirs = [("project", project), ("user", user_dir()), ("built-in", builtin_dir())]
    unique: list[tuple[str, Path]] = []
    for origin, path in dirs:
        if path.is_dir() and all(path.resolve() != p.resolve() for _, p in unique):
            unique.append((origin, path))
    return unique


def find(name_or_path: str, project: Path | None = None) -> Path:
    """A template file from a path or a name (``agent.md.j2`` or ``agent``)."""
    direct = Path(name_or_path)
    if direct.is_file():
        return direct
    names = [name_or_path] if name_or_path.endswith(".j2") else [name_or_path, f"{name_or_path}.md.j2"]
    for _, folder in search_dirs(project):
        for name in names:
            if (folder / name).is_file():
                return folder / name
    raise TemplateError(f"template not found: {name_or_path}", name_or_path)


def include_dirs(project: Path | None = None) -> list[Path]:
    """Folders that ``{% include %}`` searches, in lookup order."""
    return [path for _, path in search_dirs(project)]
