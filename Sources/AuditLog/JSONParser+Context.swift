import StrictJSON

extension JSONParser {
    /// Parses `bytes` (an audit entry, a proof, a report) as exactly one JSON value; a syntax error becomes
    /// `AuditLogError.malformedEntry` naming `context` (e.g. `entry 41`) and the byte offset.
    public static func parse(_ bytes: [UInt8], context: String) throws -> JSONValue {
        do { return try parse(bytes) } catch {
            throw AuditLogError.malformedEntry(context: context, reason: error.description)
        }
    }
}
