import Foundation
import Testing
@testable import PolicyEngine

/// A line (clause) of a consent withdrawn on its own (GDPR Art. 7(3)): from its time on it releases nothing, before it
/// everything as then (a replay of an older decision); the other lines hold; the words say which line and when.
@Suite struct ClauseWithdrawalEvaluationTests {
    static let adult = SubjectAttributes(birthDate: Fixture.d("1990-01-01"))

    /// Consent `c1` granting `basic` and `health-explicit`, with `basic` withdrawn singly at 2026-03-01T00:00:00Z.
    static func consent() -> ConsentFact {
        var f = Fixture.consent("c1", clauses: ["basic", "health-explicit"])
        f.setWithdrawals([WithdrawalFact(at: Fixture.t("2026-03-01T00:00:00Z"), clauses: ["basic"])])
        return f
    }

    func decide(at time: String, consents: [ConsentFact] = [consent()]) throws -> (Decision, CompiledPolicy) {
        let policy = try Fixture.small()
        return (policy.decide(DecisionRequest(subject: "S-1", attributes: Self.adult, partner: "agency", purpose: "help",
                                              fields: ["name.family", "health.notes"], at: Fixture.t(time)), consents: consents), policy)
    }

    @Test("the withdrawn line releases up to its time, nothing from it on; the other line holds throughout", arguments: [
        ("2026-02-28T23:59:59Z", true),
        ("2026-03-01T00:00:00Z", false),
        ("2026-06-01T00:00:00Z", false),
    ])
    func withdrawnLine(at time: String, before: Bool) throws {
        let (d, policy) = try decide(at: time)
        let name = try #require(d.fields.first { $0.field == "name.family" })
        let health = try #require(d.fields.first { $0.field == "health.notes" })
        #expect(health.outcome == .permit && health.consent == ConsentReference(id: "c1", clause: "health-explicit"))
        if before {
            #expect(name.outcome == .permit && name.consent == ConsentReference(id: "c1", clause: "basic"))
        } else {
            #expect(name.outcome == .deny && name.reason == .consentRevoked)
            #expect(name.consent == ConsentReference(id: "c1", clause: "basic"))
            let words = try #require(policy.denialWords(for: name, consents: [Self.consent()]))
            #expect(words.de == "die Zeile basic der Einwilligung wurde am 2026-03-01T00:00:00Z widerrufen; die übrigen Zeilen gelten weiter")
            #expect(words.en == "the line basic of the consent was withdrawn on 2026-03-01T00:00:00Z; the other lines still hold")
            #expect(policy.denialWords(for: name) == DenialReason.consentRevoked.words, "without the consents, as before")
        }
    }

    @Test("withdrawing the last granted line withdraws the consent as a whole, from that line's time")
    func lastLine() throws {
        var f = Fixture.consent("c1", clauses: ["basic", "health-explicit"])
        f.setWithdrawals([WithdrawalFact(at: Fixture.t("2026-03-01T00:00:00Z"), clauses: ["basic"]),
                          WithdrawalFact(at: Fixture.t("2026-04-01T00:00:00Z"), clauses: ["health-explicit"])])
        #expect(f.withdrawnAt == Fixture.t("2026-04-01T00:00:00Z"))
        let (d, policy) = try decide(at: "2026-05-01T00:00:00Z", consents: [f])
        #expect(d.released.isEmpty)
        let name = try #require(d.fields.first { $0.field == "name.family" })
        #expect(policy.denialWords(for: name, consents: [f])?.en.contains("the line basic") == true, "its own time, the earlier")
        // A whole withdrawal earlier than the last line's: the consent ends then.
        f.setWithdrawals([WithdrawalFact(at: Fixture.t("2026-03-01T00:00:00Z"), clauses: ["basic"]),
                          WithdrawalFact(at: Fixture.t("2026-02-01T00:00:00Z"))])
        #expect(f.withdrawnAt == Fixture.t("2026-02-01T00:00:00Z") && f.withdrawalTime(ofClause: "basic") == Fixture.t("2026-02-01T00:00:00Z"))
        let whole = try #require(try decide(at: "2026-02-15T00:00:00Z", consents: [f]).0.fields.first { $0.field == "name.family" })
        #expect(policy.denialWords(for: whole, consents: [f])?.de == "Einwilligung am 2026-02-01T00:00:00Z widerrufen")
    }

    /// A consent `c1` granting `clauses`, with `withdrawals` (time, clauses; nil: the whole consent).
    static func consent(_ clauses: [String], _ withdrawals: [(String, [String]?)]) -> ConsentFact {
        var f = Fixture.consent("c1", clauses: clauses)
        f.setWithdrawals(withdrawals.map { WithdrawalFact(at: Fixture.t($0.0), clauses: $0.1) })
        return f
    }

