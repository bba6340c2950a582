import Diagnostics

/// A data category (CONTRACTS §3 `categories`); `special` marks GDPR Art. 9 categories, which need explicit consent.
public struct DataCategory: Sendable, Equatable {
    /// The category id that fields and consent clauses name.
    public var id: String
    /// The category's name for people (German/English).
    public var label: LocalizedText
    /// Whether it is a special category (GDPR Art. 9): its fields go on consent only with an explicit clause.
    public var special: Bool
    /// Creates a category; an ordinary (not special) one by default.
    public init(id: String, label: LocalizedText, special: Bool = false) {
        self.id = id; self.label = label; self.special = special
    }
}

/// The value type of a field or subject attribute.
public enum ValueType: String, Sendable, Equatable, CaseIterable {
    case string, date, bool, int, `enum`
}

/// A field a partner may receive (CONTRACTS §3 `fields`). The German label is the registration list's column header.
public struct FieldDefinition: Sendable, Equatable {
    /// The field id that requests, rules and export columns name (e.g. `name.family`).
    public var id: String
    /// The id of the data category the field belongs to: decides which consent clauses cover it and whether it is special (GDPR Art. 9).
    public var category: String
    /// The value type of the field's values (a registration list cell is checked against it).
    public var type: ValueType
    /// The field's name for people; the German one is the registration list's column heading.
    public var label: LocalizedText
    /// The allowed values of an `enum` field (empty otherwise).
    public var values: [String]
    /// Free text that may span lines (`multiline: true`, `string` fields only): a registration list cell of this field
    /// may hold line breaks (Alt+Enter in Excel), kept as written. In every other field a line break is most likely a
    /// stray quote that swallowed the following lines, so the export quarantines the record.
    public var multiline: Bool
    /// Creates a field definition; by default no enum values and single-line.
    public init(id: String, category: String, type: ValueType, label: LocalizedText, values: [String] = [], multiline: Bool = false) {
        self.id = id; self.category = category; self.type = type; self.label = label; self.values = values
        self.multiline = multiline
    }
}

/// A partner agency data may go to (CONTRACTS §3 `partners`); `folder` names its export subfolder.
public struct Partner: Sendable, Equatable {
    /// The partner id that requests, rules, clauses and export profiles name.
    public var id: String
    /// The agency's name for people (German/English).
    public var name: LocalizedText
    /// The name of the partner's subfolder on the shared drive, where its exports are written.
    public var folder: String
    /// Creates a partner whose exports go to `folder` on the shared drive.
    public init(id: String, name: LocalizedText, folder: String) { self.id = id; self.name = name; self.folder = folder }
}

/// A purpose data may be passed for (CONTRACTS §3 `purposes`).
public struct Purpose: Sendable, Equatable {
    /// The purpose id that requests, rules, clauses and export profiles name.
    public var id: String
    /// The purpose's name for people (German/English).
    public var label: LocalizedText
    /// Creates a purpose with its id and its name for people.
    public init(id: String, label: LocalizedText) { self.id = id; self.label = label }
}

