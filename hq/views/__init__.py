"""One module per kind of page, on the shared base in `base.py`: the fleet index (`fleet`),
a store's page (`store`), the kiosk API (`api`) and the CSV export (`export`)."""
