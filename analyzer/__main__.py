"""`python -m analyzer`: the same command as the `iac-ddb-lint` console script."""

from analyzer.cli import PROG, main

if __name__ == "__main__":
    main(prog_name=PROG)
