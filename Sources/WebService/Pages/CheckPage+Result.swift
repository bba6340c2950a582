import AuditLog
import Diagnostics
import Foundation
import Gate
import Hummingbird
import PolicyEngine

/// A referral check's result as the page showed it after the POST, held in the page session so the GET page of the
/// decision (`/check/{index}`) shows it again: post-redirect-get. Before 2026-12-06 the result was the direct answer to
/// `POST /check`, so the browser's reload (or Back/Forward) sent the form again and logged a second decision, which the
/// Art. 15 report and the statistics then counted as another disclosure (found in a review of the pages).
struct KeptCheck: Sendable {
    /// The audit index of the decision.
    let index: Int64
    /// The decision, with the consents the evaluator saw (for the reasons' words).
    let result: CheckResult
    /// What the request stated for stateable attributes (shown under the table).
    let stated: [String: AttributeValue]
    /// The form's entries, filled in again under the result.
    let form: FormData
}

extension CheckPage {
    /// The GET page of a decision the case worker's session checked: the result and the form as after the POST. A
    /// decision this session did not check (a bookmark, a new login) shows the empty form with where its referral sheet
    /// is, if it is a decision of the case worker's municipality; anything else is the same 404 as for the sheet.
    static func result(_ page: PageRequest, env: WebEnvironment) async throws -> Response {
        let index = try PathParameter.index("index", in: page.context)
        if let s = page.session, let kept = await env.sessions.keptCheck(index: index, session: s.id) {
            return try await render(page, env: env, form: kept.form, result: kept.result, stated: kept.stated)
        }
        let gate = env.gate
        let stored: StoredEntry
        do { stored = try await BlockingWork.run { try gate.auditLog.entry(index: index) } } catch { throw WebError.notFound(page.path) }
        guard case .decision = stored.entry.content, let own = page.account?.municipality,
              stored.entry.municipality == own else { throw WebError.notFound(page.path) }
        let l = page.language
        let note: HTML = """
            <p id="check-not-kept" class="notice" role="status">\(l == .de
                ? "Das Ergebnis dieser Prüfung (Protokolleintrag \(Int(index))) zeigt nur die Sitzung, in der sie gemacht wurde."
                : "The result of this check (audit entry \(Int(index))) is shown only in the session it was made in.") <a href="/check/\(Int(index))/sheet.csv" download>\(l == .de ? "Freigegebene Felder als Übergabeblatt herunterladen (CSV)" : "Download the released fields as referral sheet (CSV)")</a></p>
            """
        return try await render(page, env: env, form: FormData(), result: nil, notice: note)
    }
}
