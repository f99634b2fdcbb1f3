"""voicemock's command line: thin click commands that parse, call the library and render.

Everything outside the process (streams, directories, clock, audio parts) comes from the
:class:`~voicemock.env.Environment` in ``ctx.obj``; tests pass their own.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from voicemock import __version__
from voicemock.env import Environment
from voicemock.errors import ExitStatus, Terminated, VoicemockError

FC = TypeVar("FC", bound="Callable[..., Any] | click.Command")

CONTEXT_SETTINGS: dict[str, Any] = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class VoicemockGroup(click.Group):
    """A group whose every failure is one line on stderr with a meaningful exit code.

    Usage errors and :class:`VoicemockError` exit :attr:`ExitStatus.ERROR` (or the error's
    own code), Ctrl-C exits :attr:`ExitStatus.ERROR_CTRL_C`, and an unexpected exception is
    one line too, :attr:`ExitStatus.ERROR_UNEXPECTED` (``VOICEMOCK_DEBUG=1`` re-raises it
    with its traceback).
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
            with _sigterm_as_interrupt():
                result = super().main(args, prog_name, complete_var, False, **extra)
        except _NO_ARGS_IS_HELP as exc:  # `voicemock`, `voicemock sets`: plain help
            assert exc.ctx is not None
            click.echo(exc.ctx.get_help(), color=exc.ctx.color)
            sys.exit(ExitStatus.SUCCESS)
        except click.UsageError as exc:
            hint = f" (see '{exc.ctx.command_path} --help')" if exc.ctx is not None else ""
            _fail(f"Error: {exc.format_message()}{hint}", exc.exit_code)
        except click.ClickException as exc:
            _fail(f"Error: {exc.format_message()}", exc.exit_code)
        except VoicemockError as exc:
            _fail(f"Error: {exc}", exc.exit_code)
        except (click.Abort, KeyboardInterrupt) as exc:  # click wraps Ctrl-C in Abort
            # Start a fresh line: the signal usually lands in a line drawn in place (^C, a bar).
            fresh = "\n" if sys.stderr.isatty() else ""
            if isinstance(exc, Terminated) or isinstance(exc.__cause__, Terminated):
                _stop(f"{fresh}Terminated.", ExitStatus.ERROR_TERMINATED)
            _stop(f"{fresh}Interrupted.", ExitStatus.ERROR_CTRL_C)
        except BrokenPipeError:  # `voicemock sessions list | head -1`
            sys.exit(ExitStatus.SUCCESS)
        except Exception as exc:
            if os.environ.get("VOICEMOCK_DEBUG"):
                raise
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
            _fail(
                f"Error: unexpected {type(exc).__name__}: {first} "
                "(set VOICEMOCK_DEBUG=1 for details, and please report it)",
                ExitStatus.ERROR_UNEXPECTED,
            )
        sys.exit(result if isinstance(result, int) else ExitStatus.SUCCESS)


_NO_ARGS_IS_HELP: type[click.UsageError] = getattr(
    click.exceptions, "NoArgsIsHelpError", type("_NeverRaised", (click.UsageError,), {})
)
"""What click (8.2 on) raises for a group called without a subcommand; click 8.1 prints
the help itself."""


