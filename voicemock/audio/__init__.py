"""Capture and files: loading audio, WAV files, devices, the recorder and playback.

Speech recognition lives in :mod:`voicemock.asr`, speech synthesis in :mod:`voicemock.tts`.
Heavy libraries (numpy, faster-whisper, sounddevice) are imported inside these modules'
functions, never by ``voicemock.cli`` at start-up.
"""

SAMPLE_RATE = 16_000
"""Every audio buffer inside voicemock is float32 mono at this rate."""
WAV_HEADER_SIZE = 44
"""Bytes in a canonical PCM WAV header: a file no longer than this holds no audio."""
