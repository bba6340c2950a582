import GRDB

/// The audit log's tables in the one ConsentGate database.
public enum AuditLogSchema {
    /// Registers the audit log's migrations (named `auditlog-v1`, …) on the application's migrator.
    public static func registerMigrations(in migrator: inout DatabaseMigrator) {
    }
}