/// A loaded, validated policy bundle: the model both the validator and the compiler stand on.
/// Entries of keyed sections (categories, fields, ...) are sorted by id; rules keep bundle order
/// (files by name, `policy.yaml` first), which decides which rule an explanation names first.
public struct PolicyBundle: Sendable, Equatable {
    /// The bundle id (`id` in `policy.yaml`), recorded with every decision.
    public var id: String
    /// The bundle version as written (free text); the digest, not this, identifies the content.
    public var version: String
    /// The bundle's title for people (German/English); empty when `policy.yaml` gives none.
    public var title: LocalizedText
    /// The data categories, sorted by id.
    public var categories: [DataCategory]
    /// The fields a partner may receive, sorted by id.
    public var fields: [FieldDefinition]
    /// The subject attributes conditions may test, sorted by id.
    public var attributes: [SubjectAttributeDefinition]
    /// The partner agencies, sorted by id.
    public var partners: [Partner]
    /// The purposes, sorted by id.
    public var purposes: [Purpose]
    /// The rules in bundle order (files by name, `policy.yaml` first), which decides which rule an explanation names.
    public var rules: [Rule]
    /// The consent templates in their current versions, sorted by id (earlier versions inside each).
    public var templates: [ConsentTemplate]
    /// The export profiles, sorted by id; empty when the bundle defines none.
    public var exports: [ExportProfile]
    /// The county's towns and municipalities (`municipalities` in `policy.yaml`, in Unicode NFC, as written in its
    /// lists): what a case worker's account, a recorded person and a registration list row may name. Empty when the
    /// bundle lists none (then any name is taken as given). Kept in the bundle, not in code, so that another county
    /// adapts ConsentGate by its policy alone.
    public var municipalities: [String]
    /// The county's wording of the printed declaration (`form-languages`), sorted by language code: languages beyond the
    /// built-in German, English and Ukrainian, or a county's own text for one of those. Empty when the bundle gives none.
    public var formLanguages: [FormLanguage]
    /// The cases of `tests/*.yaml` (not part of the digest: they do not change any decision).
    public var tests: [PolicyTestCase]

    /// Creates a bundle from its sections as given (the loader sorts them; callers building one by hand keep that order).
    public init(id: String, version: String, title: LocalizedText, categories: [DataCategory],
                fields: [FieldDefinition], attributes: [SubjectAttributeDefinition], partners: [Partner],
                purposes: [Purpose], rules: [Rule], templates: [ConsentTemplate], exports: [ExportProfile] = [],
                municipalities: [String] = [], formLanguages: [FormLanguage] = [], tests: [PolicyTestCase] = []) {
        self.id = id; self.version = version; self.title = title; self.categories = categories
        self.fields = fields; self.attributes = attributes; self.partners = partners; self.purposes = purposes
        self.rules = rules; self.templates = templates; self.exports = exports; self.municipalities = municipalities
        self.formLanguages = formLanguages; self.tests = tests
    }

    /// `sha256:<hex>` over the canonical form (see `BundleDigest`): changes with any rule, field, template or
    /// text, and never with file order, key order, whitespace or YAML style.
    public var digest: String { BundleDigest.digest(of: self) }

    /// The field with `id`, if the bundle defines it.
    public func field(_ id: String) -> FieldDefinition? { fields.first { $0.id == id } }
    /// The data category with `id`, if the bundle defines it.
    public func category(_ id: String) -> DataCategory? { categories.first { $0.id == id } }
    /// The partner with `id`, if the bundle defines it.
    public func partner(_ id: String) -> Partner? { partners.first { $0.id == id } }
    /// The purpose with `id`, if the bundle defines it.
    public func purpose(_ id: String) -> Purpose? { purposes.first { $0.id == id } }
    /// The rule with `id`, if the bundle defines it (the first: rule ids are unique in a bundle that loads).
    public func rule(_ id: String) -> Rule? { rules.first { $0.id == id } }
    /// The county's wording of the printed declaration in `code`, if the bundle gives one.
    public func formLanguage(_ code: String) -> FormLanguage? { formLanguages.first { $0.code == code } }
    /// The current version of template `id` (the one new consents are signed on).
    public func template(_ id: String) -> ConsentTemplate? { templates.first { $0.id == id } }

    /// Every template version a signed consent may cite: each template's current version and its earlier versions
    /// (`earlier-versions`), current first. What consent verification and the evaluator read; granting, the blank
    /// form and the template lists use `templates` (current versions only).
    public var templateVersions: [ConsentTemplate] { templates.flatMap(\.allVersions) }

    /// Template `id` in exactly `version`, current or earlier (nil when the bundle holds no such version): the
    /// definition a consent signed on that version is read against.
    public func template(_ id: String, version: Int) -> ConsentTemplate? {
        templateVersions.first { $0.id == id && $0.version == version }
    }
}
