import AuditLog
import Diagnostics
import Foundation
import Testing
@testable import Gate

/// A decision request names each field once and at least one (CONTRACTS §4: `released` lists the permitted fields
/// in request order). The gate refuses any other request itself, before reading or recording anything, so no entry
/// point can bypass the rule: the audit log stays as it was.
@Suite struct DecisionRequestFieldsTests {
    static let refused: [([String], DecisionRequestError)] = [
        (["name.family", "name.family"], .repeatedField("name.family", positions: [1, 2])),
        (["name.family", "address.street", "name.family"], .repeatedField("name.family", positions: [1, 3])),
        (["address.street", "name.family", "health.notes", "name.family", "name.family"],
         .repeatedField("name.family", positions: [2, 4, 5])),
        (["unknown.field", "unknown.field"], .repeatedField("unknown.field", positions: [1, 2])),
        ([], .noFields),
        (["name.family", ""], .unfitField(position: 2, why: DecisionRequestError.fieldIDProblem("")!)),
        (["name.fa\u{1B}[31mmily"], .unfitField(position: 1, why: DecisionRequestError.fieldIDProblem("\u{1B}")!)),
        (["case.id", "name.given", "name.family\u{202E}"], .unfitField(position: 3, why: DecisionRequestError.fieldIDProblem("\u{202E}")!)),
        (["\u{200F}name.family", "\u{200F}name.family"], .unfitField(position: 1, why: DecisionRequestError.fieldIDProblem("\u{200F}")!)),
    ]

    @Test("refused before anything is logged, by check and by checkConcurrently", arguments: refused)
    func refusedAndNotLogged(fields: [String], expected: DecisionRequestError) async throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        _ = try gate.grantConsent(Fixture.grant(clauses: ["jobcenter"]), actor: Fixture.actor)
        let size = try gate.auditLog.size()
        let request = Fixture.jobcenterCheck(fields: fields, at: Fixture.time("2026-03-01T10:00:00Z"))
        #expect(throws: expected) { try gate.check(request, actor: Fixture.actor) }
        await #expect(throws: expected) { try await gate.checkConcurrently(request, actor: Fixture.actor) }
        #expect(try gate.auditLog.size() == size, "a refused request records nothing")
        #expect(try gate.entries(kind: .decision).isEmpty)
    }

    @Test("distinct fields are decided in request order", arguments: [
        ["name.family"], ["health.notes", "name.family"], ["address.street", "name.family", "health.notes"],
    ])
    func distinctFieldsAreDecided(fields: [String]) throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        let r = try gate.check(Fixture.jobcenterCheck(fields: fields, at: nil), actor: Fixture.actor)
        #expect(r.decision.fields.map(\.field) == fields)
        #expect(try gate.entries(kind: .decision).map(\.index) == [r.auditIndex])
    }

    @Test("the message names the field, how often and where, in German and English", arguments: [
        (DecisionRequestError.repeatedField("name.family", positions: [1, 2]), Language.en,
         "field \"name.family\" is requested twice (entries 1 and 2 of the requested fields); name each field once"),
        (.repeatedField("name.family", positions: [1, 2]), .de,
         "Feld \"name.family\" ist zweimal angefragt (Einträge 1 und 2 der angefragten Felder); jedes Feld nur einmal angeben"),
        (.repeatedField("health.notes", positions: [2, 4, 5]), .en,
         "field \"health.notes\" is requested 3 times (entries 2, 4 and 5 of the requested fields); name each field once"),
        (.repeatedField("health.notes", positions: [2, 4, 5]), .de,
         "Feld \"health.notes\" ist 3-mal angefragt (Einträge 2, 4 und 5 der angefragten Felder); jedes Feld nur einmal angeben"),
        (.noFields, .en, "no fields requested: a decision needs at least one field"),
        (.unfitField(position: 2, why: DecisionRequestError.fieldIDProblem("")!), .en, "entry 2 of the requested fields: field id is empty"),
        (.unfitField(position: 1, why: DecisionRequestError.fieldIDProblem("\u{7}")!), .de,
         "Eintrag 1 der angefragten Felder: Feld-ID enthält ein Steuer- oder Richtungszeichen; das ist nicht erlaubt"),
        (.noFields, .de, "keine Felder angefragt: eine Entscheidung braucht mindestens ein Feld"),
    ])
    func message(error: DecisionRequestError, language: Language, text: String) {
        #expect(error.message(in: language) == text)
        #expect(error.category == .usage, "a malformed request is a usage error (exit code 2)")
    }
}
