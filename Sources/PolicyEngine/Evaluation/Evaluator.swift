import Foundation

/// A request with partner, purpose and fields already resolved to indices: the fast path for callers that ask the
/// same question for many subjects (the export job). Build it once with `CompiledPolicy.prepare`.
public struct PreparedRequest: Sendable, Equatable {
    /// Partner index, or -1 for a partner the policy does not know.
    public var partner: Int
    /// Purpose index, or -1 for a purpose the policy does not know.
    public var purpose: Int
    /// Field indices in request order; -1 for a field the policy does not know.
    public var fields: [Int32]
}

/// The compact outcome for one field, written by `CompiledPolicy.evaluate` without allocating.
public struct FieldOutcome: Sendable, Equatable {
    /// Whether the field is released.
    public var permitted: Bool
    /// The denial reason (nil on permit).
    public var reason: DenialReason?
    /// Index into `bundle.rules`, or -1.
    public var rule: Int32
    /// Index into the consents passed in, or -1.
    public var consent: Int16
    /// Clause index within that consent's template, or -1.
    public var clause: Int16

    /// A denial with `no-matching-rule` naming nothing: the default deny before the evaluator writes the outcome.
    public init() { permitted = false; reason = .noMatchingRule; rule = -1; consent = -1; clause = -1 }
}

/// The state of one consent at the decision time.
enum ConsentState: UInt8 { case valid, notYetValid, revoked, expired, invalid }

/// A consent resolved against the policy's templates for one decision.
struct ResolvedConsent {
    var state: ConsentState
    var slot: Int32          // template slot, -1 if no template with that id exists
    var clauseMask: UInt64   // granted clauses, by index in the template (first 64)
    var withdrawnMask: UInt64 = 0  // granted clauses withdrawn singly at or before the decision time (they count as revoked)
}

/// For one category: the first consent/clause found in each state, as (consent << 16 | clause), -1 for none.
struct CategoryConsent {
    var computed = false
    var validExplicit: Int32 = -1
    var valid: Int32 = -1
    var revoked: Int32 = -1
    var expired: Int32 = -1
    var invalid: Int32 = -1
    /// The first explicit clause found withdrawn, else expired, else invalid: named on a `forbidden` whose
    /// `unless: explicit-consent` it no longer lifts.
    var lapsedExplicit: Int32 = -1
    var lapsedExplicitRank: UInt8 = 0
}

extension CompiledPolicy {
    /// Resolves partner, purpose and field ids to indices once.
    public func prepare(partner: String, purpose: String, fields: [String]) -> PreparedRequest {
        PreparedRequest(partner: partnerIndex.index(of: partner).map(Int.init) ?? -1,
                        purpose: purposeIndex.index(of: purpose).map(Int.init) ?? -1,
                        fields: fields.map { fieldIndex.index(of: $0) ?? -1 })
    }

    /// The decision for a request and the subject's consent facts (CONTRACTS §3 semantics, §4 shape).
    ///
    /// The same steps as `prepare` + `evaluate` + `decision(for:outcomes:consents:)`, with the field indices and
    /// outcomes in stack buffers: the only allocation is the decision's field array.
    public func decide(_ request: DecisionRequest, consents: [ConsentFact]) -> Decision {
        let n = request.fields.count
        let partner = partnerIndex.index(of: request.partner).map(Int.init) ?? -1
        let purpose = purposeIndex.index(of: request.purpose).map(Int.init) ?? -1
        let fields = withUnsafeTemporaryAllocation(of: Int32.self, capacity: max(1, n)) { indices in
            withUnsafeTemporaryAllocation(of: FieldOutcome.self, capacity: max(1, n)) { outcomes in
                request.fields.withUnsafeBufferPointer { names in
                    for i in 0..<n { indices.initializeElement(at: i, to: fieldIndex.index(of: names[i]) ?? -1) }
                }
                let out = UnsafeMutableBufferPointer(rebasing: outcomes[0..<n])
                out.initialize(repeating: FieldOutcome())
                evaluate(partner: partner, purpose: purpose, fields: UnsafeBufferPointer(rebasing: indices[0..<n]),
                         subject: request.attributes, consents: consents, at: request.at, withdrawnBy: request.madeAt, into: out)
                return fieldDecisions(names: request.fields, outcomes: UnsafeBufferPointer(out), consents: consents)
            }
        }
        return Decision(policy: identity, subject: request.subject, partner: request.partner, purpose: request.purpose,
                        at: request.at, fields: fields)
    }

