// Module DriveExport: see docs/ARCHITECTURE.md.
