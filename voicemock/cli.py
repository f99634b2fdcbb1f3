"""voicemock's command line: thin click commands that parse, call the library and render.

Everything outside the process (streams, directories, clock, audio parts) comes from the
:class:`~voicemock.env.Environment` in ``ctx.obj``; tests pass their own.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from voicemock import __version__
from voicemock.env import Environment
from voicemock.errors import ExitStatus, VoicemockError

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
            result = super().main(args, prog_name, complete_var, False, **extra)
        except click.UsageError as exc:
            hint = f" (see '{exc.ctx.command_path} --help')" if exc.ctx is not None else ""
            _fail(f"Error: {exc.format_message()}{hint}", exc.exit_code)
        except click.ClickException as exc:
            _fail(f"Error: {exc.format_message()}", exc.exit_code)
        except VoicemockError as exc:
            _fail(f"Error: {exc}", exc.exit_code)
        except (click.Abort, KeyboardInterrupt):
            # Start a fresh line: Ctrl-C usually lands in a line drawn in place (^C, a bar).
            _fail(
                "\nInterrupted." if sys.stderr.isatty() else "Interrupted.", ExitStatus.ERROR_CTRL_C
            )
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


def _fail(message: str, code: int) -> NoReturn:
    click.echo(message, err=True)
    sys.exit(code)


pass_env = click.make_pass_decorator(Environment)

F = TypeVar("F", bound=Callable[..., Any])


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
@click.option("--question", metavar="TEXT", help="The question that was answered.")
@target_options
@model_option
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document (see README).")
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

    render_report(make_console(env), doc)


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
    """List the models usable offline: the bundled one and any already downloaded."""
    from voicemock.asr.models import BUNDLED_MODEL, bundled_model_path, cached_models
    from voicemock.config import Config

    configured = Config.load(env).model or BUNDLED_MODEL
    rows = [(BUNDLED_MODEL, bundled_model_path(), "bundled")]
    rows += [(name, path, "downloaded") for name, path in cached_models()]
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
    from voicemock.asr.models import download_model

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
    from pathlib import Path

    from voicemock.errors import InputError
    from voicemock.files import atomic_write

    try:
        atomic_write(Path(output).expanduser(), text)
    except OSError as exc:
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


# -- question sets --


@cli.group(
    "sets",
    context_settings=CONTEXT_SETTINGS,
    epilog="""\b
Examples:
  voicemock sets list                               # every set, where it lives, its tags
  voicemock sets show amazon-pm --tag dive-deep     # the Dive Deep questions
  voicemock sets new my-loop                        # start your own set from a template
  voicemock sets import questions.txt --name my-loop
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
  voicemock sets import questions.txt --name my-loop      # one question per line
  voicemock sets import bank.csv --name onsite            # CSV with text,tags columns
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
    help="text: one question per line; csv: a header with a text column (and tags).",
)
@click.option("--description", "-d", help="One line describing the set.")
@click.option("--force", is_flag=True, help="Replace an existing set file of that name.")
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
    list markers such as "1." or "-" are removed. CSV: a header naming a text column,
    optionally tags (separated by ; or |), id and follow_ups.
    """
    from pathlib import Path
    from typing import cast

    from voicemock.questions import Catalog, ImportFormat, import_questions, save_set, slugify

    source = Path(file).expanduser()
    set_name = name if name is not None else slugify(source.stem)
    qset = import_questions(
        source,
        name=set_name,
        description=description,
        fmt=cast(ImportFormat, fmt.lower()),
    )
    path = save_set(
        qset, env.sets_dir, force=force, header=f"Imported by voicemock from {source.name}"
    )
    noun = "question" if len(qset) == 1 else "questions"
    click.echo(f"Imported {len(qset)} {noun} from {source} into {path}", file=env.out)
    for older in Catalog.for_env(env).replaced(qset.name, path):
        click.echo(f"Note: it replaces the set {qset.name!r} at {older}", file=env.out)
    click.echo(f"See them with:  voicemock sets show {qset.name}", file=env.out)


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
    """List the microphones and speakers PortAudio can use ('*' marks the defaults)."""
    from voicemock.audio.devices import Kind, list_devices, resolve_input

    found = list_devices()
    resolve_input(None, found)  # no microphone: one line naming what was found instead
    name_width = max(len(d.name) for d in found)
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


@cli.command(
    epilog="""\b