    /// Turns compact outcomes into the explained decision (rule ids, citations, consent ids and clauses).
    public func decision(for request: DecisionRequest, outcomes: [FieldOutcome], consents: [ConsentFact]) -> Decision {
        precondition(outcomes.count <= request.fields.count, "more outcomes than requested fields")
        let fields = outcomes.withUnsafeBufferPointer { fieldDecisions(names: request.fields, outcomes: $0, consents: consents) }
        return Decision(policy: identity, subject: request.subject, partner: request.partner, purpose: request.purpose,
                        at: request.at, fields: fields)
    }

    /// One `FieldDecision` per outcome, built in place: the rule's id, basis and citation and the consent's id and
    /// clause id are references to strings the policy and the consents already hold.
    func fieldDecisions(names: [String], outcomes: UnsafeBufferPointer<FieldOutcome>, consents: [ConsentFact]) -> [FieldDecision] {
        let n = outcomes.count
        return withUnsafeTemporaryAllocation(of: Int32.self, capacity: max(1, consents.count)) { slotOf in
            // Per consent: its template slot, looked up on first use (-2: not yet).
            slotOf.initialize(repeating: -2)
            return [FieldDecision](unsafeUninitializedCapacity: n) { buffer, initialized in
                rules.withUnsafeBufferPointer { rules in
                consents.withUnsafeBufferPointer { consents in
                names.withUnsafeBufferPointer { names in
                    for i in 0..<n {
                        let o = outcomes[i]
                        // Filled in place: storing a built value made a copy of it (every string retained and released
                        // once more), so the element starts with no references and gets them by assignment.
                        let d = buffer.baseAddress! + i
                        d.initialize(to: FieldDecision(field: "", outcome: o.permitted ? .permit : .deny, reason: o.reason))
                        initialized = i + 1
                        d.pointee.field = names[i]
                        if o.rule >= 0 {
                            let r = Int(o.rule)
                            d.pointee.rule = rules[r].id; d.pointee.basis = rules[r].basis; d.pointee.citation = rules[r].citation
                        }
                        if o.consent >= 0, o.clause >= 0 {
                            let k = Int(o.consent)
                            if slotOf[k] == -2 { slotOf[k] = templateSlot(for: consents[k]).slot }
                            let slot = Int(slotOf[k])
                            d.pointee.consent = ConsentReference(id: consents[k].id, clause: slot >= 0 ? templates[slot].clauseIDs[Int(o.clause)] : "")
                        }
                    }
                }
                }
                }
            }
        }
    }

    /// The template slot a consent is read against: its exact template version, else (marked not exact, so the
    /// consent is invalid) the newest version of that template id; -1 when no template has the id.
    @inline(__always)
    func templateSlot(for c: ConsentFact) -> (slot: Int32, exact: Bool) {
        guard let t = templateIndex.index(of: c.templateID) else { return (-1, false) }
        var newestVersion = Int.min, newest = -1
        for v in templateVersions[Int(t)] {
            if v.version == c.templateVersion { return (Int32(v.slot), true) }
            if v.version > newestVersion { newestVersion = v.version; newest = v.slot }
        }
        return (Int32(newest), false)
    }

