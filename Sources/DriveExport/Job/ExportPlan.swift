import Diagnostics
import Foundation
import PolicyEngine

/// One export profile resolved against the policy and the input file's layout: who gets what, and where
/// each column's value sits in a record. Built once per run.
public final class PartnerPlan: Sendable {
    /// The export profile id (e.g. `schulamt-schulplanung`).
    public let profile: String
    /// The partner id and its drive folder.
    public let partner: String
    /// The partner's folder name on the shared drive, where its runs are published.
    public let folder: String
    /// The profile's purpose id, for which every cell is decided.
    public let purpose: String
    /// The column field ids, in output order, and their German labels (the CSV header).
    public let columns: [String]
    /// The German labels of `columns`, in the same order: the output CSV's header.
    public let labels: [String]
    /// Partner, purpose and columns resolved to indices for `CompiledPolicy.evaluate`.
    public let prepared: PreparedRequest

    /// A class, not a struct: the decisions read a plan per record and partner, and a copy of seven
    /// references cost 1.5 % of a run's CPU in retains and releases.
    init(profile: String, partner: String, folder: String, purpose: String, columns: [String], labels: [String],
         prepared: PreparedRequest) {
        self.profile = profile; self.partner = partner; self.folder = folder; self.purpose = purpose
        self.columns = columns; self.labels = labels; self.prepared = prepared
    }
}

/// The whole run's plan: the profiles, the field map for the input headers and the validation schema.
public struct ExportPlan: Sendable {
    /// The field that marks a household (the Schulamt profile's `household-school-age-child` attribute).
    public static let householdField = "household.id"
    /// The field holding the subject's case id; every record must have it.
    public static let caseIDField = "case.id"
    /// The field holding the birth date (`TT.MM.JJJJ` or `JJJJ-MM-TT`), from which ages are counted on the Berlin day of the run.
    public static let birthDateField = "birth.date"
    /// The date fields of events that lie in the past when a list is exported (`RegistrationSchema.pastDateFields`).
    public static let pastDateFields: Set<String> = ["residence.entry-date", "consent.granted-on", "record.recorded-on"]
    /// The field holding the municipality; validated against the bundle's `municipalities` and recorded with the subject.
    public static let municipalityField = "case.municipality"
    /// The field holding whether the person is an unaccompanied minor (a yes/no cell), recorded with the subject.
    public static let unaccompaniedField = "household.unaccompanied-minor"

    /// One plan per export profile to run, in the policy's profile order.
    public let partners: [PartnerPlan]
    /// The policy's id (named in errors about fields it does not define).
    public let policyID: String
    /// German label → field id for every field of the policy.
    public let labels: [String: String]
    /// The fields every record must have a column for: the schema's plus every export column.
    public let requiredColumns: Set<String>
    /// What row validation checks.
    public let schema: RegistrationSchema
    /// Field id → type (`date`, `bool`, `int`, ...), to turn cells into attribute values.
    let fieldTypes: [String: String]
    /// The fields whose cells the evaluator can look at: those a declared subject attribute is `from:` or named
    /// like, and the birth date. Only these become attribute values (the others would never be read).
    let attributeFields: Set<String>

    /// Resolves every export profile of `policy` (or only `profiles` when given).
    public init(policy: CompiledPolicy, profiles: [String]? = nil) throws {
        var partners: [PartnerPlan] = []
        var seenPartners: Set<String> = []
        for profile in policy.exports where profiles.map({ $0.contains(profile.id) }) ?? true {
            guard let partner = policy.bundle.partner(profile.partner) else {
                throw DriveExportError.invalidName(kind: "partner", name: profile.partner, reason: PlanText.unknownPartner)
            }
            guard seenPartners.insert(partner.id).inserted else {
                throw DriveExportError.invalidName(kind: "partner", name: partner.id, reason: PlanText.twoProfiles)
            }
            try SafeName.validate(partner.folder, kind: "partner folder")
            let labels = profile.columns.map { policy.field($0)?.label.de ?? $0 }
            partners.append(PartnerPlan(profile: profile.id, partner: partner.id, folder: partner.folder, purpose: profile.purpose,
                                        columns: profile.columns, labels: labels,
                                        prepared: policy.prepare(partner: partner.id, purpose: profile.purpose, fields: profile.columns)))
        }
        self.partners = partners
        policyID = policy.bundle.id
        var labels: [String: String] = [:], types: [String: String] = [:]
        var dates: Set<String> = [], postcodes: Set<String> = []
        for f in policy.bundle.fields {
            labels[f.label.de] = f.id
            types[f.id] = f.type.rawValue
            if f.type.rawValue == "date" { dates.insert(f.id) }
            if f.id == "address.postcode" { postcodes.insert(f.id) }
        }
        self.labels = labels
        self.fieldTypes = types
        attributeFields = Set(policy.bundle.attributes.flatMap { [$0.id] + ($0.from.map { [$0] } ?? []) }).union([Self.birthDateField])
        schema = RegistrationSchema(caseIDField: Self.caseIDField, birthDateField: Self.birthDateField,
                                    municipalityField: Self.municipalityField,
                                    allowedMunicipalities: policy.bundle.countyMunicipalities.names,
                                    dateFields: dates, postcodeFields: postcodes,
                                    multilineFields: Set(policy.bundle.fields.filter(\.multiline).map(\.id)),
                                    yesNoFields: Set(policy.bundle.fields.filter { $0.type == .bool }.map(\.id)),
                                    integerFields: Set(policy.bundle.fields.filter { $0.type == .int }.map(\.id)),
                                    pastDateFields: Self.pastDateFields.intersection(dates))
        requiredColumns = schema.requiredFields.union(partners.flatMap(\.columns))
    }

