import Foundation

/// A subject attribute prepared for look-up (see `SubjectAttributeDefinition` for the order of sources).
struct CompiledAttribute: Sendable {
    var id: String
    var type: ValueType
    var from: String?
    var fromIsDate: Bool
    var subject: SubjectFact?

    /// The attribute's value for a subject on the given day (`BerlinDay`), or nil when it is unknown.
    func value(in s: SubjectAttributes, day: Int) -> AttributeValue? {
        if !s.values.isEmpty, let v = s.values[id] { return v }
        var raw: AttributeValue?
        if let subject { raw = s.fact(subject) }
        if raw == nil, let from, !s.values.isEmpty { raw = s.values[from] }
        guard let raw else { return nil }
        // An age from a birth date after `day` is unknown (fail closed): −4 would be "under 18".
        if type == .int, case .day(let birth) = raw { return birth > day ? nil : .int(UTCDay.age(birthDay: birth, on: day)) }
        return raw
    }
}

/// A `Condition` with attribute ids replaced by indices.
indirect enum CompiledCondition: Sendable {
    case always
    case test(attribute: Int, op: ComparisonOperator, values: [AttributeValue])
    case all([CompiledCondition])
    case any([CompiledCondition])
    /// An attribute the policy does not declare: never holds (fail closed).
    case never

    init(_ c: Condition, attributes: [String: Int]) {
        switch c {
        case .always: self = .always
        case .all(let l): self = .all(l.map { CompiledCondition($0, attributes: attributes) })
        case .any(let l): self = .any(l.map { CompiledCondition($0, attributes: attributes) })
        case .test(let a, let op, let values):
            if let i = attributes[a] { self = .test(attribute: i, op: op, values: values) } else { self = .never }
        }
    }

    /// Whether the condition holds for the subject on `day`. A test on an attribute whose value is unknown gives
    /// `unknownHolds`: false for permits (nothing is released on a guess), true for forbids (a forbid guarding, say,
    /// unaccompanied minors still applies when the flag was not recorded). Both fail closed; the condition language
    /// has no negation, so treating an unknown test as true can only make a forbid apply more often.
    func holds(_ subject: SubjectAttributes, day: Int, attributes: [CompiledAttribute], unknownHolds: Bool = false) -> Bool {
        switch self {
        case .always: return true
        case .never: return false
        case .all(let l): return l.allSatisfy { $0.holds(subject, day: day, attributes: attributes, unknownHolds: unknownHolds) }
        case .any(let l): return l.contains { $0.holds(subject, day: day, attributes: attributes, unknownHolds: unknownHolds) }
        case .test(let a, let op, let values):
            guard let v = attributes[a].value(in: subject, day: day) else { return unknownHolds }
            return Condition.compare(v, op, values)
        }
    }
}

extension CompiledPolicy {
    /// Whether a subject's record goes out under an export profile (its `records` condition at time `at`);
    /// false for an unknown profile.
    public func selects(export profile: String, subject: SubjectAttributes, at: Date) -> Bool {
        guard let c = exportRecords[profile] else { return false }
        return c.holds(subject, day: BerlinDay.day(of: at), attributes: attributes)
    }

    /// The value of a declared subject attribute for a subject at time `at` (nil when unknown or undeclared).
    public func attribute(_ id: String, of subject: SubjectAttributes, at: Date) -> AttributeValue? {
        attributeIndex[id].flatMap { attributes[$0].value(in: subject, day: BerlinDay.day(of: at)) }
    }
}
