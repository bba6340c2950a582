import AuditLog
import ConsentRecords
import Foundation
import PolicyEngine
import Testing
@testable import Gate

/// `Gate.recordReferralNotice`: the case manager records that a partner which received data on a withdrawn consent by
/// referral was told (GDPR Art. 19). The partner then reads as told in the withdrawal's list, and the person's Art. 15
/// report shows the notice as the case manager's. Refused, with nothing logged: a consent not withdrawn, a partner that got
/// nothing by referral under what was withdrawn, an unknown consent.
@Suite struct ReferralNoticeTests {
    /// A consent on the `jobcenter` and `sprachkurs` lines with a referral check to the Jobcenter and one to the language
    /// course provider (nothing withdrawn yet); its id.
    static func checkedByReferral(_ gate: Gate, subject id: String) throws -> String {
        let subject = Fixture.adult(id)
        let (consent, _) = try gate.grantConsent(Fixture.grant(subject, clauses: ["jobcenter", "sprachkurs"]), actor: Fixture.actor)
        _ = try gate.check(CheckRequest(subject: subject.id, partner: "jobcenter", purpose: "job-placement", fields: ["name.family"],
                                        at: Fixture.time("2026-02-01T10:00:00Z"), referral: "REF-J"), actor: Fixture.actor)
        _ = try gate.check(CheckRequest(subject: subject.id, partner: "sprachkurstraeger", purpose: "language-course", fields: ["name.family"],
                                        at: Fixture.time("2026-02-01T10:00:00Z"), referral: "REF-S"), actor: Fixture.actor)
        return consent.id
    }

