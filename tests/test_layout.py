"""The dependency rules of the README's layout, read from the source.

Every Python file of the project's packages (migrations aside: they are a frozen history,
and moving a model from one app to another takes a migration on each side) is parsed with
``ast``. An *arrow* from one package to another is any of:

- an ``import`` or ``from … import`` statement, wherever it stands (inside a function too);
- a module named in a string: ``import_module(…)``, ``import_string(…)``, ``include("app.urls")``;
- a model named in a string: ``apps.get_model("app", …)`` / ``get_model("app.Model")``, the
  target of ``ForeignKey``/``OneToOneField``/``ManyToManyField``/``ParentalKey``/
  ``ParentalManyToManyField`` and of Wagtail's choosers, ``sender=`` of a signal, and the
  entries of a page's ``parent_page_types``/``subpage_types``.

``RULES`` is the README's table of forbidden arrows, row for row.
"""

import ast
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: The content apps: they publish pages and register with the shared services below them.
CONTENT_APPS = {"courses", "lessons", "archive", "programme", "home"}
#: Shared by the content apps, and using none of them.
SHARED_APPS = {"accounts", "vocabulary", "media_pipeline", "search", "exports", "params", "processes", "pagecache"}
#: Above the content apps: review workflow, quality gates, translations' state, the module builder.
EDITORIAL = {"editorial"}
#: The project package (settings, root URLs, WSGI) and the demo content: both compose the rest.
PROJECT = {"config"}
DEMO = {"demo"}
#: Every package this check knows; a new one must be placed in the table before it is imported.
KNOWN = CONTENT_APPS | SHARED_APPS | EDITORIAL | PROJECT | DEMO
#: What the production settings run: everything but the demo.
RUNTIME = KNOWN - DEMO

# fmt: off
#: (package, may not import, because): the table of the README's layout section, row for row.
RULES = [
    ({"courses"},                   {"lessons"},             "a lesson belongs to a module: lessons use courses, never the reverse"),
    ({"courses", "lessons", "archive"}, {"programme"},       "the plan's sessions are archive activities and link modules: the programme uses them, never the reverse"),
    ({"media_pipeline", "search"},  CONTENT_APPS,            "content registers with them"),
    ({"vocabulary"},                CONTENT_APPS,            "the shared vocabulary (themes, provinces, people) sits below every content app"),
    ({"exports", "params", "processes", "pagecache"}, KNOWN - {"exports", "params", "processes", "pagecache"},
     "the export module, the request parameters, the process probes and the page cache import no app: any app may use them"),
    (KNOWN - EDITORIAL - PROJECT - DEMO, EDITORIAL,          "the editorial layer sits above the content apps: it reads them, none of them reads it"),
    (RUNTIME,                       DEMO,                    "demo content is built on top of the apps and is absent in production"),
    (KNOWN - PROJECT,               PROJECT,                 "`config` composes the apps; no app reaches back into it"),
]
# fmt: on

#: Calls whose string arguments name a model (``app.Model``) or an app label.
MODEL_CALLS = {
    "ForeignKey",
    "OneToOneField",
    "ManyToManyField",
    "ParentalKey",
    "ParentalManyToManyField",
    "SnippetChooserBlock",
    "PageChooserBlock",
    "PageChooserPanel",
    "get_model",
    "resolve_model_string",
    "lazy_model_operation",
    "connect",
}
#: Calls whose first string argument names a module.
MODULE_CALLS = {"import_module", "import_string", "include", "__import__"}
#: Keyword arguments that hold a model reference.
MODEL_KEYWORDS = {"to", "through", "target_model", "page_type", "sender", "model"}
PAGE_TYPE_LISTS = {"parent_page_types", "subpage_types"}


@dataclass(frozen=True)
class Arrow:
    source: str  # the importing package
    target: str  # the imported package
    where: str  # path:line
    what: str  # the statement, shortened

    def __str__(self):
        return f"{self.where}: {self.source} → {self.target} ({self.what})"


def project_packages() -> set[str]:
    """Top-level packages of the project (a folder with ``__init__.py``), tests aside."""
    return {p.parent.name for p in ROOT.glob("*/__init__.py")} - {"tests"}


def source_files(package: str):
    for path in sorted((ROOT / package).rglob("*.py")):
        if "migrations" not in path.relative_to(ROOT).parts:
            yield path


def _module_of(path: Path) -> list[str]:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return parts[:-1] if parts[-1] == "__init__" else parts


