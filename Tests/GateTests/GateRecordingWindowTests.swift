import AuditLog
import ConsentRecords
import Diagnostics
import Foundation
import PolicyEngine
import Signing
import Testing
@testable import Gate

/// Paper declarations signed on the old printed form arrive after the county bumped the template. An earlier version
/// kept with `recordable-until` takes them: a declaration signed (its `granted-at` as a Berlin day) on or before that
/// day is recorded on that version (its clauses, languages and validity), one signed after it is refused naming the
/// version and both days. On a real SQLite database with the shipped demo keys.
@Suite struct GateRecordingWindowTests {
    static let template = GateEarlierTemplateVersionTests.template

    /// The shipped bundle with `kim-erklaerung-2022` bumped to 2, keeping version 1 with a validity of one year (version
    /// 2 keeps two) and, when `until` is given, `recordable-until: <until>`.
    static func bumped(_ inst: GateTestInstallation, until: String?) throws -> String {
        let g = GateEarlierTemplateVersionTests.self
        var one = g.versionOne.replacingOccurrences(of: "        max-validity: P2Y\n", with: "        max-validity: P1Y\n")
        if let until { one = one.replacingOccurrences(of: "        minimum-age: 16\n", with: "        minimum-age: 16\n        recordable-until: \(until)\n") }
        return try inst.policyCopy("window-\(until ?? "none")", edits: ["consent-templates.yaml": [
            g.retirement, ("    version: 1\n", "    version: 2\n"),
            (g.versionOneClauses + "\n", g.versionTwoClauses + "\n" + one),
        ]])
    }

    static func onVersionOne(_ subject: String, clauses: [String] = ["jobcenter"], at grantedAt: Date) -> GrantRequest {
        var request = Fixture.grant(Fixture.adult(subject), template: template, clauses: clauses, grantedAt: grantedAt)
        request.templateVersion = 1
        return request
    }

    struct Midnight: Sendable, CustomTestStringConvertible {
        /// The last day (`recordable-until`), the last instant still on it in Berlin, the first instant after it, and
        /// the time of recording.
        var until: String
        var lastIn: String
        var firstOut: String
        var now: String
        var testDescription: String { "\(until) (\(lastIn) / \(firstOut))" }
    }

    /// Winter (UTC+1) and summer (UTC+2): 23:30 UTC on the last day is already the next day in Berlin.
    static let midnights = [
        Midnight(until: "2026-12-31", lastIn: "2026-12-31T22:59:59Z", firstOut: "2026-12-31T23:30:00Z", now: "2027-01-20T10:00:00Z"),
        Midnight(until: "2026-07-31", lastIn: "2026-07-31T21:30:00Z", firstOut: "2026-07-31T22:00:00Z", now: "2026-08-20T10:00:00Z"),
    ]

    @Test(arguments: midnights)
    func recordedOnTheLastBerlinDayRefusedTheDayAfter(_ m: Midnight) throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open(policy: try Self.bumped(inst, until: m.until))
        let now = Fixture.time(m.now)

        // Signed on the last day in Berlin: recorded on version 1, with version 1's validity (one year, not two).
        let lastIn = Fixture.time(m.lastIn)
        let (stored, _) = try gate.grantConsent(Self.onVersionOne("RSK-2022-000011", at: lastIn), actor: Fixture.actor, now: now)
        #expect(stored.templateVersion == 1)
        #expect(stored.grantedAt == lastIn)
        #expect(stored.expiresAt == ISODuration(years: 1).added(to: lastIn))
        let status = try gate.consents.show(id: stored.id, now: now, subjectBirthDate: Fixture.adult().birthDate)
        #expect(status.failures.isEmpty, "\(status.failures)")
        #expect(status.state(at: now) == .active)
        let logged = try gate.allEntries().compactMap { e -> ConsentGrantedRecord? in
            if case .consentGranted(let r) = e.entry.content { return r } else { return nil }
        }
        #expect(logged.map(\.templateVersion) == [1], "the log names the version recorded")

