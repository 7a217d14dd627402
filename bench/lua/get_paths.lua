-- GETs a list of paths in turn as one signed-in staff member, optionally paced.
-- wrk ... -s get_paths.lua URL -- <paths file> <header name> <header value> [rate]
package.path = debug.getinfo(1, "S").source:match("^@(.*/)") .. "?.lua;" .. package.path
local common = require("common")

local requests, count, index, pace = {}, 0, 0, nil
ok, other, other_code = 0, 0, nil

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
  pace = common.pacer(rate)
end

function request()
  index = index + 1
  if index > count then
    index = 1
  end
  return requests[index]
end

function delay()
  if pace then
    return pace()
  end
  return 0
end

function response(status, headers, body)
  if status == 200 then
    ok = ok + 1
  else
    other = other + 1
    other_code = tostring(status)
  end
  wrk.thread:set("ok", ok)
  wrk.thread:set("other", other)
  if other_code then
    wrk.thread:set("other_code", other_code)
  end
end
