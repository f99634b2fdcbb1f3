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
            _fail("Interrupted.", ExitStatus.ERROR_CTRL_C)
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
    """A callback drawing ``label… 42%`` in place on stderr when it is a terminal."""
    isatty = getattr(env.err, "isatty", None)
    if not (isatty and isatty()):
        return None

    done = False

    def show(fraction: float) -> None:
        nonlocal done
        if done:
            return
        done = fraction >= 1
        env.err.write(f"\r{label}… {min(fraction, 1.0):4.0%}" + ("\n" if done else ""))
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
