import AuditLog
import StrictJSON

extension DisclosureStats {
    /// `audit stats --json`: `{"by": [dimensions], "rows": [row…]}`, each row with the members of a row of
    /// `GET /v1/audit/stats` (`disclosures`, `month`, `partner`, `referrals`; null for a dimension not grouped by).
    var json: JSONValue {
        .object([
            "by": .array(dimensions.map { .string($0.rawValue) }),
            "rows": .array(rows.map { row in
                .object(["disclosures": .int(row.disclosures), "month": row.month.map(JSONValue.string) ?? .null,
                         "partner": row.partner.map(JSONValue.string) ?? .null, "referrals": .int(row.referrals)])
            }),
        ])
    }
}