    /// The core: writes one `FieldOutcome` per requested field into `out` (which must have that many elements).
    /// Allocation-free apart from small stack buffers; the explanation (`decision(for:outcomes:consents:)`) reads
    /// the same outcomes.
    public func evaluate(_ request: PreparedRequest, subject: SubjectAttributes, consents: [ConsentFact], at: Date,
                         into out: inout [FieldOutcome]) {
        precondition(out.count >= request.fields.count, "output buffer too small")
        request.fields.withUnsafeBufferPointer { fields in
            out.withUnsafeMutableBufferPointer { out in
                evaluate(partner: request.partner, purpose: request.purpose, fields: fields, subject: subject, consents: consents,
                         at: at, into: out)
            }
        }
    }

    /// `evaluate` on buffers (`out` initialised, at least `fields.count` elements); withdrawals count up to the later of
    /// `at` and `withdrawnBy` (`DecisionRequest.madeAt`).
    func evaluate(partner: Int, purpose: Int, fields: UnsafeBufferPointer<Int32>, subject: SubjectAttributes,
                  consents: [ConsentFact], at: Date, withdrawnBy: Date? = nil, into out: UnsafeMutableBufferPointer<FieldOutcome>) {
        let fieldCount = fieldIDs.count
        guard partner >= 0, purpose >= 0 else {
            for (i, f) in fields.enumerated() {
                out[i] = FieldOutcome()
                out[i].reason = (f >= 0 && Int(f) < fieldCount) ? .noMatchingRule : .unknownField
            }
            return
        }
        let table = pairs[partner * purposeCount + purpose]
        let day = BerlinDay.day(of: at)
        let kinds = Self.kinds
        withUnsafeTemporaryAllocation(of: Bool.self, capacity: max(1, table.conditional.count)) { holds in
        withUnsafeTemporaryAllocation(of: CategoryConsent.self, capacity: max(1, categoryCount)) { categoryState in
        withUnsafeTemporaryAllocation(of: ResolvedConsent.self, capacity: max(1, consents.count)) { resolved in
            for (i, c) in table.conditional.enumerated() {
                holds[i] = c.condition.holds(subject, day: day, attributes: attributes,
                                             unknownHolds: c.kind == .hardForbid || c.kind == .softForbid)
            }
            for c in 0..<categoryCount { categoryState.initializeElement(at: c, to: CategoryConsent()) }
            for (k, c) in consents.enumerated() { resolved.initializeElement(at: k, to: resolve(c, subject: subject, at: at, withdrawnBy: withdrawnBy)) }
            let words = fieldWords
            table.first.withUnsafeBufferPointer { first in
            table.condRule.withUnsafeBufferPointer { condRule in
            table.condKind.withUnsafeBufferPointer { condKind in
            table.condWords.withUnsafeBufferPointer { condWords in
            fieldCategory.withUnsafeBufferPointer { fieldCategory in
                let conditionalCount = condRule.count
                for (i, f32) in fields.enumerated() {
                    var o = FieldOutcome()
                    let f = Int(f32)
                    guard f >= 0, f < fieldCount else { o.reason = .unknownField; out[i] = o; continue }
                    let word = f >> 6, bit = UInt64(1) << UInt64(f & 63)
                    @inline(__always) func firstRule(_ kind: Kind) -> Int32 {
                        var best = first[f * kinds + kind.rawValue]
                        var j = 0
                        while j < conditionalCount {
                            if holds[j] && Int(condKind[j]) == kind.rawValue && condWords[j * words + word] & bit != 0 {
                                if best < 0 || condRule[j] < best { best = condRule[j] }
                                break
                            }
                            j += 1
                        }
                        return best
                    }
                    let category = Int(fieldCategory[f])
                    let hard = firstRule(.hardForbid)
                    if hard >= 0 { o.reason = .forbidden; o.rule = hard; out[i] = o; continue }
                    let soft = firstRule(.softForbid)
                    if soft >= 0 {
                        let state = categoryConsent(category, table: table, consents: consents.count, resolved: resolved, cache: categoryState)
                        if state.validExplicit < 0 {
                            o.reason = .forbidden; o.rule = soft
                            if state.lapsedExplicit >= 0 { o.consent = Int16(state.lapsedExplicit >> 16); o.clause = Int16(state.lapsedExplicit & 0xffff) }
                            out[i] = o; continue
                        }
                    }
                    let statute = firstRule(.statutePermit)
                    if statute >= 0 { o.permitted = true; o.reason = nil; o.rule = statute; out[i] = o; continue }
                    let consentRule = firstRule(.consentPermit)
                    if consentRule >= 0 {
                        o.rule = consentRule
                        let state = categoryConsent(category, table: table, consents: consents.count, resolved: resolved, cache: categoryState)
                        let special = category >= 0 && categorySpecial[category]
                        let hit = special ? state.validExplicit : (state.validExplicit >= 0 && (state.valid < 0 || state.validExplicit < state.valid) ? state.validExplicit : state.valid)
                        if hit >= 0 {
                            o.permitted = true; o.reason = nil
                        } else if special && state.valid >= 0 {
                            o.reason = .consentNotExplicit
                        } else if state.revoked >= 0 {
                            o.reason = .consentRevoked
                        } else if state.expired >= 0 {
                            o.reason = .consentExpired
                        } else if state.invalid >= 0 {
                            o.reason = .consentInvalid
                        } else {
                            o.reason = .consentMissing
                        }
                        let ref: Int32 = hit >= 0 ? hit : o.reason == .consentNotExplicit ? state.valid : o.reason == .consentRevoked ? state.revoked
                            : o.reason == .consentExpired ? state.expired : o.reason == .consentInvalid ? state.invalid : -1
                        if ref >= 0 { o.consent = Int16(ref >> 16); o.clause = Int16(ref & 0xffff) }
                        out[i] = o; continue
                    }
                    // A permit covers the field but its condition failed (the unconditional ones would have matched above).
                    var failed = first[f * kinds + Kind.anyPermit.rawValue]
                    if failed < 0 {
                        var j = 0
                        while j < conditionalCount {
                            let k = Int(condKind[j])
                            if (k == Kind.statutePermit.rawValue || k == Kind.consentPermit.rawValue) && condWords[j * words + word] & bit != 0 {
                                failed = condRule[j]; break
                            }
                            j += 1
                        }
                    }
                    if failed >= 0 { o.reason = .conditionNotMet; o.rule = failed } else { o.reason = .noMatchingRule }
                    out[i] = o
                }
            }
            }
            }
            }
            }
        }
        }
        }
    }

