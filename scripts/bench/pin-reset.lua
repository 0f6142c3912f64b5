-- PIN reset round trips: POST /installs/I/users/U/pin with the session's CSRF token, one user per
-- request, rotating over the users listed in a file ("install user version pin" per line, written by
-- scripts/bench.sh from the database just before the run). Each wrk thread takes every Nth line, so no
-- two threads reset the same user. A thread that came round to a user again would send the version the
-- user has after one earlier reset (each reset bumps it by one); scripts/bench.sh lists enough users that
-- this does not happen, because wrk may generate a request it never sends (here: the first request of
-- the first thread), after which that user's count would be one too high.
-- Arguments: USERS_FILE COOKIE CSRF_TOKEN ORIGIN THREAD_COUNT
local created = 0

function setup(thread)
    thread:set("index", created)
    created = created + 1
end

function init(args)
    local path, cookie, token, origin = args[1], args[2], args[3], args[4]
    local thread_count = tonumber(args[5])
    users, next_user = {}, 0
    local line_number = 0
    for line in io.lines(path) do
        if line_number % thread_count == index then
            local install, user, version, pin = line:match("^(%d+) (%d+) (%d+) (%d+)$")
            table.insert(users, { install = install, user = user, version = tonumber(version), pin = pin })
        end
        line_number = line_number + 1
    end
    wrk.method = "POST"
    wrk.headers["Cookie"] = cookie
    wrk.headers["Origin"] = origin
    wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
    csrf = token
end

function request()
    local entry = users[(next_user % #users) + 1]
    local version = entry.version + math.floor(next_user / #users)
    next_user = next_user + 1
    local body = "_csrf=" .. csrf .. "&version=" .. version .. "&pin=" .. entry.pin .. "&pin_confirmation=" .. entry.pin
    return wrk.format(nil, "/installs/" .. entry.install .. "/users/" .. entry.user .. "/pin", nil, body)
end
