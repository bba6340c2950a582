import Hummingbird

/// The service endpoints: `/health` (the cheapest route; the benchmark's ceiling), `/metrics`
/// (Prometheus), `/openapi.yaml` (the API description) and the stylesheet.
enum SystemRoutes {
    static func register(_ r: RouteRegistrar) {
        let metrics = r.environment.metrics
        r.open(.get, "/health") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: "ok\n")))
        }
        r.open(.get, "/metrics") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(string: metrics.exposition())))
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
