import GRDB

/// Checks that the audit log's tables, indexes and triggers in the file are exactly the ones its
/// migrations create.
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
        let found = try objects(in: db)
        let expected = try reference()
        for name in Set(found.keys).union(expected.keys).sorted() where found[name] != expected[name] {
            return .schemaChanged(object: name, change: found[name] == nil ? .missing : expected[name] == nil ? .added : .changed)
        }
        return nil
    }

    /// `name → type and SQL` of the audit tables' schema objects.
    private static func objects(in db: Database) throws -> [String: String] {
        let list = tables.map { "'\($0)'" }.joined(separator: ", ")
        var out: [String: String] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT type, name, sql FROM sqlite_schema WHERE tbl_name IN (\(list))") {
            let type: String = row[0], name: String = row[1], sql: String? = row[2]
            out[name] = type + "\n" + (sql ?? "")
        }
        return out
    }

    /// The same for a fresh in-memory database with the audit log's migrations applied.
    private static func reference() throws -> [String: String] {
        let queue = try DatabaseQueue()
        var migrator = DatabaseMigrator()
        AuditLogSchema.registerMigrations(in: &migrator)
        try migrator.migrate(queue)
        return try queue.read { try objects(in: $0) }
    }
}
