"""The ``cocagraph`` command: one verb per job.

Each verb lives in a module of this package and is imported only when it runs, so that a quick
question does not pay for the renderer (pyvis imports IPython) or the validator (pySHACL).
Errors become one line on stderr and an exit code:

    0  success
    1  a check ran and found problems (validate, verify-quotes)
    2  usage or input error (bad file, unknown name, refused query, unwritable output)
    3  internal error (a bug: please report it)
  130  interrupted (Ctrl-C or SIGTERM); nothing half-written is left behind
"""

from __future__ import annotations

import importlib
import logging
import signal
from collections.abc import Sequence
from typing import Any

import click

from ..errors import EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_USAGE, CocagraphError
from ..tables import printable

__all__ = ["cli", "main"]

#: verb -> "module:function" inside this package. Kept in one place so `--help` can list every
#: verb without importing any of them.
COMMANDS: dict[str, tuple[str, str]] = {
    "validate": ("graph_commands:validate", "Check graphs: syntax, SHACL shapes and cocagraph's own checks."),
    "verify-quotes": ("graph_commands:verify_quotes", "Check every evidence quote against the source text."),
    "info": ("graph_commands:info", "Show what is loaded: sources, claims by type, factors, actors."),
    "claims": ("graph_commands:claims", "List claims with their certainty and quote."),
    "dump": ("graph_commands:dump", "Write the loaded graphs in any RDF format (N-Quads, TriG, Turtle, JSON-LD ...)."),
    "cache": ("cache_commands:cache", "See or clear the on-disk cache of loaded graphs."),
    "compile": ("sheet_commands:compile_cmd", "Compile a claim sheet into Turtle with evidence selectors."),
    "sheet": ("sheet_commands:sheet_cmd", "Write the claim sheet (YAML or CSV) back from a compiled graph."),
    "conflicts": ("sheet_commands:conflicts_cmd", "Where sources disagree: opposite polarities, different figures."),
    "sparql": (
        "sparql_commands:sparql",
        "Run a read-only SPARQL query (a file, inline, or a bundled one); W3C result formats.",
    ),
    "serve": ("sparql_commands:serve", "Serve the graphs as a read-only SPARQL 1.1 endpoint with a query page."),
    "push": ("sparql_commands:push", "Send every source graph to a SPARQL 1.1 store (Graph Store Protocol PUT)."),
    "paths": (
        "analysis_commands:paths",
        "Causal paths from one factor to another, best first, with every step's quote.",
    ),
    "drivers": ("analysis_commands:drivers", "What pushes a factor up or down, with the net sign at each distance."),
    "effects": ("analysis_commands:effects", "What a factor pushes up or down, with the net sign at each distance."),
    "loops": (
        "analysis_commands:loops",
        "Feedback loops, each reinforcing or balancing, with the claims that make it.",
    ),
    "leverage": ("analysis_commands:leverage", "Factors ranked by the causal chains from causes to harms they sit on."),
    "explain": ("analysis_commands:explain", "Everything the graph says about one claim or factor, with quotes."),
    "export": ("analysis_commands:export", "Write the causal projection as GraphML, GEXF, DOT, Mermaid or JSON."),
    "whatif": ("scenario_commands:whatif", "What the argument implies if factors change (a scenario; not a forecast)."),
    "compare": ("scenario_commands:compare", "Two policy scenarios side by side, with the claims behind each effect."),
    "standing": (
        "argument_commands:standing",
        "Which claims stand once the attacks are weighed (grounded or preferred semantics).",
    ),
    "argument": (
        "argument_commands:argument",
        "The case for and against a claim or a policy: reasons, objections, concessions, answers.",
    ),
    "render": (
        "render_commands:render",
        "Draw a causal map (whole, focus, paths, theme, loops) as one offline HTML file.",
    ),
    "site": ("render_commands:site", "Build a folder of offline maps, claim tables and SPARQL answers for readers."),
}


