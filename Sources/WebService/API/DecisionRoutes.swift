import ConsentRecords
import Diagnostics
import Foundation
import Gate
import Hummingbird
import PolicyEngine
import Signing

/// `POST /v1/decisions` (CONTRACTS §4): evaluate and record a decision, answer its JSON.
enum DecisionRoutes {
    /// The policy's stateable attributes (`CompiledPolicy.stateableAttributes`) while a decision body is decoded:
    /// `AttributesJSON` then admits them by id besides its own keys. Empty elsewhere (a consent grant's `attributes`
    /// state recorded facts only, so such a key stays unknown there).
    @TaskLocal static var stateableAttributes: [SubjectAttributeDefinition] = []

    /// Attributes stated with a request: for a person not yet recorded, or for that decision only (a birth date other
    /// than the recorded one is refused by the gate), and in a decision the values of the policy's stateable attributes
    /// (`"child-endangerment": true`), for that decision only.
    struct AttributesJSON: StrictDecodable, Equatable {
        var birthDate: String?
        /// `birthDate` as a day number, parsed once when the body is read.
        var birthDay: Int?
        var municipality: String?
        var unaccompaniedMinor: Bool?
        var guardians: [String]?
        /// Values of the policy's stateable attributes by id, each of the attribute's type (a date sent as `YYYY-MM-DD`).
        var stated: [String: AttributeValue] = [:]
        enum CodingKeys: String, CodingKey, CaseIterable {
            case birthDate = "birth-date", municipality, unaccompaniedMinor = "unaccompanied-minor", guardians
        }
        init(from decoder: any Decoder) throws {
            try Self.readStated(decoder, into: &stated)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            birthDate = try c.decodeIfPresentRefusingNull(String.self, forKey: .birthDate)
            if let b = birthDate {
                birthDay = UTCDay.parse(b)
            }
            if let b = birthDate, birthDay == nil {
                throw RequestFieldError.invalid(c.codingPath + [CodingKeys.birthDate], RequestWords.notADate(b))
            }
            if let b = birthDate, let day = birthDay, let problem = RequestWords.birthDateProblem(b, day: day) {
                throw RequestFieldError.invalid(c.codingPath + [CodingKeys.birthDate], problem)
            }
            municipality = try c.decodeIfPresentRefusingNull(String.self, forKey: .municipality)
            unaccompaniedMinor = try c.decodeIfPresentRefusingNull(Bool.self, forKey: .unaccompaniedMinor)
            guardians = try c.decodeIfPresentRefusingNull([String].self, forKey: .guardians)
        }

        /// Reads every key that is not one of `CodingKeys` as a value of the stateable attribute of that id
        /// (`DecisionRoutes.stateableAttributes`), by its type: a JSON value of another type is the 400 `wrong-type`
        /// naming the field, a key that names no stateable attribute the 400 `unknown-field` listing the keys allowed
        /// (the recorded facts' and the stateable attributes' ids). Keys in sorted order, as `rejectUnknownKeys`.
        private static func readStated(_ decoder: any Decoder, into stated: inout [String: AttributeValue]) throws {
            let c = try decoder.container(keyedBy: AnyCodingKey.self)
            let keys = c.allKeys
            guard keys.contains(where: { CodingKeys(stringValue: $0.stringValue) == nil }) else { return }
            let stateable = DecisionRoutes.stateableAttributes
            for key in keys.sorted(by: { $0.stringValue < $1.stringValue }) where CodingKeys(stringValue: key.stringValue) == nil {
                guard let definition = stateable.first(where: { $0.id == key.stringValue }) else {
                    let allowed = (CodingKeys.allCases.map(\.stringValue) + stateable.map(\.id)).sorted()
                    throw RequestFieldError(path: RequestBodyReader.path(c.codingPath + [key]), problem: .unknown(allowed: allowed))
                }
                switch definition.type {
                case .bool: stated[definition.id] = try c.decodeIfPresentRefusingNull(Bool.self, forKey: key).map(AttributeValue.bool)
                case .int: stated[definition.id] = try c.decodeIfPresentRefusingNull(Int.self, forKey: key).map(AttributeValue.int)
                case .string, .enum: stated[definition.id] = try c.decodeIfPresentRefusingNull(String.self, forKey: key).map(AttributeValue.string)
                case .date:
                    let text = try c.decodeIfPresentRefusingNull(String.self, forKey: key)
                    guard let text, let day = UTCDay.parse(text) else {
                        throw RequestFieldError.invalid(c.codingPath + [key], RequestWords.notADate(text ?? ""))
                    }
                    stated[definition.id] = .day(day)
                }
            }
        }

        init(birthDate: String?, municipality: String?, unaccompaniedMinor: Bool?, guardians: [String]?) {
            self.birthDate = birthDate; self.birthDay = birthDate.flatMap(UTCDay.parse); self.municipality = municipality
            self.unaccompaniedMinor = unaccompaniedMinor; self.guardians = guardians
        }


