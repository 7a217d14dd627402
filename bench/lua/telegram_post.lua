-- Replays Telegram updates (one JSON body per line, each with its own update_id), optionally
-- paced, with the webhook's secret header.
-- wrk ... -s telegram_post.lua URL -- <request file> <path> <secret> [rate per second, 0 = flat out]
package.path = debug.getinfo(1, "S").source:match("^@(.*/)") .. "?.lua;" .. package.path
local common = require("common")

local requests, count = {}, 0

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
  common.replay(requests, rate)
end
