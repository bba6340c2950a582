-- wrk script: POST the JSON body in the file $WRK_BODY with the bearer token $WRK_TOKEN.
-- wrk itself reports "Non-2xx or 3xx responses" when any request failed; the runner checks that line.
local f = assert(io.open(os.getenv("WRK_BODY"), "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("WRK_TOKEN")
