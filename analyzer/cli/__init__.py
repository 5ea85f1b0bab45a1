"""The command line: options, the run, and where its reports go."""

from analyzer.cli.command import entry, main

__all__ = ["entry", "main"]
