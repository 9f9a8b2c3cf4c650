"""Find templates: a path, or a name looked up in the project's ``templates/`` folder, the
user's config folder, then the built-ins shipped inside the package."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from . import files
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
    """Where templates are looked up, first match wins: project, user, built-in.

    A folder that is the built-in one (``templates/`` of an agentforge checkout) is listed
    once, as built-in.
    """
    project = project if project is not None else Path.cwd() / "templates"
    builtin = builtin_dir().resolve()
    dirs = [("project", project), ("user", user_dir()), ("built-in", builtin_dir())]
    return [
        (origin, path)
        for origin, path in dirs
        if path.is_dir() and (origin == "built-in" or path.resolve() != builtin)
    ]


EXTS = (".md.j2", ".html.j2")  # agent templates, and the review page


def find(name_or_path: str, project: Path | None = None) -> Path:
    """A template file from a path or a name (``agent.md.j2`` or ``agent``, ``review``)."""
    direct = Path(name_or_path)
    if direct.is_file():
        return direct
    names = [name_or_path] if name_or_path.endswith(".j2") else [name_or_path, *(f"{name_or_path}{ext}" for ext in EXTS)]
    for _, folder in search_dirs(project):
        for name in names:
            if (folder / name).is_file():
                return folder / name
    raise TemplateError(f"template not found: {name_or_path}", name_or_path)


def origin(path: Path, project: Path | None = None) -> str:
    """Where a found template comes from: project, user, built-in, or path (given by path).

    Its folder is compared, not the file's link target: a link in ``templates/`` is project.
    """
    folder = path.parent.resolve()
    for where, root in search_dirs(project):
        if folder.is_relative_to(root.resolve()):
            return where
    return "path"


FROM = {"project": "from ./templates", "user": "from the user's config folder", "path": "given by path"}


def note(path: Path, project: Path | None = None) -> str | None:
    """The stderr line naming a template that did not come from the package, else None."""
    where = origin(path, project)
    if where == "built-in":
        return None
    shown = path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path
    return f"template: {shown} ({FROM[where]})"


def include_dirs(project: Path | None = None) -> list[Path]:
    """Folders that ``{% include %}`` searches, in lookup order."""
    return [path for _, path in search_dirs(project)]


@dataclass(frozen=True)
class Template:
    """One template file in a search folder; ``shadowed_by`` names the folder whose copy wins."""

    name: str  # relative to its folder: agent.md.j2, fragments/frontmatter.md.j2
    origin: str  # project | user | built-in
    path: Path
    summary: str
    shadowed_by: str | None = None


LEADING_COMMENT = re.compile(r"\s*\{#-?(.*?)-?#\}", re.DOTALL)


def summary(text: str) -> str:
    """The first sentence of a template's leading ``{# ... #}`` comment, on one line."""
    match = LEADING_COMMENT.match(text)
    words = " ".join(match.group(1).split()) if match else ""
    return re.split(r"(?<=\.)\s", words, maxsplit=1)[0]


def available(project: Path | None = None) -> list[Template]:
    """Every template in every search folder, by name, the one that wins first."""
    found: list[Template] = []
    winners: dict[str, str] = {}
    for origin, folder in search_dirs(project):
        for path in sorted(folder.rglob("*.j2")):
            name = path.relative_to(folder).as_posix()
            found.append(Template(name, origin, path, summary(files.read_text(path)), winners.get(name)))
            winners.setdefault(name, origin)
    return sorted(found, key=lambda template: template.name)


def table(project: Path | None = None) -> str:
    """``templates list``: one template a line, its name, where it comes from, its summary."""
    found = available(project)
    width = max((len(template.name) for template in found), default=0)
    lines = []
    for template in found:
        note = f"(shadowed by {template.shadowed_by}) " if template.shadowed_by else ""
        lines.append(f"{template.name:<{width}}  {template.origin:<8}  {note}{template.summary}".rstrip())
    return "".join(f"{line}\n" for line in lines)


def text(name: str, project: Path | None = None) -> str:
    """The text of the template that a name (or path) finds."""
    return files.read_text(find(name, project))


def copy(name: str, dest: str | Path, force: bool = False, project: Path | None = None) -> str:
    """Copy a template to start a customised one; into a folder it keeps its name (so a copy
    into the project's ``templates/`` shadows the built-in). Never overwrites without ``force``."""
    source = find(name, project)
    target = Path(dest)
    if target.is_dir() or str(dest).endswith(("/", os.sep)):
        target = target / _name_of(source, project)
    if target.exists() and not force:
        raise TemplateError("already exists; pass --force to overwrite it", str(target))
    action = "overwrite" if target.exists() else "create"
    files.write_text(target, files.read_text(source))
    return f"{action} {target}"


def _name_of(path: Path, project: Path | None) -> str:
    """A template's name relative to the search folder holding it, else its file name."""
    for folder in include_dirs(project):
        if path.resolve().is_relative_to(folder.resolve()):
            return path.resolve().relative_to(folder.resolve()).as_posix()
    return path.name
