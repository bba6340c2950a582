import AuditLog
import Foundation
import Testing
@testable import Gate

/// `Gate.referralRecipients`: the partners that received data on a consent outside the export job, whom the case
/// manager tells of a withdrawal (GDPR Art. 19). Export disclosures are left out (the next export run tells those
/// recipients itself); a check's released fields and a referral's disclosure count, grouped by partner; with lines,
/// only releases under those lines.
@Suite struct ReferralRecipientsTests {
    @Test func referralsCountExportsDoNotAndLinesNarrowIt() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        let subject = Fixture.adult("RSK-2026-000805")
        let (consent, _) = try gate.grantConsent(Fixture.grant(subject, clauses: ["jobcenter", "sprachkurs"]), actor: Fixture.actor)
        let id = consent.id
        // A referral check to the Jobcenter (released on the jobcenter line).
        _ = try gate.check(CheckRequest(subject: subject.id, partner: "jobcenter", purpose: "job-placement", fields: ["name.family"],
                                        at: Fixture.time("2026-02-01T10:00:00Z"), referral: "REF-J"), actor: Fixture.actor)
        // A referral's disclosure to the language course provider and an export's to the Jobcenter, both on the consent.
        func disclosure(_ partner: String, _ clause: String, field: String, referral: String?, exportRun: String?) -> AuditEntry {
            AuditEntry(time: Fixture.time("2026-02-02T10:00:00Z"), actor: "cm.troisdorf.1", municipality: "Troisdorf", policyDigest: gate.policy.digest,
                       content: .disclosure(DisclosureRecord(partner: partner, purpose: partner == "jobcenter" ? "job-placement" : "language-course",
                                                             subject: subject.id,
                                                             fields: [DisclosedField(field: field, basis: .consent, rule: nil, citation: nil,
                                                                                     consent: ConsentReference(id: id, clause: clause))],
                                                             exportRun: exportRun, referral: referral)))
        }
        _ = try gate.record([disclosure("sprachkurstraeger", "sprachkurs", field: "contact.phone", referral: "REF-S", exportRun: nil),
                             disclosure("jobcenter", "jobcenter", field: "address.street", referral: nil, exportRun: "20260202T100000Z-test")])

        let all = try gate.referralRecipients(onConsent: id, subject: subject.id)
        #expect(all.map(\.partner) == ["jobcenter", "sprachkurstraeger"], "\(all)")
        #expect(all.first?.fields == ["name.family"], "the export's address.street is not the case manager's to tell: \(all)")
        #expect(all.first?.referrals == ["REF-J"] && all.last?.referrals == ["REF-S"] && all.last?.fields == ["contact.phone"])
        #expect(try gate.referralRecipients(onConsent: id, subject: subject.id, clauses: ["sprachkurs"]).map(\.partner) == ["sprachkurstraeger"])
        #expect(try gate.referralRecipients(onConsent: "00000000-0000-4000-8000-000000000000", subject: subject.id).isEmpty)
    }
}
