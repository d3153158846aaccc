"""The store scoreboard kiosk: config, scoreboard model, Qt screens and the command line."""

__version__ = "0.1.0"
