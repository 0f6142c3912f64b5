/// One page of a list paged by keyset, with where the pages around it start.
///
/// A page is "the first `pageSize` items from this start on" in the list's order, so a deep page costs
/// what page 1 costs (the page plus one item, and the previous page's start read backwards from an index),
/// and an item added or removed meanwhile never shifts a page by one. The Users tab pages by extension
/// (`UserPage`), Telephony Settings by install name (`InstallPage`).
public struct KeysetPage<Item: Sendable & Equatable, Start: Sendable & Equatable>: Sendable, Equatable {
    /// The page's items, at most the page size.
    public let items: [Item]
    /// Where the previous page starts; nil on the first page.
    public let previousStart: Start?
    /// Where the next page starts; nil on the last page.
    public let nextStart: Start?

    /// Builds a page from `rows`, read with a limit of `pageSize + 1`: an extra row is where the next page starts.
    init(rows: [Item], pageSize: Int, previousStart: Start?, start: (Item) -> Start) {
        var items = rows
        nextStart = items.count > pageSize ? start(items.removeLast()) : nil
        self.items = items
        self.previousStart = previousStart
    }
}

/// One page of the Users tab, sorted by extension; the pages start at an extension.
public typealias UserPage = KeysetPage<HotDeskUser, Extension>

/// One page of Telephony Settings, sorted by install name; the pages start at an install (its id).
public typealias InstallPage = KeysetPage<InstallSummary, Int>
