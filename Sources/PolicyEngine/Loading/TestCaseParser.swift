import Diagnostics
import Foundation
import Signing

/// Parses `tests/*.yaml` against the loaded bundle (format in docs/policy.md).
struct TestCaseParser {
    let reader: NodeReader
    let bundle: PolicyBundle
    let conditions: RuleParser

    func parse(_ roots: [YAMLNode]) -> [PolicyTestCase] {
        var out: [PolicyTestCase] = []
        var names: [String: SourceLocation] = [:]
        for root in roots {
            let top = reader.object(root, what: root.location.file, allowed: ["cases"], required: ["cases"])
            guard let list = top["cases"] else { continue }
            guard case .sequence(let items) = list.kind else {
                reader.report("wrong-type", at: list.location, de: "cases: Liste erwartet", en: "cases: a list was expected")
                continue
            }
            for item in items {
                if let c = parseCase(item) {
                    if let first = names[c.name] {
                        reader.report("duplicate-id", at: item.location, de: "Testfall `\(c.name)` doppelt (zuerst in \(first))",
                                      en: "duplicate test case `\(c.name)` (first at \(first))")
                    }
                    names[c.name] = item.location
                    out.append(c)
                }
            }
        }
        return out
    }

    private func time(_ node: YAMLNode?, what: String) -> Date? {
        guard let node, let s = reader.string(node, what: what) else { return nil }
        if let d = RFC3339.parse(s) { return d }
        reader.report("invalid-value", at: node.location, de: "\(what): `\(s)` ist kein RFC-3339-Zeitpunkt", en: "\(what): `\(s)` is not an RFC 3339 time")
        return nil
    }

    private func day(_ node: YAMLNode?, what: String) -> Date? {
        guard let node, let s = reader.string(node, what: what) else { return nil }
        if let d = UTCDay.parse(s) { return Date(timeIntervalSince1970: Double(d) * 86_400) }
        reader.report("invalid-value", at: node.location, de: "\(what): `\(s)` ist kein Datum JJJJ-MM-TT", en: "\(what): `\(s)` is not a date YYYY-MM-DD")
        return nil
    }

