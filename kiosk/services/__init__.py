"""Pure domain services for the kiosk: no Flask, no database, no I/O beyond reading rules."""
