"""voicemock's command line: thin click commands that parse, call the library and render.

Everything outside the process (streams, directories, clock, audio parts) comes from the
:class:`~voicemock.env.Environment` in ``ctx.obj``; tests pass their own.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

import click

from voicemock import __version__
from voicemock.env import Environment
from voicemock.errors import VoicemockError

CONTEXT_SETTINGS: dict[str, Any] = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
EXIT_INTERRUPTED = 130


class VoicemockGroup(click.Group):
    """A group whose every failure is one line on stderr with a meaningful exit code.

    Usage errors and :class:`VoicemockError` exit 2 (or the error's own code), Ctrl-C
    exits 130, and an unexpected exception is one line too (``VOICEMOCK_DEBUG=1`` re-raises
    it with its traceback).
    """

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        try:
            result = super().main(args, prog_name, complete_var, False, **extra)
        except click.UsageError as exc:
            hint = f" (see '{exc.ctx.command_path} --help')" if exc.ctx is not None else ""
            _fail(f"Error: {exc.format_message()}{hint}", exc.exit_code)
        except click.ClickException as exc:
            _fail(f"Error: {exc.format_message()}", exc.exit_code)
        except VoicemockError as exc:
            _fail(f"Error: {exc}", exc.exit_code)
        except (click.Abort, KeyboardInterrupt):
            _fail("Interrupted.", EXIT_INTERRUPTED)
        except BrokenPipeError:  # `voicemock sessions list | head -1`
            sys.exit(0)
        except Exception as exc:
            if os.environ.get("VOICEMOCK_DEBUG"):
                raise
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
            _fail(
                f"Error: unexpected {type(exc).__name__}: {first} "
                "(set VOICEMOCK_DEBUG=1 for details, and please report it)",
                1,
            )
        sys.exit(result if isinstance(result, int) else 0)


def _fail(message: str, code: int) -> NoReturn:
    click.echo(message, err=True)
    sys.exit(code)


pass_env = click.make_pass_decorator(Environment)


@click.group(
    cls=VoicemockGroup,
    context_settings=CONTEXT_SETTINGS,
    epilog="""\b
Examples:
  voicemock practice                 # a spoken round from the amazon-pm set
  voicemock analyze answer.wav       # feedback on a recorded answer
  voicemock COMMAND --help           # every command has examples
""",
)
@click.version_option(__version__, "-V", "--version", prog_name="voicemock")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Practise behavioural interview answers out loud and get honest, timed feedback.

    Everything runs on this machine: your voice never leaves it.
    """
    if ctx.obj is None:
        ctx.obj = Environment()


def main(argv: Sequence[str] | None = None) -> None:
    """Console-script entry point."""
    cli.main(args=argv, prog_name="voicemock")