    private func parseCase(_ node: YAMLNode) -> PolicyTestCase? {
        let o = reader.object(node, what: "case", allowed: ["name", "at", "subject", "partner", "purpose", "consents", "expect"],
                              required: ["name", "at", "partner", "purpose", "expect"])
        guard let name = reader.string(o["name"], what: "case.name") else { return nil }
        let what = "case `\(name)`"
        let at = time(o["at"], what: what + ".at") ?? Date(timeIntervalSince1970: 0)
        let partner = reader.string(o["partner"], what: what + ".partner") ?? ""
        if let n = o["partner"], bundle.partner(partner) == nil { reader.unknown(.partner, partner, at: n.location, known: bundle.partners.map(\.id)) }
        let purpose = reader.string(o["purpose"], what: what + ".purpose") ?? ""
        if let n = o["purpose"], bundle.purpose(purpose) == nil { reader.unknown(.purpose, purpose, at: n.location, known: bundle.purposes.map(\.id)) }
        var subjectID = "test-subject"
        var attributes = SubjectAttributes()
        if let s = o["subject"] {
            let so = reader.object(s, what: what + ".subject", allowed: ["id", "birth-date", "municipality", "unaccompanied-minor", "guardians", "values"])
            subjectID = reader.string(so["id"], what: what + ".subject.id") ?? subjectID
            attributes.birthDate = day(so["birth-date"], what: what + ".subject.birth-date")
            attributes.municipality = reader.string(so["municipality"], what: what + ".subject.municipality")
            attributes.unaccompaniedMinor = reader.bool(so["unaccompanied-minor"], what: what + ".subject.unaccompanied-minor")
            attributes.guardianCount = reader.int(so["guardians"], what: what + ".subject.guardians")
            for e in reader.entries(so["values"] ?? YAMLNode(kind: .mapping([]), location: s.location), what: what + ".subject.values") {
                let type = bundle.attributes.first { $0.id == e.key }?.type ?? bundle.field(e.key)?.type
                guard let type else { reader.unknown(.attribute, e.key, at: e.location); continue }
                let def = SubjectAttributeDefinition(id: e.key, type: type == .date ? .date : type)
                if let v = conditions.value(e.value, for: def, what: what + ".subject.values.\(e.key)") { attributes.values[e.key] = v }
            }
        }
        var consents: [ConsentFact] = []
        if let list = o["consents"] {
            if case .sequence(let items) = list.kind {
                for item in items {
                    let co = reader.object(item, what: what + ".consents[]", allowed: ["id", "template", "version", "clauses", "granted-at",
                                                                                      "expires-at", "withdrawn-at", "withdrawn-clauses", "guardian", "invalid"],
                                           required: ["id", "template", "version", "clauses", "granted-at", "expires-at"])
                    let cw = what + ".consents[]"
                    let verification: ConsentFact.Verification = reader.string(co["invalid"], what: cw + ".invalid").map { .invalid(reason: $0) } ?? .verified
                    let templateID = reader.string(co["template"], what: cw + ".template") ?? ""
                    let templateVersion = reader.int(co["version"], what: cw + ".version") ?? 0
                    let clauses = reader.strings(co["clauses"], what: cw + ".clauses") ?? []
                    // A clause the cited version does not hold: the verifier refuses such a consent, and the evaluator
                    // would ignore the clause, so a case expecting a denial would pass and test nothing. (A version the
                    // bundle does not hold is allowed: such a consent is `consent-invalid`, which a case may test.)
                    if let template = bundle.template(templateID, version: templateVersion) {
                        for (clause, location) in clauses where !template.clauses.contains(where: { $0.id == clause }) {
                            reader.unknown(.clause, clause, at: location)
                        }
                    }
                    // `withdrawn-at`: the whole consent; `withdrawn-clauses`: single lines, each from its own time (GDPR
                    // Art. 7(3), docs/consent.md), only lines the consent grants (a withdrawal of another is refused).
                    var withdrawals: [WithdrawalFact] = []
                    if let at = time(co["withdrawn-at"], what: cw + ".withdrawn-at") { withdrawals.append(WithdrawalFact(at: at)) }
                    if let lines = co["withdrawn-clauses"] {
                        for e in reader.entries(lines, what: cw + ".withdrawn-clauses") {
                            guard clauses.contains(where: { $0.0 == e.key }) else {
                                reader.report("invalid-value", at: e.location,
                                              de: "\(cw).withdrawn-clauses: `\(e.key)` ist keine Zeile dieser Einwilligung (clauses) und kann nicht widerrufen werden",
                                              en: "\(cw).withdrawn-clauses: `\(e.key)` is not a line of this consent (clauses) and cannot be withdrawn")
                                continue
                            }
                            if let at = time(e.value, what: cw + ".withdrawn-clauses.\(e.key)") {
                                withdrawals.append(WithdrawalFact(at: at, clauses: [e.key]))
                            }
                        }
                    }
                    var fact = ConsentFact(
                        id: reader.string(co["id"], what: cw + ".id") ?? "", templateID: templateID,
                        templateVersion: templateVersion,
                        clauses: clauses.map(\.0),
                        grantedAt: time(co["granted-at"], what: cw + ".granted-at") ?? .distantFuture,
                        expiresAt: time(co["expires-at"], what: cw + ".expires-at") ?? .distantPast,
                        guardianPresent: reader.bool(co["guardian"], what: cw + ".guardian") ?? false,
                        verification: verification)
                    fact.setWithdrawals(withdrawals)
                    consents.append(fact)
                }
            } else {
                reader.report("wrong-type", at: list.location, de: "\(what).consents: Liste erwartet", en: "\(what).consents: a list was expected")
            }
        }
        var expectations: [PolicyTestCase.Expectation] = []
        var keyLocations: [String: SourceLocation] = [:]   // where each expected field is written
        for e in reader.entries(o["expect"] ?? YAMLNode(kind: .mapping([]), location: node.location), what: what + ".expect") {
            let ew = what + ".expect.\(e.key)"
            keyLocations[e.key] = keyLocations[e.key] ?? e.location
            if case .scalar(let s, _) = e.value.kind {
                if s == "permit" { expectations.append(.init(field: e.key, outcome: .permit)) }
                else if s == "deny" { expectations.append(.init(field: e.key, outcome: .deny)) }
                else if let r = DenialReason(rawValue: s) { expectations.append(.init(field: e.key, outcome: .deny, reason: r)) }
                else {
                    reader.report("invalid-value", at: e.value.location, de: "\(ew): `\(s)` ist weder permit, deny noch ein Ablehnungsgrund",
                                  en: "\(ew): `\(s)` is neither permit, deny nor a denial reason")
                }
                continue
            }
            let eo = reader.object(e.value, what: ew, allowed: ["outcome", "reason", "rule", "clause"], required: ["outcome"])
            let outcome = reader.word(eo["outcome"], what: ew + ".outcome", as: FieldDecision.Outcome.self) ?? .deny
            let reason = reader.word(eo["reason"], what: ew + ".reason", as: DenialReason.self)
            let rule = reader.string(eo["rule"], what: ew + ".rule")
            if let rule, let n = eo["rule"], !bundle.rules.contains(where: { $0.id == rule }) { reader.unknown(.rule, rule, at: n.location) }
            expectations.append(.init(field: e.key, outcome: outcome, reason: reason, rule: rule, clause: reader.string(eo["clause"], what: ew + ".clause")))
        }
        // A field the bundle does not define is denied (`unknown-field`) whatever the rules say, so a case expecting a
        // denial for a misspelt field would pass and test nothing. Only a case stating that very reason may name one.
        for expectation in expectations where bundle.field(expectation.field) == nil && expectation.reason != .unknownField {
            reader.unknown(.field, expectation.field, at: keyLocations[expectation.field] ?? node.location)
        }
        if expectations.isEmpty, let e = o["expect"] {
            reader.report("missing-key", at: e.location, de: "\(what).expect: nennt kein Feld, der Testfall bestünde immer",
                          en: "\(what).expect: names no field, the case would always pass")
        }
        let request = DecisionRequest(subject: subjectID, attributes: attributes, partner: partner, purpose: purpose,
                                      fields: expectations.map(\.field), at: at)
        return PolicyTestCase(name: name, request: request, consents: consents, expectations: expectations, location: node.location)
    }
}
