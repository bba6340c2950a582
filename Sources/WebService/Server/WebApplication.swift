import Gate
import Hummingbird
import Logging
import NIOCore

/// Builds the ConsentGate web application: the router with its middleware and every route.
public enum WebApplication {
    /// The router of the whole service. Middleware, outermost first: metrics (sees the final status),
    /// security headers, language, error rendering, query text (U+0000 refused), authentication.
    public static func buildRouter(environment: WebEnvironment) -> Router<AppRequestContext> {
        let router = Router(context: AppRequestContext.self)
        router.add(middleware: MetricsMiddleware(metrics: environment.metrics, catalog: environment.catalog))
        router.add(middleware: SecurityHeadersMiddleware(tls: environment.configuration.tls))
        router.add(middleware: LanguageMiddleware(tls: environment.configuration.tls, catalog: environment.catalog))
        router.add(middleware: ErrorMiddleware(catalog: environment.catalog, environment: environment))
        router.add(middleware: QueryTextMiddleware())
        router.add(middleware: AuthenticationMiddleware(environment: environment))
        let registrar = RouteRegistrar(router: router, environment: environment)
        SystemRoutes.register(registrar)
        AccountRoutes.register(registrar)
        KeyRoutes.register(registrar)
        DecisionRoutes.register(registrar)
        LoginPages.register(registrar)
        StartPage.register(registrar)
        CheckPage.register(registrar)
        ConsentRoutes.register(registrar)
        ConsentPages.register(registrar)
        ConsentListPage.register(registrar)
        AuditRoutes.register(registrar)
        AuditPages.register(registrar)
        AdminPages.register(registrar)
        ExportRoutes.register(registrar)
        ExportPages.register(registrar)
        return router
    }

    /// The application, bound to `configuration.host` and `port`, answering `HEAD` for every `GET` route
    /// (`HeadRouter`) and a request that is not valid HTTP/1.1 with its reason (`MalformedRequestAnswer`). `onServerRunning` receives the actual port (useful with port 0).
    public static func build(environment: WebEnvironment, logger: Logger? = nil,
                             onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        let config = environment.configuration
        var log = logger ?? DeferredMetadataLogHandler.logger(label: "consentgate.web")
        if logger == nil { log.logLevel = .info }
        return Application(router: HeadRouter(router: buildRouter(environment: environment), catalog: environment.catalog),
                           server: .http1(configuration: .init(additionalChannelHandlers: [MalformedRequestAnswer()],
                                                               idleTimeout: TimeAmount(config.connectionIdleTimeout))),
                           configuration: .init(address: .hostname(config.host, port: config.port), serverName: nil),
                           onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? config.port) },
                           logger: log)
    }

    /// Builds and runs the service until SIGINT or SIGTERM (graceful shutdown). The audit log's verification for the
    /// `/audit` page starts in the background at once, so the first DPO view after a start need not wait for it; the
    /// trust store file is watched meanwhile (`TrustStoreWatchLog`: a change counts only after a restart, and is logged).
    public static func run(environment: WebEnvironment, onServerRunning: @escaping @Sendable (Int) async -> Void) async throws {
        environment.verificationCache.warmUp(gate: environment.gate)
        let trustWatch = Task {
            await TrustStoreWatchLog.watch(gate: environment.gate, every: environment.configuration.trustStoreCheckInterval,
                                           logger: DeferredMetadataLogHandler.logger(label: "consentgate.web"))
        }
        defer { trustWatch.cancel() }
        try await build(environment: environment, onServerRunning: onServerRunning).runService()
    }
}
