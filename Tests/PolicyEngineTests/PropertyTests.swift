import Diagnostics
import Foundation
import PropertyBased
import Testing
@testable import PolicyEngine

/// Invariants of the evaluator on random policies, consents, subjects and times.
@Suite struct PropertyTests {
    /// A small deterministic generator (SplitMix64) so one seed from PropertyBased fixes one random policy.
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func int(_ n: Int) -> Int { Int(next() % UInt64(n)) }
        mutating func bool() -> Bool { int(2) == 0 }
        mutating func subset(_ all: [String]) -> [String] { all.filter { _ in bool() } }
        mutating func maybeSubset(_ all: [String]) -> [String]? { int(3) == 0 ? nil : subset(all) }
    }

    static let partners = ["p0", "p1"], purposes = ["u0", "u1"], categories = ["c0", "c1", "c2"]
    static let fields = (0..<8).map { "f\($0)" }

    static func rule(_ r: inout Random, id: String, effect: Rule.Effect) -> Rule {
        let when: Condition = switch r.int(4) {
        case 0: .test(attribute: "age", op: .lt, values: [.int(r.int(40))])
        case 1: .test(attribute: "age", op: .ge, values: [.int(r.int(40))])
        default: .always
        }
        return Rule(id: id, effect: effect, partners: r.maybeSubset(partners), purposes: r.maybeSubset(purposes),
                    fields: r.subset(fields), categories: r.int(3) == 0 ? r.subset(categories) : [], when: when,
                    basis: r.bool() ? .statute : .consent, citation: "§ \(id)", unlessExplicitConsent: effect == .forbid && r.bool())
    }

    static func bundle(_ r: inout Random, rules: [Rule]) -> PolicyBundle {
        let cats = categories.enumerated().map { DataCategory(id: $1, label: LocalizedText(de: $1, en: $1), special: $0 == 2) }
        let fs = fields.enumerated().map { FieldDefinition(id: $1, category: categories[$0 % 3], type: .string, label: LocalizedText(de: $1, en: $1)) }
        let clauses = (0..<4).map { i in
            ConsentTemplate.Clause(id: "k\(i)", partners: r.subset(partners), purposes: r.subset(purposes), categories: r.subset(categories), explicit: r.bool())
        }
        return PolicyBundle(id: "random", version: "1", title: LocalizedText(de: "r", en: "r"), categories: cats, fields: fs,
                            attributes: [SubjectAttributeDefinition(id: "age", type: .int, subject: .birthDate)],
                            partners: partners.map { Partner(id: $0, name: LocalizedText(de: $0, en: $0), folder: $0) },
                            purposes: purposes.map { Purpose(id: $0, label: LocalizedText(de: $0, en: $0)) }, rules: rules,
                            templates: [ConsentTemplate(id: "t", version: 1, texts: ["de": "x"], minimumAge: 16, maxValidity: ISODuration(years: 2), clauses: clauses)])
    }

    static let at = Date(timeIntervalSince1970: 1_780_000_000)

    static func consents(_ r: inout Random) -> [ConsentFact] {
        (0..<r.int(3)).map { i in
            let granted = at.addingTimeInterval(Double(r.int(400) - 300) * 86_400)
            return ConsentFact(id: "c\(i)", templateID: "t", templateVersion: r.int(5) == 0 ? 9 : 1, clauses: ["k0", "k1", "k2", "k3"].filter { _ in r.bool() },
                               grantedAt: granted, expiresAt: granted.addingTimeInterval(Double(r.int(700)) * 86_400),
                               withdrawnAt: r.int(4) == 0 ? granted.addingTimeInterval(Double(r.int(300)) * 86_400) : nil,
                               guardianPresent: r.bool(), verification: r.int(6) == 0 ? .invalid(reason: "x") : .verified)
        }
    }

    static func subject(_ r: inout Random) -> SubjectAttributes {
        r.int(5) == 0 ? SubjectAttributes() : SubjectAttributes(birthDate: at.addingTimeInterval(-Double(r.int(40 * 365)) * 86_400))
    }

    /// Every permitted (partner, purpose, field) for the subject and consents.
    static func permits(_ b: PolicyBundle, _ s: SubjectAttributes, _ c: [ConsentFact]) -> Set<String> {
        let policy = CompiledPolicy(b)
        var out = Set<String>()
        for p in partners {
            for u in purposes {
                let d = policy.decide(DecisionRequest(subject: "s", attributes: s, partner: p, purpose: u, fields: fields + ["unknown"], at: at), consents: c)
                for f in d.fields where f.outcome == .permit { out.insert("\(p)/\(u)/\(f.field)") }
            }
        }
        return out
    }

    static func randomRules(_ r: inout Random) -> [Rule] {
        (0..<(1 + r.int(8))).map { i in rule(&r, id: "r\(i)", effect: r.int(3) == 0 ? .forbid : .permit) }
    }

    @Test func defaultDenyWithoutPermitRules() async {
        await propertyCheck(count: 200, input: Gen.int(in: 0...Int.max)) { seed in
            var r = Random(state: UInt64(seed))
            let rules = Self.randomRules(&r).filter { $0.effect == .forbid }
            let b = Self.bundle(&r, rules: rules)
            #expect(Self.permits(b, Self.subject(&r), Self.consents(&r)).isEmpty)
        }
    }

    @Test func everyPermitNamesAPermitRuleAndEveryDenyAReason() async {
        await propertyCheck(count: 200, input: Gen.int(in: 0...Int.max)) { seed in
            var r = Random(state: UInt64(seed))
            let b = Self.bundle(&r, rules: Self.randomRules(&r))
            let policy = CompiledPolicy(b)
            let d = policy.decide(DecisionRequest(subject: "s", attributes: Self.subject(&r), partner: "p0", purpose: "u1", fields: Self.fields, at: Self.at), consents: Self.consents(&r))
            for f in d.fields {
                if f.outcome == .permit {
                    #expect(f.reason == nil && b.rules.first { $0.id == f.rule }?.effect == .permit)
                    if f.basis == .consent { #expect(f.consent != nil) }
                } else { #expect(f.reason != nil) }
            }
        }
    }

    @Test func addingAForbidNeverAddsAPermit() async {
        await propertyCheck(count: 200, input: Gen.int(in: 0...Int.max)) { seed in
            var r = Random(state: UInt64(seed))
            let rules = Self.randomRules(&r)
            let extra = Self.rule(&r, id: "extra", effect: .forbid)
            let before = Self.bundle(&r, rules: rules)
            var after = before
            after.rules.insert(extra, at: r.int(rules.count + 1))
            let s = Self.subject(&r), c = Self.consents(&r)
            #expect(Self.permits(after, s, c).isSubset(of: Self.permits(before, s, c)))
        }
    }

    @Test func addingAConsentClauseNeverRemovesAPermit() async {
        await propertyCheck(count: 200, input: Gen.int(in: 0...Int.max)) { seed in
            var r = Random(state: UInt64(seed))
            let b = Self.bundle(&r, rules: Self.randomRules(&r))
            let s = Self.subject(&r)
            let c = Self.consents(&r)
            var more = c
            if more.isEmpty || r.bool() {
                more.append(ConsentFact(id: "new", templateID: "t", templateVersion: 1, clauses: ["k\(r.int(4))"],
                                        grantedAt: Self.at.addingTimeInterval(-86_400), expiresAt: Self.at.addingTimeInterval(86_400), guardianPresent: true))
            } else {
                let i = r.int(more.count)
                more[i].clauses.append("k\(r.int(4))")
            }
            #expect(Self.permits(b, s, c).isSubset(of: Self.permits(b, s, more)))
        }
    }

    @Test func removingANonForbidRuleNeverTurnsADenyIntoAPermit() async {
        await propertyCheck(count: 200, input: Gen.int(in: 0...Int.max)) { seed in
            var r = Random(state: UInt64(seed))
            let b = Self.bundle(&r, rules: Self.randomRules(&r))
            let permitIndices = b.rules.indices.filter { b.rules[$0].effect == .permit }
            guard !permitIndices.isEmpty else { return }
            var fewer = b
            fewer.rules.remove(at: permitIndices[r.int(permitIndices.count)])
            let s = Self.subject(&r), c = Self.consents(&r)
            #expect(Self.permits(fewer, s, c).isSubset(of: Self.permits(b, s, c)))
        }
    }

    /// Guards the properties above against vacuity: random policies do release data, and consents matter.
    @Test func randomPoliciesAreNotTrivial() {
        var nonEmpty = 0, consentPermits = 0
        for seed in 0..<200 {
            var r = Random(state: UInt64(seed) &* 7919)
            let b = Self.bundle(&r, rules: Self.randomRules(&r))
            let s = Self.subject(&r)
            let withConsent = Self.permits(b, s, [ConsentFact(id: "all", templateID: "t", templateVersion: 1, clauses: ["k0", "k1", "k2", "k3"],
                                                             grantedAt: Self.at.addingTimeInterval(-86_400), expiresAt: Self.at.addingTimeInterval(86_400), guardianPresent: true)])
            let without = Self.permits(b, s, [])
            if !without.isEmpty { nonEmpty += 1 }
            if withConsent.count > without.count { consentPermits += 1 }
        }
        #expect(nonEmpty >= 50)
        #expect(consentPermits >= 20)
    }
}
