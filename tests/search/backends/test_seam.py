"""whoosh3's internals are used in one module only: search/backends/whoosh/internals.py.

Read from the source (AST) of every module of the search app: outside the seam,
no module imports a private name, imports whoosh3's codec or writer modules, or
touches a private attribute that neither it nor the frameworks' documented
extension points define. The seam's own answers are checked against Whoosh's by
tests/search/test_scoring.py and tests/search/backends/test_segments.py.
"""

import ast
from pathlib import Path

import search

SEARCH = Path(search.__file__).parent
SEAM = SEARCH / "backends" / "whoosh" / "internals.py"
#: Modules only the seam may import.
SEAM_ONLY_MODULES = ("whoosh.codec", "whoosh.writing", "whoosh.matching", "whoosh.searching")
#: Private names of Django and modelsearch that their subclasses are meant to use.
FRAMEWORK_HOOKS = {
    "_meta",
    "_default_manager",
    "_db",
    "_score_field",
    "_do_search",
    "_do_count",
    "_get_filterable_field",
    "_get_filters_from_queryset",
    "_get_filter_field_path_for_column",
    "_process_filter",
    "_process_lookup",
    "_process_match_none",
    "_connect_filters",
    "_get_order_by",
    "_clone",
}


def modules():
    for path in sorted(SEARCH.rglob("*.py")):
        if path != SEAM and "migrations" not in path.parts:
            yield path, ast.parse(path.read_text(), filename=str(path))


def private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def defined_here(tree) -> set[str]:
    """Private names a module defines: functions, classes, module names, attributes
    it assigns on ``self`` or ``cls``, and ``__slots__`` entries."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
            if isinstance(node.value, ast.Name) and node.value.id in {"self", "cls"}:
                names.add(node.attr)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "__slots__" for t in node.targets):
            names.update(c.value for c in ast.walk(node.value) if isinstance(c, ast.Constant))
    return names


def attribute_uses(node):
    """(line, name) of each attribute a node reads or writes, by dot or by getattr/hasattr/setattr."""
    if isinstance(node, ast.Attribute):
        yield node.lineno, node.attr
    elif (
        isinstance(node, ast.Call)
        and getattr(node.func, "id", "") in {"getattr", "hasattr", "setattr"}
        and len(node.args) > 1
        and isinstance(node.args[1], ast.Constant)
        and isinstance(node.args[1].value, str)
    ):
        yield node.lineno, node.args[1].value


def violations():
    found = []
    for path, tree in modules():
        where = path.relative_to(SEARCH.parent)
        own = defined_here(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                module = node.module or ""
                if module.startswith(SEAM_ONLY_MODULES):
                    found.append(f"{where}:{node.lineno} imports {module}")
                found += [f"{where}:{node.lineno} imports {a.name}" for a in node.names if private(a.name)]
            elif isinstance(node, ast.Import):
                found += [
                    f"{where}:{node.lineno} imports {a.name}"
                    for a in node.names
                    if a.name.startswith(SEAM_ONLY_MODULES)
                ]
            for line, name in attribute_uses(node):
                if private(name) and name not in own and name not in FRAMEWORK_HOOKS:
                    found.append(f"{where}:{line} uses .{name}")
    return found


def test_only_the_seam_reaches_into_whoosh3():
    """No module of the search app but internals.py imports a private name or
    whoosh3's codec/writer modules, or uses a private attribute it does not define."""
    assert violations() == []


def test_the_seam_is_where_the_internals_are():
    """internals.py does use whoosh3's internals (the check above would pass on an empty seam too)."""
    tree = ast.parse(SEAM.read_text())
    used = {name for node in ast.walk(tree) for _, name in attribute_uses(node) if private(name)}
    assert {"_filter_to_comb", "_read_data", "_postwriter", "_check_state", "_field_B"} <= used