    /// "The other lines still hold" only while some do: not once the whole consent went (by its own withdrawal or with
    /// its last line), and a withdrawn explicit line behind a forbid it would lift is named with its time (found in a
    /// review of the pages: both said "die übrigen Zeilen gelten weiter", the explicit one named no withdrawal).
    @Test("the words say whether other lines still hold, and name a withdrawn explicit line", arguments: [
        // The line alone: the other holds.
        (["basic", "health-explicit"], [("2026-03-01T00:00:00Z", ["basic"] as [String]?)], "name.family",
         "die Zeile basic der Einwilligung wurde am 2026-03-01T00:00:00Z widerrufen; die übrigen Zeilen gelten weiter",
         "the line basic of the consent was withdrawn on 2026-03-01T00:00:00Z; the other lines still hold"),
        // The line, then the whole consent.
        (["basic", "health-explicit"], [("2026-03-01T00:00:00Z", ["basic"]), ("2026-04-01T00:00:00Z", nil)], "name.family",
         "die Zeile basic der Einwilligung wurde am 2026-03-01T00:00:00Z widerrufen, die ganze Einwilligung am 2026-04-01T00:00:00Z",
         "the line basic of the consent was withdrawn on 2026-03-01T00:00:00Z, the whole consent on 2026-04-01T00:00:00Z"),
        // The only line.
        (["basic"], [("2026-03-01T00:00:00Z", ["basic"])], "name.family",
         "die Zeile basic der Einwilligung wurde am 2026-03-01T00:00:00Z widerrufen; damit gilt keine Zeile mehr, die Einwilligung ist ganz widerrufen",
         "the line basic of the consent was withdrawn on 2026-03-01T00:00:00Z; with it no line holds any more, the whole consent is withdrawn"),
        // Both lines one after the other: the first names the time the last went.
        (["basic", "health-explicit"], [("2026-03-01T00:00:00Z", ["basic"]), ("2026-04-01T00:00:00Z", ["health-explicit"])], "name.family",
         "die Zeile basic der Einwilligung wurde am 2026-03-01T00:00:00Z widerrufen, die ganze Einwilligung am 2026-04-01T00:00:00Z",
         "the line basic of the consent was withdrawn on 2026-03-01T00:00:00Z, the whole consent on 2026-04-01T00:00:00Z"),
        // The explicit line alone, behind the forbid it would lift.
        (["basic", "health-explicit"], [("2026-03-01T00:00:00Z", ["health-explicit"])], "health.notes",
         "gesperrt, außer mit ausdrücklicher Einwilligung; die Zeile health-explicit der Einwilligung wurde am 2026-03-01T00:00:00Z widerrufen; die übrigen Zeilen gelten weiter",
         "blocked unless an explicit consent is given; the line health-explicit of the consent was withdrawn on 2026-03-01T00:00:00Z; the other lines still hold"),
        // The explicit line as the last one.
        (["basic", "health-explicit"], [("2026-03-01T00:00:00Z", ["basic"]), ("2026-04-01T00:00:00Z", ["health-explicit"])], "health.notes",
         "gesperrt, außer mit ausdrücklicher Einwilligung; die Zeile health-explicit der Einwilligung wurde am 2026-04-01T00:00:00Z widerrufen; damit gilt keine Zeile mehr, die Einwilligung ist ganz widerrufen",
         "blocked unless an explicit consent is given; the line health-explicit of the consent was withdrawn on 2026-04-01T00:00:00Z; with it no line holds any more, the whole consent is withdrawn"),
        // The whole consent, explicit line and all.
        (["basic", "health-explicit"], [("2026-03-01T00:00:00Z", nil)], "health.notes",
         "gesperrt, außer mit ausdrücklicher Einwilligung; Einwilligung am 2026-03-01T00:00:00Z widerrufen",
         "blocked unless an explicit consent is given; consent withdrawn on 2026-03-01T00:00:00Z"),
    ] as [([String], [(String, [String]?)], String, String, String)])
    func otherLinesOnlyWhileTheyHold(clauses: [String], withdrawals: [(String, [String]?)], field: String, de: String, en: String) throws {
        let f = Self.consent(clauses, withdrawals)
        let (d, policy) = try decide(at: "2026-06-01T00:00:00Z", consents: [f])
        let decided = try #require(d.fields.first { $0.field == field })
        #expect(decided.outcome == .deny && decided.consent?.id == "c1")
        let words = try #require(policy.denialWords(for: decided, consents: [f]))
        #expect(words.de == de)
        #expect(words.en == en)
    }

    @Test("a withdrawn line the fact does not grant changes nothing")
    func lineNotGranted() {
        var f = Fixture.consent("c1", clauses: ["basic"])
        f.setWithdrawals([WithdrawalFact(at: Fixture.t("2026-03-01T00:00:00Z"), clauses: ["religion-plain"])])
        #expect(f.clauseWithdrawals.isEmpty && f.withdrawnAt == nil)
    }

    /// Two withdrawals naming the same line (not what this installation stores, but what a store may hold): the earlier
    /// counts, in either order, so nothing withdrawn comes back for the time between them (found by mutation testing,
    /// session 35: taking the later passed every test).
    @Test("of two withdrawals of one line, the earlier counts", arguments: [false, true])
    func theEarlierOfTwoWithdrawalsOfALineCounts(reversed: Bool) {
        var f = Fixture.consent("c1", clauses: ["basic", "health-plain"])
        var withdrawals = [WithdrawalFact(at: Fixture.t("2026-03-01T00:00:00Z"), clauses: ["basic"]),
                           WithdrawalFact(at: Fixture.t("2026-05-01T00:00:00Z"), clauses: ["basic"])]
        if reversed { withdrawals.reverse() }
        f.setWithdrawals(withdrawals)
        #expect(f.clauseWithdrawals == ["basic": Fixture.t("2026-03-01T00:00:00Z")])
        #expect(f.withdrawnAt == nil, "the other line still holds")
    }
}
