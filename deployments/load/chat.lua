-- wrk script: conversations of 10 turns, each turn one of a few messages of
-- the kinds enterprises send (facts, an answer, a question). A conversation's
-- next turn goes out once the answer to its last one is back, under the
-- session_id of that answer, so that no two turns of one session race; each
-- connection keeps about one conversation going.
-- wrk -t2 -c64 -d20s --latency -s deployments/load/chat.lua http://127.0.0.1:8080
local messages = {
  "我们是南康区做家具的,今年营收12个亿,去年9亿,能拿什么奖励?",
  "盈利的",
  "今年我们通过发行票据融资了5000万元,能奖励多少?",
  "企业参加博览会有奖励吗",
  "说错了,今年是10.3亿",
}
local turns_per_conversation = 10
local counter = 0
local waiting = {} -- sessions whose next turn may go out
local turns = {}   -- turns each live session has had

request = function()
  counter = counter + 1
  local message = messages[(counter % #messages) + 1]
  local session = table.remove(waiting)
  local body
  if session then
    body = string.format('{"session_id":"%s","message":"%s"}', session, message)
  else
    body = string.format('{"message":"%s"}', message)
  end
  return wrk.format("POST", "/v1/chat", {["Content-Type"] = "application/json"}, body)
end

response = function(status, headers, body)
  local session = body:match('"session_id":"([^"]+)"')
  if not session then
    return
  end
  local n = (turns[session] or 0) + 1
  if n < turns_per_conversation then
    turns[session] = n
    table.insert(waiting, session)
  else
    turns[session] = nil
  end
end
