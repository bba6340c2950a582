import AuditLog
import ConsentRecords
import Diagnostics
import Foundation
import PolicyEngine
import Signing
import Testing
@testable import Gate

/// The shipped `kim-erklaerung-2022` is retired (`recordable-until: 2022-12-31` on its current version): a declaration
/// signed on it after that Berlin day is refused, one signed on or before it is still recorded, and the consents on it
/// stay valid, verify and release what they did. Before, it took new consents like any current template (active until
/// 2028 for a grant of today). Also the gate's small consent fixes: a guardian named by a placeholder is refused, and an
/// unknown template version names the versions held. On a real SQLite database with the shipped bundle and demo keys.
@Suite struct GateRetiredTemplateTests {
    static let template = "kim-erklaerung-2022"
    static let now = Fixture.time("2026-12-06T10:00:00Z")

    static func onRetired(_ subject: String, at grantedAt: Date) -> GrantRequest {
        Fixture.grant(Fixture.adult(subject), template: template, clauses: ["jobcenter"], grantedAt: grantedAt)
    }

    /// 2022-12-31T22:59:59Z is still the last day in Berlin; 23:00Z is 1 January 2023 there.
    @Test(arguments: ["2022-12-31T22:59:59Z", "2022-12-31T12:00:00Z", "2022-05-02T08:00:00Z"])
    func signedByTheLastDayIsRecordedAndStaysValid(_ signed: String) throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        let grantedAt = Fixture.time(signed)
        let (stored, _) = try gate.grantConsent(Self.onRetired("RSK-2022-000031", at: grantedAt), actor: Fixture.actor, now: Self.now)
        #expect(stored.templateID == Self.template && stored.templateVersion == 1)
        // The first instant after the last Berlin day is refused: the day decides, not the time of recording.
        #expect(throws: GateError.templateRetired(Self.template, version: 1, recordableUntil: "2022-12-31", signedOn: "2023-01-01")) {
            try gate.grantConsent(Self.onRetired("RSK-2022-000035", at: Fixture.time("2022-12-31T23:00:00Z")), actor: Fixture.actor, now: Self.now)
        }
        // Verifies and is active within its two years; releases what its jobcenter clause covers.
        let during = grantedAt.addingTimeInterval(86_400 * 30)
        let status = try gate.consents.show(id: stored.id, now: during, subjectBirthDate: Fixture.adult().birthDate)
        #expect(status.failures.isEmpty, "\(status.failures)")
        #expect(status.state(at: during) == .active)
        let result = try gate.check(Fixture.jobcenterCheck("RSK-2022-000031", fields: ["name.family"], at: during), actor: Fixture.actor, now: Self.now)
        let field = try #require(result.decision.fields.first)
        #expect(field.outcome == .permit && field.consent?.clause == "jobcenter", "\(field)")
    }

    @Test(arguments: [("2022-12-31T23:00:00Z", "2023-01-01"), ("2026-12-06T09:00:00Z", "2026-12-06")])
    func signedAfterTheLastDayIsRefused(_ signed: String, _ berlinDay: String) throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        let error = #expect(throws: GateError.self) {
            try gate.grantConsent(Self.onRetired("RSK-2022-000032", at: Fixture.time(signed)), actor: Fixture.actor, now: Self.now)
        }
        #expect(error == .templateRetired(Self.template, version: 1, recordableUntil: "2022-12-31", signedOn: berlinDay))
        #expect(error?.category == .invalidInput)
        #expect(error?.message(in: .en) == "consent template kim-erklaerung-2022 (v1) is retired since 2023-01-01: declarations on it are recorded only when signed on or before 2022-12-31 (a day in Europe/Berlin); this one was signed on \(berlinDay). The consents given on it stay valid; new ones are given on a current template")
        #expect(error?.message(in: .de).contains("Einwilligungsvorlage kim-erklaerung-2022 (v1) ist seit dem 2023-01-01 stillgelegt") == true)
        #expect(try gate.consents.list(subject: "RSK-2022-000032").isEmpty, "nothing stored")
        #expect(try gate.allEntries().allSatisfy { if case .consentGranted = $0.entry.content { false } else { true } }, "nothing logged")
    }

    /// A consent on the template recorded before it was retired (a bundle without the key) stays valid and releases
    /// under the retired bundle: retiring changes no consent.
    @Test func aConsentRecordedBeforeRetiringStillReleases() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let unretired = try inst.policyCopy("unretired", edits: ["consent-templates.yaml": [("    recordable-until: 2022-12-31\n", "")]])
        let (stored, _) = try inst.open(policy: unretired).grantConsent(Self.onRetired("RSK-2022-000033", at: Fixture.grantedAt),
                                                                        actor: Fixture.actor, now: Self.now)
        let gate = try inst.open()
        let at = Fixture.time("2026-03-01T10:00:00Z")
        let status = try gate.consents.show(id: stored.id, now: at, subjectBirthDate: Fixture.adult().birthDate)
        #expect(status.failures.isEmpty && status.state(at: at) == .active, "\(status.failures)")
        let result = try gate.check(Fixture.jobcenterCheck("RSK-2022-000033", fields: ["name.family", "address.street"], at: at),
                                    actor: Fixture.actor, now: Self.now)
        #expect(result.decision.fields.allSatisfy { $0.outcome == .permit && $0.consent?.id == stored.id }, "\(result.decision.fields)")
    }

    /// A guardian "name" without a letter is a placeholder: refused for a 10-year-old, naming the field; a real name
    /// (any script) is recorded. Blank names stay refused by the payload's rule.
    @Test(arguments: ["-", "?", "...", "--", "1", "- / -"])
    func aPlaceholderGuardianIsRefused(_ name: String) throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        let child = Subject(id: "RSK-2022-000034", birthDate: Fixture.day("2016-01-01"), municipality: "Troisdorf")
        let request = Fixture.grant(child, guardians: [Guardian(name: "Olena Petrenko"), Guardian(name: name)])
        let error = #expect(throws: GateError.self) { try gate.grantConsent(request, actor: Fixture.actor, now: Self.now) }
        #expect(error == .guardianNameWithoutLetter(field: "guardians[1].name", name: name))
        #expect(error?.message(in: .en) == "guardians[1].name: \"\(name)\" is not a name (no letter): enter the name of the guardian who signed, as written on the declaration")
        #expect(error?.message(in: .de).contains("ist kein Name (kein Buchstabe)") == true)
        #expect(try gate.consents.list(subject: "RSK-2022-000034").isEmpty)
        let named = Fixture.grant(child, guardians: [Guardian(name: "Олена Петренко", relation: "Mutter")])
        #expect(throws: Never.self) { try gate.grantConsent(named, actor: Fixture.actor, now: Self.now) }
    }

    /// An unknown version of a known template names the current version and the earlier ones kept.
    @Test func anUnknownVersionNamesTheVersionsHeld() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        var request = Fixture.grant()
        request.templateVersion = 2
        let error = #expect(throws: GateError.self) { try gate.grantConsent(request, actor: Fixture.actor, now: Self.now) }
        #expect(error == .templateVersionNotHeld("kim-beratung", version: 2, current: 3, earlier: []))
        #expect(error?.message(in: .en) == "consent template kim-beratung v2 is not in the policy: the current version is v3, the policy keeps no earlier version; check the version printed on the signed declaration")
        #expect(GateError.templateVersionNotHeld("t", version: 9, current: 4, earlier: [3, 1]).message(in: .de)
                == "Einwilligungsvorlage t v9 ist in der Richtlinie nicht vorhanden: die aktuelle Version ist v4, frühere Versionen behalten: v3, v1; bitte die Version auf der unterschriebenen Erklärung prüfen")
    }
}
