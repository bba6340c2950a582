import Foundation
import Signing

extension Decision {
    /// The decision as CONTRACTS §4 JSON, keys in the contract's order, no whitespace: the same decision always
    /// gives the same bytes. `auditIndex` is the audit log entry the caller recorded for it, if any.
    public func json(auditIndex: Int? = nil) -> OrderedJSON {
        var top: [(String, OrderedJSON)] = [
            ("decision-version", .int(1)),
            ("policy", .object([("id", .string(policy.id)), ("version", .string(policy.version)), ("digest", .string(policy.digest))])),
            ("subject", .string(subject)), ("partner", .string(partner)), ("purpose", .string(purpose)),
            ("at", .string(RFC3339.format(at))),
            ("fields", .array(fields.map { $0.json })),
            ("released", .array(released.map { .string($0) })),
        ]
        if let auditIndex { top.append(("audit", .object([("index", .int(auditIndex))]))) }
        return .object(top)
    }

    /// The JSON bytes (UTF-8) of `json(auditIndex:)`.
    public func jsonData(auditIndex: Int? = nil) -> Data { Data(json(auditIndex: auditIndex).serialized.utf8) }
}

extension FieldDecision {
    /// One entry of `fields`: field, outcome, reason (deny), rule, basis, citation, consent {id, clause}.
    public var json: OrderedJSON {
        var o: [(String, OrderedJSON)] = [("field", .string(field)), ("outcome", .string(outcome.rawValue))]
        if let reason { o.append(("reason", .string(reason.rawValue))) }
        if let rule { o.append(("rule", .string(rule))) }
        if let basis { o.append(("basis", .string(basis.rawValue))) }
        if let citation { o.append(("citation", .string(citation))) }
        if let consent { o.append(("consent", .object([("id", .string(consent.id)), ("clause", .string(consent.clause))]))) }
        return .object(o)
    }
}
