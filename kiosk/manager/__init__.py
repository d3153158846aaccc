"""The store manager's data in plain Python: entries with their audit trail, shout-outs, the
PIN, and (area.py) what the manager area on the touch screen reads and writes. No Qt here; the
touch screens for it are in `kiosk.ui.manager`."""
