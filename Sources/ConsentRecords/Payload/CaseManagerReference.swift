import Foundation
import StrictJSON

/// Who recorded a consent or withdrawal: the case manager's staff id and their municipality
/// (payload member `collected-by` / `recorded-by`: `{"case-manager": ..., "municipality": ...}`).
public struct CaseManagerReference: Sendable, Equatable, Hashable {
    /// The case manager's staff id (not necessarily a name).
    public var caseManager: String
    /// The municipality (town hall) where the case manager works, e.g. `Troisdorf`.
    public var municipality: String

    /// Creates a reference; each value must be 1 to 128 characters with no control characters or outer spaces, or signing refuses the payload.
    public init(caseManager: String, municipality: String) {
        self.caseManager = caseManager
        self.municipality = municipality
    }

    var json: JSONValue {
        .object(["case-manager": .string(caseManager), "municipality": .string(municipality)])
    }

    init(reading object: PayloadObject) throws(ConsentError) {
        try object.allowOnly(["case-manager", "municipality"])
        caseManager = try object.string("case-manager")
        try object.check("case-manager", caseManager, .identifier)
        municipality = try object.string("municipality")
        try object.check("municipality", municipality, .identifier)
    }
}

/// A guardian who signed for a minor (payload member `guardians`: `[{"name": ..., "relation": ...}]`).
public struct Guardian: Sendable, Equatable, Hashable {
    /// The guardian's name as written on the paper form.
    public var name: String
    /// Optional relation to the person, e.g. `mother`, `Vormund`.
    public var relation: String?

    /// Creates a guardian entry; `relation` nil when the form states none.
    public init(name: String, relation: String? = nil) {
        self.name = name
        self.relation = relation
    }

    var json: JSONValue {
        var m: [String: JSONValue] = ["name": .string(name)]
        if let relation { m["relation"] = .string(relation) }
        return .object(m)
    }

    init(reading object: PayloadObject) throws(ConsentError) {
        try object.allowOnly(["name", "relation"])
        name = try object.string("name")
        try object.check("name", name, .identifier)
        relation = try object.optionalString("relation")
        if let relation { try object.check("relation", relation, .identifier) }
    }
}

extension Date {
    /// The date cut to the whole second: signed payloads carry times to the second, so a value and its
    /// RFC 3339 text round-trip exactly.
    var wholeSecond: Date { Date(timeIntervalSince1970: timeIntervalSince1970.rounded(.down)) }
}