    /// A consent's state at `at` and its granted clauses (CONTRACTS §3.4); a withdrawal counts when in effect by the
    /// later of `at` and `withdrawnBy` (when the decision is made: `DecisionRequest.madeAt`).
    func resolve(_ c: ConsentFact, subject: SubjectAttributes, at: Date, withdrawnBy: Date? = nil) -> ResolvedConsent {
        let (slot, exact) = templateSlot(for: c)
        var mask: UInt64 = 0
        if slot >= 0 {
            let clauseIndex = templates[Int(slot)].clauseIndex
            for id in c.clauses { if let k = clauseIndex.index(of: id), k < 64 { mask |= 1 << UInt64(k) } }
        }
        var state: ConsentState = .valid
        if case .invalid = c.verification { state = .invalid }
        else if !exact { state = .invalid }
        else {
            let minimumAge = templates[Int(slot)].minimumAge, maxValidity = templates[Int(slot)].maxValidity
            if !maxValidity.admits(end: c.expiresAt, from: c.grantedAt) { state = .invalid }
            else if !c.guardianPresent {
                // Below the template's minimum age (at signing) a guardian must be recorded; an unknown age counts as below.
                if let birth = birthDay(of: subject) {
                    if UTCDay.age(birthDay: birth, on: BerlinDay.day(of: c.grantedAt)) < minimumAge { state = .invalid }
                } else if minimumAge > 0 { state = .invalid }
            }
        }
        let withdrawalsUntil = withdrawnBy.map { max($0, at) } ?? at
        if state == .valid {
            if let w = c.withdrawnAt, w <= at { state = .revoked }
            else if at >= c.expiresAt { state = .expired }
            else if at < c.grantedAt { state = .notYetValid }
            // In force at `at`, but withdrawn by the time the decision is made: it releases nothing now.
            else if let w = c.withdrawnAt, w <= withdrawalsUntil { state = .revoked }
        }
        // A clause withdrawn singly releases nothing from its time on; before it, it holds as the consent does.
        var withdrawn: UInt64 = 0
        if state == .valid, slot >= 0, !c.clauseWithdrawals.isEmpty {
            let clauseIndex = templates[Int(slot)].clauseIndex
            for (id, w) in c.clauseWithdrawals where w <= withdrawalsUntil {
                if let k = clauseIndex.index(of: id), k < 64 { withdrawn |= 1 << UInt64(k) }
            }
        }
        return ResolvedConsent(state: state, slot: slot, clauseMask: mask, withdrawnMask: withdrawn & mask)
    }

