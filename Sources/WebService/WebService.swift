// Module WebService: see docs/ARCHITECTURE.md.
