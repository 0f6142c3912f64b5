import Foundation
import PostgresClient

/// Compares the database after a load with what the load generator was told: every change must be whole
/// (its row and its audit event, or neither), and every accepted change must be there exactly once.
///
/// Writes that got no answer or a 5xx are "uncertain": either outcome is right for them, but never half
/// of one. With `strict`, there must be no uncertain writes at all.
struct WriteCheck {
    let report: LoadReport
    let connection: PostgresConnection

    /// Every discrepancy found, as a sentence; empty when the database matches.
    func problems(strict: Bool) throws -> [String] {
        var problems: [String] = []
        if strict && report.uncertainWrites > 0 {
            problems.append("\(report.uncertainWrites) writes got no answer or a 5xx")
        }
        problems += try pinProblems()
        problems += try rangeProblems()
        return problems
    }

    /// Each user's version counts its PIN resets (nothing else edits these users), each reset has one
    /// `pin.reset` event, and the accepted resets are all there: the last PIN shown is the PIN stored.
    private func pinProblems() throws -> [String] {
        var accepted: [Int: [String]] = [:]
        var uncertain: [Int: Int] = [:]
        var users: [Int] = []
        for log in report.logs {
            accepted.merge(log.acceptedPINs) { $0 + $1 }
            uncertain.merge(log.uncertainPINResets, uniquingKeysWith: +)
            users += log.install.users
        }
        let rows = try connection.query(
            """
            SELECT u.id, u.version, u.hot_desk_pin,
                   (SELECT count(*)::int FROM hotdesk.audit_events e
                    WHERE e.action = 'pin.reset' AND e.target_type = 'user' AND e.target_id = u.id) AS resets
            FROM hotdesk.users u WHERE u.id = ANY(\("{" + users.map(String.init).joined(separator: ",") + "}")::bigint[])
            """)
        var problems: [String] = []
        for row in rows {
            let id: Int = try row.decode("id")
            let version: Int = try row.decode("version")
            let resets: Int = try row.decode("resets")
            let pin: String? = try row.decode("hot_desk_pin")
            let shown = accepted[id] ?? []
            let unknown = uncertain[id] ?? 0
            if resets != version - 1 {
                problems.append("user \(id): version \(version) but \(resets) pin.reset events (half a change)")
            }
            if resets < shown.count || resets > shown.count + unknown {
                problems.append(
                    "user \(id): \(resets) pin.reset events for \(shown.count) accepted and \(unknown) uncertain resets"
                )
            }
            if unknown == 0, let last = shown.last, pin != last {
                problems.append("user \(id): stores a PIN other than the last one the portal showed (a lost write)")
            }
        }
        if rows.count != users.count { problems.append("\(users.count - rows.count) users are missing") }
        return problems
    }

    /// Every range row has one `trusted_network.added` event and no removal; every removed range has one
    /// added and one removed event and no row; accepted adds and removals are there, and nothing else is.
    private func rangeProblems() throws -> [String] {
        let installs = "{" + report.logs.map { String($0.install.id) }.joined(separator: ",") + "}"
        let rows = try connection.query(
            """
            SELECT id, network::text AS network FROM hotdesk.trusted_networks
            WHERE install_id = ANY(\(installs)::bigint[])
            """)
        let events = try connection.query(
            """
            SELECT action, target_id, target_label FROM hotdesk.audit_events
            WHERE action IN ('trusted_network.added', 'trusted_network.removed')
              AND install_id = ANY(\(installs)::bigint[])
            """)
        var rowNetworks: [Int: String] = [:]
        for row in rows { rowNetworks[try row.decode("id")] = try row.decode("network") }
        var added: [Int: [String]] = [:]
        var removed: [Int: [String]] = [:]
        for event in events {
            let action: String = try event.decode("action")
            let target: Int = try event.decode("target_id")
            let label: String = try event.decode("target_label")
            if action == "trusted_network.added" {
                added[target, default: []].append(label)
            } else {
                removed[target, default: []].append(label)
            }
        }
        var problems: [String] = []
        for (id, network) in rowNetworks where added[id]?.count != 1 || removed[id] != nil {
            problems.append(
                "range \(network) (\(id)) exists with \(added[id]?.count ?? 0) added and \(removed[id]?.count ?? 0) removed events"
            )
        }
        for (id, labels) in added where rowNetworks[id] == nil && removed[id]?.count != 1 {
            problems.append("range \(labels[0]) (\(id)) is gone but has \(removed[id]?.count ?? 0) removed events")
        }
        for (id, labels) in removed where rowNetworks[id] != nil || added[id]?.count != 1 || labels.count != 1 {
            problems.append(
                "range \(labels[0]) (\(id)) has \(labels.count) removed events, \(added[id]?.count ?? 0) added, row present: \(rowNetworks[id] != nil)"
            )
        }

        let present = Set(rowNetworks.values)
        let addedLabels = added.values.flatMap { $0 }
        let removedLabels = removed.values.flatMap { $0 }
        let acceptedAdds = report.logs.flatMap(\.acceptedAdds)
        let acceptedRemovals = Set(report.logs.flatMap(\.acceptedRemovals))
        let uncertainRemovals = Set(report.logs.flatMap(\.uncertainRemovals))
        let possibleAdds = Set(acceptedAdds + report.logs.flatMap(\.uncertainAdds))
        for network in acceptedAdds where !addedLabels.contains(network) {
            problems.append("accepted add of \(network) has no audit event (a lost write)")
        }
        for network in acceptedAdds
        where !acceptedRemovals.contains(network) && !uncertainRemovals.contains(network)
            && !present.contains(network)
        {
            problems.append("accepted add of \(network) is missing (a lost write)")
        }
        for network in acceptedRemovals where present.contains(network) || !removedLabels.contains(network) {
            problems.append("accepted removal of \(network) did not happen (a lost write)")
        }
        for network in Set(addedLabels).subtracting(possibleAdds) {
            problems.append("range \(network) was added though no browser asked for it")
        }
        for network in Set(removedLabels).subtracting(acceptedRemovals.union(uncertainRemovals)) {
            problems.append("range \(network) was removed though no browser asked for it")
        }
        let duplicates = Dictionary(grouping: addedLabels, by: { $0 }).filter { $0.value.count > 1 }.keys
        problems += duplicates.map { "range \($0) was added more than once (a duplicated write)" }
        return problems
    }
}
