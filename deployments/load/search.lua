-- wrk script: GET /v1/search with the question of issue 2.
-- wrk -t2 -c64 -d20s --latency -s deployments/load/search.lua http://127.0.0.1:8080
wrk.path = "/v1/search?q=%E4%BC%81%E4%B8%9A%E5%80%BA%E5%88%B8%E8%9E%8D%E8%B5%84%E6%9C%89%E5%A5%96%E5%8A%B1%E5%90%97"
