import Foundation
import HTTPTypes
import Hummingbird
import Testing
@testable import WebService

/// A refused query names the parameter it is about in `WebError.parameter`, which is how a DPO's form links the problem
/// to its control (`FormProblems(query:)`). Before, the form guessed the parameter from the English message's first
/// words ("parameter since: …"), so rewording a message, or quoting the name as some messages do, moved the problem
/// off its control without any test noticing.
@Suite struct QueryRefusalParameterTests {
    static func request(_ query: String) -> Request {
        Request(head: HTTPRequest(method: .get, scheme: "http", authority: "localhost", path: "/v1/audit/entries?\(query)"),
                body: RequestBody(buffer: ByteBuffer()))
    }

    @Test(arguments: [
        ("since=gestern", "since"),
        ("until=31.12.2026", "until"),
        ("since=2026-12-31&until=2026-01-01", "until"),
        ("kind=decisions", "kind"),
        ("limit=0", "limit"),
        ("subject=" + String(repeating: "A", count: 300), "subject"),
        ("municipality=" + String(repeating: "ü", count: 257), "municipality"),
        ("after=-1", "after"),
        ("before=99999999999999999999", "before"),
    ])
    func theAuditFiltersNameTheirParameter(_ query: String, _ parameter: String) throws {
        let error = #expect(throws: WebError.self) { try AuditRoutes.query(Self.request(query)) }
        #expect(error?.status == .badRequest, "\(query)")
        #expect(error?.parameter == parameter, "\(query): \(String(describing: error?.message.en))")
    }

    @Test(arguments: [
        ("subjcet=RSK-1", "subjcet"),
        ("limit=5&limit=6", "limit"),
        ("partner=", "partner"),
        ("lang=fr", "lang"),
    ])
    func theKnownParametersCheckNamesTheParameter(_ query: String, _ parameter: String) throws {
        let error = #expect(throws: WebError.self) { try KnownQueryParameters.auditFilters.check(Self.request(query)) }
        #expect(error?.parameter == parameter, "\(query)")
    }

    @Test func aNULInAQueryNamesItsParameter() {
        #expect(RequestText.nulRefused(.queryParameter, name: "actor").parameter == "actor")
        #expect(RequestText.nulRefused(.formField, name: "actor").parameter == nil, "a form field is no query parameter")
    }

    /// The page's form takes the parameter from the error, whatever its words; one without a control of the form links
    /// to the form itself.
    @Test func theFormLinksTheNamedParameterToItsControl() throws {
        var refusal = WebError.badRequest(code: "invalid-field", de: "irgendwas", en: "anything at all")
        refusal.parameter = "since"
        let problems = try #require(FormProblems(query: refusal, controls: ["since": "f-since"], form: "audit-filters"))
        #expect(problems.has("since"))
        refusal.parameter = "limit"
        let other = try #require(FormProblems(query: refusal, controls: ["since": "f-since"], form: "audit-filters"))
        #expect(!other.has("since") && other.has("query"))
    }
}