    /// The header mapping: the policy's German labels, then the mapping file's entries (which win). A mapping
    /// file entry naming a field the policy does not define is an error at its line, and so is one that gives a
    /// column headed with a field's own label to another field: the column's data would go out, and be logged, as that
    /// other field, past the rules on its own (an export probe sent "Gesundheitliche Hinweise" to the Schulamt as
    /// "Telefon", around the policy's forbid on health data for planning). Leaving such a column out (`-`) is allowed.
    public func mapping(file: String?) throws -> HeaderMapping {
        let base = HeaderMapping(fieldsByHeader: labels)
        guard let file else { return base }
        let entries = try HeaderMapping.load(path: file, knownFields: Set(fieldTypes.keys), policyID: policyID)
        // By the header as a list would be matched to it, in any letter case (`HeaderKey`).
        var labelled: [String: String] = [:]
        for (header, target) in base.targets { if case .field(let f) = target { labelled[header.lowercased()] = f } }
        for (header, target) in entries.targets.sorted(by: { $0.key < $1.key }) {
            guard case .field(let field) = target, let own = labelled[header.lowercased()], own != field else { continue }
            let line = entries.origins[header].flatMap { $0.split(separator: ":").last.flatMap { Int($0) } } ?? 0
            throw DriveExportError.invalidMappingFile(file: file, line: line, reason: LocalizedText(
                de: "die Spalte „\(header)“ ist die Beschriftung des Feldes \(own) der Richtlinie; sie als \(field) zu lesen, gäbe ihre Daten als \(field) weiter, an den Regeln für \(own) vorbei (mit „-“ bleibt sie weg)",
                en: "the column \"\(header)\" is the label of the policy's field \(own); reading it as \(field) would pass its data on as \(field), past the rules for \(own) (\"-\" leaves it out)"))
        }
        return base.merging(entries)
    }

    /// `cell` without leading and trailing spaces and tabs (cheap when there are none, the usual case).
    static func trimmed(_ cell: String) -> String {
        let u = cell.utf8
        guard let f = u.first, let l = u.last, f == 0x20 || f == 0x09 || l == 0x20 || l == 0x09 else { return cell }
        return cell.trimmingCharacters(in: .whitespaces)
    }

    /// The attribute value of a cell, typed by its field (dates as days, `ja`/`nein` as bools); nil when empty or unreadable.
    func attributeValue(field: String, cell: String) -> AttributeValue? {
        let text = Self.trimmed(cell)
        guard !text.isEmpty else { return nil }
        switch fieldTypes[field] {
        case "date": return CivilDate(parsing: text).map { .day(UTCDay.days(year: $0.year, month: $0.month, day: $0.day)) }
        case "bool": return YesNoCell.parse(text).map { .bool($0) }
        case "int": return IntegerCell.parse(text).map { .int($0) }
        default: return .string(text)
        }
    }
}

/// Texts of plan errors.
enum PlanText {
    static let unknownPartner = LocalizedText(de: "Partner ist in der Richtlinie nicht definiert", en: "the partner is not defined in the policy")
    static let twoProfiles = LocalizedText(de: "zwei Exportprofile für denselben Partner werden nicht unterstützt",
                                                       en: "two export profiles for the same partner are not supported")
}
