import Diagnostics
import Foundation
import Signing

extension Decision {
    /// The UTF-8 bytes of `json(auditIndex:).serialized`, written straight into a byte buffer: the same
    /// keys in the same order, the same escaping, no whitespace. The web service answers every decision
    /// with these bytes; building the `OrderedJSON` tree first (an enum node and an array per object) cost
    /// more than writing the bytes.
    public func jsonBytes(auditIndex: Int? = nil) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256 + fields.count * 160)
        out.append(contentsOf: #"{"decision-version":1,"policy":{"id":"#.utf8)
        JSONStringEscaping.append(policy.id, to: &out)
        out.append(contentsOf: #","version":"#.utf8)
        JSONStringEscaping.append(policy.version, to: &out)
        out.append(contentsOf: #","digest":"#.utf8)
        JSONStringEscaping.append(policy.digest, to: &out)
        out.append(contentsOf: #"},"subject":"#.utf8)
        JSONStringEscaping.append(subject, to: &out)
        out.append(contentsOf: #","partner":"#.utf8)
        JSONStringEscaping.append(partner, to: &out)
        out.append(contentsOf: #","purpose":"#.utf8)
        JSONStringEscaping.append(purpose, to: &out)
        out.append(contentsOf: #","at":""#.utf8)
        // RFC 3339 text has no character that needs escaping.
        RFC3339.append(at, to: &out)
        out.append(contentsOf: #"","fields":["#.utf8)
        for (i, f) in fields.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            f.appendJSON(to: &out)
        }
        out.append(contentsOf: #"],"released":["#.utf8)
        var first = true
        for f in fields where f.outcome == .permit {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            JSONStringEscaping.append(f.field, to: &out)
        }
        out.append(UInt8(ascii: "]"))
        if let auditIndex {
            out.append(contentsOf: #","audit":{"index":"#.utf8)
            out.append(contentsOf: String(auditIndex).utf8)
            out.append(UInt8(ascii: "}"))
        }
        out.append(UInt8(ascii: "}"))
        return out
    }
}

extension FieldDecision {
    /// Appends the bytes of `json.serialized`.
    func appendJSON(to out: inout [UInt8]) {
        out.append(contentsOf: #"{"field":"#.utf8)
        JSONStringEscaping.append(field, to: &out)
        out.append(contentsOf: #","outcome":"#.utf8)
        JSONStringEscaping.append(outcome.rawValue, to: &out)
        if let reason {
            out.append(contentsOf: #","reason":"#.utf8)
            JSONStringEscaping.append(reason.rawValue, to: &out)
        }
        if let rule {
            out.append(contentsOf: #","rule":"#.utf8)
            JSONStringEscaping.append(rule, to: &out)
        }
        if let basis {
            out.append(contentsOf: #","basis":"#.utf8)
            JSONStringEscaping.append(basis.rawValue, to: &out)
        }
        if let citation {
            out.append(contentsOf: #","citation":"#.utf8)
            JSONStringEscaping.append(citation, to: &out)
        }
        if let consent {
            out.append(contentsOf: #","consent":{"id":"#.utf8)
            JSONStringEscaping.append(consent.id, to: &out)
            out.append(contentsOf: #","clause":"#.utf8)
            JSONStringEscaping.append(consent.clause, to: &out)
            out.append(UInt8(ascii: "}"))
        }
        out.append(UInt8(ascii: "}"))
    }
}
