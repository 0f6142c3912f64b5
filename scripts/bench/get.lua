-- GET one page with one request header (wrk -s get.lua URL -- NAME VALUE): the session cookie for the screens,
-- Authorization for the API.
function init(args)
    wrk.headers[args[1]] = args[2]
end
