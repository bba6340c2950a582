import Diagnostics
import Foundation
import Gate
import PolicyEngine

/// `check --attribute id=value` (repeatable): a value for one of the policy's stateable attributes (neither `subject:`
/// nor `from:`, e.g. `child-endangerment=true`), for this decision only. Read in two steps: the `id=value` form before
/// the installation is opened (a usage error naming `--attribute`, exit 2), the value by the attribute's type once the
/// policy is known (`GateError`, exit 3, listing the attributes a request may state).
struct StatedAttributeOption: Sendable, Equatable {
    /// The option's name in messages.
    static let option = "--attribute"

    /// The attribute id before the first `=`.
    var id: String
    /// The text after it, as typed (`true`, `42`, `2026-01-31`, free text).
    var text: String

    /// The entries in the order given; each `id=value` with a non-empty id, an id named once.
    static func parse(_ entries: [String]) throws -> [StatedAttributeOption] {
        var seen = Set<String>()
        return try entries.map { entry in
            guard let eq = entry.firstIndex(of: "=") else {
                throw UsageError(de: "\(option) \"\(entry)\": erwartet Merkmal=Wert, z. B. child-endangerment=true",
                                 en: "\(option) \"\(entry)\": expected id=value, e.g. child-endangerment=true")
            }
            let id = String(entry[..<eq]).trimmingCharacters(in: .whitespaces)
            let text = String(entry[entry.index(after: eq)...]).trimmingCharacters(in: .whitespaces)
            guard !id.isEmpty else {
                throw UsageError(de: "\(option) \"\(entry)\": Merkmal vor dem = fehlt", en: "\(option) \"\(entry)\": the id before = is missing")
            }
            guard !text.isEmpty else {
                throw UsageError(de: "\(option) \"\(entry)\": Wert nach dem = fehlt", en: "\(option) \"\(entry)\": the value after = is missing")
            }
            guard seen.insert(id).inserted else {
                throw UsageError(de: "\(option): Merkmal \"\(id)\" mehrfach angegeben", en: "\(option): attribute \"\(id)\" given more than once")
            }
            return StatedAttributeOption(id: id, text: text)
        }
    }

    /// The stated values by attribute id, each read by its type in `policy`: an id that is no stateable attribute, or a
    /// text not of the type, is refused with the gate's own error (exit 3), which lists the stateable attributes.
    static func values(_ options: [StatedAttributeOption], policy: CompiledPolicy) throws -> [String: AttributeValue] {
        var values = [String: AttributeValue]()
        let stateable = policy.stateableAttributes.map(\.id)
        for o in options {
            guard let definition = policy.stateableAttribute(o.id) else {
                throw GateError.unstateableAttribute(o.id, declared: policy.bundle.attributes.contains { $0.id == o.id },
                                                     stateable: stateable)
            }
            guard let value = definition.value(parsing: o.text) else {
                throw GateError.statedAttributeType(o.id, expected: definition.typeWords, stateable: stateable)
            }
            values[o.id] = value
        }
        return values
    }
}
