import CoreMetrics
import HotDesk
import Logging
import WebServer

/// The auto-provisioning URL handsets fetch without a portal session:
/// `/provision/<token>/y000000000000.boot`, `/provision/<token>/<mac>.boot`, `/provision/<token>/<mac>.cfg`
/// (handsets whose firmware predates boot files) and `/provision/<token>/hotdesking.cfg`.
///
/// Every refusal — a file name of another shape, an unknown or rotated token, provisioning switched off,
/// a source outside the install's trusted ranges when they are required — is the same 404 with the same
/// body, so a stranger learns nothing from trying. The token is found by its SHA-256 (one index lookup
/// whether it exists or not) and then compared in constant time. Every fetch is logged with its source
/// address, install, file and outcome; never with the token. Nothing is cached.
struct ProvisioningHandlers: Sendable {
    /// The files the URL serves.
    enum File: Equatable {
        case commonBoot
        case handsetBoot(MACAddress)
        case handsetConfiguration(MACAddress)
        case configuration

        /// The file a name asks for; nil for any other name.
        init?(name: String) {
            if name == "y000000000000.boot" {
                self = .commonBoot
            } else if name == YealinkFiles.configurationFileName {
                self = .configuration
            } else if name.hasSuffix(".boot"), let mac = MACAddress(name.dropLast(5)) {
                self = .handsetBoot(mac)
            } else if name.hasSuffix(".cfg"), let mac = MACAddress(name.dropLast(4)) {
                self = .handsetConfiguration(mac)
            } else {
                return nil
            }
        }
    }

    let portal: Portal

    /// Adds the route, and one that answers every other path below `/provision/` with the same 404.
    func register(on router: inout Router) {
        router.get("/provision/:token/:file", fetch)
        router.get("/provision/*path") { request in
            // The path's first segment may be a token: only what follows it is logged.
            let path = request.parameters["path"] ?? ""
            let afterToken = path.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).dropFirst()
                .first
            return refuse(request, file: afterToken.map(String.init) ?? "", installID: nil, outcome: "unknown_file")
        }
    }

    /// `GET /provision/:token/:file`.
    func fetch(_ request: Request) throws -> Response {
        let name = request.parameters["file"] ?? ""
        guard let file = File(name: name) else {
            return refuse(request, file: name, installID: nil, outcome: "unknown_file")
        }
        guard let token = request.parameters["token"].flatMap(ProvisioningToken.init) else {
            return refuse(request, file: name, installID: nil, outcome: "unknown_token")
        }
        return try portal.guarded {
            switch try portal.operations.provisioning.decide(token: token, sourceAddress: request.remoteAddress) {
            case .unknownToken:
                return refuse(request, file: name, installID: nil, outcome: "unknown_token")
            case .disabled(let installID):
                return refuse(request, file: name, installID: installID, outcome: "disabled")
            case .untrustedSource(let installID):
                return refuse(request, file: name, installID: installID, outcome: "untrusted_source")
            case .serve(let installID, let settings, let server):
                let text: String
                switch file {
                case .commonBoot, .handsetBoot: text = YealinkFiles.boot()
                case .configuration, .handsetConfiguration: text = YealinkFiles.configuration(settings, server: server)
                }
                log(request, file: name, installID: installID, outcome: "served")
                return Self.uncached(.text(text))
            }
        }
    }

    /// The one answer to every refused fetch.
    private func refuse(_ request: Request, file: String, installID: Int?, outcome: String) -> Response {
        log(request, file: file, installID: installID, outcome: outcome)
        return Self.uncached(.text("Not found.\n", status: .notFound))
    }

    private func log(_ request: Request, file: String, installID: Int?, outcome: String) {
        Counter(label: "hotdesk_provisioning_fetches_total", dimensions: [("outcome", outcome)]).increment()
        portal.logger.info(
            "provisioning fetch \(outcome)",
            metadata: [
                "remote_address": "\(request.remoteAddress)", "install_id": "\(installID.map(String.init) ?? "-")",
                "file": "\(AuditText.visible(String(file.prefix(64))))", "outcome": "\(outcome)",
                "request_id": "\(request.id)",
            ])
    }

    private static func uncached(_ response: Response) -> Response {
        var response = response
        response.headers.replaceOrAdd("Cache-Control", "no-store")
        return response
    }
}
