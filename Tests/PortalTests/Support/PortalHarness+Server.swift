import Portal
import TestSupport
import WebServer

extension PortalHarness {
    /// This portal on a real socket, a free loopback port, configured as `hotdesk serve` configures it: the
    /// security headers, the upload limits and the portal's error pages. The caller shuts it down.
    func startServer() throws -> HTTPServer {
        var configuration = HTTPServer.Configuration()
        configuration.port = 0
        configuration.threadCount = 2
        configuration.defaultHeaders = Portal.securityHeaders
        configuration.bodyLimits = Portal.uploadLimits
        let portal = self.portal
        let server = HTTPServer(
            configuration: configuration, responder: router,
            errorPage: { error, id, path in portal.errorPage(for: error, requestID: id, path: path) },
            logger: TestPostgres.logger)
        try server.start()
        return server
    }
}
