import Foundation

extension AuditLogStore {
    /// Reads the entries matching `query` and records who read them as an `audit-read` entry
    /// (appended and signed before the result is returned, so no read goes unrecorded).
    public func readRecorded(_ query: AuditQuery, actor: String, municipality: String? = nil, command: String,
                             signer: NoteSigner) throws -> [StoredEntry] {
        let found = try entries(matching: query)
        try recordRead(command: command, filters: query.description, results: Int64(found.count), actor: actor,
                       municipality: municipality, signer: signer)
        return found
    }

    /// Appends an `audit-read` entry.
    public func recordRead(command: String, filters: [String: String], results: Int64, actor: String,
                           municipality: String? = nil, signer: NoteSigner) throws {
        let read = AuditEntry(actor: actor, municipality: municipality,
                              content: .auditRead(AuditReadRecord(command: command, filters: filters, results: results)))
        try append(read, signer: signer)
    }
}
