import AuditLog
import Foundation
import PolicyEngine
import Signing
import Testing
@testable import Gate

/// The demo data set of `serve --demo`: only in demo mode, once, with consents that hold and decide.
@Suite struct GateDemoDataSetTests {
    @Test func seedsOnceWithVerifiedConsentsThatReleaseFields() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        let now = Date()
        let withConsent = DemoDataSet.people.filter { !$0.clauses.isEmpty }
        #expect(try gate.seedDemoDataSet(now: now) == withConsent.count)
        // Every person is stored with the table's attributes.
        for person in DemoDataSet.people {
            let stored = try #require(try gate.subject(id: person.id), "\(person.id) stored")
            #expect(stored.municipality == person.municipality)
            #expect(stored.unaccompaniedMinor == person.unaccompaniedMinor)
            #expect(stored.birthDate.map { RFC3339Day.format($0) } == person.birthDate)
        }
        // Every consent verifies now, with exactly the clauses of the table (minors with a guardian).
        for person in withConsent {
            let birth = try gate.subject(id: person.id)?.birthDate
            let statuses = try gate.consents.list(subject: person.id, now: now, subjectBirthDate: birth)
            #expect(statuses.count == 1, "\(person.id)")
            #expect(statuses.first?.failures == [], "\(person.id): \(statuses.first?.failures ?? [])")
            #expect(Set(statuses.first?.consent?.content.clauses ?? []) == Set(person.clauses), "\(person.id)")
        }
        // A second seeding changes nothing.
        let size = try gate.auditLog.size()
        #expect(try gate.seedDemoDataSet(now: now) == 0)
        #expect(try gate.auditLog.size() == size)
        // The consent decides: the Jobcenter gets a Siegburg person's name on their consent, not without one.
        let check = { (subject: String) throws -> FieldDecision.Outcome? in
            try gate.check(CheckRequest(subject: subject, partner: "jobcenter", purpose: "job-placement", fields: ["name.family"]),
                           actor: Actor(id: "demo-test")).decision.fields.first?.outcome
        }
        #expect(try check("RSK-2022-000063") == .permit)
        #expect(try check("RSK-2022-000065") == .deny)
    }

    /// A real (non-demo) installation with its own encrypted keys: the demo data set is refused and nothing is stored.
    @Test func isRefusedOutsideDemoMode() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try Gate.open(try inst.realConfiguration())
        #expect(throws: GateError.demoDataOutsideDemoMode) { try gate.seedDemoDataSet() }
        #expect(try gate.subject(id: DemoDataSet.people[0].id) == nil)
        #expect(try gate.auditLog.size() == 1 + Int64(gate.trustStore.entries.count), "only the policy-loaded and key-event entries")
    }
}

/// `yyyy-mm-dd` of a UTC day, for comparing with the table.
private enum RFC3339Day {
    static func format(_ date: Date) -> String { UTCDay.format(UTCDay.day(of: date)) }
}
