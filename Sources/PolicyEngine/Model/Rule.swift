import Diagnostics

/// One rule of the bundle (CONTRACTS §3 `rules`).
public struct Rule: Sendable, Equatable {
    /// Whether the rule releases (`permit`) or blocks (`forbid`) what it covers; forbids are weighed before permits.
    public enum Effect: String, Sendable, Equatable, CaseIterable { case permit, forbid }
    /// Why a permit may release data: a statute (no consent needed) or the person's consent.
    public enum Basis: String, Sendable, Equatable, CaseIterable { case statute, consent }

    /// The rule id, named in decisions, explanations and the audit log.
    public var id: String
    /// Whether the rule releases or blocks the fields it covers.
    public var effect: Effect
    /// Partner ids; nil (key omitted) means any partner.
    public var partners: [String]?
    /// Purpose ids; nil (key omitted) means any purpose.
    public var purposes: [String]?
    /// Field id patterns (`*` matches any run of characters, e.g. `name.*`).
    public var fields: [String]
    /// Category id patterns: the rule also covers every field of these categories.
    public var categories: [String]
    /// Conditions on subject attributes that must all hold; `.always` when absent.
    public var when: Condition
    /// For a permit: whether it releases by statute or only with a covering consent clause.
    public var basis: Basis
    /// The norm the rule rests on, e.g. `§ 34 SchulG NRW`; required for every rule. The canonical text: the one
    /// text of a plain `citation: "…"`, the German one of `citation: {de: …, en: …}`. Decisions (JSON), the audit log
    /// and the digest of a bundle without the map name this one, so their shape is the same whichever form is written.
    public var citation: String
    /// The English text of `citation: {de: …, en: …}` (nil for a plain string, which reads the same in both
    /// languages: the norms' abbreviations are German law names). Part of the digest when set, so that a changed
    /// English text is a policy change `policy diff` shows.
    public var citationEnglish: String?
    /// For forbid rules: `unless: explicit-consent` lifts the forbid where a valid explicit clause covers the field.
    public var unlessExplicitConsent: Bool
    /// An optional note for the DPO (German/English), shown by `policy explain`.
    public var note: LocalizedText?
    /// Where the rule is written (not part of the digest).
    public var location: SourceLocation?

    /// Creates a rule; by default it covers any partner and purpose, no fields, always applies and rests on a statute.
    public init(id: String, effect: Effect, partners: [String]? = nil, purposes: [String]? = nil,
                fields: [String] = [], categories: [String] = [], when: Condition = .always,
                basis: Basis = .statute, citation: String, citationEnglish: String? = nil, unlessExplicitConsent: Bool = false,
                note: LocalizedText? = nil, location: SourceLocation? = nil) {
        self.id = id; self.effect = effect; self.partners = partners; self.purposes = purposes
        self.fields = fields; self.categories = categories; self.when = when; self.basis = basis
        self.citation = citation; self.citationEnglish = citationEnglish; self.unlessExplicitConsent = unlessExplicitConsent; self.note = note
        self.location = location
    }

    /// The citation as a reader of `language` reads it: the English text where the bundle gives one, else the one text.
    public func citation(in language: Language) -> String { language == .en ? citationEnglish ?? citation : citation }

    public static func == (a: Rule, b: Rule) -> Bool {
        a.id == b.id && a.effect == b.effect && a.partners == b.partners && a.purposes == b.purposes
            && a.fields == b.fields && a.categories == b.categories && a.when == b.when && a.basis == b.basis
            && a.citation == b.citation && a.citationEnglish == b.citationEnglish && a.unlessExplicitConsent == b.unlessExplicitConsent && a.note == b.note
    }
}

/// An export profile (CONTRACTS §3, end): which records and columns go to one partner for one purpose.
public struct ExportProfile: Sendable, Equatable {
    /// The profile id, by which an export run selects profiles and `policy diff` names them.
    public var id: String
    /// The partner id whose folder receives the export.
    public var partner: String
    /// The purpose id every cell is decided for.
    public var purpose: String
    /// Whose rows go (conditions on subject attributes); `.always` for everyone.
    public var records: Condition
    /// Field ids in output order.
    public var columns: [String]
    /// Creates a profile; by default every record's row goes.
    public init(id: String, partner: String, purpose: String, records: Condition = .always, columns: [String]) {
        self.id = id; self.partner = partner; self.purpose = purpose; self.records = records; self.columns = columns
    }
}
