import Hummingbird
import Signing

/// The service endpoints: `/health` (the cheapest route; the benchmark's ceiling), `/metrics`
/// (Prometheus, with whether the audit log can be signed now, whether a key may sign consents and exports now, whether the trust store file changed since the start, and
/// the long work running and waiting), `/openapi.yaml` (the API description) and the stylesheet.
enum SystemRoutes {
    /// The roles `/metrics` reports `consentgate_signing_key_usable` for.
    static let signingKeyRoles: [KeyRole] = [.consentSigner, .exportSigner]

    static func register(_ r: RouteRegistrar) {
        let metrics = r.environment.metrics
        let gate = r.environment.gate
        let longWork = r.environment.longWork
        r.open(.get, "/health") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: "ok\n")))
        }
        r.open(.get, "/metrics") { _, _ in
            // `/health` stays the framework's ceiling and says nothing about the audit log; monitoring learns here that
            // every request that acts answers 503 `audit-log-unavailable` (the key expired, a successor that cannot be
            // opened). Off the concurrency pool: the key may have to be decrypted (at most every 10 s after a failure).
            let signable = (try? await BlockingWork.run { _ = try gate.auditSigner() }) != nil
            var audit = "# HELP consentgate_audit_log_signable Whether the audit log can be signed now (1); 0: every request that acts answers 503.\n"
                + "# TYPE consentgate_audit_log_signable gauge\nconsentgate_audit_log_signable \(signable ? 1 : 0)\n"
            // Whether a key may sign for each role the service signs with besides the audit log (which has the gauge
            // above): 0 for `consent-signer` while recording consents and withdrawals answers 503 `signing-key-unavailable`
            // (found in a key review: an expired or revoked consent signer showed nowhere). Nothing is decrypted.
            let problems = try? await BlockingWork.run {
                SystemRoutes.signingKeyRoles.map { ($0, gate.signingKeyProblem(for: $0) == nil) }
            }
            audit += "# HELP consentgate_signing_key_usable Whether a key of the trust store may sign for the role now (1); 0: none is in force, has its private-key file here, or opens (consent-signer: recording consents and withdrawals answers 503).\n"
                + "# TYPE consentgate_signing_key_usable gauge\n"
            for (role, usable) in problems ?? SystemRoutes.signingKeyRoles.map({ ($0, false) }) {
                audit += "consentgate_signing_key_usable{role=\"\(role.rawValue)\"} \(usable ? 1 : 0)\n"
            }
            // A trust store file changed (or broken) since the start counts only after a restart (docs/keys.md).
            let trust = try? await BlockingWork.run { gate.trustStoreFileState() }
            let changed = if case .unchanged? = trust { 0 } else { 1 }
            audit += "# HELP consentgate_trust_store_changed Whether the trust store file differs from the store this service started with, or cannot be loaded (1); a restart applies it.\n"
                + "# TYPE consentgate_trust_store_changed gauge\nconsentgate_trust_store_changed \(changed)\n"
            audit += "# HELP consentgate_long_work_running Export runs and whole-log reads running now, each on a lane of its own.\n"
                + "# TYPE consentgate_long_work_running gauge\nconsentgate_long_work_running \(longWork.running)\n"
                + "# HELP consentgate_long_work_waiting Export runs and whole-log reads waiting for a lane.\n"
                + "# TYPE consentgate_long_work_waiting gauge\nconsentgate_long_work_waiting \(longWork.waiting)\n"
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(string: metrics.exposition() + audit)))
        }
        r.open(.get, "/openapi.yaml") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(string: OpenAPIDocument.yaml)))
        }
        r.open(.get, "/assets/style.css", kind: .page) { _, _ in
            Response(status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "public, max-age=3600"],
                     body: .init(byteBuffer: ByteBuffer(string: Stylesheet.css)))
        }
    }
}
