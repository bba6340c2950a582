import Foundation
import Testing
@testable import PolicyEngine

/// `Decision.jsonBytes` (the web service's response body) must be byte for byte the CONTRACTS §4 text
/// of `json(auditIndex:).serialized`, for every combination of optional parts and for strings that need
/// escaping.
@Suite struct DecisionJSONBytesTests {
    static let texts = ["plain", "", "quote \" backslash \\ slash /", "line\nreturn\rtab\t\u{08}\u{0C}", "\u{00}\u{1F}\u{7F}",
                        "Umlaut äöü ß, € and 𝄞"]

    /// Every field shape: permit or deny, each optional part present or absent.
    static func fields(text: String) -> [FieldDecision] {
        var out: [FieldDecision] = []
        for mask in 0..<32 {
            out.append(FieldDecision(field: "f\(mask).\(text)", outcome: mask & 1 == 0 ? .permit : .deny,
                                     reason: mask & 1 == 0 ? nil : DenialReason.allCases[mask % DenialReason.allCases.count],
                                     rule: mask & 2 == 0 ? nil : "rule-\(text)", basis: mask & 4 == 0 ? nil : (mask & 8 == 0 ? .statute : .consent),
                                     citation: mask & 8 == 0 ? nil : "§ 67 SGB X \(text)",
                                     consent: mask & 16 == 0 ? nil : ConsentReference(id: "c-\(text)", clause: "k\(text)")))
        }
        return out
    }

    static func decision(text: String, fields: [FieldDecision], at: Date) -> Decision {
        Decision(policy: .init(id: "policy \(text)", version: "1.\(text)", digest: "sha256:\(text)"), subject: "RSK \(text)",
                 partner: "p\(text)", purpose: "u\(text)", at: at, fields: fields)
    }

    @Test(arguments: texts)
    func bytesEqualSerializedText(text: String) {
        let all = Self.fields(text: text)
        let times = [Date(timeIntervalSince1970: 1_795_600_800), Date(timeIntervalSince1970: 1_795_600_800.123_4),
                     Date(timeIntervalSince1970: -3_000_000_000.5)]
        for (n, at) in times.enumerated() {
            for fields in [[], Array(all.prefix(1)), Array(all.prefix(2)), Array(all[3...7]), all] {
                let d = Self.decision(text: text, fields: fields, at: at)
                for index in [nil, 0, n * 1_000_003, Int.max] {
                    #expect(d.jsonBytes(auditIndex: index) == Array(d.json(auditIndex: index).serialized.utf8))
                }
            }
        }
    }
}