    func birthDay(of s: SubjectAttributes) -> Int? {
        if let b = s.birthDate { return UTCDay.day(of: b) }
        guard !s.values.isEmpty else { return nil }
        for f in birthDateFields { if case .day(let d)? = s.values[f] { return d } }
        return nil
    }

    /// How many of a person's consents (in the order given) one decision considers.
    static let maxConsentsPerDecision = Int(Int16.max) + 1

    /// The consent situation of one category for the pair, computed once per decision.
    @inline(__always)
    func categoryConsent(_ category: Int, table: PairTable, consents: Int, resolved: UnsafeMutableBufferPointer<ResolvedConsent>,
                         cache: UnsafeMutableBufferPointer<CategoryConsent>) -> CategoryConsent {
        guard category >= 0 else { return CategoryConsent(computed: true) }
        if cache[category].computed { return cache[category] }
        var s = CategoryConsent(computed: true)
        // A field outcome names its consent by an Int16 index: a person's consents past the 32,768th are not
        // considered (fail closed: no permit, no `unless` exception rests on them), rather than trapping.
        for k in 0..<min(consents, Self.maxConsentsPerDecision) {
            let r = resolved[k]
            guard r.slot >= 0, r.state != .notYetValid else { continue }
            let base = slotClauseBase[Int(r.slot)]
            var mask = r.clauseMask
            while mask != 0 {
                let bit = mask.trailingZeroBitCount
                mask &= mask - 1
                guard table.coverage[(base + bit) * categoryCount + category] else { continue }
                let ref = Int32(k << 16 | bit)
                let explicit = clauseExplicit[base + bit]
                let state: ConsentState = r.withdrawnMask & (1 << UInt64(bit)) != 0 ? .revoked : r.state
                switch state {
                case .valid:
                    if explicit { if s.validExplicit < 0 { s.validExplicit = ref } } else if s.valid < 0 { s.valid = ref }
                case .revoked: if s.revoked < 0 { s.revoked = ref }
                case .expired: if s.expired < 0 { s.expired = ref }
                case .invalid: if s.invalid < 0 { s.invalid = ref }
                case .notYetValid: break
                }
                if explicit && state != .valid {
                    // Same precedence as for a consent permit: withdrawn (3), expired (2), invalid (1).
                    let rank: UInt8 = state == .revoked ? 3 : state == .expired ? 2 : 1
                    if rank > s.lapsedExplicitRank { s.lapsedExplicit = ref; s.lapsedExplicitRank = rank }
                }
            }
        }
        cache[category] = s
        return s
    }
}
