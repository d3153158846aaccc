"""The store manager's data in plain Python: entries with their audit trail, shout-outs and the
PIN. No Qt here; the touch screens for it are in `kiosk.ui.manager`."""
