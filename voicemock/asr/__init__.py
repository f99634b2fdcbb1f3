"""Speech recognition: where the voice is, where to cut, Whisper, and the word guards.

- :mod:`~voicemock.asr.vad`: speech regions (Silero VAD, fed whole or block by block);
- :mod:`~voicemock.asr.chunking`: where an answer is cut into chunks;
- :mod:`~voicemock.asr.models`: which Whisper model (bundled, a directory, cached);
- :mod:`~voicemock.asr.whisper`: the :class:`Transcriber` protocol and faster-whisper;
- :mod:`~voicemock.asr.guards`: fillers the prompt invented, dropped or cut back;
- :mod:`~voicemock.asr.stream`: transcribing while the answer is recorded;
- :func:`transcribe`: a whole recording, the live path fed all at once.

Heavy libraries (numpy, faster-whisper) are imported inside functions, never at import.
"""

from voicemock.asr.offline import transcribe

__all__ = ["transcribe"]
