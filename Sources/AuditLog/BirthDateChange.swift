import StrictJSON

/// A consent's recording changed the birth date ConsentGate held for the person: the `birth-date-changed` member of a
/// `consent-granted` entry.
///
/// The birth date decides whether a consent needs a guardian's signature (docs/consent.md) and every later decision's
/// age, so changing it must leave a trace a data protection officer finds: before, a grant stating another year turned
/// a refused minor's consent into a valid one and nothing recorded it. Entries hold no field values, so the change is
/// told as the two ages the person had when they signed (`granted-at`), counted from the birth date recorded before
/// and from the one recorded now; the same age on both sides still means the date changed.
///
/// ```json
/// "birth-date-changed": {"age-before": 15, "age-after": 36}
/// ```
public struct BirthDateChange: Sendable, Equatable {
    /// The age in whole years at `granted-at` by the birth date recorded before.
    public var ageBefore: Int64
    /// The age in whole years at `granted-at` by the birth date recorded now.
    public var ageAfter: Int64

    /// The change of ages at signing.
    public init(ageBefore: Int64, ageAfter: Int64) {
        self.ageBefore = ageBefore; self.ageAfter = ageAfter
    }

    var json: JSONValue { .object(["age-after": .int(ageAfter), "age-before": .int(ageBefore)]) }

    init(reader r: JSONObjectReader) throws {
        ageBefore = try r.int("age-before"); ageAfter = try r.int("age-after")
    }

    func write(to w: inout CanonicalWriter) {
        w.beginObject(); w.member("age-after", ageAfter); w.member("age-before", ageBefore); w.endObject()
    }
}
