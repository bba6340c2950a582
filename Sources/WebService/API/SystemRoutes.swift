import Hummingbird

/// The service endpoints: `/health` (the cheapest route; the benchmark's ceiling), `/metrics`
/// (Prometheus, with whether the audit log can be signed now, whether the trust store file changed since the start, and
/// the long work running and waiting), `/openapi.yaml` (the API description) and the stylesheet.
enum SystemRoutes {
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
