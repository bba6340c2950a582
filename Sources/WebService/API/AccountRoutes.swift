import Foundation
import Gate
import Hummingbird
import Signing

/// `GET /v1/me` (who am I), `GET /v1/accounts` and `POST /v1/accounts` (admin: list and create).
enum AccountRoutes {
    /// An account as the API shows it (never a hash).
    struct AccountJSON: Encodable {
        let name: String
        let role: String
        let municipality: String?
        let createdAt: String
        let disabledAt: String?
        enum CodingKeys: String, CodingKey { case name, role, municipality, createdAt = "created-at", disabledAt = "disabled-at" }
        init(_ a: Account) {
            name = a.name; role = a.role.rawValue; municipality = a.municipality
            createdAt = RFC3339.format(a.createdAt); disabledAt = a.disabledAt.map(RFC3339.format)
        }
    }

    /// The body of `POST /v1/accounts`. API-created accounts have no page password; their holder
    /// sets one with `consentgate users` (passwords never travel through the API).
    struct CreateAccount: StrictDecodable {
        let name: String
        let role: AccountRole
        let municipality: String?
        enum CodingKeys: String, CodingKey, CaseIterable { case name, role, municipality }
        init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            name = try c.decode(String.self, forKey: .name)
            let roleText = try c.decode(String.self, forKey: .role)
            guard let role = AccountRole(rawValue: roleText) else {
                throw DecodingError.dataCorrupted(.init(codingPath: c.codingPath + [CodingKeys.role],
                    debugDescription: "\"\(roleText)\" is not one of \(AccountRole.allCases.map(\.rawValue).joined(separator: ", "))"))
            }
            self.role = role
            municipality = try c.decodeIfPresent(String.self, forKey: .municipality)
        }
    }

    struct Created: Encodable { let account: AccountJSON; let token: String }

    static func register(_ r: RouteRegistrar) {
        let accounts = r.environment.accounts
        let limit = r.environment.configuration.maxJSONBodyBytes
        r.api(.get, "/v1/me", roles: Set(AccountRole.allCases)) { _, auth in
            try JSONResponse.make(AccountJSON(auth.account))
        }
        r.api(.get, "/v1/accounts", roles: [.admin]) { _, _ in
            try JSONResponse.make(try accounts.list().map(AccountJSON.init))
        }
        r.api(.post, "/v1/accounts", roles: [.admin]) { request, _ in
            let body = try await RequestBodyReader.decodeJSON(CreateAccount.self, from: request, limit: limit)
            let created = try accounts.add(name: body.name, role: body.role, municipality: body.municipality, password: nil)
            return try JSONResponse.make(Created(account: AccountJSON(created.account), token: created.token), status: .created)
        }
    }
}
