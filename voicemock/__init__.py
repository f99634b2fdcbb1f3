"""voicemock: timed, spoken behavioural-interview practice that runs on your own machine."""

__version__ = "0.1.0"