        /// The fast path's reading (nil: let the strict decoder decide): known keys, right types, a valid date.
        init?(fast value: FastJSON.Value) {
            guard let members = value.members else { return nil }
            for (key, v) in members {
                switch CodingKeys(stringValue: key) {
                case .birthDate?: guard let s = v.string, let day = UTCDay.parse(s), RequestWords.birthDateProblem(s, day: day) == nil else { return nil }; birthDate = s; birthDay = day
                case .municipality?: guard let s = v.string else { return nil }; municipality = s
                case .unaccompaniedMinor?: guard let b = v.bool else { return nil }; unaccompaniedMinor = b
                case .guardians?: guard let g = v.strings else { return nil }; guardians = g
                case nil: return nil
                }
            }
        }

        func subject(id: String) -> Subject {
            Subject(id: id, birthDate: (birthDay ?? birthDate.flatMap(UTCDay.parse)).map { Date(timeIntervalSince1970: Double($0) * 86_400) },
                    municipality: municipality, unaccompaniedMinor: unaccompaniedMinor, guardians: guardians ?? [])
        }
    }

    /// The request body.
    struct RequestJSON: StrictDecodable, Equatable {
        var subject: String
        var attributes: AttributesJSON?
        var partner: String
        var purpose: String
        var fields: [String]
        var at: Date?
        var referral: String?
        enum CodingKeys: String, CodingKey, CaseIterable { case subject, attributes, partner, purpose, fields, at, referral }
        init(subject: String, attributes: AttributesJSON?, partner: String, purpose: String, fields: [String], at: Date?, referral: String?) {
            self.subject = subject; self.attributes = attributes; self.partner = partner; self.purpose = purpose
            self.fields = fields; self.at = at; self.referral = referral
        }
        init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            subject = try c.decode(String.self, forKey: .subject)
            attributes = try c.decodeIfPresentRefusingNull(AttributesJSON.self, forKey: .attributes)
            partner = try c.decode(String.self, forKey: .partner)
            purpose = try c.decode(String.self, forKey: .purpose)
            fields = try c.decode([String].self, forKey: .fields)
            referral = try c.decodeIfPresentRefusingNull(String.self, forKey: .referral)
            if let r = referral, let problem = DecisionRoutes.referralProblem(r) {
                throw RequestFieldError.invalid(c.codingPath + [CodingKeys.referral], problem)
            }
            if let text = try c.decodeIfPresentRefusingNull(String.self, forKey: .at) {
                guard let d = RFC3339.parse(text) else {
                    throw RequestFieldError.invalid(c.codingPath + [CodingKeys.at], RequestWords.notATime(text))
                }
                at = d
            }
            if let problem = ConsentDeclaration.caseIDProblem(subject) {
                throw RequestFieldError.invalid(c.codingPath + [CodingKeys.subject], problem)
            }
            guard !fields.isEmpty else {
                throw RequestFieldError.invalid(c.codingPath + [CodingKeys.fields],
                                                LocalizedText(de: "mindestens ein Feld angeben", en: "name at least one field"))
            }
            if let problem = DecisionRoutes.fieldListProblem(fields) {
                throw RequestFieldError(path: RequestBodyReader.path(c.codingPath + [CodingKeys.fields] + (problem.index.map { [AnyCodingKey(intValue: $0)!] } ?? [])),
                                        problem: .invalid(problem.why))
            }
        }
    }

    /// The decision body read by `FastJSON` (nil whenever anything is missing, unknown, mistyped or
    /// invalid: the strict decoder then answers with its 400). Accepts exactly what `RequestJSON(from:)`
    /// accepts, with the same values.
    static func fastRequest(_ bytes: UnsafeRawBufferPointer) -> RequestJSON? {
        guard let members = FastJSON.parse(bytes)?.members else { return nil }
        var subject: String?, partner: String?, purpose: String?, fields: [String]?, at: Date?, referral: String?
        var attributes: AttributesJSON?
        for (key, v) in members {
            switch RequestJSON.CodingKeys(stringValue: key) {
            case .subject?: subject = v.string; if subject == nil { return nil }
            case .partner?: partner = v.string; if partner == nil { return nil }
            case .purpose?: purpose = v.string; if purpose == nil { return nil }
            case .fields?: fields = v.strings; if fields == nil { return nil }
            case .referral?: guard let r = v.string, referralProblem(r) == nil else { return nil }; referral = r
            case .at?: guard let t = v.string, let d = RFC3339.parse(t) else { return nil }; at = d
            case .attributes?: guard let a = AttributesJSON(fast: v) else { return nil }; attributes = a
            case nil: return nil
            }
        }
        guard let subject, let partner, let purpose, let fields, !fields.isEmpty, fieldListProblem(fields) == nil,
              ConsentDeclaration.caseIDProblem(subject) == nil else { return nil }
        return RequestJSON(subject: subject, attributes: attributes, partner: partner, purpose: purpose, fields: fields,
                           at: at, referral: referral)
    }

    /// Why `referral` cannot be a referral id, or nil (`DecisionRequestError.referralProblem`).
    static func referralProblem(_ referral: String) -> LocalizedText? { DecisionRequestError.referralProblem(referral) }

    /// Why a decision's requested `fields` are too many, or one is too long, empty or holds a control or text-direction
    /// character (and which, by index), or nil. Every
    /// requested field is a line of the `decision` entry, which the append-only log keeps for good: before (found in the
    /// web review), a 256 KiB body of 30,000 made-up field ids, or one id of 250,000 characters, was logged as such by
    /// any case worker, again and again. The policy has some dozens of fields; ids are short.
    static func fieldListProblem(_ fields: [String]) -> (index: Int?, why: LocalizedText)? {
        if fields.count > maxRequestedFields {
            return (nil, LocalizedText(de: "höchstens \(maxRequestedFields) Felder je Anfrage (angefragt: \(fields.count))",
                                       en: "at most \(maxRequestedFields) fields per request (requested: \(fields.count))"))
        }
        if let i = fields.firstIndex(where: { $0.unicodeScalars.count > maxFieldIDLength }) {
            return (i, LocalizedText(de: "Feld-ID länger als \(maxFieldIDLength) Zeichen", en: "field id longer than \(maxFieldIDLength) characters"))
        }
        // Ids that no policy has (the gate refuses them for every entry point; here with the field's place).
        for (i, field) in fields.enumerated() {
            if let why = DecisionRequestError.fieldIDProblem(field) { return (i, why) }
        }
        return nil
    }

    /// The most fields one decision may request.
    static let maxRequestedFields = 256
    /// The longest field id a decision may request, in Unicode scalars.
    static let maxFieldIDLength = 128

    /// The longest referral id, in Unicode scalars.
    static let maxReferralLength = DecisionRequestError.maxReferralLength

    /// 422 for a partner or purpose the policy does not know (an unknown field is a per-field denial instead), naming
    /// the known ids as `consentgate check` does (they are the policy's, no one's data).
    static func validate(partner: String, purpose: String, policy: CompiledPolicy) throws {
        guard policy.bundle.partner(partner) != nil else {
            let known = policy.bundle.partners.map(\.id).sorted().joined(separator: ", ")
            throw WebError(.unprocessableContent, code: "unknown-partner",
                           de: "unbekannte Stelle \"\(partner)\" (nicht in der Richtlinie \(policy.bundle.id); bekannt: \(known))",
                           en: "unknown partner \"\(partner)\" (not in policy \(policy.bundle.id); known: \(known))")
        }
        guard policy.bundle.purpose(purpose) != nil else {
            let known = policy.bundle.purposes.map(\.id).sorted().joined(separator: ", ")
            throw WebError(.unprocessableContent, code: "unknown-purpose",
                           de: "unbekannter Zweck \"\(purpose)\" (nicht in der Richtlinie \(policy.bundle.id); bekannt: \(known))",
                           en: "unknown purpose \"\(purpose)\" (not in policy \(policy.bundle.id); known: \(known))")
        }
    }

    /// Runs a check for `account` (municipality rule, audit, metrics) and returns the result.
    static func check(_ request: CheckRequest, account: Account, environment: WebEnvironment) async throws -> CheckResult {
        let gate = environment.gate
        try validate(partner: request.partner, purpose: request.purpose, policy: gate.policy)
        try SubjectAccess.requireListedMunicipality(request.statedAttributes, account: account, policy: gate.policy)
        let subjectID = request.subject
        let result = try await gate.checkConcurrently(request, actor: Actor(id: account.name, municipality: account.municipality)) { stored, stated in
            // `stored` is a subject with only its id for a person with consents but no person record (no extra read).
            try SubjectAccess.authorize(subjectID: subjectID, stored: stored, stated: stated, account: account)
        }
        var released = 0
        for f in result.decision.fields where f.outcome == .permit { released += 1 }
        environment.metrics.recordDecision(permittedFields: released, deniedFields: result.decision.fields.count - released)
        return result
    }

    static func register(_ r: RouteRegistrar) {
        let env = r.environment
        let limit = env.configuration.maxJSONBodyBytes
        // The policy is the gate's for its lifetime: its stateable attributes are looked up once.
        let stateable = env.gate.policy.stateableAttributes
        r.api(.post, "/v1/decisions", roles: [.caseworker]) { request, auth in
            // The fast path reads the common body (no stateable attribute); one that states any goes the strict way.
            let body = try await DecisionRoutes.$stateableAttributes.withValue(stateable) {
                try await RequestBodyReader.decodeJSON(RequestJSON.self, from: request, limit: limit, fastPath: fastRequest)
            }
            // The store as it is once the body has arrived, not as it was when the head did (the request's first
            // snapshot, which authenticated the token): a client decides how long its body takes, and a person another
            // municipality recorded meanwhile must be refused like at any later request, never decided with its consents.
            let result = try await env.gate.readCache.withRequestSnapshot {
                try await check(CheckRequest(subject: body.subject, statedAttributes: body.attributes?.subject(id: body.subject),
                                             partner: body.partner, purpose: body.purpose, fields: body.fields,
                                             at: body.at, referral: body.referral, statedValues: body.attributes?.stated ?? [:]),
                                account: auth.account, environment: env)
            }
            return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(bytes: result.jsonBytes)))
        }
    }
}
