// Module PolicyEngine: see docs/ARCHITECTURE.md.
