// Module AuditLog: see docs/ARCHITECTURE.md.
