wrk.method = "POST"
wrk.body = '{"prompt":"hello"}'
wrk.headers["Content-Type"] = "application/json"
