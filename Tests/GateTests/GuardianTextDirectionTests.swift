import ConsentRecords
import Foundation
import Testing
@testable import Gate

/// A guardian's name or relation with a bidirectional override or isolate, or more than eight guardians, is refused at
/// recording, naming the field
/// (found in a review of the API, 2026-12-06: "Olena\u{202E}oknetreP" was signed into a consent and `consent show`
/// displayed it reordered). A right-to-left mark, which names in Arabic script may carry, stays allowed.
@Suite struct GuardianTextDirectionTests {
    static let now = Fixture.time("2026-03-01T10:00:00Z")

    @Test(arguments: [("\u{202E}", "name"), ("\u{2066}", "name"), ("\u{202A}", "relation"), ("\u{2069}", "relation")])
    func aReorderingCharacterIsRefused(_ character: String, _ member: String) throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        let child = Subject(id: "RSK-2022-000035", birthDate: Fixture.day("2016-01-01"), municipality: "Troisdorf")
        let guardian = member == "name" ? Guardian(name: "Olena \(character)Petrenko", relation: "Mutter")
                                        : Guardian(name: "Olena Petrenko", relation: "Mut\(character)ter")
        let error = #expect(throws: GateError.self) {
            try gate.grantConsent(Fixture.grant(child, guardians: [guardian]), actor: Fixture.actor, now: Self.now)
        }
        #expect(error == .guardianTextReordering(field: "guardians[0].\(member)"))
        #expect(error?.message(in: .en).hasPrefix("guardians[0].\(member): holds a text-direction control character") == true)
        #expect(error?.message(in: .de).contains("Steuerzeichen der Schreibrichtung") == true)
        #expect(try gate.consents.list(subject: "RSK-2022-000035").isEmpty, "nothing recorded")
    }

    @Test func aRightToLeftMarkIsAllowed() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        let child = Subject(id: "RSK-2022-000036", birthDate: Fixture.day("2016-01-01"), municipality: "Troisdorf")
        let named = Fixture.grant(child, guardians: [Guardian(name: "\u{200F}فاطمة أحمد", relation: "Mutter")])
        #expect(throws: Never.self) { try gate.grantConsent(named, actor: Fixture.actor, now: Self.now) }
    }

    /// More than eight guardians is refused naming the count (a review sent 600: the signed document then exceeded its
    /// 64 KiB limit and the answer spoke of the payload's JSON); eight are recorded.
    @Test func atMostEightGuardians() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        let child = Subject(id: "RSK-2022-000037", birthDate: Fixture.day("2016-01-01"), municipality: "Troisdorf")
        let nine = (1...9).map { Guardian(name: "Person \($0)") }
        let error = #expect(throws: GateError.self) {
            try gate.grantConsent(Fixture.grant(child, guardians: nine), actor: Fixture.actor, now: Self.now)
        }
        #expect(error == .tooManyGuardians(count: 9, maximum: 8))
        #expect(error?.message(in: .en) == "guardians: 9 guardians given, at most 8: enter only those who signed the declaration")
        #expect(throws: Never.self) { try gate.grantConsent(Fixture.grant(child, guardians: Array(nine.prefix(8))), actor: Fixture.actor, now: Self.now) }
    }
}
