"""README.md's table of environment variables lists every variable the code reads.

The code is searched, not a list kept by hand: a new `env.int("X")`, `os.environ.get("X")`,
`${X:-default}` in a script or `X ?=` in the Makefile without a README row fails here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parent.parent
NAME = r"[A-Z][A-Z0-9_]*[A-Z0-9]"

PYTHON_READS = [
    re.compile(rf'\benv(?:\.\w+)?\(\s*"({NAME})"'),  # django-environ: env.str("X", ...)
    re.compile(rf'\benviron(?:\.get|\.setdefault|\.pop)?[\[(]\s*"({NAME})"'),
    re.compile(rf'\bgetenv\(\s*"({NAME})"'),
]
# os.environ.get(SOME_CONSTANT): the constant's value, defined in the same module.
PYTHON_INDIRECT = re.compile(rf"\b(?:environ(?:\.get)?[\[(]|getenv\()\s*({NAME})\s*[,)\]]")
SHELL_READS = re.compile(rf"\$\{{?({NAME})")
MAKE_READS = re.compile(rf"\$\(({NAME})\)")
MAKE_ASSIGNED = re.compile(rf"^({NAME})\s*(\?|:)?=", re.M)

PYTHON_FOLDERS = ("config", "claims", "sources", "bench")
SHELL_FILES = ("scripts/run", "scripts/bench", ".ci/run", "docker-compose.yml", "Dockerfile")
# Shell variables the scripts set for themselves (not read from the environment).
SHELL_LOCAL = re.compile(rf"^\s*(?:local\s+)?({NAME})=", re.M)


def python_reads(path: Path) -> set[str]:
    source = path.read_text(encoding="utf-8")
    names = {name for pattern in PYTHON_READS for name in pattern.findall(source)}
    for constant in PYTHON_INDIRECT.findall(source):
        value = re.search(rf'^{constant}\s*=\s*"({NAME})"', source, re.M)
        if value:
            names.add(value.group(1))
    return names


def shell_reads(path: Path) -> set[str]:
    source = path.read_text(encoding="utf-8")
    # `export X=${Y:-...}` reads Y and sets X for the commands below; X is still an input
    # when something reads `${X` before setting it, which the README must then name.
    local = set(SHELL_LOCAL.findall(source)) - {"PYTHON"}
    return set(SHELL_READS.findall(source)) - (local - _exported(source))


def _exported(source: str) -> set[str]:
    return set(re.findall(rf"^\s*export\s+({NAME})=", source, re.M))


def make_reads(path: Path) -> set[str]:
    source = path.read_text(encoding="utf-8")
    optional = set(re.findall(rf"^({NAME})\s*\?=", source, re.M))  # X ?= default: overridable
    fixed = {match[1] for match in MAKE_ASSIGNED.finditer(source) if match[2] != "?"}
    return (set(MAKE_READS.findall(source)) | optional) - fixed


def variables_read() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for folder in PYTHON_FOLDERS:
        for path in sorted((ROOT / folder).rglob("*.py")):
            for name in python_reads(path):
                found.setdefault(name, set()).add(str(path.relative_to(ROOT)))
    for python_file in ("manage.py",):
        for name in python_reads(ROOT / python_file):
            found.setdefault(name, set()).add(python_file)
    for shell_file in SHELL_FILES:
        path = ROOT / shell_file
        if path.exists():
            for name in shell_reads(path):
                found.setdefault(name, set()).add(shell_file)
    for name in make_reads(ROOT / "Makefile"):
        found.setdefault(name, set()).add("Makefile")
    return found


def readme_table() -> set[str]:
    """First-column names of the README's table under "Every environment variable"."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Every environment variable", 1)[1].split("\n#", 1)[0]
    return set(re.findall(rf"^\| `({NAME})` \|", section, re.M))


def test_the_search_finds_the_kinds_of_reads_we_use():
    found = variables_read()

    assert "DJANGO_SECRET_KEY" in found  # env.str in settings
    assert "CLAIMWATCH_ADMIN_PASSWORD" in found  # os.environ.get(PASSWORD_ENV)
    assert "CLAIMWATCH_RUN_ADDR" in found  # ${X:-default} in scripts/run
    assert "CI_REDIS_URL" in found  # .ci/run
    assert "PYTEST_ARGS" in found and "PYTHON" in found  # the Makefile
    assert "BIN" not in found and "VENV" not in found  # the Makefile's own variables
    assert "HOST_PORT" not in found and "PY" not in found  # a script's own variables


def test_every_variable_the_code_reads_is_in_the_readme_table():
    found = variables_read()
    listed = readme_table()

    missing = {name: sorted(where) for name, where in found.items() if name not in listed}
    assert missing == {}


def test_the_readme_table_names_no_variable_that_nothing_reads():
    assert readme_table() - set(variables_read()) == set()
