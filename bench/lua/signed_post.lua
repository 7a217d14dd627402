-- Replays pre-signed Twilio webhook bodies, each once in turn, optionally paced.
-- wrk ... -s signed_post.lua URL -- <request file> <path> [rate per second, 0 = flat out]
package.path = debug.getinfo(1, "S").source:match("^@(.*/)") .. "?.lua;" .. package.path
local common = require("common")

local requests, count = {}, 0

setup = common.setup
done = common.done

function init(args)
  local file, path, rate = args[1], args[2], tonumber(args[3] or "0")
  for line in io.lines(file) do
    local signature, body = line:match("^([^\t]+)\t(.*)$")
    count = count + 1
    requests[count] = wrk.format("POST", path, {
      ["Content-Type"] = "application/x-www-form-urlencoded",
      ["X-Twilio-Signature"] = signature,
      ["X-Forwarded-Proto"] = "https",
      ["I-Twilio-Idempotency-Token"] = tostring(count),
    }, body)
  end
  common.replay(requests, rate)
end
