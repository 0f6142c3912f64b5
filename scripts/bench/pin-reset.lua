-- PIN reset round trips, one user per request, rotating over the users listed in a file ("install user version
-- pin" per line, written by scripts/bench.sh from the database just before the run), either as the Reset PIN
-- form posts them (POST /installs/I/users/U/pin with the session's CSRF token) or as the API's PIN PUT (PUT
-- /api/v1/installs/I/users/U/pin with If-Match). Each wrk thread takes every Nth line, so no two threads reset
-- the same user. A thread that came round to a user again would send the version the user has after one earlier
-- reset (each reset bumps it by one); scripts/bench.sh lists enough users that this does not happen, because wrk
-- may generate a request it never sends (here: the first request of the first thread), after which that user's
-- count would be one too high.
-- Arguments: USERS_FILE THREAD_COUNT form COOKIE CSRF_TOKEN ORIGIN
--        or: USERS_FILE THREAD_COUNT api KEY
local created = 0

function setup(thread)
    thread:set("index", created)
    created = created + 1
end

function init(args)
    local path, thread_count = args[1], tonumber(args[2])
    users, next_user = {}, 0
    local line_number = 0
    for line in io.lines(path) do
        if line_number % thread_count == index then
            local install, user, version, pin = line:match("^(%d+) (%d+) (%d+) (%d+)$")
            table.insert(users, { install = install, user = user, version = tonumber(version), pin = pin })
        end
        line_number = line_number + 1
    end
    api = args[3] == "api"
    if api then
        -- wrk.format's headers replace wrk.headers: one table, reused, holds them all.
        wrk.method = "PUT"
        api_headers = { ["Authorization"] = "Bearer " .. args[4], ["Content-Type"] = "application/json" }
    else
        wrk.method = "POST"
        wrk.headers["Cookie"] = args[4]
        wrk.headers["Origin"] = args[6]
        wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
        csrf = args[5]
    end
end

function request()
    local entry = users[(next_user % #users) + 1]
    local version = entry.version + math.floor(next_user / #users)
    next_user = next_user + 1
    if api then
        local path = "/api/v1/installs/" .. entry.install .. "/users/" .. entry.user .. "/pin"
        api_headers["If-Match"] = '"' .. version .. '"'
        return wrk.format(nil, path, api_headers, '{"pin":"' .. entry.pin .. '"}')
    end
    local body = "_csrf=" .. csrf .. "&version=" .. version .. "&pin=" .. entry.pin .. "&pin_confirmation=" .. entry.pin
    return wrk.format(nil, "/installs/" .. entry.install .. "/users/" .. entry.user .. "/pin", nil, body)
end
