"""The house runs one way: sources hand articles to claims by Celery task name, never by import."""

import ast
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parent.parent


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_no_module_in_sources_imports_claims():
    offenders = {
        str(path.relative_to(ROOT)): sorted(
            name for name in imported_modules(path) if name.split(".")[0] == "claims"
        )
        for path in (ROOT / "sources").rglob("*.py")
    }
    assert {path: names for path, names in offenders.items() if names} == {}


def test_the_claims_tasks_sources_send_are_registered_under_those_names():
    from config.celery import app

    source = (ROOT / "sources" / "polling.py").read_text(encoding="utf-8")
    sent = {"claims.process_article", "claims.process_articles", "claims.handle_article_edit"}
    assert all(f'"{name}"' in source for name in sent)
    assert sent <= set(app.tasks.keys())
