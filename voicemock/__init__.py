"""voicemock: timed, spoken behavioural-interview practice that runs on your own machine."""

from voicemock import privacy as _privacy

_privacy.apply()  # before any module that could load onnxruntime (see voicemock.privacy)

__version__ = "0.1.0"
