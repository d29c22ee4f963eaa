"""Everything cocagraph raises on purpose, and the exit code the command line gives for it.

The hierarchy::

    CocagraphError                   exit 3 unless a subclass says otherwise
    ├── InputError                   exit 2: a file cannot be read, parsed or trusted
    │   ├── ParseError               syntax error at file:line
    │   ├── EncodingError            not UTF-8, with the byte offset
    │   ├── UnsafeInputError         DOCTYPE, remote @context, file:/javascript: IRIs, too deep
    │   ├── InputTooLargeError       over the size limit (names the limit and how to raise it)
    │   └── SheetError               a claim sheet entry is wrong (file, line or row)
    ├── UsageError                   exit 2: the command was asked something it cannot answer
    │   └── UnknownNameError         no factor/claim by that name (lists the closest names)
    ├── QueryError                   exit 2: a SPARQL query is refused or fails
    │   ├── UnsafeQueryError         SERVICE, FROM, LOAD, updates
    │   ├── QueryTimeoutError        ran into its time limit
    │   └── QueryMemoryError         ran out of its memory allowance
    ├── OutputError                  exit 2: the answer cannot be written (folder, permissions, disk)
    ├── RemoteStoreError             exit 2: a remote SPARQL store failed or did not answer
    └── CheckFailed                  exit 1: a check ran and found problems (validate, quotes)

The library never prints; the command line turns these into one line on stderr.
"""

from __future__ import annotations

__all__ = [
    "CheckFailed",
    "CocagraphError",
    "EncodingError",
    "InputError",
    "InputTooLargeError",
    "OutputError",
    "ParseError",
    "QueryError",
    "QueryMemoryError",
    "QueryTimeoutError",
    "RemoteStoreError",
    "SheetError",
    "UnknownNameError",
    "UnsafeInputError",
    "UnsafeQueryError",
    "UsageError",
]

EXIT_OK = 0
EXIT_CHECK_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130


class CocagraphError(Exception):
    """Base of every error cocagraph raises on purpose."""

    exit_code = EXIT_INTERNAL


class InputError(CocagraphError):
    """A file cannot be read, parsed or trusted."""

    exit_code = EXIT_USAGE


class ParseError(InputError):
    """A syntax error; the message starts with ``file:line:``."""

    def __init__(self, path: object, line: int | None, message: str) -> None:
        self.path = str(path)
        self.line = line
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {message}")


class EncodingError(InputError):
    """A file is not UTF-8."""


class UnsafeInputError(InputError):
    """A file asks for something cocagraph never does (fetch, open, expand entities)."""


class InputTooLargeError(InputError):
    """A file is over the size limit."""


class SheetError(InputError):
    """A claim sheet entry is wrong; the message names the file and line or row."""


class UsageError(CocagraphError):
    """The command was asked something it cannot answer."""

    exit_code = EXIT_USAGE


class UnknownNameError(UsageError):
    """No factor, claim or query goes by that name; ``suggestions`` holds the closest names."""

    def __init__(self, kind: str, name: str, suggestions: list[str] | tuple[str, ...] = ()) -> None:
        self.kind = kind
        self.name = name
        self.suggestions = tuple(suggestions)
        hint = f"; did you mean: {', '.join(repr(s) for s in self.suggestions)}?" if suggestions else ""
        super().__init__(f"no {kind} named {name!r}{hint}")


class QueryError(CocagraphError):
    """A SPARQL query is refused or fails."""

    exit_code = EXIT_USAGE


class UnsafeQueryError(QueryError):
    """The query would reach the network or the file system, or change data."""


class QueryTimeoutError(QueryError):
    """The query ran into its time limit; nothing was exported."""


class QueryMemoryError(QueryError):
    """The query's worker ran out of its memory allowance; nothing was exported."""


class OutputError(CocagraphError):
    """The answer cannot be written."""

    exit_code = EXIT_USAGE


class RemoteStoreError(CocagraphError):
    """A remote SPARQL store failed, dropped the connection or did not answer in time."""

    exit_code = EXIT_USAGE


class CheckFailed(CocagraphError):
    """A check ran and found problems; ``problems`` lists them."""

    exit_code = EXIT_CHECK_FAILED

    def __init__(self, message: str, problems: list[object] | tuple[object, ...] = ()) -> None:
        self.problems = tuple(problems)
        super().__init__(message)
