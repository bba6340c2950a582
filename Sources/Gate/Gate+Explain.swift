import AuditLog
import ConsentRecords
import Diagnostics
import Foundation
import PolicyEngine
import Signing

/// A logged decision evaluated again: with the bundle archived under its digest (does the record
/// reproduce?) and with the policy in force today (would the answer still be the same?).
public struct DecisionReplay: Sendable {
    /// The audit index of the decision.
    public var index: Int64
    /// The decision as logged.
    public var logged: DecisionRecord
    /// The policy digest the entry names.
    public var loggedPolicyDigest: String?
    /// Re-evaluated with the archived bundle and the consents as recorded at the entry's time; nil when the
    /// archive lacks that bundle.
    public var withArchivedPolicy: Decision?
    /// Re-evaluated with today's policy and the same consent state.
    public var withCurrentPolicy: Decision
    /// Fields whose outcome, reason, rule or consent differ from the log, per evaluation (field ids, in the logged
    /// order). With the archived bundle: every requested field when the archive lacks the bundle.
    public var differencesArchived: [String]
    /// The same with today's policy: the fields it would now decide differently.
    public var differencesCurrent: [String]
    /// The person's age on the decision day as the birth date recorded *now* gives it, when that differs from the age
    /// the decision logged (the record was corrected since, e.g. by a later grant or registration list); nil otherwise.
    /// The replay uses the logged age, for the rules and for the consents' guardian check alike, so such a correction
    /// is no difference in the log; this says it happened (found in a domain review: a corrected birth date made
    /// `audit explain` report "DIFFERS", exit 4, which the DPO guide treats as a failed verify).
    public var ageNowRecorded: Int?
    /// The consents as the replay saw them (withdrawals logged before the entry only): what names a withdrawn line and
    /// its time in the reasons (`CompiledPolicy.denialWords(for:consents:time:)`).
    public var consents: [ConsentFact] = []
    /// The archived policy `withArchivedPolicy` was evaluated with (nil when the archive lacks it): what its rules'
    /// citations read in English, where that policy gives an English text.
    public var archivedPolicy: CompiledPolicy? = nil
    /// Withdrawals recorded after the decision that count from the time it was logged or before (a letter entered late,
    /// `consent withdraw --at`; `SubjectReport.counts`), on consents or lines its permitted fields went on: those fields
    /// went out without a legal basis.
    /// The replay itself keeps the consent state the decision saw (it is what the decision can be checked against), so
    /// without this "the same today" hid such a withdrawal (DPO review, session 35).
    public var withdrawnSince: [SubjectReport.WithdrawalInEffect] = []
    /// Fields a check for an earlier moment released on a consent (or line) already withdrawn when the check was made,
    /// as releases before 2026-12-07 did (`DecisionRequest.madeAt`): they went out without a legal basis. The archived
    /// replay then follows the rule of that release, so the entry reproduces.
    public var releasedOnWithdrawnConsent: [String] = []

    /// What `releasedOnWithdrawnConsent` means, in words (empty when it is empty).
    public func releasedOnWithdrawnWords(_ language: Language) -> String {
        guard !releasedOnWithdrawnConsent.isEmpty else { return "" }
        let list = releasedOnWithdrawnConsent.joined(separator: ", "), one = releasedOnWithdrawnConsent.count == 1
        return language == .de
            ? "Achtung: Diese Prüfung für einen früheren Zeitpunkt wurde gemacht, als die Einwilligung schon widerrufen war; \(one ? "das Feld" : "die Felder") \(list) \(one ? "wurde" : "wurden") dennoch freigegeben (so zählten Prüfungen vor dem 07.12.2026 Widerrufe nur bis zu dem geprüften Zeitpunkt) und \(one ? "ging" : "gingen") damit ohne Rechtsgrundlage hinaus. Erneut erklärt wird nach der Regel von damals."
            : "Attention: this check for an earlier moment was made when the consent had already been withdrawn; \(one ? "the field" : "the fields") \(list) \(one ? "was" : "were") released all the same (checks before 7 Dec 2026 counted withdrawals only up to the moment checked) and so went out without a legal basis. It is explained again by the rule of the time."
    }

    /// Whether the archived evaluation reproduces the log exactly.
    public var reproduces: Bool { withArchivedPolicy != nil && differencesArchived.isEmpty }
    /// Whether today's evaluator gives the same answer.
    public var sameToday: Bool { differencesCurrent.isEmpty }
}

