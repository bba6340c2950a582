import Diagnostics
import Hummingbird

/// One thing wrong with what the user entered in a page form: the control it belongs to and what is
/// wrong, in German and English.
struct FieldProblem: Sendable, Equatable {
    /// The name of the control (or group), which is also the stem of its error message's id (`<field>-error`).
    var field: String
    /// The `id` the error summary links to (the control itself, or a group's first box).
    var anchor: String
    /// What is wrong.
    var message: LocalizedText
}

/// The problems of one refused form submission. A page that refuses a form renders the form again with
/// every entry the user made, an error summary at the top (focused on load, each problem a link to its
/// control) and each message at its control (`aria-invalid`, `aria-describedby`): bad input loses nothing.
struct FormProblems: Sendable {
    /// The problems in the order of the form.
    private(set) var list: [FieldProblem] = []
    /// The status the page answers with: 400 for what the form itself finds wrong, else the refusal's status.
    private(set) var status: HTTPResponse.Status = .badRequest

    /// No problem found.
    var isEmpty: Bool { list.isEmpty }

    /// Adds a problem at `field` (linked at `anchor`, default the field's control itself); a status other than
    /// 400 (403, 422, 503) is the page's status from then on.
    mutating func add(_ field: String, anchor: String? = nil, _ message: LocalizedText, status: HTTPResponse.Status = .badRequest) {
        list.append(FieldProblem(field: field, anchor: anchor ?? field, message: message))
        if status != .badRequest, self.status == .badRequest { self.status = status }
    }

    /// Adds a refusal from below the page (a `WebError`, a module's `UserFacingError`) at `field`; false for an
    /// error that is not the user's input (an internal error, a storage failure), which the caller rethrows (the error
    /// page answers it, and the service logs what failed).
    mutating func add(_ field: String, anchor: String? = nil, refusal error: any Error) -> Bool {
        let web: WebError
        switch error {
        case let e as WebError: web = e
        case let e as any UserFacingError: web = WebError(e)
        default: return false
        }
        if web.logDetail != nil { return false }
        add(field, anchor: anchor, web.message, status: web.status)
        return true
    }

    /// Whether `field` has a problem.
    func has(_ field: String) -> Bool { list.contains { $0.field == field } }

    /// The id of `field`'s error message.
    static func errorID(_ field: String) -> String { "\(field)-error" }

    /// The error summary: focused when the page loads (`autofocus`, so keyboard and screen-reader users start
    /// there without a script), each problem a link to its control.
    func summary(language l: Language) -> HTML {
        guard !list.isEmpty else { return .empty }
        let items = list.map { p -> HTML in "<li><a href=\"#\(p.anchor)\">\(p.message[l])</a></li>" }
        return """
        <div class="alert error-summary" id="error-summary" role="alert" tabindex="-1" autofocus aria-labelledby="error-summary-title">
        <h2 id="error-summary-title">\(FormProblems.summaryTitle[l])</h2>
        <ul>\(items)</ul>
        </div>
        """
    }

    /// The message(s) at `field`'s control (empty when it has none).
    func message(_ field: String, language l: Language) -> HTML {
        let mine = list.filter { $0.field == field }
        guard !mine.isEmpty else { return .empty }
        let text = mine.map { $0.message[l] }.joined(separator: " ")
        return "<p class=\"field-error\" id=\"\(Self.errorID(field))\"><span class=\"visually-hidden\">\(FormProblems.errorPrefix[l]) </span>\(text)</p>"
    }

    /// ` aria-invalid="true" aria-describedby="<field>-error …"` for a control with a problem; otherwise only the
    /// `aria-describedby` of its hints (nothing when it has none).
    func attributes(_ field: String, hints: [String] = []) -> HTML {
        let ids = (has(field) ? [Self.errorID(field)] : []) + hints
        let describedBy: HTML = ids.isEmpty ? .empty : " aria-describedby=\"\(ids.joined(separator: " "))\""
        return has(field) ? " aria-invalid=\"true\"\(describedBy)" : describedBy
    }

    /// ` aria-describedby="<field>-error"` for a group (a fieldset) with a problem (`aria-invalid` belongs on
    /// controls, not on groups); nothing without one.
    func groupAttributes(_ field: String) -> HTML {
        has(field) ? " aria-describedby=\"\(Self.errorID(field))\"" : .empty
    }

    /// The heading of the error summary.
    static let summaryTitle = LocalizedText(de: "Bitte korrigieren Sie diese Angaben; alle anderen Eingaben sind erhalten geblieben:",
                                            en: "Please correct these entries; everything else you entered has been kept:")
    /// Read before a field's message by screen readers.
    static let errorPrefix = LocalizedText(de: "Fehler:", en: "Error:")
    /// A required field left empty.
    static func missing(_ label: LocalizedText) -> LocalizedText {
        LocalizedText(de: "Bitte „\(label.de)“ angeben.", en: "Please enter “\(label.en)”.")
    }
}