    @Test func aRecordedNoticeMarksThePartnerAndShowsInTheReport() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        let subject = "RSK-2026-000811"
        let id = try Self.checkedByReferral(gate, subject: subject)
        // Not withdrawn yet: nothing to tell.
        #expect(throws: GateError.referralNoticeNotWithdrawn(consent: id)) {
            try gate.recordReferralNotice(consentID: id, partner: "sprachkurstraeger", actor: Fixture.actor)
        }
        _ = try gate.withdrawConsent(id: id, clauses: ["sprachkurs"], recordedBy: Fixture.caseManager, actor: Fixture.actor)
        let before = try gate.referralRecipients(ofWithdrawalOf: id, subject: subject, clauses: ["sprachkurs"])
        #expect(before.map(\.partner) == ["sprachkurstraeger"] && before[0].notified.isEmpty, "\(before)")
        // The Jobcenter got data under the line that still holds: not to be told.
        #expect(throws: GateError.notAReferralRecipient(consent: id, partner: "jobcenter", recipients: ["sprachkurstraeger"])) {
            try gate.recordReferralNotice(consentID: id, partner: "jobcenter", actor: Fixture.actor)
        }
        #expect(throws: ConsentError.unknownConsent(id: "00000000-0000-4000-8000-000000000000")) {
            try gate.recordReferralNotice(consentID: "00000000-0000-4000-8000-000000000000", partner: "jobcenter", actor: Fixture.actor)
        }
        // Said in plain German ("auf Grundlage des Widerrufenen von Einwilligung" before: a wording review).
        #expect(GateError.notAReferralRecipient(consent: id, partner: "jobcenter", recipients: ["sprachkurstraeger"]).message(in: .de)
                == "Partner \"jobcenter\" erhielt über Vermittlungen keine Daten auf Grundlage dessen, was von Einwilligung \(id) widerrufen wurde (zu benachrichtigen: sprachkurstraeger)")
        let entries = try gate.auditLog.entries(matching: AuditQuery(subject: subject, kinds: [.erasureNotice]))
        #expect(entries.isEmpty, "the refusals logged nothing")

        let index = try gate.recordReferralNotice(consentID: id, partner: "sprachkurstraeger", actor: Fixture.actor)
        let after = try gate.referralRecipients(ofWithdrawalOf: id, subject: subject, clauses: ["sprachkurs"])
        #expect(after.first?.notified == [index], "\(after)")
        let stored = try #require(try gate.auditLog.entries(matching: AuditQuery(subject: subject, kinds: [.erasureNotice])).first)
        #expect(stored.index == index)
        #expect(stored.entry.content == .erasureNotice(ErasureNoticeRecord(subject: subject, reason: "consent-withdrawn:\(id)",
                                                                            notify: ["sprachkurstraeger"], clauses: ["sprachkurs"], channel: "referral")))
        let report = try gate.subjectReport(subject, actor: "kreis-dsb", command: "audit report")
        let notice = try #require(report.erasureNotices.first)
        #expect(notice.channel == "referral" && notice.notify == ["sprachkurstraeger"] && notice.index == index)
        #expect(report.reasonText(of: notice, labels: ReportLabels(), language: .en).hasSuffix("(told by case management, of data passed on in referrals)"))
        #expect(report.json(labels: ReportLabels()).canonicalText.contains("\"channel\":\"referral\""))
        // The log still verifies (the entry is an ordinary signed entry), and no notice of the export is owed.
        #expect(try StoreChecks.problem(in: gate.database.writer) == nil)
    }

    /// After the whole consent is withdrawn the notice names no lines (it is about the whole consent).
    @Test func aNoticeOfAWholeWithdrawalNamesNoLines() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        let subject = "RSK-2026-000812"
        let id = try Self.checkedByReferral(gate, subject: subject)
        _ = try gate.withdrawConsent(id: id, recordedBy: Fixture.caseManager, actor: Fixture.actor)
        _ = try gate.recordReferralNotice(consentID: id, partner: "jobcenter", actor: Fixture.actor)
        let stored = try #require(try gate.auditLog.entries(matching: AuditQuery(subject: subject, kinds: [.erasureNotice])).first)
        guard case let .erasureNotice(n) = stored.entry.content else { Issue.record("not a notice"); return }
        #expect(n.clauses == nil && n.notify == ["jobcenter"] && n.channel == "referral")
        #expect(try gate.referralRecipients(onConsent: id, subject: subject).map { "\($0.partner) \($0.notified.count)" }
                == ["jobcenter 1", "sprachkurstraeger 0"])
    }

    /// Told of the lines withdrawn first, a partner is not told of lines withdrawn later: after the whole consent is
    /// withdrawn it reads as told of some, not all (and may be recorded again, about the whole consent); told of all, a
    /// second record is refused. A notice names only lines the partner received data under.
    @Test func aNoticeCoversTheLinesItNamesOnly() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        let subject = Fixture.adult("RSK-2026-000813")
        let (consent, _) = try gate.grantConsent(Fixture.grant(subject, clauses: ["jobcenter", "jobcenter-gesundheit", "sprachkurs"]), actor: Fixture.actor)
        let id = consent.id
        // One referral check to the Jobcenter releasing under both of its lines.
        _ = try gate.check(CheckRequest(subject: subject.id, partner: "jobcenter", purpose: "job-placement", fields: ["name.family", "health.notes"],
                                        at: Fixture.time("2026-02-01T10:00:00Z"), referral: "REF-J"), actor: Fixture.actor)
        let jobcenterLines = try #require(try gate.referralRecipients(onConsent: id, subject: subject.id).first).clauses
        #expect(jobcenterLines == ["jobcenter", "jobcenter-gesundheit"], "the check released under both lines")
        _ = try gate.withdrawConsent(id: id, clauses: ["jobcenter-gesundheit", "sprachkurs"], recordedBy: Fixture.caseManager, actor: Fixture.actor)
        let first = try gate.recordReferralNotice(consentID: id, partner: "jobcenter", actor: Fixture.actor)
        let firstNotice = try #require(try gate.auditLog.entries(matching: AuditQuery(subject: subject.id, kinds: [.erasureNotice])).last)
        guard case let .erasureNotice(n) = firstNotice.entry.content else { Issue.record("not a notice"); return }
        #expect(n.clauses == ["jobcenter-gesundheit"], "not sprachkurs: the Jobcenter got nothing under it")
        let lines = try #require(try gate.referralRecipients(onConsent: id, subject: subject.id, clauses: ["jobcenter-gesundheit", "sprachkurs"]).first)
        #expect(lines.told && lines.notified == [first] && lines.outstanding.isEmpty, "\(lines)")
        #expect(throws: GateError.referralNoticeAlreadyRecorded(consent: id, partner: "jobcenter", entries: [first])) {
            try gate.recordReferralNotice(consentID: id, partner: "jobcenter", actor: Fixture.actor)
        }

        _ = try gate.withdrawConsent(id: id, recordedBy: Fixture.caseManager, actor: Fixture.actor)
        let whole = try #require(try gate.referralRecipients(onConsent: id, subject: subject.id).first)
        #expect(!whole.told && whole.notified == [first] && whole.outstanding == ["jobcenter"], "\(whole)")
        let second = try gate.recordReferralNotice(consentID: id, partner: "jobcenter", actor: Fixture.actor)
        let after = try #require(try gate.referralRecipients(onConsent: id, subject: subject.id).first)
        #expect(after.told && after.notified == [first, second] && after.outstanding.isEmpty, "\(after)")
        // A municipality the county does not list is not written into the log.
        #expect(throws: GateError.self) {
            try gate.recordReferralNotice(consentID: id, partner: "jobcenter", actor: Actor(id: "cm.x", municipality: "Atlantis"))
        }
    }

    /// Told before it was recorded: `told-at` stands in the entry and is the time the report gives; a time in the future or
    /// before the withdrawal took effect is refused, nothing logged.
    @Test func theTimeThePartnerWasToldIsKept() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        let subject = "RSK-2026-000814"
        let id = try Self.checkedByReferral(gate, subject: subject)
        let now = Fixture.time("2026-03-10T12:00:00Z")
        _ = try gate.withdrawConsent(id: id, at: Fixture.time("2026-03-02T09:00:00Z"), recordedBy: Fixture.caseManager, actor: Fixture.actor,
                                     now: Fixture.time("2026-03-03T09:00:00Z"))
        #expect(throws: GateError.referralNoticeTime(toldAt: "2026-03-01T10:00:00Z", withdrawnAt: "2026-03-02T09:00:00Z", now: "2026-03-10T12:00:00Z")) {
            try gate.recordReferralNotice(consentID: id, partner: "jobcenter", told: .at(Fixture.time("2026-03-01T10:00:00Z")), actor: Fixture.actor, now: now)
        }
        #expect(throws: GateError.referralNoticeTime(toldAt: "2026-03-11T10:00:00Z", withdrawnAt: "2026-03-02T09:00:00Z", now: "2026-03-10T12:00:00Z")) {
            try gate.recordReferralNotice(consentID: id, partner: "jobcenter", told: .at(Fixture.time("2026-03-11T10:00:00Z")), actor: Fixture.actor, now: now)
        }
        #expect(try gate.auditLog.entries(matching: AuditQuery(subject: subject, kinds: [.erasureNotice])).isEmpty)
        _ = try gate.recordReferralNotice(consentID: id, partner: "jobcenter", told: .at(Fixture.time("2026-03-04T15:30:00.7Z")), actor: Fixture.actor, now: now)
        let stored = try #require(try gate.auditLog.entries(matching: AuditQuery(subject: subject, kinds: [.erasureNotice])).first)
        guard case let .erasureNotice(n) = stored.entry.content else { Issue.record("not a notice"); return }
        #expect(n.toldAt == "2026-03-04T15:30:00Z", "whole seconds")
        #expect(stored.entry.time == "2026-03-10T12:00:00Z")
        let report = try gate.subjectReport(subject, actor: "kreis-dsb", command: "audit report")
        #expect(report.erasureNotices.first?.toldTime == "2026-03-04T15:30:00Z")
        #expect(report.json(labels: ReportLabels()).canonicalText.contains("\"told-at\":\"2026-03-04T15:30:00Z\""))
    }

    /// The consent page gives a day (Berlin): today is the entry's own time; an earlier day its first moment at which
    /// the withdrawal had taken effect (the withdrawal's own time on its day, else the day's start, 23:00 or 22:00 UTC);
    /// a day in the future or before the withdrawal's is refused, nothing logged.
    @Test(arguments: [("2026-03-02", "2026-03-02T09:00:00Z"), ("2026-03-04", "2026-03-03T23:00:00Z"),
                      ("2026-03-30", "2026-03-29T22:00:00Z"), ("2026-04-02", nil),
                      ("2026-03-01", "refused: before"), ("2026-04-03", "refused: future")] as [(String, String?)])
    func aDayThePartnerWasToldIsKeptAsItsFirstMomentAfterTheWithdrawal(_ day: String, _ expected: String?) throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        let subject = "RSK-2026-000815"
        let id = try Self.checkedByReferral(gate, subject: subject)
        let now = Fixture.time("2026-04-02T12:00:00Z")
        _ = try gate.withdrawConsent(id: id, at: Fixture.time("2026-03-02T09:00:00Z"), recordedBy: Fixture.caseManager, actor: Fixture.actor,
                                     now: Fixture.time("2026-03-03T09:00:00Z"))
        let told = ReferralNoticeTime.on(day: try #require(UTCDay.parse(day)))
        switch expected {
        case "refused: before":
            #expect(throws: GateError.referralNoticeDay(day: day, withdrawnOn: "2026-03-02", today: "2026-04-02")) {
                try gate.recordReferralNotice(consentID: id, partner: "jobcenter", told: told, actor: Fixture.actor, now: now)
            }
            #expect(GateError.referralNoticeDay(day: day, withdrawnOn: "2026-03-02", today: "2026-04-02").message(in: .de)
                    == "Benachrichtigt am 01.03.2026: der Tag liegt vor dem Widerruf (02.03.2026), über den benachrichtigt wurde")
        case "refused: future":
            #expect(throws: GateError.referralNoticeDay(day: day, withdrawnOn: nil, today: "2026-04-02")) {
                try gate.recordReferralNotice(consentID: id, partner: "jobcenter", told: told, actor: Fixture.actor, now: now)
            }
            #expect(GateError.referralNoticeDay(day: day, withdrawnOn: nil, today: "2026-04-02").message(in: .en)
                    == "told on 3 Apr 2026: the day is in the future (today: 2 Apr 2026)")
        default:
            _ = try gate.recordReferralNotice(consentID: id, partner: "jobcenter", told: told, actor: Fixture.actor, now: now)
            let stored = try #require(try gate.auditLog.entries(matching: AuditQuery(subject: subject, kinds: [.erasureNotice])).first)
            guard case let .erasureNotice(n) = stored.entry.content else { Issue.record("not a notice"); return }
            #expect(n.toldAt == expected)
            #expect(stored.entry.time == "2026-04-02T12:00:00Z")
            return
        }
        #expect(try gate.auditLog.entries(matching: AuditQuery(subject: subject, kinds: [.erasureNotice])).isEmpty)
    }
}
