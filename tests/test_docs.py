"""The README and the command line, checked against each other.

The README opens with the two set-up commands; every command and option of the CLI appears
in it and has help; and every `aidtracker` line in its shell examples runs, from the
repository root, against a database in a temporary folder.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import typer.main
from typer.core import TyperGroup, TyperOption
from typer.testing import CliRunner

from aidtracker import cli
from aidtracker.store import open_store

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text(encoding="utf-8")
CODE_BLOCK = re.compile(r"^```(\w*)\n(.*?)^```", re.M | re.S)
GROUP = typer.main.get_command(cli.app)
assert isinstance(GROUP, TyperGroup)
COMMANDS = dict(GROUP.commands)


def shell_lines() -> list[str]:
    """The command lines of the README's `sh` blocks, continuation lines joined."""
    lines = []
    for lang, body in CODE_BLOCK.findall(README):
        if lang == "sh":
            lines += [x.strip() for x in body.replace("\\\n", " ").splitlines() if x.strip()]
    return lines


def aidtracker_lines() -> list[str]:
    return [x for x in shell_lines() if re.match(r"(?:cat \S+ \| |\w+=\S+ )?aidtracker ", x)]


def test_readme_opens_with_title_purpose_and_the_two_commands() -> None:
    title, blank, purpose, blank2, fence = README.splitlines()[:5]
    assert title.startswith("# ") and blank == "" == blank2
    assert purpose.endswith(".") and purpose.count(". ") == 0  # one sentence
    assert fence.startswith("```")
    first_block = CODE_BLOCK.search(README)
    assert first_block is not None and first_block.start() == README.index(fence)
    assert first_block.group(2).split("\n")[:-1] == ["make demo", "make test"]


def test_the_readme_commands_are_make_targets() -> None:
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    for target in ("demo", "test"):
        assert re.search(rf"^{target}: venv\b", makefile, re.M), target
    assert "make test" in (REPO / ".ci" / "run").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_has_help_and_is_in_the_readme(name: str) -> None:
    command = COMMANDS[name]
    assert command.help and command.help.strip().endswith("."), name
    assert re.search(rf"^- \*\*`{name}\b", README, re.M), f"no bullet for {name}"
    assert any(line.split("aidtracker ", 1)[1].split()[0] == name for line in aidtracker_lines()), name
    for param in command.params:
        if isinstance(param, TyperOption):
            assert param.help, f"{name} {param.opts}"
            for flag in [*param.opts, *param.secondary_opts]:
                if flag != "--help":
                    assert flag in README, f"{name} {flag}"


def test_readme_examples_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    ran = 0
    for line in aidtracker_lines():
        words = shlex.split(line, comments=True)
        stdin = None
        if "|" in words:
            pipe = words.index("|")
            assert words[:1] == ["cat"] and pipe == 2, line
            stdin = Path(words[1]).read_text(encoding="utf-8")
            words = words[pipe + 1 :]
        # Files the examples keep in /tmp go to this test's folder instead.
        words = [str(tmp_path / w.removeprefix("/tmp/")) if w.startswith("/tmp/") else w for w in words]
        env: dict[str, str | None] = {"AIDTRACKER_DB": str(tmp_path / "readme.db"), "COLUMNS": "120"}
        while "=" in words[0]:
            key, value = words.pop(0).split("=", 1)
            # an assignment's /tmp path too: /tmp is shared, and another checkout's database may be there
            env[key] = str(tmp_path / value.removeprefix("/tmp/")) if value.startswith("/tmp/") else value
        assert words[0] == "aidtracker", line
        args = words[1:]
        if args[0] == "serve":
            continue  # runs until interrupted; tests/api/test_serve.py starts it with uvicorn stubbed
        if args[0] == "watch":
            continue  # reads the web; tests/sources/ run it against a site on loopback
        if any(a.startswith("../shared") and not Path(a).exists() for a in args):
            continue  # the shared corpora are optional
        if "CLUSTER_ID" in args:
            # The README shows the id as a placeholder; take a real one from the session's database.
            with open_store(str(env["AIDTRACKER_DB"])) as store:
                clusters = store.clusters("commitment")
            assert clusters, "the README session should have stored commitments before `explain`"
            args = [clusters[0].id if a == "CLUSTER_ID" else a for a in args]
        result = CliRunner().invoke(cli.app, args, input=stdin, env=env)
        assert result.exit_code == 0, f"{line}\n{result.output}"
        ran += 1
    assert ran >= 12
