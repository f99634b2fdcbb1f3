"""Audio parts: loading, voice activity, transcription, recording and speech output.

Heavy libraries (numpy, faster-whisper, sounddevice, pyttsx3) are imported inside these
modules' functions or by the modules themselves, never by ``voicemock.cli`` at start-up.
"""

SAMPLE_RATE = 16_000
"""Every audio buffer inside voicemock is float32 mono at this rate."""
