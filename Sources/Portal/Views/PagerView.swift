import HotDesk
import Templates
import WebServer

/// The Previous/Next links under a list paged by keyset (`pager` partial): the Users tab and Telephony
/// Settings. Each link keeps the list's other query fields (its search) and adds `from`, the next or
/// previous page's start.
struct PagerView: TemplateView {
    static let templateFields = TemplateFields(Self.self)
    /// What the links page through, for screen readers ("Pages of users").
    let label: String
    /// How many items a page holds, named in the links' text.
    let pageSize: Int
    let previousHref: String?
    let nextHref: String?

    /// The links around `page` of the list at `path` with `query`; nil when the list fits on one page.
    init?<Item, Start>(
        _ page: KeysetPage<Item, Start>, label: String, pageSize: Int, path: String, query: [(String, String)],
        start: (Start) -> String
    ) {
        guard page.previousStart != nil || page.nextStart != nil else { return nil }
        let href = { (from: Start) in path + "?" + FormData(query + [("from", start(from))]).encoded }
        self.label = label
        self.pageSize = pageSize
        previousHref = page.previousStart.map(href)
        nextHref = page.nextStart.map(href)
    }
}