        // Signed after it (already the next day in Berlin, still the last day in UTC): refused, nothing stored.
        let late = Self.onVersionOne("RSK-2022-000012", at: Fixture.time(m.firstOut))
        let error = #expect(throws: GateError.self) { try gate.grantConsent(late, actor: Fixture.actor, now: now) }
        let nextDay = UTCDay.format(try #require(UTCDay.parse(m.until)) + 1)
        #expect(error == .earlierTemplateVersionNoLongerRecordable(Self.template, version: 1, current: 2, recordableUntil: m.until, signedOn: nextDay))
        #expect(error?.message(in: .en).contains("consent template \(Self.template) v1 is an earlier version on which declarations are recorded only when signed on or before \(m.until) (a day in Europe/Berlin); this one was signed on \(nextDay)") == true)
        #expect(error?.message(in: .de).contains("nur aufgenommen werden, wenn sie bis zum \(m.until) (Tag in Europe/Berlin) unterschrieben wurden; diese wurde am \(nextDay) unterschrieben") == true)
        #expect(error?.category == .invalidInput, "the exit code and HTTP status of earlierTemplateVersion")
        #expect(try gate.consents.list(subject: "RSK-2022-000012").isEmpty, "nothing stored")
    }

    /// The consent recorded on version 1 is read against version 1: its job centre clause covers the address, which
    /// version 2's does not; a clause only version 2 has is refused on version 1; the current version stays the default.
    @Test func theRecordedConsentIsReadAgainstItsVersion() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open(policy: try Self.bumped(inst, until: "2026-12-31"))
        let grantedAt = Fixture.time("2026-11-30T10:00:00Z")
        _ = try gate.grantConsent(Self.onVersionOne(Fixture.subjectID, at: grantedAt), actor: Fixture.actor)
        let check = try gate.check(Fixture.jobcenterCheck(fields: ["name.family", "address.street"], at: Fixture.time("2026-12-01T10:00:00Z")),
                                   actor: Fixture.actor)
        let got = Dictionary(uniqueKeysWithValues: check.decision.fields.map { ($0.field, $0.outcome == .permit ? "permit/\($0.consent?.clause ?? "")" : $0.reason?.rawValue ?? "deny") })
        #expect(got == ["name.family": "permit/jobcenter", "address.street": "permit/jobcenter"], "\(got)")

        let wrongClause = Self.onVersionOne("RSK-2022-000013", clauses: ["sprachkurs"], at: grantedAt)
        let refused = #expect(throws: (any Error).self) { try gate.grantConsent(wrongClause, actor: Fixture.actor) }
        #expect((refused as? any UserFacingError)?.message(in: .en).contains("clause \"sprachkurs\" is not in template \"kim-erklaerung-2022\" version 1") == true,
                "\(String(describing: refused))")
        #expect(try gate.grantConsent(Self.onVersionOne("RSK-2022-000014", clauses: ["jugendamt"], at: grantedAt), actor: Fixture.actor).0.templateVersion == 1,
                "a clause only version 1 has")
        #expect(try gate.grantConsent(Fixture.grant(Fixture.adult("RSK-2022-000015"), template: Self.template, clauses: ["sprachkurs"]),
                                      actor: Fixture.actor).0.templateVersion == 2, "the default stays the current version")
    }

    /// Without `recordable-until` an earlier version is refused as before, whatever the signing day.
    @Test func withoutAWindowTheEarlierVersionIsRefusedAsBefore() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open(policy: try Self.bumped(inst, until: nil))
        let error = #expect(throws: GateError.self) {
            try gate.grantConsent(Self.onVersionOne("RSK-2022-000016", at: Fixture.time("2026-01-02T10:00:00Z")), actor: Fixture.actor)
        }
        #expect(error == .earlierTemplateVersion(Self.template, version: 1, current: 2))
    }
}
