"""Microphones and speakers as PortAudio sees them, and choosing one.

``sounddevice`` is imported on first use (never at start-up). A missing PortAudio
library becomes a one-line :class:`DeviceError` with the package to install, and no
microphone becomes a one-line error that lists what was found and suggests practising
with a recorded answer instead.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import Literal

from voicemock.errors import DeviceError

PORTAUDIO_HINT = (
    "install it (Debian/Ubuntu: sudo apt-get install libportaudio2; macOS: brew install "
    "portaudio) or run scripts/voicemock, which installs it"
)
NO_MIC_HINT = "practise with a recorded answer instead: --answer-file ANSWER.wav"

Kind = Literal["input", "output"]


@dataclass(frozen=True)
class Device:
    """One PortAudio device."""

    index: int
    name: str
    hostapi: str
    inputs: int
    """Maximum input channels (0: not a microphone)."""
    outputs: int
    """Maximum output channels (0: not a speaker)."""
    default_samplerate: float
    is_default_input: bool = False
    is_default_output: bool = False

    @property
    def label(self) -> str:
        """``3 'USB Audio (hw:1,0)'``: how errors and listings name it."""
        return f"{self.index} {self.name!r}"

    def channels(self, kind: Kind) -> int:
        return self.inputs if kind == "input" else self.outputs


def portaudio() -> ModuleType:
    """The ``sounddevice`` module, or :class:`DeviceError` if PortAudio is unavailable.

    alsa-lib's own error lines (underruns, missing cards) are silenced first
    (:func:`voicemock.audio.alsa.quiet_alsa`): PortAudio handles those conditions itself.
    """
    from voicemock.audio.alsa import quiet_alsa

    quiet_alsa()
    try:
        import sounddevice
    except OSError as exc:  # sounddevice raises OSError when libportaudio is missing
        raise DeviceError(
            f"the PortAudio sound library is not installed: {PORTAUDIO_HINT}"
        ) from exc
    except ImportError as exc:  # pragma: no cover - a hard dependency
        raise DeviceError(
            "the Python package 'sounddevice' is missing; reinstall voicemock"
        ) from exc
    module: ModuleType = sounddevice
    return module


def rescan() -> None:
    """Make PortAudio list devices again (it scans once, when initialised).

    This closes every open PortAudio stream of the process: call it only when none is
    open. :func:`list_devices` does it by itself when it finds no device at all.
    """
    sd = portaudio()
    with contextlib.suppress(Exception):
        sd._terminate()
    try:
        sd._initialize()
    except Exception as exc:
        raise DeviceError(f"cannot initialise PortAudio: {_first_line(exc)}") from exc


def list_devices() -> list[Device]:
    """Every device PortAudio sees, defaults marked, in PortAudio's order."""
    sd = portaudio()
    devices = _query(sd)
    if not devices:
        # Nothing is open when nothing exists, so a rescan is safe: a sound server or
        # a USB microphone may have appeared since PortAudio was initialised.
        rescan()
        devices = _query(sd)
    return devices


def _query(sd: ModuleType) -> list[Device]:
    try:
        raw = list(sd.query_devices())
        hostapis = [h["name"] for h in sd.query_hostapis()]
        default_in, default_out = (int(i) for i in sd.default.device)
    except Exception as exc:
        raise DeviceError(f"cannot list sound devices: {_first_line(exc)}") from exc
    return [
        Device(
            index=i,
            name=str(d["name"]),
            hostapi=hostapis[d["hostapi"]] if 0 <= d["hostapi"] < len(hostapis) else "?",
            inputs=int(d["max_input_channels"]),
            outputs=int(d["max_output_channels"]),
            default_samplerate=float(d["default_samplerate"]),
            is_default_input=i == default_in and d["max_input_channels"] > 0,
            is_default_output=i == default_out and d["max_output_channels"] > 0,
        )
        for i, d in enumerate(raw)
    ]


def resolve_input(spec: str | int | None = None, devices: Sequence[Device] | None = None) -> Device:
    """The microphone ``spec`` names: ``None`` for the default, an index, or part of a
    name (case-insensitive; an exact name wins over partial matches).

    Raises :class:`DeviceError` with what was found when nothing (or more than one
    device) fits, and suggests ``--answer-file`` when there is no microphone at all.
    """
    return _resolve(spec, "input", list_devices() if devices is None else list(devices))


def resolve_output(
    spec: str | int | None = None, devices: Sequence[Device] | None = None
) -> Device:
    """The speaker ``spec`` names; like :func:`resolve_input`."""
    return _resolve(spec, "output", list_devices() if devices is None else list(devices))


def _resolve(spec: str | int | None, kind: Kind, devices: list[Device]) -> Device:
    noun = "microphone" if kind == "input" else "speaker"
    candidates = [d for d in devices if d.channels(kind) > 0]
    if not candidates:
        raise DeviceError(_nothing_found(kind, devices))
    if isinstance(spec, str):
        spec = spec.strip()
        if spec.isdigit():
            spec = int(spec)
        elif not spec:
            spec = None
    if spec is None:
        for d in candidates:
            if d.is_default_input if kind == "input" else d.is_default_output:
                return d
        return candidates[0]  # PortAudio names no default: take the first
    if isinstance(spec, int):
        for d in devices:
            if d.index == spec:
                if d.channels(kind) == 0:
                    raise DeviceError(
                        f"device {d.label} has no {kind}s, so it is not a {noun}; "
                        f"{noun}s: {_labels(candidates)}"
                    )
                return d
        raise DeviceError(f"there is no device number {spec}; {noun}s: {_labels(candidates)}")
    wanted = spec.lower()
    exact = [d for d in candidates if d.name.lower() == wanted]
    if len(exact) == 1:
        return exact[0]
    matches = exact or [d for d in candidates if wanted in d.name.lower()]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise DeviceError(
            f"no {noun} matches {spec!r}; {noun}s: {_labels(candidates)} (see 'voicemock devices')"
        )
    raise DeviceError(
        f"{spec!r} matches several {noun}s: {_labels(matches)}; give its number instead"
    )


def _nothing_found(kind: Kind, devices: list[Device]) -> str:
    if kind == "input":
        if not devices:
            return f"no microphone found (PortAudio sees no sound device at all); {NO_MIC_HINT}"
        return (
            f"no microphone found (PortAudio sees only {_labels(devices, with_kind=True)}); "
            f"{NO_MIC_HINT}"
        )
    if not devices:
        return "no speaker found (PortAudio sees no sound device at all)"
    return f"no speaker found (PortAudio sees only {_labels(devices, with_kind=True)})"


def _labels(devices: Sequence[Device], *, with_kind: bool = False, limit: int = 6) -> str:
    def one(d: Device) -> str:
        if not with_kind:
            return d.label
        kinds = [k for k, n in (("input", d.inputs), ("output", d.outputs)) if n]
        return f"{d.label} ({'/'.join(kinds) or 'no channels'})"

    shown = ", ".join(one(d) for d in devices[:limit])
    more = len(devices) - limit
    return shown + (f" and {more} more" if more > 0 else "")


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0][:160] if text else type(exc).__name__
