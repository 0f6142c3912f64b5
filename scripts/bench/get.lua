-- GET one page with the session cookie (wrk -s get.lua URL -- COOKIE).
function init(args)
    wrk.headers["Cookie"] = args[1]
end
