-- Sign-ins: POST /login with a correct password, rotating over the accounts listed in a file (one email
-- per line). The sign-in form's anti-forgery check is a double-submit token: the same value in the
-- hotdesk_signin cookie and the _csrf field.
-- Arguments: ACCOUNTS_FILE PASSWORD TOKEN ORIGIN
function init(args)
    local path, password, token = args[1], args[2], args[3]
    bodies, next_body = {}, 0
    for email in io.lines(path) do
        table.insert(bodies, "email=" .. email:gsub("@", "%%40") .. "&password=" .. password .. "&_csrf=" .. token)
    end
    wrk.method = "POST"
    wrk.headers["Cookie"] = "hotdesk_signin=" .. token
    wrk.headers["Origin"] = args[4]
    wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
end

function request()
    next_body = next_body + 1
    return wrk.format(nil, "/login", nil, bodies[(next_body % #bodies) + 1])
end
