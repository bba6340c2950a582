import Foundation
import PolicyEngine
import Testing
@testable import Gate

/// The web service answers decisions with `CheckResult.jsonBytes`, written without going through a
/// `String`: it must be byte for byte the CONTRACTS §4 text `OrderedJSON.serialized` gives.
@Suite struct GateDecisionJSONTests {
    static let samples: [OrderedJSON] = [
        .null, .bool(true), .bool(false), .int(0), .int(-42), .int(Int.max), .string(""),
        .string("plain"), .string("quote \" backslash \\ slash /"), .string("line\nreturn\rtab\tback\u{08}feed\u{0C}"),
        .string("\u{00}\u{01}\u{1F}\u{7F}"), .string("Umlaut äöü ß, € and 𝄞"),
        .array([]), .object([]),
        .object([("b", .int(1)), ("a", .array([.string("x"), .null, .object([("é\"", .bool(false))])]))]),
    ]

    @Test(arguments: samples)
    func bytesEqualSerializedText(value: OrderedJSON) {
        #expect(JSONBytesWriter.bytes(of: value) == Array(value.serialized.utf8))
    }

    @Test func decisionBytesEqualDecisionText() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        _ = try gate.grantConsent(Fixture.grant(clauses: ["jobcenter"]), actor: Fixture.actor)
        let r = try gate.check(Fixture.jobcenterCheck(fields: ["name.family", "address.street", "health.notes", "no.such-field"],
                                                      at: Fixture.time("2026-03-01T10:00:00Z")), actor: Fixture.actor)
        #expect(r.jsonBytes == Array(r.json.text.utf8))
        #expect(try JSONSerialization.jsonObject(with: Data(r.jsonBytes)) is [String: Any])
    }
}
