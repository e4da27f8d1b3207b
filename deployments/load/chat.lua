-- wrk script: chat turns spread over 2,000 sessions, each turn one of a few
-- messages of the kinds enterprises send (facts, an answer, a question).
-- wrk -t2 -c64 -d20s --latency -s deployments/load/chat.lua http://127.0.0.1:8080
local messages = {
  "我们是南康区做家具的,今年营收12个亿,去年9亿,能拿什么奖励?",
  "盈利的",
  "今年我们通过发行票据融资了5000万元,能奖励多少?",
  "企业参加博览会有奖励吗",
  "说错了,今年是10.3亿",
}
local counter = 0
request = function()
  counter = counter + 1
  local session = string.format("load-session-%05d", math.random(1, 2000))
  local body = string.format('{"session_id":"%s","message":"%s"}', session, messages[(counter % #messages) + 1])
  return wrk.format("POST", "/v1/chat", {["Content-Type"] = "application/json"}, body)
end
