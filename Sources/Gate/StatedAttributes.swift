import Diagnostics
import Foundation
import PolicyEngine
import StrictJSON

extension CompiledPolicy {
    /// The subject attributes a decision request may state (CONTRACTS §3 `subject-attributes`): those declared with
    /// neither `subject:` nor `from:`, sorted by id. Nothing recorded about the person and no registration column gives
    /// their value, so without a caller stating it every condition on them fails: the rule `jugendamt-child-protection`
    /// (`child-endangerment: true`) could never release anything (found in a domain review). A stated value counts for
    /// one decision only: it is a fact of the referral, not of the person, and is never stored with them.
    public var stateableAttributes: [SubjectAttributeDefinition] {
        bundle.attributes.filter { $0.subject == nil && $0.from == nil }
    }

    /// The stateable attribute `id` (see `stateableAttributes`), or nil when the policy declares none by that id or
    /// derives its value from the record or a field.
    public func stateableAttribute(_ id: String) -> SubjectAttributeDefinition? {
        bundle.attributes.first { $0.id == id && $0.subject == nil && $0.from == nil }
    }
}

extension SubjectAttributeDefinition {
    /// Reads `text` as a value of this attribute's type, as the command line and the check form give it: `true` or
    /// `false` for `bool`, a decimal integer for `int`, `YYYY-MM-DD` for `date`, the text itself for `string` and
    /// `enum`. Nil when the text is not of that type.
    public func value(parsing text: String) -> AttributeValue? {
        switch type {
        case .bool: return text == "true" ? .bool(true) : text == "false" ? .bool(false) : nil
        case .int: return Int(text).map(AttributeValue.int)
        case .date: return UTCDay.parse(text).map(AttributeValue.day)
        case .string, .enum: return .string(text)
        }
    }

    /// Whether `value` is of this attribute's type (a condition on a value of another kind never holds, so a
    /// mistyped statement would silently decide nothing).
    public func admits(_ value: AttributeValue) -> Bool {
        switch (type, value) {
        case (.bool, .bool), (.int, .int), (.date, .day), (.string, .string), (.enum, .string): return true
        default: return false
        }
    }

    /// The attribute's type as people read it in a message (`bool (true/false)`, `date (YYYY-MM-DD)`, …).
    public var typeWords: String {
        switch type {
        case .bool: return "bool (true/false)"
        case .int: return "int"
        case .date: return "date (YYYY-MM-DD)"
        case .string: return "string"
        case .enum: return "enum"
        }
    }
}

/// Stated attribute values as the audit log keeps them, and back (`DecisionRecord.statedAttributesKey`).
enum StatedAttributeJSON {
    /// A stated value as JSON: a date as `YYYY-MM-DD`, the rest as themselves.
    static func json(_ value: AttributeValue) -> JSONValue {
        switch value {
        case let .bool(b): return .bool(b)
        case let .int(i): return .int(Int64(i))
        case let .string(s): return .string(s)
        case let .day(d): return .string(UTCDay.format(d))
        }
    }

    /// The logged stated values read for a replay under `policy`: a string is a date where `policy` declares the
    /// attribute a `date` (JSON has no date type), values of other JSON kinds are left out (no condition holds on them).
    static func values(_ logged: [String: JSONValue], policy: CompiledPolicy) -> [String: AttributeValue] {
        var out = [String: AttributeValue](minimumCapacity: logged.count)
        for (id, v) in logged {
            switch v {
            case let .bool(b): out[id] = .bool(b)
            case let .int(i): out[id] = .int(Int(i))
            case let .string(s):
                let isDate = policy.bundle.attributes.first { $0.id == id }?.type == .date
                out[id] = isDate ? UTCDay.parse(s).map(AttributeValue.day) ?? .string(s) : .string(s)
            default: break
            }
        }
        return out
    }
}

extension GateError {
    /// The longest stated text value, in Unicode scalars (it is logged for good, like a referral id).
    static let maxStatedTextLength = 128

    /// Throws unless every stated value names a stateable attribute of `policy` and is of its type (a text value: no
    /// U+0000, control or text-direction character, at most `maxStatedTextLength` scalars). Checked before anything is
    /// read or logged: a typing error is not a decision.
    static func requireStateable(_ values: [String: AttributeValue], policy: CompiledPolicy) throws {
        guard !values.isEmpty else { return }
        let stateable = policy.stateableAttributes.map(\.id)
        for (id, value) in values.sorted(by: { $0.key < $1.key }) {
            guard let definition = policy.stateableAttribute(id) else {
                throw GateError.unstateableAttribute(id, declared: policy.bundle.attributes.contains { $0.id == id },
                                                     stateable: stateable)
            }
            guard definition.admits(value) else {
                throw GateError.statedAttributeType(id, expected: definition.typeWords, stateable: stateable)
            }
            if case let .string(s) = value {
                try requireNoNUL(s, field: "attributes.\(id)")
                if s.unicodeScalars.count > maxStatedTextLength || DisplayUnsafeText.containsControlOrDirectionCharacter(s) {
                    throw GateError.statedAttributeText(id, maxLength: maxStatedTextLength)
                }
            }
        }
    }
}