extension Gate {
    /// Re-evaluates the `decision` entry at `index` (see `DecisionReplay`). Consents and withdrawals whose
    /// audit entries come after the decision's are left out, so the consent state is the one the decision
    /// saw (the log's order is exact where whole-second times are not). With the archived bundle the consents are read
    /// against its templates (a version it held and today's bundle dropped still counts there).
    public func explainDecision(index: Int64) throws -> DecisionReplay {
        let entry = try AuditEntry(bytes: auditLog.entryBytes(index: index), context: "entry \(index)")
        guard case let .decision(record) = entry.content else {
            throw GateError.notADecision(index: index, kind: entry.kind.rawValue)
        }
        guard let at = RFC3339.parse(record.at) else {
            throw GateError.notADecision(index: index, kind: "decision with unreadable times")
        }
        let archived = try entry.policyDigest.flatMap { try archivedPolicy(digest: $0) }
        var attributes = SubjectAttributes()
        // Entries from before 2026-12 logged the birth date itself; later ones only the age on the decision day.
        let loggedBirthDate = record.attributes["birth-date"]?.stringValue.flatMap(UTCDay.parse)
            .map { Date(timeIntervalSince1970: Double($0) * 86_400) }
        // The evaluator reads the birth date twice: for the age on the decision day (the rules' conditions) and for the
        // age on the day a consent was signed (its template's minimum age: below it a guardian must be recorded). The
        // log keeps only the first. The recorded birth date gives both when it still gives the logged age; a date made
        // up from the age alone (the latest that gives it) could make a person who signed at 16 on their own 15 then,
        // and their valid consent invalid in the replay.
        let recordedBirthDate = try subject(id: record.subject)?.birthDate
        attributes.birthDate = loggedBirthDate ?? record.attributes[DecisionRecord.ageAttribute]?.intValue.map { age in
            if let recordedBirthDate,
               UTCDay.age(birthDay: UTCDay.day(of: recordedBirthDate), on: BerlinDay.day(of: at)) == Int(age) {
                return recordedBirthDate
            }
            return Self.birthDate(age: Int(age), on: at)
        }
        // Decisions before 2026-12-06 counted an age before the birth (logged negative: −4 for `check --birth-date 2030-…`),
        // which the evaluator no longer does (no age: fail closed). The replay takes such a logged age as it was decided.
        if let age = record.attributes[DecisionRecord.ageAttribute]?.intValue, age < 0 {
            attributes.values[DecisionRecord.ageAttribute] = .int(Int(age))
        }
        attributes.municipality = record.attributes["municipality"]?.stringValue
        attributes.unaccompaniedMinor = record.attributes["unaccompanied-minor"]?.boolValue
        attributes.guardianCount = record.attributes["guardians"]?.intValue.map(Int.init)
        // Consents of minors are checked against the birth date the decision used: the logged one, else one that gives the
        // logged age (the recorded one while it still does); with neither logged, the decision knew no birth date. A
        // recorded birth date corrected since the decision would check them differently from how the decision did.
        let consentBirthDate = loggedBirthDate ?? attributes.birthDate
        let loggedAge = record.attributes[DecisionRecord.ageAttribute]?.intValue.map(Int.init)
        let ageNowRecorded = recordedBirthDate.map { UTCDay.age(birthDay: UTCDay.day(of: $0), on: BerlinDay.day(of: at)) }
        let changedAge = loggedBirthDate == nil && ageNowRecorded != nil && ageNowRecorded != loggedAge ? ageNowRecorded : nil

        // The withdrawals logged before the entry, by consent, time and the lines they name (nil: the whole consent):
        // a withdrawal of some lines logged later does not count for an earlier decision, whatever its `withdrawn-at`.
        // Those logged after it that count from the time it was logged or before are said beside the replay (`withdrawnSince`).
        var granted = Set<String>(), withdrawn = Set<LoggedWithdrawal>()
        var withdrawnSince: [SubjectReport.WithdrawalInEffect] = []
        var named = Set<String>()   // fields already named under a withdrawal logged earlier (a line, then the whole consent)
        for e in try auditLog.entries(matching: AuditQuery(subject: record.subject, kinds: [.consentGranted, .consentWithdrawn])) {
            switch e.entry.content {
            case let .consentGranted(g) where e.index < index: granted.insert(g.consentID)
            case let .consentWithdrawn(w) where e.index < index:
                withdrawn.insert(LoggedWithdrawal(consentID: w.consentID, at: w.withdrawnAt, clauses: w.clauses))
            case let .consentWithdrawn(w) where e.index > index:
                // Counted against the time the decision was logged (when its data could go out), as the Art. 15 report and
                // `consent withdraw` count, not the moment it was made for.
                guard let from = RFC3339.parse(w.withdrawnAt), let logged = RFC3339.parse(entry.time),
                      SubjectReport.counts(from, recordedAt: e.entry.time, recordedIndex: e.index, against: logged, index: index) else { continue }
                let fields = record.fields.filter { f in
                    guard f.outcome == .permit, let c = f.consent, c.id == w.consentID, !named.contains(f.field) else { return false }
                    return w.clauses.map { $0.contains(c.clause) } ?? true
                }.map(\.field)
                guard !fields.isEmpty else { continue }
                named.formUnion(fields)
                withdrawnSince.append(SubjectReport.WithdrawalInEffect(entry: e.index, consent: w.consentID, clauses: w.clauses ?? [],
                                                                       withdrawnAt: w.withdrawnAt, recordedAt: e.entry.time, fields: fields))
            default: break
            }
        }
        /// The consents as the decision saw them, each verified against the templates of `policy` (a consent is valid
        /// only while its template version exists: under the archived bundle the versions it held count, today those
        /// of the bundle in force).
        func facts(in store: ConsentStore) throws -> [ConsentFact] {
            try store.list(subject: record.subject, now: Date(), subjectBirthDate: consentBirthDate).compactMap { s in
                guard granted.contains(s.fact.id) else { return nil }
                var f = s.fact
                guard case .verified = f.verification else { return f }
                f.setWithdrawals(s.withdrawals.map(\.content).filter {
                    withdrawn.contains(LoggedWithdrawal(consentID: $0.consentIDText, at: RFC3339.format($0.withdrawnAt), clauses: $0.clauses))
                }.map { WithdrawalFact(at: $0.withdrawnAt, clauses: $0.clauses) })
                return f
            }
        }
        let currentFacts = try facts(in: consents)
        let archivedFacts = try archived.map { old in
            old.digest == policy.digest ? currentFacts : try facts(in: ConsentStore(
                database: consents.database,
                verifier: ConsentVerifier(trustStore: keyRing.trustStore, templates: old.bundle.templateVersions,
                                          keyInFile: { [trustStoreWatch] in trustStoreWatch.keyInFile(kid: $0) })))
        }
        // The values the request stated for stateable attributes (`child-endangerment`), read with each policy's types
        // (a date is logged as text); entries without them (all before 2026-12-06) replay as before.
        let stated = record.attributes[DecisionRecord.statedAttributesKey]?.objectValue ?? [:]
        func request(under p: CompiledPolicy, withdrawalsUntilMade: Bool = true) -> DecisionRequest {
            var a = attributes
            a.values.merge(StatedAttributeJSON.values(stated, policy: p)) { _, stated in stated }
            return DecisionRequest(subject: record.subject, attributes: a, partner: record.partner,
                                   purpose: record.purpose, fields: record.requested, at: at,
                                   madeAt: withdrawalsUntilMade ? RFC3339.parse(entry.time) : nil)
        }
        var archivedDecision = archived.map { $0.decide(request(under: $0), consents: archivedFacts ?? currentFacts) }
        // A check for an earlier moment logged by a release before 2026-12-07 counted withdrawals only up to that moment,
        // and so released on a consent already withdrawn when it was made. Replayed as it was made, it reproduces; the
        // fields it released so are named (they went out without a legal basis), rather than "DIFFERS", which reads as a
        // changed log (a review of this change).
        var releasedOnWithdrawn: [String] = []
        if let archived, let decided = archivedDecision, !Self.differences(record, decided).isEmpty {
            let asMadeThen = archived.decide(request(under: archived, withdrawalsUntilMade: false), consents: archivedFacts ?? currentFacts)
            if Self.differences(record, asMadeThen).isEmpty {
                let now = Dictionary(decided.fields.map { ($0.field, $0) }, uniquingKeysWith: { a, _ in a })
                releasedOnWithdrawn = record.fields.filter { $0.outcome == .permit && now[$0.field]?.outcome == .deny }.map(\.field)
                archivedDecision = asMadeThen
            }
        }
        let current = policy.decide(request(under: policy), consents: currentFacts)
        return DecisionReplay(index: index, logged: record, loggedPolicyDigest: entry.policyDigest,
                              withArchivedPolicy: archivedDecision, withCurrentPolicy: current,
                              differencesArchived: archivedDecision.map { Self.differences(record, $0) } ?? record.requested,
                              differencesCurrent: Self.differences(record, current), ageNowRecorded: changedAge,
                              consents: currentFacts, archivedPolicy: archived, withdrawnSince: withdrawnSince,
                              releasedOnWithdrawnConsent: releasedOnWithdrawn)
    }

