-- The registrar challenges a REGISTER without credentials without asking the database (kamailio.cfg,
-- route[TRUSTED_SOURCE]): the verdict is asked once per exchange, for the REGISTER that carries the digest, so
-- 0016's answer to a NULL Call-ID (the trust check alone, before the challenge) goes. The rest is 0016's.
CREATE OR REPLACE FUNCTION registrar_state.register_verdict(
    aor_domain text, from_address inet, aor_user text, request_call_id text, request_contact text,
    request_expires text
) RETURNS text
LANGUAGE plpgsql STABLE AS $$
DECLARE
    answer text;
BEGIN
    -- One statement, planned once per connection; CASE evaluates each check only when it is reached, and AND
    -- stops at its first false operand.
    SELECT CASE
               WHEN NOT EXISTS (SELECT FROM registrar.trusted_networks t
                                WHERE t.domain = aor_domain AND from_address <<= t.network) THEN 'untrusted::'
               ELSE CASE
                        WHEN request_contact = '*'
                             OR (strpos(lower(request_contact), 'expires') > 0
                                 AND request_contact ~* ';\s*expires\s*=\s*0+\s*(;|,|>|$)')
                             OR (left(ltrim(request_expires, E' \t'), 1) = '0' AND request_expires ~ '^\s*0+\s*$'
                                 AND NOT (strpos(lower(request_contact), 'expires') > 0
                                          AND request_contact ~* ';\s*expires\s*=')) THEN 'ok'
                        WHEN EXISTS (SELECT FROM registrar_state.ended_registrations e
                                     WHERE e.callid = request_call_id AND e.username = aor_user
                                       AND e.domain = aor_domain) THEN 'logged_out'
                        WHEN EXISTS (SELECT FROM registrar.login_policy p
                                     WHERE p.domain = aor_domain AND p.refuse_second_login)
                             AND EXISTS (SELECT FROM registrar_state.location l
                                         WHERE l.username = aor_user AND l.domain = aor_domain
                                           AND l.contact <> coalesce(substring(request_contact FROM '<([^>]*)>'),
                                                                     split_part(request_contact, ';', 1))
                                           AND l.callid <> request_call_id
                                           AND l.expires > extract(epoch FROM now())::bigint)
                            THEN 'logged_in_elsewhere'
                        ELSE 'ok'
                    END || ':' || coalesce((SELECT s.ha1 || ':' || s.ha1b FROM registrar.subscriber s
                                            WHERE s.username = aor_user AND s.domain = aor_domain), ':')
           END
    INTO answer;
    RETURN answer;
END
$$;
