import Testing

/// The production set-ups, one after another: each starts a private PostgreSQL cluster and a real
/// `hotdesk serve` (and nginx, openssl or promtool) of its own, and stops them at its end.
@Suite(.serialized)
enum Production {}
