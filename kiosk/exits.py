"""Exit codes and the bad-argument error, shared by the argument parser and every command.

The command-line contract (docs/cli.md): 0 done, 1 something failed (a feed, a file), 2 a bad
config or a bad argument, with one line per problem on stderr.
"""

from __future__ import annotations

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """A bad argument: printed as one line, exit 2."""
