"""Speech synthesis: questions read aloud by pyttsx3/espeak-ng in worker processes.

- :mod:`~voicemock.tts.speaker`: the :class:`~voicemock.tts.speaker.Speaker` protocol,
  sentence splitting, synthesis and the real and silent speakers;
- :mod:`~voicemock.tts.worker`: the short-lived process that speaks one piece to a file.
"""
