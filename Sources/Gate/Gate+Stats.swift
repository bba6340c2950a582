import AuditLog
import Foundation

extension Gate {
    /// Disclosures and releasing checks per partner and/or month for the web service's statistics (page and API):
    /// from totals this process keeps, counting only the entries appended since the last view (`DisclosureStatsCache`),
    /// unless the query filters by more than a partner and a period of whole hours. Reading it is logged: an
    /// `audit-read` entry naming `actor` and `command`, with the filters that applied, before the figures are returned.
    public func disclosureStats(by dimensions: [DisclosureStats.Dimension], query: AuditQuery = AuditQuery(), actor: String,
                                command: String) throws -> DisclosureStats {
        let stats = try disclosureStatsCache.stats(auditLog, by: dimensions, query: query)
        try auditLog.recordRead(command: command, filters: DisclosureStats.counted(query).description,
                                results: Int64(stats.rows.count), actor: actor, signer: auditSigner())
        return stats
    }
}