Examples:
  voicemock practice                              # 3 questions from amazon-pm, read aloud
  voicemock practice --tag ownership --count 2 --think 20
  voicemock practice --set general --question tell-me-about-yourself
  voicemock practice --answer-file answer.wav     # no microphone: use a recording
  voicemock practice --no-voice --target 2:00-3:00 --cap 3:30
""",
)
@click.option("--set", "set_ref", metavar="NAME|PATH", help="Question set [default: amazon-pm].")
@click.option("--count", "-n", type=click.IntRange(min=1), help="How many questions [default: 3].")
@click.option("--question", "question_ids", multiple=True, metavar="ID", help="Ask this question.")
@click.option("--tag", "tags", multiple=True, metavar="TAG", help="Only questions with this tag.")
@click.option("--think", metavar="SECONDS", help="Thinking time before recording [set's].")
@target_options
@click.option("--no-voice", is_flag=True, help="Show the questions without reading them aloud.")
@click.option(
    "--answer-file",
    type=click.Path(path_type=Path),
    metavar="AUDIO",
    help="Use this recording as the answer instead of the microphone.",
)
@click.option("--fast", is_flag=True, help="With --answer-file: don't play it in real time.")
@model_option
@click.option("--seed", type=int, hidden=True, help="Fix the question order (tests).")
@no_color_option
@pass_env
def practice(
    env: Environment,
    set_ref: str | None,
    count: int | None,
    question_ids: tuple[str, ...],
    tags: tuple[str, ...],
    think: str | None,
    window: str | None,
    cap: str | None,
    no_voice: bool,
    answer_file: Path | None,
    fast: bool,
    model: str | None,
    seed: int | None,
) -> None:
    """Answer interview questions out loud against the clock and get feedback on each.

    Each question is read aloud, then you answer; press Enter when you are done. A live
    line shows the time against the target window and your microphone level; recording
    stops by itself at the cap. Every answer is saved (audio, transcript, analysis) for
    'voicemock review'. Ctrl-C keeps what was recorded and exits.
    """
    from voicemock.errors import InputError
    from voicemock.practice import PracticeOptions, run_practice
    from voicemock.render import make_console
    from voicemock.render.practice import TerminalRoundView

    if fast and answer_file is None:
        raise InputError("--fast only applies with --answer-file")
    options = PracticeOptions(
        set_ref=set_ref,
        count=count,
        question_ids=question_ids,
        tags=tags,
        think_s=_parse_think(think),
        window=window,
        cap=cap,
        voice=not no_voice,
        answer_file=answer_file,
        fast=fast,
        model=model,
        seed=seed,
    )
    run_practice(env, options, view=TerminalRoundView(env, make_console(env)))


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
    with Store.open(env.ensure_home()) as store:
        lines = list(
            recover_interrupted(store, lambda: env.transcriber(model or Config.load(env).model))
        )
    for line in lines or ["Nothing to recover."]:
        click.echo(line, file=env.out)


@cli.command(
    epilog="""\b
Examples:
  voicemock review                 # every answer of the latest session
  voicemock review 4 --answer 2    # one answer of session 4
  voicemock review latest --no-color | less
  voicemock review 4 --html        # the HTML report instead: see 'voicemock report'
