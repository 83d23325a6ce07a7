-- wrk script: a POST of the JSON body in WRK_BODY with the bearer token of bearer.lua
-- (WRK_TOKEN) and its JSON summary line.

local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "bearer.lua")

local body = os.getenv("WRK_BODY")
if body == nil or body == "" then
  error("WRK_BODY is not set")
end
wrk.method = "POST"
wrk.body = body
wrk.headers["Content-Type"] = "application/json"
