-- GETs a list of paths in turn as one signed-in staff member, optionally paced.
-- wrk ... -s get_paths.lua URL -- <paths file> <header name> <header value> [rate]
package.path = debug.getinfo(1, "S").source:match("^@(.*/)") .. "?.lua;" .. package.path
local common = require("common")

local requests, count = {}, 0

setup = common.setup
done = common.done

function init(args)
  local file, name, value, rate = args[1], args[2], args[3], tonumber(args[4] or "0")
  for path in io.lines(file) do
    count = count + 1
    requests[count] = wrk.format("GET", path, {
      [name] = value,
      ["X-Forwarded-Proto"] = "https",
      ["Accept"] = "application/json, text/html",
    })
  end
  common.replay(requests, rate)
end