""",
)
@click.argument("session", required=False, default="latest", metavar="[SESSION]")
@click.option("--answer", "-a", "position", type=click.IntRange(min=1), help="Only this answer.")
@no_color_option
@click.option(
    "--html", "as_html", is_flag=True, help="Write the HTML report (same as 'voicemock report')."
)
@click.pass_context
def review(ctx: click.Context, session: str, position: int | None, as_html: bool) -> None:
    """Show a saved session's answers: transcript with highlights, timing and findings.

    SESSION is a session id (see 'voicemock sessions list') or 'latest' (the default).
    """
    if as_html:
        ctx.invoke(report, session=session, position=position)
        return
    env = ctx.find_object(Environment)
    assert env is not None
    from voicemock.render import make_console
    from voicemock.render.review import render_review
    from voicemock.storage import Store

    if not Store.exists(env.home):
        raise _sessions_missing(session)
    with Store.open(env.home) as store:
        found = store.resolve_session(session)
        answers = store.answers(found.id)
        if position is not None:
            answers = [store.get_answer(found.id, position)]
    render_review(make_console(env), found, answers)


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
    fillers and pauses, pace per 30 s, the findings and the advice. The page is a single
    file with the recordings inside: it works offline, from a mail, and loads nothing
    from the network. It holds your voice, so it is written readable only by you.
    """
    from voicemock.errors import InputError
    from voicemock.render.html import build_report, save_report
    from voicemock.storage import Store

    if not Store.exists(env.home):
        raise _sessions_missing(session)
    if open_it and output is not None and str(output) == "-":
        raise InputError("--open needs a file: give -o FILE.html, not '-'")
    with Store.open(env.home) as store:
        found = store.resolve_session(session)
        records = store.answers(found.id)
        if position is not None:
            records = [store.get_answer(found.id, position)]
    built = build_report(
        found.to_dict(),
        [r.to_dict() for r in records],
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
    try:
        size = save_report(output, built.html)
    except OSError as exc:
        raise InputError(f"cannot write {output}: {exc.strerror or exc}") from exc
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
    from voicemock.audio import SAMPLE_RATE
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
    click.echo(
        f"Playing answer {answer}: {record.question_text[:70]} ({len(audio) / SAMPLE_RATE:.0f} s; "
        "Ctrl-C stops)",
        file=env.out,
    )
    play_audio(audio, SAMPLE_RATE, Config.load(env).output_device)


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
    from voicemock.progress import TagIndex, answer_figures
    from voicemock.questions import DEFAULT_SET, Catalog
    from voicemock.render import make_console
    from voicemock.render.coverage import render_coverage

    catalog = Catalog.for_env(env)
    qset = catalog.get(set_ref or DEFAULT_SET)
    tags = TagIndex.from_catalog(catalog)
    store = _store_for_reading(env)
    stories_, figures, history = [], [], {}
    if store is not None:
        with store:
            stories_ = store.stories.all()
            links = store.stories.links()
            figures = [
                answer_figures(
                    r,
                    tags=tags.tags(r.set_name, r.question_id),
                    story_id=links[r.id].story_id if r.id in links else None,
                )
                for r in store.all_answers()
            ]
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
    m = re.fullmatch(r"(\d+)\s*([dw])", text)
    if m:
        days = int(m.group(1)) * (7 if m.group(2) == "w" else 1)
        return datetime.now(timezone.utc) - timedelta(days=days)
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
""",
)
@click.option("--since", metavar="DATE", help="Only answers from DATE (YYYY-MM-DD, or 7d, 2w).")
@click.option("--story", "story", metavar="ID", help="Only tellings of this story.")
@click.option("--tag", metavar="PRINCIPLE", help="Only answers to questions with this tag.")
@click.option("--question", "question_id", metavar="ID", help="Only answers to this question.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option("--no-color", is_flag=True, help="No colours.")
@pass_env
def progress(
    env: Environment,
    since: str | None,
    story: str | None,
    tag: str | None,
    question_id: str | None,
    as_json: bool,
    no_color: bool,
) -> None:
    """Are you getting better? Your figures per round, as a trend, and attempt by attempt.

    Length against the window, fillers per minute, I:we, results with a number, reasons
    given and words per minute, per round (session) and first round against last.

    With --story or --question, each attempt is also compared with the one before it
    ("third telling: 2 fewer fillers per minute, result now has a number").
    """
    import json

    from voicemock import progress as progress_lib
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
    if as_json:
        env.out.write(json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n")
        return
    if no_color:
        env.color = False
    render_progress(make_console(env), result, story_title=title)
