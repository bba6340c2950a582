import AuditLog
import Foundation
import Signing
import Testing
@testable import Gate

/// The last active administrator cannot be disabled: the installation would have nobody left to manage accounts in
/// the web service. Another active administrator must remain; disabled ones do not count.
@Suite struct LastAdminTests {
    static let fast = PasswordHashing.Parameters(logN: 10, r: 8, p: 1)
    static let actor = Actor(id: "admin.kreis")

    @Test("the only admin is refused, nothing changes and nothing is logged")
    func onlyAdminIsRefused() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        let root = try gate.addAccount(name: "root", role: .admin, municipality: nil, password: nil, actor: Self.actor)
        let before = try gate.auditLog.entries(matching: AuditQuery(kinds: [.accountEvent])).count
        #expect(throws: AccountError.lastActiveAdmin("root")) { try gate.disableAccount(name: "root", actor: Self.actor) }
        #expect(try gate.accounts.account(named: "root")?.isActive == true)
        #expect(try gate.accounts.authenticate(token: root.token)?.name == "root")
        #expect(try gate.auditLog.entries(matching: AuditQuery(kinds: [.accountEvent])).count == before)
        #expect(try StoreChecks.problem(in: gate.database.writer) == nil)
    }

    @Test("with a second active admin one may go, then the other is the last")
    func secondAdminAllowsOne() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        _ = try gate.addAccount(name: "root", role: .admin, municipality: nil, password: nil, actor: Self.actor)
        _ = try gate.addAccount(name: "vertretung", role: .admin, municipality: nil, password: nil, actor: Self.actor)
        try gate.disableAccount(name: "root", actor: Self.actor)
        #expect(try gate.accounts.account(named: "root")?.isActive == false)
        // The disabled one does not count as the remaining admin.
        #expect(throws: AccountError.lastActiveAdmin("vertretung")) { try gate.disableAccount(name: "vertretung", actor: Self.actor) }
    }

    @Test("other roles are disabled as before, also when no admin exists at all")
    func otherRolesUnaffected() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        _ = try gate.addAccount(name: "dora", role: .dpo, municipality: nil, password: nil, actor: Self.actor)
        try gate.disableAccount(name: "dora", actor: Self.actor)
        #expect(try gate.accounts.account(named: "dora")?.isActive == false)
    }

    @Test("the refusal is in German and English and is a conflict with the accounts (exit 3), not a crash")
    func messages() {
        let e = AccountError.lastActiveAdmin("root")
        #expect(e.message(in: .de).contains("letzte aktive Administrationskonto") && e.message(in: .de).contains("\"root\""))
        #expect(e.message(in: .en).contains("last active administrator") && e.message(in: .en).contains("\"root\""))
        #expect(e.category.exitCode == 3)
    }
}