class LazyGroup(click.Group):
    """A group whose commands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        module_name, _, attribute = COMMANDS[name][0].partition(":")
        module = importlib.import_module(f"{__name__}.{module_name}")
        command: click.Command = getattr(module, attribute)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # Listing the verbs must not import them: use the one-line summaries above.
        with formatter.section("Commands"):
            formatter.write_dl([(name, summary) for name, (_, summary) in sorted(COMMANDS.items())])


def _verbosity(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    from .options import VERBOSITY_KEY

    if value:
        ctx.meta[VERBOSITY_KEY] = -1 if param.name == "quiet" else 1


@click.group(
    cls=LazyGroup,
    context_settings={
        "help_option_names": ["-h", "--help"],
        "max_content_width": 100,
        # Every option of every verb can be set in the environment: COCAGRAPH_<VERB>_<OPTION>,
        # e.g. COCAGRAPH_PATHS_MAX_LENGTH=4; --endpoint also reads COCAGRAPH_ENDPOINT.
        "auto_envvar_prefix": "COCAGRAPH",
    },
)
@click.version_option(package_name="cocagraph", message="cocagraph %(version)s")
@click.option(
    "-q",
    "--quiet",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_verbosity,
    help="Say nothing on stderr but errors.",
)
@click.option(
    "-v",
    "--verbose",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_verbosity,
    help="Also say what was loaded and how long loading took, on stderr.",
)
def cli() -> None:
    """cocagraph: a policy-argument knowledge graph.

    Claims of policy texts as RDF, each resting on a verbatim quote; causal questions over
    them; SPARQL answers; offline maps. With no --graph, commands read the shipped graph (the
    Peru Support Group article on coca in Peru) and its ontology.

    Exit codes: 0 success; 1 a check found problems; 2 usage or input error; 3 internal error;
    130 interrupted.

    Every option can be set in the environment as COCAGRAPH_<VERB>_<OPTION> (COCAGRAPH_PATHS_LIMIT=3);
    --endpoint as COCAGRAPH_ENDPOINT.

    \b
    Shell completion (verbs, options, factor and bundled query names), in ~/.bashrc:
      eval "$(_COCAGRAPH_COMPLETE=bash_source cocagraph)"
    (zsh_source in ~/.zshrc; fish_source for fish).
    """


def _raise_interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


class _WarningLine(logging.Handler):
    """The library's warnings (``logging.getLogger("cocagraph")``) as one line each on stderr."""

    def emit(self, record: logging.LogRecord) -> None:
        _say(f"warning: {record.getMessage()}")


def _say(message: str) -> None:
    # One line (a parser's message may run to several), and messages quote file names, terms and
    # data: escape codes in them must not reach the terminal.
    line = " ".join(part.strip() for part in message.split("\n") if part.strip())
    click.echo(f"cocagraph: {printable(line, newlines=False)}", err=True)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code (the console script exits with it)."""
    # SIGTERM behaves like Ctrl-C: the atomic writers clean up their temporary files.
    previous = signal.signal(signal.SIGTERM, _raise_interrupt)
    log = logging.getLogger("cocagraph")
    handler = _WarningLine(logging.WARNING)
    log.addHandler(handler)
    log.propagate = False
    try:
        # Without standalone mode click returns the code of a ``click.exceptions.Exit``.
        code = cli.main(args=list(argv) if argv is not None else None, prog_name="cocagraph", standalone_mode=False)
        return code if isinstance(code, int) else 0
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("cocagraph: interrupted", err=True)
        return EXIT_INTERRUPTED
    except click.ClickException as exc:
        exc.message = printable(exc.message, newlines=False)
        exc.show()
        return EXIT_USAGE
    except CocagraphError as exc:
        _say(f"error: {exc}")
        return exc.exit_code
    except KeyboardInterrupt:
        click.echo("cocagraph: interrupted", err=True)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return 0
    except Exception as exc:  # a bug: say so plainly, with what to report
        _say(f"internal error: {type(exc).__name__}: {exc} (this is a bug; please report it with the command you ran)")
        return EXIT_INTERNAL
    finally:
        signal.signal(signal.SIGTERM, previous)
        log.removeHandler(handler)
        log.propagate = True
