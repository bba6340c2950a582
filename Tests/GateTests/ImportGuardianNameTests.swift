import ConsentRecords
import Foundation
import PolicyEngine
import Testing
@testable import Gate

/// `consent import` holds a new consent's guardians to the rule of a grant: a "name" without a letter (`-`, `?`) is a
/// placeholder that would satisfy the guardian rule without naming anyone. Before, a document signed elsewhere with
/// such a guardian was stored and released a child's data, while `consent grant` refused the same declaration.
@Suite struct ImportGuardianNameTests {
    /// A child's consent, signed with the installation's own consent-signer key (the trust stores are the same), naming
    /// `guardians`.
    static func document(guardians: [String], subject: String) throws -> [UInt8] {
        let source = try GateTestInstallation()
        defer { source.remove() }
        let gate = try source.open()
        let declaration = ConsentDeclaration(
            subject: subject, template: .init(id: "kim-beratung", version: gate.policy.bundle.template("kim-beratung")!.version),
            language: "de", clauses: ["jugendamt"], grantedAt: Fixture.grantedAt,
            expiresAt: Fixture.grantedAt.addingTimeInterval(86_400 * 300), collectedBy: Fixture.caseManager,
            guardians: guardians.map { Guardian(name: $0) })
        let key = try gate.signingKey(for: .consentSigner, at: Fixture.grantedAt)
        return try declaration.signed(with: key.privateKey).bytes
    }

    @Test(arguments: [(["-"], "guardians[0].name", "-"), (["Olena Petrenko", "?"], "guardians[1].name", "?"),
                      (["Олена Петренко"], nil, nil)] as [([String], String?, String?)])
    func aPlaceholderGuardianIsRefusedOnImport(_ guardians: [String], field: String?, name: String?) throws {
        let subject = "RSK-2022-000035"
        let bytes = try Self.document(guardians: guardians, subject: subject)
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        let logged = try gate.auditLog.size()
        let child = Fixture.day("2016-01-01")
        guard let field, let name else {
            guard case .imported(.consent, _) = try gate.importConsentDocument(bytes, birthDate: child, actor: Fixture.actor) else {
                Issue.record("a named guardian's consent was not imported"); return
            }
            return
        }
        #expect(throws: GateError.guardianNameWithoutLetter(field: field, name: name)) {
            try gate.importConsentDocument(bytes, birthDate: child, actor: Fixture.actor)
        }
        // Nothing stored or logged, the birth date given with it included.
        #expect(try gate.consents.list(subject: subject).isEmpty)
        #expect(try gate.subject(id: subject) == nil)
        #expect(try gate.auditLog.size() == logged)
    }
}
