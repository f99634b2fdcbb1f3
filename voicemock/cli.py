"""voicemock's command line: thin click commands that parse, call the library and render.

Everything outside the process (streams, directories, clock, audio parts) comes from the
:class:`~voicemock.env.Environment` in ``ctx.obj``; tests pass their own.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import Any

import click

from voicemock import __version__
from voicemock.env import Environment
from voicemock.errors import VoicemockError

CONTEXT_SETTINGS: dict[str, Any] = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
EXIT_INTERRUPTED = 130


class Interrupted(click.ClickException):
    exit_code = EXIT_INTERRUPTED

    def show(self, file: Any = None) -> None:
        click.echo(self.message, file=file, err=file is None)


class UserFacingError(click.ClickException):
    """A :class:`VoicemockError` on its way out: one line, its own exit code."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code

    def show(self, file: Any = None) -> None:
        click.echo(f"Error: {self.message}", file=file, err=file is None)


class VoicemockGroup(click.Group):
    """A group whose every failure is one line on stderr with a meaningful exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except VoicemockError as exc:
            raise UserFacingError(str(exc), exc.exit_code) from exc
        except KeyboardInterrupt as exc:
            raise Interrupted("Interrupted.") from exc
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as exc:
            if os.environ.get("VOICEMOCK_DEBUG"):
                raise
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
            raise UserFacingError(
                f"unexpected {type(exc).__name__}: {first} "
                "(set VOICEMOCK_DEBUG=1 for details and please report it)",
                1,
            ) from exc

    def main(  # type: ignore[override]
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
            hint = ""
            if exc.ctx is not None:
                hint = f" (see '{exc.ctx.command_path} --help')"
            click.echo(f"Error: {exc.format_message()}{hint}", err=True)
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            exc.show()
            sys.exit(exc.exit_code)
        except (click.Abort, KeyboardInterrupt):
            click.echo("Interrupted.", err=True)
            sys.exit(EXIT_INTERRUPTED)
        except OSError as exc:  # e.g. a closed pipe: `voicemock sessions list | head -1`
            if getattr(exc, "errno", None) == 32:
                sys.exit(0)
            click.echo(f"Error: {exc}", err=True)
            sys.exit(1)
        sys.exit(result if isinstance(result, int) else 0)


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
