"""The kiosk screens toolkit both flows (walk-in, business) use: step order and shared steps, the visit and its
encrypted draft, page-or-fragment screens, the NIK as it is typed and its rationed lookups, receipts, the region
cascade, and the answer when the database is away."""