    /// A birth date with which the person is exactly `age` whole years old on the (Berlin) day of `time`: the latest
    /// such day, i.e. the birthday falls on that very day (28 February for a 29 February without a leap
    /// year). The log keeps the age, not the birth date (CONTRACTS §6), and every age the rules derive on the
    /// decision day comes out the same from it.
    static func birthDate(age: Int, on time: Date) -> Date {
        let c = UTCDay.civil(BerlinDay.day(of: time))   // the decision day as the evaluator counts it
        var day = UTCDay.days(year: c.year - age, month: c.month, day: c.day)
        if UTCDay.civil(day).month != c.month { day = UTCDay.days(year: c.year - age, month: c.month, day: c.day - 1) }
        return Date(timeIntervalSince1970: Double(day) * 86_400)
    }

    static func differences(_ logged: DecisionRecord, _ d: Decision) -> [String] {
        let now = Dictionary(d.fields.map { ($0.field, $0) }, uniquingKeysWith: { a, _ in a })
        return logged.fields.compactMap { f in
            guard let n = now[f.field] else { return f.field }
            let same = (n.outcome == .permit) == (f.outcome == .permit) && n.reason?.rawValue == f.reason
                && n.rule == f.rule && n.consent?.id == f.consent?.id && n.consent?.clause == f.consent?.clause
            return same ? nil : f.field
        }
    }
}

/// A withdrawal as the audit log records it (`consent-withdrawn`): which consent, from when, which lines (nil: all).
private struct LoggedWithdrawal: Hashable {
    var consentID: String
    var at: String
    var clauses: [String]?
}
