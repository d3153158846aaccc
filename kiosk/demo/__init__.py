"""The shipped demo: feeds generated for today's date (`feeds`) and where the kiosk uses them
(`hooks`). Only a config with a `[demo]` section turns any of it on."""
