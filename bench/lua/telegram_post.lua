-- Replays Telegram updates (one JSON body per line, each with its own update_id), optionally
-- paced, with the webhook's secret header.
-- wrk ... -s telegram_post.lua URL -- <request file> <path> <secret> [rate per second, 0 = flat out]
package.path = debug.getinfo(1, "S").source:match("^@(.*/)") .. "?.lua;" .. package.path
local common = require("common")

local requests, count, index, pace = {}, 0, 0, nil
ok, other, other_code = 0, 0, nil

setup = common.setup
done = common.done

function init(args)
  local file, path, secret, rate = args[1], args[2], args[3], tonumber(args[4] or "0")
  for body in io.lines(file) do
    count = count + 1
    requests[count] = wrk.format("POST", path, {
      ["Content-Type"] = "application/json",
      ["X-Telegram-Bot-Api-Secret-Token"] = secret,
      ["X-Forwarded-Proto"] = "https",
    }, body)
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
