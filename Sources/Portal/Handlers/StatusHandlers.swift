import HotDesk
import WebServer

/// The start page (which database, are migrations current), the load balancer's health check and the
/// liveness probe.
struct StatusHandlers: Sendable {
    let portal: Portal

    /// `GET /`: where the portal's data lives and whether its schema is current.
    func home(_ request: Request) throws -> Response {
        try portal.guarded {
            let status = try portal.operations.system.databaseStatus(migrator: portal.migrator)
            let session = try portal.currentSession(request)
            var response = try portal.page(
                "status", title: "Status",
                context: StatusView(status, readCache: portal.readCache, signedIn: session != nil), for: request,
                session: session)
            if session != nil { response.headers.replaceOrAdd("Cache-Control", "no-store") }
            return response
        }
    }

    /// `GET /healthz`: 200 when the database answers a query, 503 when it does not. The pool logs an outage
    /// itself, once; a load balancer polls this often.
    func health(_ request: Request) throws -> Response {
        portal.operations.system.databaseAnswers()
            ? .text("ok\n") : .text("database unavailable\n", status: .serviceUnavailable)
    }

    /// `GET /livez`: 200 as long as the process answers HTTP, without touching the database. A liveness
    /// probe must not restart a healthy portal because PostgreSQL is down (that is `/healthz`'s job, for
    /// readiness); it is also the server's own ceiling in `make bench`.
    func liveness(_ request: Request) -> Response {
        var response = Response.text("ok\n")
        response.headers.replaceOrAdd("Cache-Control", "no-store")
        return response
    }
}
