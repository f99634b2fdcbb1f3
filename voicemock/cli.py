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


# -- sessions --


@cli.group(
    context_settings=CONTEXT_SETTINGS,
    epilog="""\b
Examples:
  voicemock sessions list                              # the 20 newest rounds
  voicemock sessions export latest --format markdown   # a readable review
  voicemock sessions delete 3                          # forget round 3 and its audio
""",
)
def sessions() -> None:
    """Review, export and delete saved practice sessions.

    Every round of `voicemock practice` is one session; its answers, transcripts,
    analysis and recordings are kept in the data directory until you delete them.
    """


def _sessions_missing(spec: str) -> VoicemockError:
    """Error for SESSION when nothing was ever saved (read commands create no database)."""
    from voicemock.errors import InputError

    if spec.strip().lower() == "latest":
        return InputError("no sessions yet — run `voicemock practice` first")
    return InputError(f"no session {spec} (there are no sessions yet)")


@sessions.command(
    "list",
    epilog="""\b
Examples:
  voicemock sessions list
  voicemock sessions list --limit 5
""",
)
@click.option(
    "--limit",
    "-n",
    type=click.IntRange(min=1),
    default=20,
    show_default=True,
    help="How many of the newest sessions to show.",
)
@pass_env
def sessions_list(env: Environment, limit: int) -> None:
    """List saved sessions, newest first: answers, how many landed in the window, average length."""
    from voicemock.render import make_console
    from voicemock.render.sessions import render_session_list
    from voicemock.storage import SessionSummary, Store

    summaries: list[SessionSummary] = []
    total = 0
    if Store.exists(env.home):
        with Store.open(env.home) as store:
            summaries, total = store.list_sessions(limit), store.count_sessions()
    render_session_list(make_console(env), summaries, total=total)


@sessions.command(
    "export",
    epilog="""\b
Examples:
  voicemock sessions export latest                       # JSON on standard output
  voicemock sessions export 3 --format markdown -o round3.md
  voicemock sessions export latest | jq '.session.answers[].analysis.timing_verdict'
""",
)
@click.argument("session", metavar="SESSION")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "markdown"], case_sensitive=False),
    default="json",
    show_default=True,
    help="json: everything, for tools; markdown: a readable review per answer.",
)
@click.option(
    "--output",
    "-o",
    metavar="FILE",
    type=click.Path(dir_okay=False),
    help="Write to FILE instead of standard output.",
)
@pass_env
def sessions_export(env: Environment, session: str, fmt: str, output: str | None) -> None:
    """Export SESSION (its number, or `latest`) with every answer and its analysis."""
    import json

    from voicemock.render.sessions import session_markdown
    from voicemock.storage import Store

    if not Store.exists(env.home):
        raise _sessions_missing(session)
    with Store.open(env.home) as store:
        found = store.resolve_session(session)
        if fmt.lower() == "json":
            data = store.export(found.id)
            text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
            count = len(data["session"]["answers"])
        else:
            answers = store.answers(found.id)
            text = session_markdown(found, answers)
            count = len(answers)
    if output is None or output == "-":
        env.out.write(text)
        env.out.flush()
        return
    _sessions_write(output, text)
    noun = "answer" if count == 1 else "answers"
    click.echo(f"Wrote session {found.id} ({count} {noun}) to {output}", file=env.out)


def _sessions_write(output: str, text: str) -> None:
    """Write ``text`` to ``output`` whole or not at all (a temp file renamed over it)."""
    import os
    from pathlib import Path

    from voicemock.errors import InputError

    path = Path(output).expanduser()
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        # 0o666 minus the umask, like any new file (mkstemp would force 0600).
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise InputError(f"cannot write {output}: {exc.strerror or exc}") from exc


@sessions.command(
    "delete",
    epilog="""\b
Examples:
  voicemock sessions delete 3          # asks first
  voicemock sessions delete latest --yes
""",
)
@click.argument("session", metavar="SESSION")
@click.option("--yes", "-y", is_flag=True, help="Delete without asking.")
@pass_env
def sessions_delete(env: Environment, session: str, yes: bool) -> None:
    """Delete SESSION (its number, or `latest`): its answers and its audio recordings."""
    from voicemock.errors import InputError
    from voicemock.render.sessions import local_time
    from voicemock.storage import Store

    if not Store.exists(env.home):
        raise _sessions_missing(session)
    with Store.open(env.home) as store:
        found = store.resolve_session(session)
        count = len(store.answers(found.id))
        if not yes:
            noun = "answer" if count == 1 else "answers"
            when = local_time(found.started_at)
            what = f"session {found.id} ({found.set_name or 'no set'}, {when})"
            click.echo(
                f"Delete {what}: {count} {noun} and their recordings? [y/N] ",
                file=env.err,
                nl=False,
            )
            reply = env.inp.readline()
            if not reply:
                click.echo(file=env.err)
                raise InputError("no reply to the question; pass --yes to delete without asking")
            if reply.strip().lower() not in ("y", "yes"):
                click.echo("Nothing deleted.", file=env.out)
                return
        result = store.delete_session(found.id)
    noun = "answer" if result.answers == 1 else "answers"
    files = "audio file" if result.audio_files == 1 else "audio files"
    click.echo(
        f"Deleted session {found.id}: {result.answers} {noun},"
        f" {result.audio_files} {files} ({_sessions_size(result.audio_bytes)}).",
        file=env.out,
    )


def _sessions_size(n: int) -> str:
    size = float(n)
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{int(size)} bytes" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{n} bytes"
