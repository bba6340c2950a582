import Diagnostics
import Foundation

/// A subject attribute rules may test (CONTRACTS §3 `subject-attributes`).
///
/// Its value for a request is looked up in this order: `SubjectAttributes.values[id]`; the recorded subject fact
/// named by `subject` (`birth-date`, `municipality`, `unaccompanied-minor`, `guardians`); then
/// `SubjectAttributes.values[from]` (a field value, e.g. from a registration row). An `int` attribute fed by a
/// date (birth date) is the age in whole years at the decision time. A value that cannot be found means every
/// condition on it fails (fail closed: `condition-not-met`).
public struct SubjectAttributeDefinition: Sendable, Equatable {
    /// The attribute id that `when` conditions name.
    public var id: String
    /// The attribute's value type, which decides the comparisons allowed on it (ordering only for `int` and `date`).
    public var type: ValueType
    /// The field this attribute is derived from, if any.
    public var from: String?
    /// The recorded subject fact this attribute is derived from, if any.
    public var subject: SubjectFact?
    /// The attribute's name for people (German/English), when the bundle gives one.
    public var label: LocalizedText?
    /// Creates an attribute definition; with neither `from` nor `subject` its value comes only from `SubjectAttributes.values[id]`.
    public init(id: String, type: ValueType, from: String? = nil, subject: SubjectFact? = nil,
                label: LocalizedText? = nil) {
        self.id = id; self.type = type; self.from = from; self.subject = subject; self.label = label
    }
}

/// The facts ConsentGate records about a subject (CONTRACTS §3 "Subjects").
public enum SubjectFact: String, Sendable, Equatable, CaseIterable {
    case birthDate = "birth-date"
    case municipality
    case unaccompaniedMinor = "unaccompanied-minor"
    case guardians
}

/// A value of a subject attribute or a condition operand.
public enum AttributeValue: Sendable, Equatable, Hashable, CustomStringConvertible {
    case int(Int)
    case bool(Bool)
    case string(String)
    /// A calendar day in UTC, as days since 1970-01-01.
    case day(Int)

    public var description: String {
        switch self {
        case .int(let v): String(v)
        case .bool(let v): v ? "true" : "false"
        case .string(let v): v
        case .day(let v): UTCDay.format(v)
        }
    }

    /// A date value (the UTC day the instant falls on).
    public static func date(_ date: Date) -> AttributeValue { .day(UTCDay.day(of: date)) }
}

/// A comparison operator of a `when` condition.
public enum ComparisonOperator: String, Sendable, Equatable, CaseIterable {
    case eq, ne, lt, le, gt, ge, `in`

    /// Whether the operator applies to values of `type` (ordering only for numbers and dates).
    public func applies(to type: ValueType) -> Bool {
        switch self {
        case .eq, .ne, .in: type != .bool || self != .in
        case .lt, .le, .gt, .ge: type == .int || type == .date
        }
    }
}

/// A condition on subject attributes: all tests must hold (`when:`), or one of several alternatives (`any-of:`).
public indirect enum Condition: Sendable, Equatable {
    case always
    case test(attribute: String, op: ComparisonOperator, values: [AttributeValue])
    case all([Condition])
    case any([Condition])

    /// Whether the condition holds, given a way to look attribute values up.
    public func holds(_ lookup: (String) -> AttributeValue?) -> Bool {
        switch self {
        case .always: return true
        case .all(let list): return list.allSatisfy { $0.holds(lookup) }
        case .any(let list): return list.contains { $0.holds(lookup) }
        case .test(let attribute, let op, let values):
            guard let v = lookup(attribute) else { return false }
            return Self.compare(v, op, values)
        }
    }

    /// The comparison itself; values of different kinds never compare true (fail closed).
    static func compare(_ v: AttributeValue, _ op: ComparisonOperator, _ values: [AttributeValue]) -> Bool {
        if op == .in { return values.contains(v) }
        guard let rhs = values.first else { return false }
        switch op {
        case .eq: return v == rhs
        case .ne:
            switch (v, rhs) {
            case (.int, .int), (.bool, .bool), (.string, .string), (.day, .day): return v != rhs
            default: return false
            }
        default:
            let a: Int, b: Int
            switch (v, rhs) {
            case (.int(let x), .int(let y)): a = x; b = y
            case (.day(let x), .day(let y)): a = x; b = y
            default: return false
            }
            switch op {
            case .lt: return a < b
            case .le: return a <= b
            case .gt: return a > b
            case .ge: return a >= b
            default: return false
            }
        }
    }

    /// Whether this is `.always` (no condition).
    public var isAlways: Bool { if case .always = self { return true } else { return false } }

    /// A short human rendering, e.g. `age ≥ 6 ∧ age < 19`.
    public var text: String {
        switch self {
        case .always: return ""
        case .all(let l): return l.map { $0.text }.joined(separator: " ∧ ")
        case .any(let l): return "(" + l.map { $0.text }.joined(separator: " ∨ ") + ")"
        case .test(let a, let op, let vs):
            let sym = ["eq": "=", "ne": "≠", "lt": "<", "le": "≤", "gt": ">", "ge": "≥", "in": "∈"][op.rawValue]!
            let rhs = op == .in ? "{" + vs.map(\.description).joined(separator: ", ") + "}" : (vs.first?.description ?? "")
            return "\(a) \(sym) \(rhs)"
        }
    }
}
