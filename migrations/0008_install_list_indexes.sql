-- Telephony Settings lists an organization's installs 50 at a time, sorted by name, with a search on the
-- start of the name or SIP domain, and each listed install's user, access and range counts. These indexes
-- make every part of that one page query an index range, whatever the number of installs and users:
--   * the page and the previous page's start: a keyset range on (organization_id, name, id), which
--     replaces the (organization_id, name) index (the same order, now with the tie-break);
--   * the search: lower(name) and sip_domain prefixes (text_pattern_ops, so LIKE 'abc%' is a range);
--   * the counts, per listed install only: users from users_install_extension_key, ranges from
--     trusted_networks_install_network_key, and users with access from the partial index below, so that
--     all three are index-only scans instead of reading every user row of a 10,000-user install.
-- Indexes need no grants; the runtime role's privileges are unchanged.

CREATE INDEX installs_organization_name_id_idx ON hotdesk.installs (organization_id, name, id);
DROP INDEX hotdesk.installs_organization_name_idx;
CREATE INDEX installs_organization_lower_name_idx ON hotdesk.installs (organization_id, lower(name) text_pattern_ops);
CREATE INDEX installs_organization_sip_domain_idx ON hotdesk.installs (organization_id, sip_domain text_pattern_ops);
CREATE INDEX users_install_with_access_idx ON hotdesk.users (install_id) WHERE hot_desk_access;
