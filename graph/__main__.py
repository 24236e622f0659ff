"""``python -m graph``: the ``escgraph`` command line, for when the script is not on PATH."""

from graph.cli import main

__all__: list[str] = []

if __name__ == "__main__":
    main(prog_name="escgraph")
