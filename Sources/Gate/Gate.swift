// Module Gate: see docs/ARCHITECTURE.md.