def _strings(node) -> list[str]:
    """String constants of an argument (a list or tuple of them too)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return [s for element in node.elts for s in _strings(element)]
    return []


def _call_name(node: ast.Call) -> str:
    func = node.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _model_labels(node: ast.Call) -> list[str]:
    """App labels named by a model reference call: ``"app.Model"``, or ``get_model("app", …)``."""
    values = [s for arg in node.args for s in _strings(arg)]
    values += [s for kw in node.keywords if kw.arg in MODEL_KEYWORDS for s in _strings(kw.value)]
    labels = [value.split(".")[0] for value in values if value.count(".") == 1]
    if _call_name(node) == "get_model" and node.args:
        labels += [s for s in _strings(node.args[0]) if "." not in s]
    return labels


def _targets(node, module: list[str]) -> list[tuple[str, str]]:
    """(first component of what ``node`` refers to, a short description) for one AST node."""
    if isinstance(node, ast.Import):
        return [(alias.name.split(".")[0], f"import {alias.name}") for alias in node.names]
    if isinstance(node, ast.ImportFrom):
        if node.level:  # relative: resolved against the file's own package
            base = module[: len(module) - node.level] if node.level <= len(module) else []
            name = ".".join(base + ([node.module] if node.module else []))
        else:
            name = node.module or ""
        return [(name.split(".")[0], f"from {'.' * node.level}{node.module or ''} import …")]
    if isinstance(node, ast.Call):
        name = _call_name(node)
        if name in MODULE_CALLS and node.args:
            return [(s.split(".")[0], f"{name}({s!r})") for s in _strings(node.args[0])]
        if name in MODEL_CALLS:
            return [(label, f"{name}(… {label!r} …)") for label in _model_labels(node)]
    if isinstance(node, ast.Assign) and any(getattr(t, "id", "") in PAGE_TYPE_LISTS for t in node.targets):
        return [(s.split(".")[0], f"page types {s!r}") for s in _strings(node.value) if s.count(".") == 1]
    return []


def arrows(packages: set[str] | None = None) -> list[Arrow]:
    """Every arrow from one project package to another."""
    packages = project_packages() if packages is None else packages
    found = []
    for package in sorted(packages):
        for path in source_files(package):
            module = _module_of(path)
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            for node in ast.walk(tree):
                for target, what in _targets(node, module):
                    if target in packages and target != package:
                        where = f"{path.relative_to(ROOT)}:{node.lineno}"
                        found.append(Arrow(package, target, where, what))
    return found


def forbidden(found: list[Arrow]) -> list[str]:
    return [
        f"{arrow} — {why}"
        for arrow in found
        for importers, targets, why in RULES
        if arrow.source in importers and arrow.target in targets
    ]


def test_every_package_is_placed_in_the_rules():
    """A new top-level package must first be placed in the table (and in the README)."""
    assert project_packages() - KNOWN == set()


def test_no_arrow_goes_against_the_layout():
    """No package imports (or names in a string) a package that the README's layout forbids it."""
    violations = forbidden(arrows())
    assert violations == [], "\n".join(["Arrows the layout forbids:", *violations])


def test_the_check_sees_every_kind_of_arrow(tmp_path, monkeypatch):
    """Imports inside functions, relative imports, ``get_model`` and string model references
    are all read as arrows (the check would otherwise pass on code that hides its imports)."""
    for name in ("courses", "lessons"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "__init__.py").write_text("")
    (tmp_path / "courses" / "models.py").write_text(
        "import lessons\n"
        "from .views import x\n"
        "def f():\n"
        "    from lessons.models import LessonPage\n"
        "    apps.get_model('lessons', 'LessonProgress')\n"
        "    apps.get_model('lessons.QuizAttempt')\n"
        "    import_module('lessons.selectors')\n"
        "class Page:\n"
        "    subpage_types = ['lessons.LessonPage']\n"
        "    quiz = models.ForeignKey('lessons.Quiz', on_delete=models.CASCADE)\n"
        "    more = ParentalManyToManyField(to='lessons.Quiz', related_name='+')\n"
    )
    (tmp_path / "courses" / "migrations").mkdir()
    (tmp_path / "courses" / "migrations" / "0001_initial.py").write_text("import lessons\n")
    monkeypatch.setitem(globals(), "ROOT", tmp_path)
    lines = sorted(int(arrow.where.rsplit(":", 1)[1]) for arrow in arrows({"courses", "lessons"}))
    assert lines == [1, 4, 5, 6, 7, 9, 10, 11]
    assert len(forbidden(arrows({"courses", "lessons"}))) == 8
