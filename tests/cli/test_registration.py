"""Commands are registered in one place, cli/app.py: a command module never imports the app (a
decorator there would register by import side effect and close an import cycle), and app.py
reaches every command module, so none is silently left out of `threadline`."""

from __future__ import annotations

import grimp

APP = "threadline.cli.app"
# Modules of the CLI that hold no commands: the package, its entry points and shared helpers.
HELPERS = {
    "threadline.cli",
    "threadline.cli.__main__",
    "threadline.cli.changes",
    "threadline.cli.console",
    "threadline.cli.options",
    "threadline.cli.paths",
}


def test_app_registers_every_command_module_and_none_imports_it() -> None:
    graph = grimp.build_graph("threadline", cache_dir=None)
    modules = graph.find_descendants("threadline.cli") - {APP}
    importers = graph.find_modules_that_directly_import(APP) & modules
    assert importers <= {"threadline.cli", "threadline.cli.__main__"}, importers
    registered = graph.find_modules_directly_imported_by(APP)
    assert sorted(modules - HELPERS - registered) == []
