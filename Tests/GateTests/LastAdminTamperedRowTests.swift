import AuditLog
import Foundation
import Signing
import Testing
@testable import Gate

/// The last active administrator is never disabled, so that someone can still manage accounts. The count of "other
/// active administrators" read the table's roles, so a row raised to admin by hand (which cannot log in: it does not
/// match its log) counted as one, and the only real administrator could be disabled, leaving nobody who can manage
/// accounts in the web service. Only rows that match their log count.
@Suite struct LastAdminTamperedRowTests {
    @Test func aRowRaisedToAdminByHandDoesNotCountAsAnotherAdministrator() throws {
        let inst = try GateTestInstallation()
        let (gate, _) = try AccountTamperedRowChangeTests.raised(inst)   // chef: admin; anna: raised to admin by hand
        let size = try gate.auditLog.size()

        #expect(throws: AccountError.lastActiveAdmin("chef")) {
            try gate.disableAccount(name: "chef", actor: AccountTamperedRowChangeTests.actor)
        }
        #expect(try gate.accounts.account(named: "chef")?.isActive == true)
        #expect(try gate.auditLog.size() == size, "nothing logged")

        // A real second administrator does count.
        _ = try gate.addAccount(name: "vertretung", role: .admin, municipality: nil, password: nil,
                                actor: AccountTamperedRowChangeTests.actor, passwordParameters: AccountTamperedRowChangeTests.fast)
        try gate.disableAccount(name: "chef", actor: AccountTamperedRowChangeTests.actor)
        #expect(try gate.accounts.account(named: "chef")?.isActive == false)
    }
}