@contextlib.contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """While a command runs, SIGTERM raises :class:`Terminated` (a KeyboardInterrupt) in the
    main thread: a ``kill`` keeps what was recorded exactly as Ctrl-C does."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def terminate(_signum: int, _frame: object) -> None:
        raise Terminated()

    previous = signal.signal(signal.SIGTERM, terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _fail(message: str, code: int) -> NoReturn:
    click.echo(message, err=True)
    sys.exit(code)


def _stop(message: str, code: int) -> NoReturn:
    """:func:`_fail` for an interrupted command. What was recorded is saved by now; a
    speech-recognition worker may still be inside CTranslate2, and tearing the interpreter
    down under it aborts the process ("terminate called without an active exception"), so
    then the process ends at once, its output flushed."""
    click.echo(message, err=True)
    busy = [t for t in threading.enumerate() if t.name.startswith("voicemock-asr-")]
    if any(t.is_alive() for t in busy):
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        os._exit(code)
    sys.exit(code)


F = TypeVar("F", bound=Callable[..., Any])


def pass_env(fn: F) -> F:
    """Pass the :class:`Environment` as the first argument, after checking that its data
    and config directories can be directories (one line otherwise, for every command)."""
    import functools

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        env = click.get_current_context().ensure_object(Environment)
        env.check_dirs()
        return fn(env, *args, **kwargs)

    return wrapper  # type: ignore[return-value]


# -- options shared by several commands (sqlite-utils' output_options is the model) ------


def model_option(fn: F) -> F:
    """``--model NAME|DIR``: passed to the command as ``model``."""
    return click.option(
        "--model",
        metavar="NAME|DIR",
        help="faster-whisper model name or CTranslate2 directory [default: bundled tiny.en; "
        "env VOICEMOCK_MODEL].",
    )(fn)


def _no_color(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value:
        ctx.ensure_object(Environment).color = False


def no_color_option(fn: F) -> F:
    """``--no-color``: plain text from then on (the command sees no argument)."""
    return click.option(
        "--no-color",
        is_flag=True,
        expose_value=False,
        callback=_no_color,
        help="Plain text with ASCII markers instead of colour.",
    )(fn)


def target_options(fn: F) -> F:
    """``--target MIN-MAX`` and ``--cap SECONDS``: passed as ``window`` and ``cap``
    (apply them with :func:`voicemock.timing.apply_overrides`)."""
    for option in reversed(
        (
            click.option(
                "--target",
                "window",
                metavar="MIN-MAX",
                help="Target window in seconds or m:ss, e.g. 150-210 or 2:30-3:30 "
                "[default: 150-210].",
            ),
            click.option(
                "--cap",
                metavar="SECONDS",
                help="Hard cap: recording stops here, e.g. 240 or 4:00 [default: 240].",
            ),
        )
    ):
        fn = option(fn)
    return fn


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


# -- analyze --------------------------------------------------------------------------


def _progress_printer(env: Environment, label: str) -> Any:
    """A callback drawing ``label [#######.......]  42%`` in place on stderr when it is a
    terminal (redrawn only when the percentage changes; fits the terminal's width)."""
    isatty = getattr(env.err, "isatty", None)
    if not (isatty and isatty()):
        return None
    import shutil

    columns = shutil.get_terminal_size((80, 24)).columns
    width = max(10, min(40, columns - len(label) - 10))
    last = [-1]

    def show(fraction: float) -> None:
        percent = int(min(max(fraction, 0.0), 1.0) * 100)
        if percent <= last[0]:
            return
        last[0] = percent
        filled = width * percent // 100
        bar = "#" * filled + "." * (width - filled)
        env.err.write(f"\r{label} [{bar}] {percent:3d}%" + ("\n" if percent >= 100 else ""))
        env.err.flush()

    return show


@cli.command(
    epilog="""\b
Examples:
  voicemock analyze answer.wav
  voicemock analyze answer.m4a --question "Tell me about a time you disagreed" --target 2:30-3:30
  voicemock analyze answer.wav --json > feedback.json
  voicemock analyze --text answer.txt       # a typed transcript: no timing findings
  voicemock analyze --text answer.txt --question "Tell me about yourself" --all
""",
)
@click.argument("audio", required=False, type=click.Path(path_type=Path))
@click.option(
    "--text",
    "text_file",
    type=click.Path(path_type=Path),
    metavar="FILE",
    help="Analyse a typed transcript (UTF-8 text) instead of audio.",
)
@click.option(
    "--question",
    metavar="TEXT",
    help="The question that was answered (its kind decides which checks apply).",
)
@target_options
@model_option
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document (see README).")
@click.option(
    "--all", "all_advice", is_flag=True, help="Show every change, not only the top three."
)
@no_color_option
@pass_env
def analyze(
    env: Environment,
    audio: Path | None,
    text_file: Path | None,
    question: str | None,
    window: str | None,
    cap: str | None,
    model: str | None,
    as_json: bool,
    all_advice: bool,
) -> None:
    """Transcribe a recorded answer and report timing, fillers, ownership, numbers and structure.

    AUDIO is any common audio file (WAV, FLAC, MP3, OGG, M4A). Transcription runs on this
    machine with the bundled model; nothing is uploaded.
    """
    from voicemock.config import Config
    from voicemock.errors import InputError
    from voicemock.feedback import analysis_document, read_transcript_text, transcribe_file
    from voicemock.timing import apply_overrides

    if audio is None and text_file is None:
        raise InputError("missing AUDIO file (or --text FILE for a typed transcript)")
    if audio is not None and text_file is not None:
        raise InputError("give an AUDIO file or --text FILE, not both")
    config = Config.load(env)
    target = apply_overrides(config.target, window, cap)
    if text_file is not None:
        transcript = read_transcript_text(text_file)
        model_name = None
    else:
        assert audio is not None
        transcriber = env.transcriber(model or config.model)
        transcript = transcribe_file(
            audio, transcriber, progress=_progress_printer(env, "Transcribing")
        )
        model_name = transcriber.name
    doc = analysis_document(transcript, target, question=question, model=model_name)
    if as_json:
        import json

        env.out.write(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
        return
    from voicemock.render import make_console
    from voicemock.render.report import render_report

    render_report(make_console(env), doc, all_advice=all_advice, more_hint="--all shows them")


# -- models ---------------------------------------------------------------------------


@cli.group(
    epilog="""\b
Examples:
  voicemock models list
  voicemock models download base.en     # needs internet, once
  voicemock analyze answer.wav --model base.en
""",
)
def models() -> None:
    """Show and fetch transcription models (the bundled tiny.en needs nothing)."""


@models.command(
    "list",
    epilog="""\b
Example:
  voicemock models list
""",
)
@pass_env
def models_list(env: Environment) -> None:
    """List the models usable offline: the bundled one and any already downloaded.

    A model named in VOICEMOCK_MODEL or config.toml that is not on this machine is listed
    too, marked missing, with what to do about it.
    """
    from voicemock.asr.models import (
        BUNDLED_MODEL,
        bundled_model_path,
        cached_models,
        resolve_model,
    )
    from voicemock.config import Config
    from voicemock.errors import ModelError

    configured = Config.load(env).model or BUNDLED_MODEL
    source = "VOICEMOCK_MODEL" if env.environ.get("VOICEMOCK_MODEL") else "config.toml"
    rows = [(BUNDLED_MODEL, bundled_model_path(), "bundled")]
    rows += [(name, path, "downloaded") for name, path in cached_models()]
    in_use = [r for r in rows if configured in (r[0], r[1])]
    if not in_use:
        try:
            choice = resolve_model(configured)
        except ModelError as exc:
            rows.append((configured, f"named in {source}, but {exc}", "missing"))
        else:
            rows.append((configured, choice.path, "directory"))
    for name, path, how in rows:
        mark = "*" if configured in (name, path) else " "
        click.echo(f"{mark} {name:<18} {how:<10} {path}", file=env.out)
    click.echo("(* = in use; set with --model, VOICEMOCK_MODEL or config.toml)", file=env.out)


@models.command(
    "download",
    epilog="""\b
Example:
  voicemock models download small.en
""",
)
@click.argument("name")
@pass_env
def models_download(env: Environment, name: str) -> None:
    """Download a faster-whisper model NAME once (the only command that uses the network)."""
    from voicemock.asr.models import check_model_name, download_model

    check_model_name(name)  # an unknown name fails before anything is said or fetched
    click.echo(f"Downloading {name}…", file=env.err)
    path = download_model(name)
    click.echo(f"{name} is ready: {path}", file=env.out)


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
  voicemock sessions export 3 -o round3.md               # markdown, from the extension
  voicemock sessions export latest | jq '.session.answers[].analysis.timing_verdict'
""",
)
@click.argument("session", metavar="SESSION")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "markdown"], case_sensitive=False),
    help="json: everything, for tools; markdown: a readable review per answer "
    "[default: from the -o extension (.md, .markdown, .json), else json].",
)
@click.option(
    "--output",
    "-o",
    metavar="FILE",
    type=click.Path(dir_okay=False),
    help="Write to FILE instead of standard output.",
)
@pass_env
def sessions_export(env: Environment, session: str, fmt: str | None, output: str | None) -> None:
    """Export SESSION (its number, or `latest`) with every answer and its analysis.

    Without --format, a FILE ending in .md or .markdown gets markdown, anything else JSON.
    """
    import json

    from voicemock.render.sessions import session_markdown
    from voicemock.storage import Store

    fmt = export_format(fmt, output)
    if not Store.exists(env.home):
        raise _sessions_missing(session)
    with Store.open(env.home) as store:
        found = store.resolve_session(session)
        if fmt == "json":
            data = store.export(found.id)
            text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
            count = len(data["session"]["answers"])
        else:
            answers = store.answers(found.id)
            told = store.stories.told(a.id for a in answers)
            text = session_markdown(found, answers, seeds=_seed_lookup(env), stories=told)
            count = len([a for a in answers if not a.is_reply])
    if output is None or output == "-":
        env.out.write(text)
        env.out.flush()
        return
    _sessions_write(output, text)
    noun = "answer" if count == 1 else "answers"
    click.echo(f"Wrote session {found.id} ({count} {noun}) to {output}", file=env.out)


EXPORT_EXTENSIONS = {".md": "markdown", ".markdown": "markdown", ".json": "json"}


def export_format(fmt: str | None, output: str | None) -> str:
    """The export format: --format if given, else from the output file's extension.

    A --format that contradicts the extension (``--format json -o x.md``) is refused.
    """
    from voicemock.errors import InputError

    implied = None
    if output is not None and output != "-":
        implied = EXPORT_EXTENSIONS.get(Path(output).suffix.lower())
    if fmt is None:
        return implied or "json"
    fmt = fmt.lower()
    if implied is not None and implied != fmt:
        raise InputError(
            f"--format {fmt} contradicts the file name {output} (a {implied} file): "
            f"drop --format, or name the file {Path(output or '').stem}"
            f"{'.json' if fmt == 'json' else '.md'}"
        )
    return fmt


def _sessions_write(output: str, text: str) -> None:
    """Write ``text`` to ``output`` whole or not at all, 0600 (see ``files.write_export``)."""
    from pathlib import Path

    from voicemock.errors import InputError

    if not output.strip():
        raise InputError("--output needs a file name ('-' for standard output)")
    write_user_file(Path(output).expanduser(), text, shown=output)


def write_user_file(path: Path, data: str | bytes, *, shown: str | None = None) -> int:
    """Write an export or a report the user asked for; one-line errors. Bytes written."""
    from voicemock.errors import InputError
    from voicemock.files import NotRegularFile, write_export

    name = shown if shown is not None else str(path)
    try:
        write_export(path, data)
    except NotRegularFile as exc:
        hint = " (use '-' for standard output)" if exc.kind != "a directory" else ""
        raise InputError(
            f"cannot write {name}: it is {exc.kind}, not a regular file{hint}"
        ) from None
    except OSError as exc:
        raise InputError(f"cannot write {name}: {exc.strerror or exc}") from None
    return len(data.encode("utf-8") if isinstance(data, str) else data)


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
    for left in result.left:
        click.echo(f"Note: {left}", file=env.err)


def _sessions_size(n: int) -> str:
    size = float(n)
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{int(size)} bytes" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{n} bytes"


# -- question sets --


@cli.group(
    "sets",
    context_settings=CONTEXT_SETTINGS,
    epilog="""\b
Examples:
  voicemock sets list                               # every set, where it lives, its tags
  voicemock sets show amazon-pm --tag dive-deep     # the Dive Deep questions
  voicemock sets new my-loop                        # start your own set from a template
  voicemock sets import questions.txt --name onsite-prep
  voicemock sets validate ~/my-sets/*.toml
""",
)
def sets_group() -> None:
    """Browse, check, create and import question sets.

    Sets are TOML files: the bundled ones, then yours in the sets directory (a set of
    yours with the same name as a bundled one replaces it), then any path you give.
    """


@sets_group.command(
    "list",
    epilog="""\b
Examples:
  voicemock sets list
  voicemock sets list ~/drafts/onsite.toml    # include a set that lives elsewhere
""",
)
@click.argument("paths", nargs=-1, metavar="[PATH]...", type=click.Path(path_type=str))
@pass_env
def sets_list(env: Environment, paths: tuple[str, ...]) -> None:
    """List the sets: name, source path, number of questions, tags.

    PATH adds set files (or directories of them) beyond the bundled sets and your sets
    directory; shadowed sets are listed too, marked as such.
    """
    from voicemock.questions import Catalog, expand_set_paths
    from voicemock.render import make_console
    from voicemock.render.sets import render_catalog

    catalog = Catalog.for_env(env, expand_set_paths(paths))
    render_catalog(make_console(env), catalog.entries)


@sets_group.command(
    "show",
    epilog="""\b
Examples:
  voicemock sets show amazon-pm
  voicemock sets show amazon-pm --tag "Customer Obsession"
  voicemock sets show ./onsite.toml --tag product-sense --tag dive-deep
""",
)
@click.argument("ref", metavar="NAME|PATH")
@click.option(
    "--tag",
    "-t",
    "tags",
    multiple=True,
    metavar="TAG",
    help="Only questions with this tag (repeatable; case, spaces and full LP names are fine).",
)
@pass_env
def sets_show(env: Environment, ref: str, tags: tuple[str, ...]) -> None:
    """Show a set's questions with their tags and follow-ups."""
    from voicemock.questions import Catalog
    from voicemock.render import make_console
    from voicemock.render.sets import render_set

    qset = Catalog.for_env(env).get(ref)
    questions = qset.tagged(tags) if tags else qset.questions
    render_set(make_console(env), qset, questions, tags=tags)


@sets_group.command(
    "validate",
    epilog="""\b
Examples:
  voicemock sets validate my-loop.toml
  voicemock sets validate ~/my-sets/          # every .toml file in a directory
  voicemock sets validate                     # every set voicemock can find
""",
)
@click.argument("refs", nargs=-1, metavar="[PATH|NAME]...")
@pass_env
def sets_validate(env: Environment, refs: tuple[str, ...]) -> None:
    """Check set files; report each problem as FILE:LINE: what is wrong.

    Exits 2 if any file has a problem. Without arguments, checks the bundled sets and
    your sets directory.
    """
    from pathlib import Path

    from voicemock.errors import InputError
    from voicemock.questions import Catalog, Problem, check_file, expand_set_paths
    from voicemock.render import make_console
    from voicemock.render.sets import render_problems, render_valid

    catalog = Catalog.for_env(env)
    files: list[Path] = []
    problems: list[Problem] = []  # arguments that are neither a file nor a set
    if not refs:
        files = [entry.path for entry in catalog.entries]
    for ref in refs:
        path = Path(ref).expanduser()
        entry = catalog.entry(ref) if not path.exists() else None
        if path.is_dir():
            found = expand_set_paths((ref,))
            files.extend(found)
            if not found:
                problems.append(Problem(ref, None, "directory holds no .toml files"))
        elif entry is not None:
            files.append(entry.path)
        elif path.exists():
            files.append(path)
        else:
            problems.append(Problem(ref, None, "no such file or question set"))
    console = make_console(env)
    bad = len(problems)
    checked = len(files) + len(problems)
    for path in files:
        qset, found_problems = check_file(path)
        if qset is not None:
            render_valid(console, path, qset)
        else:
            bad += 1
            problems.extend(found_problems)
    render_problems(console, problems)
    if problems:
        noun = "problem" if len(problems) == 1 else "problems"
        raise InputError(f"{len(problems)} {noun} in {bad} of {checked} files")


@sets_group.command(
    "new",
    epilog="""\b
Examples:
  voicemock sets new my-loop          # writes <sets dir>/my-loop.toml, ready to edit
  voicemock sets new amazon-pm        # your own copy replaces the bundled amazon-pm
""",
)
@click.argument("name")
@click.option("--force", is_flag=True, help="Replace an existing file of that name.")
@pass_env
def sets_new(env: Environment, name: str, force: bool) -> None:
    """Write a commented template for a new set (it validates as written).

    The file goes into your sets directory as NAME.toml; edit the questions, keep the shape.
    """
    from voicemock.questions import Catalog, write_template

    path = write_template(name, env.sets_dir, force=force)
    click.echo(f"Created {path}", file=env.out)
    for older in Catalog.for_env(env).replaced(name, path):
        click.echo(f"Note: it replaces the set {name!r} at {older}", file=env.out)
    click.echo(f"Edit it, then check it with:  voicemock sets validate {name}", file=env.out)


@sets_group.command(
    "import",
    epilog="""\b
Examples:
  voicemock sets import questions.txt --name onsite-prep  # one question per line
  voicemock sets import bank.csv --name onsite            # CSV with question,tags columns
  voicemock sets import bank.csv --name onsite --force    # replace the earlier import
""",
)
@click.argument("file", type=click.Path(path_type=str))
@click.option("--name", "-n", help="Name of the new set (default: from the file name).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["auto", "text", "csv"], case_sensitive=False),
    default="auto",
    show_default=True,
    help="text: one question per line; csv: a header with a question column (and tags).",
)
@click.option("--description", "-d", help="One line describing the set.")
@click.option(
    "--force",
    is_flag=True,
    help="Replace an existing set file of that name, or a bundled set, without asking.",
)
@pass_env
def sets_import(
    env: Environment,
    file: str,
    name: str | None,
    fmt: str,
    description: str | None,
    force: bool,
) -> None:
    """Make a set in your sets directory from a text or CSV file.

    Text: one question per line; blank lines and lines starting with # are skipped,
    list markers such as "1." or "-" are removed. CSV: a header naming the question
    column (question, prompt or text), optionally tags (separated by ; or |), id and
    follow_ups; other columns are ignored, with a note. A question that repeats an
    earlier one is left out, with a note. A set named like a bundled one replaces it:
    that is asked first (or give --force).
    """
    from pathlib import Path
    from typing import cast

    from voicemock.questions import Catalog, ImportFormat, read_import, save_set, slugify

    source = Path(file).expanduser()
    set_name = name if name is not None else slugify(source.stem)
    imported = read_import(
        source,
        name=set_name,
        description=description,
        fmt=cast(ImportFormat, fmt.lower()),
    )
    qset = imported.qset
    if not force:
        bundled = Catalog.for_env(env).entry(qset.name)
        if bundled is not None and bundled.origin == "bundled" and bundled.qset is not None:
            n = len(bundled.qset)
            _confirm(
                env,
                f"A bundled set is called {qset.name} ({n} questions); your import would "
                "replace it. Replace it?",
                refused=f"Nothing imported; choose another --name (or --force to replace "
                f"the bundled {qset.name}).",
                no_reply="pass --force to replace it, or choose another --name",
            )
    path = save_set(
        qset, env.sets_dir, force=force, header=f"Imported by voicemock from {source.name}"
    )
    noun = "question" if len(qset) == 1 else "questions"
    click.echo(f"Imported {len(qset)} {noun} from {source} into {path}", file=env.out)
    for note in imported.notes:
        click.echo(f"Note: {note}", file=env.out)
    for older in Catalog.for_env(env).replaced(qset.name, path):
        click.echo(f"Note: it replaces the set {qset.name!r} at {older}", file=env.out)
    click.echo(f"See them with:  voicemock sets show {qset.name}", file=env.out)


class _Declined(Exception):
    """The user answered no: the command ends with a message and status 0."""


def _confirm(env: Environment, question: str, *, refused: str, no_reply: str) -> None:
    """Ask ``question [y/N]`` on stderr and read the reply from stdin.

    No: print ``refused`` and end the command (status 0). No reply at all (stdin closed,
    as in a script): a one-line error that ends with ``no_reply``.
    """
    from voicemock.errors import InputError

    click.echo(f"{question} [y/N] ", file=env.err, nl=False)
    reply = env.inp.readline()
    if not reply:
        click.echo(file=env.err)
        raise InputError(f"no reply to the question; {no_reply}")
    if reply.strip().lower() not in ("y", "yes"):
        click.echo(refused, file=env.out)
        raise click.exceptions.Exit(ExitStatus.SUCCESS)


@sets_group.command(
    "delete",
    epilog="""\b
Examples:
  voicemock sets delete my-loop          # asks first
  voicemock sets delete my-loop --yes
""",
)
@click.argument("name")
@click.option("--yes", "-y", is_flag=True, help="Delete without asking.")
@pass_env
def sets_delete(env: Environment, name: str, yes: bool) -> None:
    """Delete one of your sets (its file in your sets directory); bundled sets stay.

    Your practice history with its questions is kept. If it replaced a bundled set of the
    same name, the bundled one is used again.
    """
    from voicemock.errors import InputError
    from voicemock.questions import Catalog
    from voicemock.questions.editing import user_set

    catalog = Catalog.for_env(env)
    entry = user_set(catalog, name, env.sets_dir)
    if not yes:
        size = f"{len(entry.qset)} questions" if entry.qset is not None else "does not validate"
        _confirm(
            env,
            f"Delete your set {entry.name} ({entry.path}, {size})?",
            refused="Nothing deleted.",
            no_reply="pass --yes to delete without asking",
        )
    try:
        entry.path.unlink()
    except FileNotFoundError:
        pass
    except OSError as exc:
        raise InputError(f"cannot delete {entry.path}: {exc.strerror or exc}") from exc
    click.echo(f"Deleted your set {entry.name} ({entry.path}).", file=env.out)
    for older in entry.shadows:
        click.echo(f"The set {entry.name!r} at {older} is used again.", file=env.out)


@sets_group.command(
    "edit",
    epilog="""\b
Examples:
  voicemock sets edit my-loop                 # opens $EDITOR; checked when you close it
""",
)
@click.argument("name")
@pass_env
def sets_edit(env: Environment, name: str) -> None:
    """Edit one of your sets in your editor ($VISUAL or $EDITOR); it is checked on save.

    A saved edit that validates replaces the set. One with problems is listed, then you
    can edit it again; if you don't, the set stays as it was and your edit is kept
    beside it as NAME.toml.rejected. Closing the editor without saving changes nothing.
    """
    from voicemock.errors import InputError
    from voicemock.files import atomic_write
    from voicemock.questions import Catalog
    from voicemock.questions.editing import check_edit, rejected_path, user_set
    from voicemock.render import make_console
    from voicemock.render.sets import render_problems, render_valid

    entry = user_set(Catalog.for_env(env), name, env.sets_dir)
    editor = env.environ.get("VISUAL") or env.environ.get("EDITOR")
    if not editor:
        raise InputError(f"set $EDITOR (or $VISUAL) to your editor, or edit {entry.path} itself")
    try:
        original = entry.path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read {entry.path}: {exc}") from exc
    console = make_console(env)
    text = original
    while True:
        edited = click.edit(text, editor=editor, extension=".toml", require_save=True)
        if edited is None or edited == original:
            click.echo(f"No changes to {entry.path}.", file=env.out)
            return
        check = check_edit(edited, entry.path)
        if check.qset is not None:
            try:
                atomic_write(entry.path, edited)
            except OSError as exc:
                raise InputError(f"cannot write {entry.path}: {exc.strerror or exc}") from exc
            rejected_path(entry.path).unlink(missing_ok=True)
            render_valid(console, entry.path, check.qset)
            return
        noun = "problem" if len(check.problems) == 1 else "problems"
        click.echo(f"Your edit has {len(check.problems)} {noun}:", file=env.out)
        render_problems(console, check.problems)
        click.echo("Edit it again? [Y/n] ", file=env.err, nl=False)
        reply = env.inp.readline()
        if not reply:
            click.echo(file=env.err)
        if reply and reply.strip().lower() in ("", "y", "yes"):
            text = edited
            continue
        kept = rejected_path(entry.path)
        try:
            atomic_write(kept, edited)
        except OSError as exc:
            raise InputError(f"your edit has {noun} and cannot be kept: {exc}") from exc
        raise InputError(
            f"{entry.path} is unchanged: your edit has {len(check.problems)} {noun}; "
            f"it is kept in {kept}"
        )


# -- devices --


@cli.command(
    epilog="""\b
Examples:
  voicemock devices                        # microphones and speakers, defaults marked
  voicemock practice --answer-file a.wav   # no microphone? practise with a recording
""",
)
@pass_env
def devices(env: Environment) -> None:
    """List the microphones and speakers PortAudio can use ('*' marks the defaults).

    With no sound device at all both lists say (none); practise with --answer-file then.
    """
    from voicemock.audio.devices import NO_MIC_HINT, Kind, list_devices

    found = list_devices()
    name_width = max((len(d.name) for d in found), default=0)
    sections: tuple[tuple[str, Kind], ...] = (
        ("Microphones (input):", "input"),
        ("Speakers (output):", "output"),
    )
    for title, kind in sections:
        click.echo(title, file=env.out)
        group = [d for d in found if d.channels(kind)]
        if not group:
            click.echo("    (none)", file=env.out)
        for d in group:
            default = d.is_default_input if kind == "input" else d.is_default_output
            click.echo(
                f"  {'*' if default else ' '} {d.index:>3}  {d.name:<{name_width}}  "
                f"{d.hostapi:<6} {d.channels(kind):>3} ch  {d.default_samplerate:>6.0f} Hz"
                + ("  (default)" if default else ""),
                file=env.out,
            )
    click.echo("(* = default device)", file=env.out)
    if not any(d.inputs for d in found):
        click.echo(f"No microphone: {NO_MIC_HINT}", file=env.out)


# -- practice, review, play --------------------------------------------------------------


def _parse_think(value: str | None) -> float | None:
    from voicemock.errors import InputError
    from voicemock.timing import parse_seconds

    if value is None:
        return None
    try:
        return parse_seconds(value)
    except ValueError as exc:
        raise InputError(f"--think: {exc}") from exc


def round_options(fn: F) -> F:
    """Options ``practice`` and ``interview`` share: the set, thinking time, the windows,
    voice, answer files, the model (passed as ``set_ref``, ``think``, ``window``, ``cap``,
    ``no_voice``, ``answer_files``, ``fast``, ``model``, ``seed``, ``follow_ups``)."""
    from voicemock.practice.model import MAX_FOLLOW_UPS

    options = (
        click.option(
            "--set", "set_ref", metavar="NAME|PATH", help="Question set [default: amazon-pm]."
        ),
        click.option(
            "--follow-ups",
            "follow_ups",
            type=click.IntRange(0, MAX_FOLLOW_UPS),
            default=1,
            show_default=True,
            metavar="N",
            help="Follow-up questions after each answer, chosen from what it lacked (0: none).",
        ),
        click.option("--think", metavar="SECONDS", help="Thinking time before recording [set's]."),
        target_options,
        click.option(
            "--no-voice", is_flag=True, help="Show the questions without reading them aloud."
        ),
        click.option(
            "--answer-file",
            "answer_files",
            multiple=True,
            type=click.Path(path_type=Path),
            metavar="AUDIO",
            help="A recording instead of the microphone; repeat it, one per answer in order "
            "(each main answer, then its replies).",
        ),
        click.option(
            "--fast",
            is_flag=True,
            help="With --answer-file: don't play it in real time, and no thinking countdown "
            "(unless --think is given).",
        ),
        model_option,
        click.option("--seed", type=int, hidden=True, help="Fix the question order (tests)."),
        no_color_option,
    )
    for option in reversed(options):
        fn = option(fn)
    return fn


@cli.command(
    epilog="""\b
Examples:
  voicemock practice                              # 3 questions from amazon-pm, read aloud
  voicemock practice --tag ownership --count 2 --think 20
  voicemock practice --set general --question about-you
  voicemock practice --answer-file answer.wav     # no microphone: use a recording
  voicemock practice --answer-file a1.wav --answer-file r1.wav --fast   # answer, reply
  voicemock practice --follow-ups 0 --no-voice --target 2:00-3:00 --cap 3:30
  voicemock practice --next --answer-file a.wav --fast --no-voice    # a gap in coverage
  voicemock practice --story 1 --answer-file a.wav --fast --no-voice   # it tells story 1
  voicemock practice --again --answer-file a.wav --fast --no-voice   # the last question
""",
)
@click.option("--count", "-n", type=click.IntRange(min=1), help="How many questions [default: 3].")
@click.option("--question", "question_ids", multiple=True, metavar="ID", help="Ask this question.")
@click.option("--tag", "tags", multiple=True, metavar="TAG", help="Only questions with this tag.")
@click.option(
    "--next",
    "next_",
    is_flag=True,
    help="Questions for the Leadership Principles no story covers first (see 'coverage').",
)
@click.option(
    "--again",
    is_flag=True,
    help="Repeat the last question practised; the feedback opens with what changed.",
)
@click.option(
    "--story",
    "story_id",
    type=int,
    metavar="ID",
    help="Every answer of the round tells this story (linked in advance; 'stories list').",
)
@round_options
@pass_env
def practice(
    env: Environment,
    count: int | None,
    question_ids: tuple[str, ...],
    tags: tuple[str, ...],
    next_: bool,
    again: bool,
    story_id: int | None,
    set_ref: str | None,
    follow_ups: int,
    think: str | None,
    window: str | None,
    cap: str | None,
    no_voice: bool,
    answer_files: tuple[Path, ...],
    fast: bool,
    model: str | None,
    seed: int | None,
) -> None:
    """Answer interview questions out loud against the clock and get feedback on each.

    Each question is read aloud, then you answer; press Enter when you are done. A live
    line shows the time against the target window and your microphone level; recording
    stops by itself at the cap. After each answer the interviewer asks a follow-up about
    what it lacked, and your reply is recorded too (0:30-1:30). Every answer is saved
    (audio, transcript, analysis) for 'voicemock review'. Ctrl-C keeps what was recorded
    and exits.

    After each answer's feedback the most similar story of your bank is suggested with
    its score: Enter (or y) links it, a story's number links another, l lists them, n
    makes a new story of the answer, s skips; a telling that contradicts an earlier one
    is shown, quoting both. Then r tries the same question again at once, and the new
    attempt's feedback opens with what changed. Without a terminal to ask (answer files
    with --fast), a story scoring 0.25 or more is linked automatically.

    With one --answer-file and no --count, one question is asked.
    """
    from voicemock.practice import run_practice
    from voicemock.render import make_console
    from voicemock.render.practice import TerminalRoundView

    options = _round_options(
        set_ref=set_ref,
        count=count,
        question_ids=question_ids,
        tags=tags,
        think=think,
        window=window,
        cap=cap,
        no_voice=no_voice,
        answer_files=answer_files,
        fast=fast,
        model=model,
        seed=seed,
        follow_ups=follow_ups,
        next=next_,
        again=again,
        story_id=story_id,
    )
    run_practice(env, options, view=TerminalRoundView(env, make_console(env)))


def _round_options(**given: Any) -> Any:
    from voicemock.errors import InputError
    from voicemock.practice import PracticeOptions

    if given["fast"] and not given["answer_files"]:
        raise InputError("--fast only applies with --answer-file")
    return PracticeOptions(
        set_ref=given["set_ref"],
        count=given["count"],
        question_ids=given.get("question_ids", ()),
        tags=given.get("tags", ()),
        think_s=_parse_think(given["think"]),
        window=given["window"],
        cap=given["cap"],
        voice=not given["no_voice"],
        answer_files=tuple(given["answer_files"]),
        fast=given["fast"],
        model=given["model"],
        seed=given["seed"],
        follow_ups=given["follow_ups"],
        mode=given.get("mode", "practice"),
        story_id=given.get("story_id"),
        again=given.get("again", False),
        next=given.get("next", False),
    )


@cli.command(
    epilog="""\b
Examples:
  voicemock interview                          # 3 questions, each with a follow-up, read aloud
  voicemock interview --questions 4 --follow-ups 2 --set amazon-pm
  voicemock interview --questions 2 --follow-ups 1 --answer-file a1.wav \\
      --answer-file r1.wav --answer-file a2.wav --answer-file r2.wav --fast --no-voice
""",
)
@click.option(
    "--questions",
    "-n",
    "count",
    type=click.IntRange(min=1),
    help="How many main questions [default: 3; with answer files, as many as they answer].",
)
@round_options
@pass_env
def interview(
    env: Environment,
    count: int | None,
    set_ref: str | None,
    follow_ups: int,
    think: str | None,
    window: str | None,
    cap: str | None,
    no_voice: bool,
    answer_files: tuple[Path, ...],
    fast: bool,
    model: str | None,
    seed: int | None,
) -> None:
    """A mock interview loop, ending with a bar raiser's scorecard.

    The interviewer introduces the loop, asks N questions that each probe a different
    Leadership Principle (weighted toward Customer Obsession, Ownership, Bias for Action
    and Have Backbone), digs into every answer with follow-ups chosen from what it lacked
    (quoting you), and closes. Then the scorecard: each principle probed and each signal
    (ownership, results, judgment, reflection, delivery) as strong, mixed or missing with
    the quotes that decided it, an overall lean, and the two changes that would move it
    most. Everything is saved; 'voicemock review' shows it again.
    """
    from voicemock.practice import run_practice
    from voicemock.render import make_console
    from voicemock.render.practice import TerminalRoundView

    options = _round_options(
        set_ref=set_ref,
        count=count,
        think=think,
        window=window,
        cap=cap,
        no_voice=no_voice,
        answer_files=answer_files,
        fast=fast,
        model=model,
        seed=seed,
        follow_ups=follow_ups,
        mode="interview",
    )
    view = TerminalRoundView(env, make_console(env), feedback_at_end=True)
    run_practice(env, options, view=view)


@sessions.command(
    "recover",
    epilog="""\b
Example:
  voicemock sessions recover      # after a crash; 'voicemock practice' also does this
""",
)
@model_option
@pass_env
def sessions_recover(env: Environment, model: str | None) -> None:
    """Save answers whose recording was interrupted (Ctrl-C, a crash, a killed process)."""
    from voicemock.config import Config
    from voicemock.recovery import recover_interrupted
    from voicemock.storage import Store

    if not Store.exists(env.home):
        click.echo("Nothing to recover.", file=env.out)
        return
    said = False
    with Store.open(env.ensure_home()) as store:
        for line in recover_interrupted(
            store,
            lambda: env.transcriber(model or Config.load(env).model),
            progress=_progress_printer(env, "Transcribing"),
        ):
            click.echo(line, file=env.out)
            said = True
    if not said:
        click.echo("Nothing to recover.", file=env.out)


@cli.command(
    epilog="""\b
Examples:
  voicemock review                 # every answer of the latest session
  voicemock review 4 --answer 2    # one answer of session 4
  voicemock review latest --no-color | less
  voicemock review 4 --answer 2 --all   # every change, not only the top three
  voicemock review 4 --html        # the HTML report instead: see 'voicemock report'
""",
)
@click.argument("session", required=False, default="latest", metavar="[SESSION]")
@click.option("--answer", "-a", "position", type=click.IntRange(min=1), help="Only this answer.")
@click.option(
    "--all", "all_advice", is_flag=True, help="Show every change, not only the top three."
)
@no_color_option
@click.option(
    "--html", "as_html", is_flag=True, help="Write the HTML report (same as 'voicemock report')."
)
@click.pass_context
def review(
    ctx: click.Context, session: str, position: int | None, all_advice: bool, as_html: bool
) -> None:
    """Show a saved session as the round showed it: each answer's transcript with
    highlights, timing and findings, the story it tells, the follow-ups asked and whether
    each reply closed its gap, the round summary, and an interview's scorecard.

    SESSION is a session id (see 'voicemock sessions list') or 'latest' (the default).
    """
    if as_html:
        ctx.invoke(report, session=session, position=position)
        return
    env = ctx.ensure_object(Environment)
    env.check_dirs()
    from voicemock.render import make_console
    from voicemock.render.review import render_review
    from voicemock.storage import Store

    if not Store.exists(env.home):
        raise _sessions_missing(session)
    with Store.open(env.home) as store:
        found = store.resolve_session(session)
        answers = store.answers(found.id)
        if position is not None:
            chosen = store.get_answer(found.id, position)
            answers = [a for a in answers if a.id == chosen.id or a.parent_id == chosen.id]
        told = store.stories.told(a.id for a in answers)
    render_review(
        make_console(env),
        found,
        answers,
        seeds=_seed_lookup(env),
        stories=told,
        whole=position is None,
        all_advice=all_advice,
    )


def _seed_lookup(env: Environment) -> Callable[[Any], tuple[str, ...]]:
    """A saved answer's question's own follow-ups, from its set if it can still be found."""
    from voicemock.questions import Catalog, QuestionLookup

    lookup = QuestionLookup(Catalog.for_env(env))
    return lambda record: lookup.follow_ups(record.set_name, record.question_id)


@cli.command(
    epilog="""\b
Examples:
  voicemock report                          # the latest session -> voicemock-session-N.html
  voicemock report latest --open            # ... and open it in your browser
  voicemock report 3 --answer 2 -o answer.html
  voicemock report 3 --no-audio -o round3.html   # small: the recordings left out
""",
)
@click.argument("session", required=False, default="latest", metavar="[SESSION]")
@click.option("--answer", "-a", "position", type=click.IntRange(min=1), help="Only this answer.")
@click.option(
    "--output",
    "-o",
    metavar="FILE.html",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write it ('-' for standard output) [default: voicemock-session-N.html].",
)
@click.option("--open", "open_it", is_flag=True, help="Open the report in your web browser.")
@click.option("--no-audio", is_flag=True, help="Leave the recordings out (a much smaller file).")
@pass_env
def report(
    env: Environment,
    session: str,
    position: int | None,
    output: Path | None,
    open_it: bool,
    no_audio: bool,
) -> None:
    """Write a session as one HTML page you can click through and hear.

    For each answer: the time against the window, the transcript with its highlights
    (click any word to hear the recording from there), a timeline of the STAR phases,
    fillers and pauses, pace per 30 s, the findings and the advice, then the interviewer's
    follow-ups with each reply and whether it closed the gap. The page is a single
    file with the recordings inside: it works offline, from a mail, and loads nothing
    from the network. It holds your voice, so it is written readable only by you.
    """
    from voicemock.errors import InputError
    from voicemock.render.html import build_report
    from voicemock.storage import Store, group_answers

    if not Store.exists(env.home):
        raise _sessions_missing(session)
    if open_it and output is not None and str(output) == "-":
        raise InputError("--open needs a file: give -o FILE.html, not '-'")
    with Store.open(env.home) as store:
        found = store.resolve_session(session)
        records = store.answers(found.id)
        if position is not None:
            chosen = store.get_answer(found.id, position)
            records = [r for r in records if r.id == chosen.id or r.parent_id == chosen.id]
    built = build_report(
        found.to_dict(),
        [group.to_dict() for group in group_answers(records)],
        audio=not no_audio,
        only_answer=position,
    )
    for problem in built.problems:
        click.echo(f"Warning: {problem}", file=env.err)
    if output is not None and str(output) == "-":
        env.out.write(built.html)
        env.out.flush()
        return
    if output is None:
        output = Path(
            f"voicemock-session-{found.id}"
            + (f"-answer-{position}" if position is not None else "")
            + ".html"
        )
    output = output.expanduser()
    size = write_user_file(output, built.html)
    noun = "answer" if built.answers == 1 else "answers"
    audio = (
        "no recordings"
        if built.audio_clips == 0
        else f"{built.audio_clips} recording{'s' if built.audio_clips > 1 else ''}"
    )
    click.echo(
        f"Wrote session {found.id} ({built.answers} {noun}, {audio}, {_size(size)}) to {output}",
        file=env.out,
    )
    if open_it:
        import webbrowser

        if not webbrowser.open(output.resolve().as_uri()):
            click.echo(f"Could not start a web browser: open {output} yourself.", file=env.err)


def _size(count: int) -> str:
    if count >= 1_000_000:
        return f"{count / 1_000_000:.1f} MB"
    return f"{max(count // 1000, 1)} kB"


@cli.command(
    epilog="""\b
Examples:
  voicemock play latest 1          # the first answer of the latest session
  voicemock play 4 2
""",
)
@click.argument("session", metavar="SESSION")
@click.argument("answer", type=click.IntRange(min=1), metavar="ANSWER")
@pass_env
def play(env: Environment, session: str, answer: int) -> None:
    """Play back a recorded answer (SESSION id or 'latest', ANSWER number)."""
    import textwrap

    from voicemock.audio import SAMPLE_RATE
    from voicemock.audio.devices import resolve_output
    from voicemock.audio.io import load_audio
    from voicemock.audio.playback import play as play_audio
    from voicemock.config import Config
    from voicemock.errors import InputError
    from voicemock.storage import Store

    if not Store.exists(env.home):
        raise _sessions_missing(session)
    with Store.open(env.home) as store:
        record = store.get_answer(store.resolve_session(session).id, answer)
    path = record.audio_path
    if path is None or not path.exists():
        raise InputError(f"the recording of answer {answer} is gone ({path})")
    audio = load_audio(path)
    speaker = resolve_output(Config.load(env).output_device)  # no speaker: say so first
    question = textwrap.shorten(record.question_text, width=70, placeholder=" …")
    click.echo(
        f"Playing answer {answer}: {question} ({len(audio) / SAMPLE_RATE:.0f} s; Ctrl-C stops)",
        file=env.out,
    )
    play_audio(audio, SAMPLE_RATE, speaker.index)


# -- stories -------------------------------------------------------------------------------


def _principles_option(help_text: str) -> Callable[[FC], FC]:
    return click.option(
        "--principles",
        "-p",
        "principles",
        multiple=True,
        metavar="LIST",
        help=help_text,
    )


def _store_for_reading(env: Environment) -> Any:
    """The store when a database exists; None when nothing was ever saved."""
    from voicemock.storage import Store

    return Store.open(env.home) if Store.exists(env.home) else None


def _open_store(env: Environment) -> Any:
    from voicemock.storage import Store

    return Store.open(env.ensure_home())


def _no_story(spec: str) -> VoicemockError:
    from voicemock.errors import InputError

    return InputError(f"no story {spec} (there are no stories yet)")


@cli.group(
    context_settings=CONTEXT_SETTINGS,
    epilog="""\b
Examples:
  voicemock stories add "Checkout payment form" -p "Customer Obsession, Bias for Action"
  voicemock stories list
  voicemock stories show 1              # tellings and what changed between them
  voicemock stories link latest:1 1     # answer 1 of the latest session tells story 1
""",
)
def stories() -> None:
    """Your story bank: the 8-10 stories you retell, the principles each proves, its tellings.

    Link answers to stories to see which Leadership Principles your stories cover
    (`voicemock coverage`), how each story changes between tellings (`stories show`),
    and whether each telling gets better (`voicemock progress --story ID`).
    """


@stories.command(
    "add",
    epilog="""\b
Examples:
  voicemock stories add "Checkout payment form"
  voicemock stories add "Pricing launch delay" -p "Have Backbone" -p "Earn Trust" \\
      --summary "VP wanted a December launch; billing errors hit 15% of accounts; I pushed back"
  voicemock stories add "Black Friday outage" --from latest:1   # first told in that answer
""",
)
@click.argument("title")
@_principles_option("Leadership Principles it proves, comma-separated or repeated (names or tags).")
@click.option("--summary", "-s", metavar="TEXT", help="What happened, what you did, the result.")
@click.option(
    "--from",
    "from_answer",
    metavar="SESSION:N",
    help="Link this answer as the story's first telling (e.g. 4:2 or latest:1).",
)
@pass_env
def stories_add(
    env: Environment,
    title: str,
    principles: tuple[str, ...],
    summary: str | None,
    from_answer: str | None,
) -> None:
    """Add a story to the bank (TITLE: a few words you will recognise)."""
    from voicemock import storybank
    from voicemock.render import make_console
    from voicemock.render.stories import render_added, render_linked
    from voicemock.stories.principles import parse_principles

    slugs = parse_principles(principles)
    console = make_console(env)
    with _open_store(env) as store:
        if from_answer is None:
            story = store.stories.add(title, summary=summary or "", principles=slugs)
            render_added(console, story)
            return
        record = storybank.resolve_answer(store, from_answer)
        story, linked = storybank.create_from_answer(
            store, record.id, title, summary=summary or "", principles=slugs
        )
    render_added(console, story)
    render_linked(console, storybank.answer_label(record), linked)


@stories.command(
    "list",
    epilog="""\b
Examples:
  voicemock stories list
  voicemock stories list --json | jq '.[].title'
""",
)
@click.option("--json", "as_json", is_flag=True, help="Print the stories as JSON.")
@pass_env
def stories_list(env: Environment, as_json: bool) -> None:
    """List the stories: principles, how often told, when last told."""
    import json

    from voicemock.render import make_console
    from voicemock.render.stories import render_story_list

    store = _store_for_reading(env)
    summaries = []
    if store is not None:
        with store:
            summaries = store.stories.summaries()
    if as_json:
        data = [
            {
                **s.story.to_dict(),
                "tellings": s.tellings,
                "last_told": None if s.last_told is None else s.last_told.isoformat(),
            }
            for s in summaries
        ]
        env.out.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        return
    render_story_list(make_console(env), summaries)


@stories.command(
    "show",
    epilog="""\b
Examples:
  voicemock stories show 1
  voicemock stories show 1 --json > story1.json
""",
)
@click.argument("story", metavar="STORY")
@click.option("--json", "as_json", is_flag=True, help="Print the story as JSON.")
@click.option("--no-color", is_flag=True, help="No colours.")
@pass_env
def stories_show(env: Environment, story: str, as_json: bool, no_color: bool) -> None:
    """Show a story: summary, tellings, the principles it was told for, and what changed.

    Changes between tellings are numbers said differently ("40%" then "30%"),
    ownership that moved ("I led" then "I supported"), and a result with a number in one
    telling and not in the next; each is quoted from both tellings with their dates.
    """
    import json

    from voicemock import storybank
    from voicemock.progress import TagIndex
    from voicemock.questions import Catalog
    from voicemock.render import make_console
    from voicemock.render.stories import render_story

    store = _store_for_reading(env)
    if store is None:
        raise _no_story(story)
    with store:
        found = store.stories.resolve(story)
        detail = storybank.story_detail(
            store, found.id, TagIndex.from_catalog(Catalog.for_env(env))
        )
    if as_json:
        data = {
            **detail.story.to_dict(),
            "tellings": [{**f.to_dict(), "link": link.to_dict()} for f, link in detail.tellings],
            "principles_told": [c.to_dict() for c in detail.practised],
            "differences": [d.to_dict() for d in detail.differences],
        }
        env.out.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        return
    if no_color:
        env.color = False
    render_story(make_console(env), detail)


SUMMARY_TEMPLATE = """\
# Story {id}: {title}
# Write its summary below: the situation, what you did, the result with its numbers.
# Lines starting with '#' are ignored. Save and close the editor to keep it.

{summary}
"""


def _edit_summary(env: Environment, story: Any) -> str | None:
    """The summary edited in $VISUAL/$EDITOR; None when the editor was closed unsaved."""
    from voicemock.errors import InputError
    from voicemock.storage.stories import clean_summary

    editor = env.environ.get("VISUAL") or env.environ.get("EDITOR")
    if not editor:
        isatty = getattr(env.inp, "isatty", None)
        if not (isatty and isatty()):
            raise InputError(
                "nothing to change: give --title, --summary or --principles, or set $EDITOR"
                " to edit the summary"
            )
    text = SUMMARY_TEMPLATE.format(id=story.id, title=story.title, summary=story.summary)
    edited = click.edit(text, editor=editor, extension=".txt", require_save=True)
    if edited is None:
        return None
    lines = [line for line in edited.splitlines() if not line.lstrip().startswith("#")]
    body = "\n".join(lines)
    if "\x00" in body:
        raise InputError("the edited summary is not text")
    return clean_summary(body)


@stories.command(
    "edit",
    epilog="""\b
Examples:
  voicemock stories edit 1                       # the summary in $EDITOR
  voicemock stories edit 1 --title "One-tap checkout"
  voicemock stories edit 1 --principles "Ownership, Dive Deep"   # replaces the list
  voicemock stories edit 1 --add-principle "Bias for Action"
""",
)
@click.argument("story", metavar="STORY")
@click.option("--title", "-t", metavar="TEXT", help="A new title.")
@click.option("--summary", "-s", metavar="TEXT", help="A new summary (instead of the editor).")
@_principles_option("Replace the principles (comma-separated or repeated).")
@click.option("--add-principle", "added", multiple=True, metavar="NAME", help="Add a principle.")
@click.option(
    "--remove-principle", "removed", multiple=True, metavar="NAME", help="Remove a principle."
)
@pass_env
def stories_edit(
    env: Environment,
    story: str,
    title: str | None,
    summary: str | None,
    principles: tuple[str, ...],
    added: tuple[str, ...],
    removed: tuple[str, ...],
) -> None:
    """Change a story's title, summary or principles.

    With no option, the summary opens in your editor ($VISUAL or $EDITOR); lines starting
    with '#' are ignored, and closing without saving changes nothing.
    """
    from voicemock.errors import InputError
    from voicemock.render import make_console
    from voicemock.render.stories import render_edited
    from voicemock.stories.principles import parse_principles

    store = _store_for_reading(env)
    if store is None:
        raise _no_story(story)
    console = make_console(env)
    with store:
        current = store.stories.resolve(story)
        new_principles: tuple[str, ...] | None = None
        if principles:
            new_principles = parse_principles(principles)
        if added or removed:
            base = list(new_principles if new_principles is not None else current.principles)
            gone = set(parse_principles(removed))
            missing = [p for p in gone if p not in base]
            if missing:
                raise InputError(f"story {current.id} does not list {', '.join(missing)}")
            base = [p for p in base if p not in gone]
            base += [p for p in parse_principles(added) if p not in base]
            new_principles = tuple(base)
        if title is None and summary is None and new_principles is None:
            summary = _edit_summary(env, current)
            if summary is None:
                click.echo("Nothing changed (the editor was closed without saving).", file=env.out)
                return
        after = store.stories.update(
            current.id, title=title, summary=summary, principles=new_principles
        )
    render_edited(console, current, after)


@stories.command(
    "rm",
    epilog="""\b
Examples:
  voicemock stories rm 3          # asks first; its answers stay, unlinked
  voicemock stories rm 3 --yes
""",
)
@click.argument("story", metavar="STORY")
@click.option("--yes", "-y", is_flag=True, help="Delete without asking.")
@pass_env
def stories_rm(env: Environment, story: str, yes: bool) -> None:
    """Delete a story. Its answers are kept (recordings, transcripts, analysis), unlinked."""
    from voicemock.errors import InputError
    from voicemock.render import make_console
    from voicemock.render.stories import render_removed

    store = _store_for_reading(env)
    if store is None:
        raise _no_story(story)
    with store:
        found = store.stories.resolve(story)
        if not yes:
            told = len(store.stories.tellings(found.id))
            noun = "answer" if told == 1 else "answers"
            click.echo(
                f"Delete story {found.id} ({found.title}); its {told} linked {noun} stay,"
                " unlinked? [y/N] ",
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
        result = store.stories.remove(found.id)
    render_removed(make_console(env), result)


@stories.command(
    "link",
    epilog="""\b
Examples:
  voicemock stories link 4:2 1          # answer 2 of session 4 tells story 1
  voicemock stories link latest:1 3     # the first answer of the latest session
""",
)
@click.argument("answer", metavar="ANSWER")
@click.argument("story", metavar="STORY")
@pass_env
def stories_link(env: Environment, answer: str, story: str) -> None:
    """Mark ANSWER as a telling of STORY (replacing any link it had).

    ANSWER is SESSION:N, answer N of a session (SESSION is a number from
    `voicemock sessions list`, or `latest`). Differences from the story's earlier
    tellings are shown right away.
    """
    from voicemock import storybank
    from voicemock.render import make_console
    from voicemock.render.stories import render_linked

    store = _store_for_reading(env)
    if store is None:
        raise _sessions_missing(answer.split(":")[0])
    with store:
        record = storybank.resolve_answer(store, answer)
        found = store.stories.resolve(story)
        linked = storybank.link_answer(store, record.id, found.id, kind="manual")
    render_linked(make_console(env), storybank.answer_label(record), linked)


@stories.command(
    "unlink",
    epilog="""\b
Example:
  voicemock stories unlink 4:2
""",
)
@click.argument("answer", metavar="ANSWER")
@pass_env
def stories_unlink(env: Environment, answer: str) -> None:
    """Remove ANSWER's link to its story (ANSWER is SESSION:N)."""
    from voicemock import storybank

    store = _store_for_reading(env)
    if store is None:
        raise _sessions_missing(answer.split(":")[0])
    with store:
        record = storybank.resolve_answer(store, answer)
        link = store.stories.unlink(record.id)
    label = storybank.answer_label(record)
    if link is None:
        click.echo(f"{label.capitalize()} was not linked to a story.", file=env.out)
    else:
        click.echo(f"Unlinked {label} from story {link.story_id}.", file=env.out)


@stories.command(
    "suggest",
    epilog="""\b
Examples:
  voicemock stories suggest latest:1    # which story does that answer tell?
  voicemock stories suggest 4:2 --json
""",
)
@click.argument("answer", metavar="ANSWER")
@click.option("--json", "as_json", is_flag=True, help="Print the ranking as JSON.")
@pass_env
def stories_suggest(env: Environment, answer: str, as_json: bool) -> None:
    """Rank the stories by how similar they are to ANSWER (SESSION:N), with scores.

    The score is content-word similarity with each story's title, summary and earlier
    tellings (0 to 1); a round links automatically at the documented threshold.
    """
    import json

    from voicemock import storybank
    from voicemock.render import make_console
    from voicemock.render.stories import render_suggestions
    from voicemock.stories.similarity import THRESHOLD

    store = _store_for_reading(env)
    if store is None:
        raise _sessions_missing(answer.split(":")[0])
    with store:
        record = storybank.resolve_answer(store, answer)
        ranked = storybank.suggest_for(store, record.id)
    if as_json:
        data = {
            "answer": storybank.answer_ref(record),
            "threshold": THRESHOLD,
            "suggestions": [
                {
                    "story_id": s.story_id,
                    "title": s.title,
                    "score": s.score,
                    "shared": list(s.shared),
                }
                for s in ranked
            ],
        }
        env.out.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        return
    render_suggestions(make_console(env), storybank.answer_label(record), ranked, THRESHOLD)


# -- coverage and progress ------------------------------------------------------------------


@cli.command(
    epilog="""\b
Examples:
  voicemock coverage                     # 16 principles x your stories, gaps, what to practise
  voicemock coverage --next 8 --set amazon-pm
  voicemock coverage --json | jq '.no_story'
""",
)
@click.option(
    "--set", "set_ref", metavar="NAME|PATH", help="Where next questions come from [amazon-pm]."
)
@click.option(
    "--next",
    "next_count",
    type=click.IntRange(min=0),
    default=5,
    show_default=True,
    help="How many questions to suggest.",
)
@click.option("--json", "as_json", is_flag=True, help="Print coverage as JSON.")
@click.option("--no-color", is_flag=True, help="No colours.")
@pass_env
def coverage(
    env: Environment, set_ref: str | None, next_count: int, as_json: bool, no_color: bool
) -> None:
    """Which Leadership Principles your stories cover, how well, and what to practise next.

    A story covers a principle once it is told (an answer linked to it) for a question
    tagged with that principle. Principles with no story come first, the first four
    (Customer Obsession, Ownership, Bias for Action, Have Backbone) count double, and
    the three candidates forget (Learn and Be Curious, Hire and Develop the Best, Bias
    for Action) are marked.
    """
    import json

    from voicemock.coverage import compute
    from voicemock.progress import TagIndex
    from voicemock.questions import DEFAULT_SET, Catalog
    from voicemock.render import make_console
    from voicemock.render.coverage import render_coverage
    from voicemock.storybank import coverage_figures

    catalog = Catalog.for_env(env)
    qset = catalog.get(set_ref or DEFAULT_SET)
    tags = TagIndex.from_catalog(catalog)
    store = _store_for_reading(env)
    stories_, figures, history = [], [], {}
    if store is not None:
        with store:
            stories_ = store.stories.all()
            figures = coverage_figures(store, tags)
            history = store.last_practised(qset.name)
    result = compute(stories_, figures, qset=qset, last_practised=history, count=next_count)
    if as_json:
        env.out.write(json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n")
        return
    if no_color:
        env.color = False
    render_coverage(make_console(env), result)


def _parse_since(value: str | None) -> Any:
    """``2024-05-01`` (local midnight), an ISO time, or ``7d`` / ``2w`` ago."""
    import re
    from datetime import datetime, timedelta, timezone

    from voicemock.errors import InputError

    if value is None:
        return None
    text = value.strip().lower()
    m = re.fullmatch(r"([0-9]+)\s*([dw])", text)
    if m:
        try:
            if len(m.group(1)) > 7:  # over 27,000 years
                raise OverflowError
            days = int(m.group(1)) * (7 if m.group(2) == "w" else 1)
            return datetime.now(timezone.utc) - timedelta(days=days)
        except OverflowError:
            raise InputError(f"--since: {text[:20]!r} is further back than any date") from None
    try:
        when = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise InputError(
            f"--since: {value!r} is not a date (use YYYY-MM-DD, an ISO time, or 7d / 2w)"
        ) from None
    if when.tzinfo is None:
        when = when.astimezone()  # the user's local time
    return when


@cli.command(
    epilog="""\b
Examples:
  voicemock progress                          # per session and the trend, with sparklines
  voicemock progress --since 2024-05-01 --tag "Bias for Action"
  voicemock progress --story 1                # each telling against the one before
  voicemock progress --question ow-outside-scope
  voicemock progress --json > progress.json
  voicemock progress --html                   # the trends as charts, in one page
  voicemock progress --html --story 1 -o story1.html --open
""",
)
@click.option("--since", metavar="DATE", help="Only answers from DATE (YYYY-MM-DD, or 7d, 2w).")
@click.option("--story", "story", metavar="ID", help="Only tellings of this story.")
@click.option("--tag", metavar="PRINCIPLE", help="Only answers to questions with this tag.")
@click.option("--question", "question_id", metavar="ID", help="Only answers to this question.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option(
    "--html", "as_html", is_flag=True, help="Write the trends as charts in one HTML page."
)
@click.option(
    "--output",
    "-o",
    metavar="FILE.html",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where --html writes the page ('-' for standard output) "
    "[default: voicemock-progress.html].",
)
@click.option("--open", "open_it", is_flag=True, help="Open the page in your web browser.")
@click.option("--no-color", is_flag=True, help="No colours.")
@pass_env
def progress(
    env: Environment,
    since: str | None,
    story: str | None,
    tag: str | None,
    question_id: str | None,
    as_json: bool,
    as_html: bool,
    output: Path | None,
    open_it: bool,
    no_color: bool,
) -> None:
    """Are you getting better? Your figures per round, as a trend, and attempt by attempt.

    Length against the window, fillers per minute, I:we, results with a number, reasons
    given and words per minute, per round (session) and first round against last.

    With --story or --question, each attempt is also compared with the one before it
    ("third telling: 2 fewer fillers per minute, result now has a number").

    --html draws each figure as a chart, one point per session, in one self-contained
    page (-o and --open imply it); with no answer to chart it writes nothing and fails.
    """
    import json

    from voicemock import progress as progress_lib
    from voicemock.errors import InputError

    as_html = as_html or output is not None or open_it
    if as_html and as_json:
        raise InputError("--json and --html (or -o, --open): choose one")
    if open_it and output is not None and str(output) == "-":
        raise InputError("--open needs a file: give -o FILE.html, not '-'")
    from voicemock.questions import Catalog, canonical_tag
    from voicemock.render import make_console
    from voicemock.render.progress import render_progress

    filters = progress_lib.Filters(
        since=_parse_since(since),
        tag=canonical_tag(tag) if tag else None,
        question_id=question_id,
    )
    tags = progress_lib.TagIndex.from_catalog(Catalog.for_env(env))
    title = None
    store = _store_for_reading(env)
    if store is None:
        if story is not None:
            raise _no_story(story)
        result = progress_lib.build([], tags=tags, links={}, filters=filters)
    else:
        with store:
            if story is not None:
                found = store.stories.resolve(story)
                title = found.title
                filters = progress_lib.Filters(
                    filters.since, found.id, filters.tag, filters.question_id
                )
            result = progress_lib.load(store, tags, filters)
    if as_html:
        from voicemock.render.html.progress import build_progress_page

        page = build_progress_page(result, story_title=title)
        sessions, answers = _counted(page.sessions, "session"), _counted(page.answers, "answer")
        what = f"progress ({sessions}, {answers}"
        _write_page(env, page.html, output or Path("voicemock-progress.html"), what, open_it)
        return
    if as_json:
        env.out.write(json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n")
        return
    if no_color:
        env.color = False
    render_progress(make_console(env), result, story_title=title)


def _counted(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _write_page(env: Environment, html: str, output: Path, what: str, open_it: bool) -> None:
    """An HTML page to ``output`` (0600, atomic; '-' is standard output), then opened.

    ``what`` starts the line that says so, its parenthesis left open for the size:
    ``"progress (3 sessions, 5 answers"``.
    """
    if str(output) == "-":
        env.out.write(html)
        env.out.flush()
        return
    output = output.expanduser()
    size = write_user_file(output, html)
    click.echo(f"Wrote {what}, {_size(size)}) to {output}", file=env.out)
    if open_it:
        import webbrowser

        if not webbrowser.open(output.resolve().as_uri()):
            click.echo(f"Could not start a web browser: open {output} yourself.", file=env.err)
