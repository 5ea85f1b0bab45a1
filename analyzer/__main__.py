"""`python -m analyzer`: the same command as the `iac-ddb-lint` console script."""

from analyzer.cli import entry

if __name__ == "__main__":
    entry()
