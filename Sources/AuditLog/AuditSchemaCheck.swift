import GRDB

/// Checks that the audit log's tables, indexes and triggers in the file are exactly the ones its
/// migrations create (`SchemaComparison`).
///
/// Why: the rest of `verify` proves the rows and the index b-trees; this proves what guards them. A dropped
/// append-only trigger, an added trigger that rewrites new rows' columns, or an index redefined (so the
/// planner searches a b-tree built under other rules) leaves rows intact today and is still a change
/// someone made to the file that the data protection officer must hear of.
enum AuditSchemaCheck {
    /// The audit log's tables, whose schema objects (the table, its indexes and triggers) are compared.
    static let tables = ["audit_entry", "audit_checkpoint", "audit_frontier"]

    /// The first schema object that differs (in name order), or nil.
    static func problem(in db: Database) throws -> TamperFinding? {
        var migrator = DatabaseMigrator()
        AuditLogSchema.registerMigrations(in: &migrator)
        return try SchemaComparison.firstDifference(in: db, tables: tables, reference: migrator)
            .map { .schemaChanged(object: $0.object, change: $0.change) }
    }
}
