// Module ConsentRecords: see docs/ARCHITECTURE.md.
