import AuditLog
import Diagnostics
import Foundation
import PolicyEngine
import Signing
import Testing
@testable import Gate

/// A case worker's account is bound to one of the county's municipalities, spelled as in its lists: a misspelt one
/// (`siegburg`, `Hennef` for `Hennef (Sieg)`, a trailing space) made an account that saw nobody and acted for nobody,
/// without any message. Now it is refused, naming what was probably meant, and nothing is stored or logged.
@Suite struct AccountMunicipalityTests {
    static let fast = PasswordHashing.Parameters(logN: 10, r: 8, p: 1)

    @Test(arguments: [
        ("siegburg", ["Siegburg"]), ("Hennef", ["Hennef (Sieg)"]), ("Siegburg ", ["Siegburg"]), ("KÖNIGSWINTER", ["Königswinter"]),
        ("Bad", ["Bad Honnef"]), ("Köln", []), ("Sieg<burg> & \"Co\"", []),
    ] as [(String, [String])])
    func anUnknownMunicipalityIsRefusedNamingWhatWasMeant(_ municipality: String, _ meant: [String]) throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        let logged = try gate.auditLog.size()
        let known = gate.policy.bundle.countyMunicipalities.sorted
        #expect(known.count == 19, "the shipped policy lists the Rhein-Sieg-Kreis's 19 towns and municipalities")
        #expect(throws: AccountError.unknownMunicipality(municipality, suggestions: meant, known: known)) {
            try gate.addAccount(name: "anna", role: .caseworker, municipality: municipality, password: nil,
                                actor: Actor(id: "admin.kreis"), passwordParameters: Self.fast)
        }
        #expect(try gate.accounts.list().isEmpty)
        #expect(try gate.auditLog.size() == logged)
        let error = AccountError.unknownMunicipality(municipality, suggestions: meant, known: known)
        if let first = meant.first {
            #expect(error.message(in: .de).contains("gemeint ist wohl \"\(first)\""))
            #expect(error.message(in: .en).contains("did you mean \"\(first)\""))
        } else {
            #expect(error.message(in: .de).contains("Siegburg, Swisttal, Troisdorf"))
            #expect(error.message(in: .en).contains("name one of the county's"))
        }
    }

    @Test func everyMunicipalityOfTheCountyIsAccepted() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        for (i, m) in gate.policy.bundle.countyMunicipalities.sorted.enumerated() {
            let created = try gate.addAccount(name: "cw-\(i)", role: .caseworker, municipality: m, password: nil,
                                              actor: Actor(id: "admin.kreis"), passwordParameters: Self.fast)
            #expect(created.account.municipality == m)
        }
    }
}
