import GRDB

/// Compares the schema objects (the tables, their indexes and triggers) of some tables in a database file with
/// the ones their migrations create in a fresh database.
///
/// Why: a table's rows can be proven (the audit log's hashes, the consent store's digests in the log), but
/// what guards them and what the look-ups search lives in the schema. A dropped append-only trigger, an added
/// trigger that rewrites new rows, or an index redefined so that a look-up searches a b-tree built under other
/// rules changes no row today and is still an edit someone made to the file.
public enum SchemaComparison {
    /// One schema object that differs, and how.
    public struct Difference: Sendable, Equatable {
        /// The object's name (a table, index or trigger).
        public var object: String
        /// Missing from the file, added to it, or defined otherwise.
        public var change: TamperFinding.SchemaChange
    }

    /// The first schema object of `tables` (in name order) that differs from what `migrator` creates in a fresh
    /// in-memory database, or nil. The migrator must hold every migration that adds objects to these tables
    /// (another module's triggers on them included).
    public static func firstDifference(in db: Database, tables: [String], reference migrator: DatabaseMigrator) throws -> Difference? {
        let found = try objects(of: tables, in: db)
        let queue = try DatabaseQueue()
        try migrator.migrate(queue)
        let expected = try queue.read { try objects(of: tables, in: $0) }
        for name in Set(found.keys).union(expected.keys).sorted() where found[name] != expected[name] {
            return Difference(object: name, change: found[name] == nil ? .missing : expected[name] == nil ? .added : .changed)
        }
        return nil
    }

    /// `name → type and SQL` of the schema objects of `tables`.
    private static func objects(of tables: [String], in db: Database) throws -> [String: String] {
        var out: [String: String] = [:]
        let marks = tables.map { _ in "?" }.joined(separator: ", ")
        for row in try Row.fetchAll(db, sql: "SELECT type, name, sql FROM sqlite_schema WHERE tbl_name IN (\(marks))",
                                    arguments: StatementArguments(tables)) {
            let type: String = row[0], name: String = row[1], sql: String? = row[2]
            out[name] = type + "\n" + (sql ?? "")
        }
        return out
    }
}
