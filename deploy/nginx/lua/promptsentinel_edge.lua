--[[
PromptSentinel edge screening for nginx (Debian: libnginx-mod-http-lua + lua-cjson).

require("promptsentinel_edge").screen() in access_by_lua_block.  It reads the request
body, extracts "prompt" (or chat "messages"), asks PromptSentinel through the internal
location /_promptsentinel/detect (ngx.location.capture: no Lua HTTP client library
needed) and either lets the request through or answers it.  Configuration comes from
nginx variables set in the location (see promptsentinel-edge.conf):

  $ps_failure_mode    closed | open      what to do when no verdict can be had
  $ps_block_verdicts  "block"            verdicts that are refused
  $ps_block_status    403                status for a refused prompt (4xx)
  $ps_non_json        reject | pass      a body that is not a JSON object
  $ps_mode            "" | strict | moderate | permissive

The prompt text is never logged.
]]

local cjson = require("cjson.safe")

local _M = { _VERSION = "0.1.0" }

local SCREEN_URI = "/_promptsentinel/detect"
local STATUS_HEADER = "X-PromptSentinel-Screening"  -- screened | unscreened | skipped
local VERDICT_HEADER = "X-PromptSentinel-Verdict"
local ROLES = { system = true, user = true, assistant = true, tool = true }
local MODES = { strict = true, moderate = true, permissive = true }

local function reply(status, code, message, extra)
    ngx.status = status
    ngx.header["Content-Type"] = "application/json"
    ngx.header["Cache-Control"] = "no-store"
    local body = { error = code, message = message, request_id = ngx.var.request_id }
    for k, v in pairs(extra or {}) do body[k] = v end
    ngx.say(cjson.encode(body))
    return ngx.exit(status)
end

-- Marks the request for the application and the response for the client.
local function mark(state, verdict)
    ngx.req.set_header(STATUS_HEADER, state)
    ngx.header[STATUS_HEADER] = state
    if verdict then
        ngx.req.set_header(VERDICT_HEADER, verdict)
        ngx.header[VERDICT_HEADER] = verdict
    end
end

local function read_body()
    ngx.req.read_body()
    local body = ngx.req.get_body_data()
    if body == nil then
        local path = ngx.req.get_body_file()  -- only if client_body_buffer_size was lowered
        if path then
            local fh = io.open(path, "rb")
            if fh then
                body = fh:read("*a")
                fh:close()
            end
        end
    end
    return body
end

-- {prompt = ...} or {messages = {...}} in PromptSentinel's request shape, or nil.
local function screening_input(data)
    if type(data.prompt) == "string" then
        return { prompt = data.prompt }
    end
    if type(data.messages) ~= "table" then
        return nil
    end
    local out = {}
    if type(data.system) == "string" and data.system ~= "" then  -- Anthropic-style system
        out[#out + 1] = { role = "system", content = data.system }
    end
    for _, m in ipairs(data.messages) do
        if type(m) == "table" then
            local content = m.content
            if type(content) == "table" then  -- content parts: screen every text part
                local parts = {}
                for _, part in ipairs(content) do
                    if type(part) == "string" then
                        parts[#parts + 1] = part
                    elseif type(part) == "table" and type(part.text) == "string" then
                        parts[#parts + 1] = part.text
                    end
                end
                content = table.concat(parts, "\n")
            end
            if type(content) == "string" then
                local role = ROLES[m.role] and m.role or "user"
                out[#out + 1] = { role = role, content = content }
            end
        end
    end
    if #out == 0 then
        return nil
    end
    return { messages = out }
end

local function is_blocked(verdict)
    for v in string.gmatch(ngx.var.ps_block_verdicts or "block", "%S+") do
        if v == verdict then
            return true
        end
    end
    return false
end

local function block_status()
    local status = tonumber(ngx.var.ps_block_status)
    if status and status >= 400 and status <= 499 then
        return status
    end
    return 403
end

local function unavailable(reason, upstream_status)
    local mode = ngx.var.ps_failure_mode
    ngx.log(ngx.ERR, "promptsentinel: no verdict (", reason, ", status ", upstream_status,
            "), failure mode ", mode == "open" and "open" or "closed")
    if mode == "open" then
        return mark("unscreened")
    end
    ngx.header["Retry-After"] = "5"
    return reply(503, "screening_unavailable",
                 "prompt screening is unavailable; try again later", { reason = reason })
end

function _M.screen()
    -- Never let a client forge the headers the application relies on.
    ngx.req.clear_header(STATUS_HEADER)
    ngx.req.clear_header(VERDICT_HEADER)

    local body = read_body()
    if body == nil or body == "" then
        return mark("skipped")
    end
    local data = cjson.decode(body)
    if type(data) ~= "table" then
        if ngx.var.ps_non_json == "pass" then
            return mark("skipped")
        end
        return reply(400, "invalid_json", "the request body must be a JSON object")
    end
    local input = screening_input(data)
    if input == nil then
        return mark("skipped")
    end
    local mode = ngx.var.ps_mode
    if mode and MODES[mode] then
        input.mode = mode
    end

    local res = ngx.location.capture(SCREEN_URI, {
        method = ngx.HTTP_POST,
        body = cjson.encode(input),
    })
    local status = res.status
    if status == 200 then
        local result = cjson.decode(res.body)
        local verdict = type(result) == "table" and result.verdict or nil
        if type(verdict) ~= "string" then
            return unavailable("invalid_response", status)
        end
        if is_blocked(verdict) then
            ngx.log(ngx.WARN, "promptsentinel: blocked, verdict ", verdict,
                    ", screening request_id ", tostring(result.request_id))
            ngx.header[VERDICT_HEADER] = verdict
            return reply(block_status(), "prompt_rejected",
                         "the request was rejected by the prompt security policy",
                         { verdict = verdict })
        end
        return mark("screened", verdict)
    end
    if status == 413 then
        return reply(413, "prompt_too_long", "the prompt is longer than the screening limit")
    end
    if status == 400 or status == 415 or status == 422 then
        return reply(400, "invalid_prompt", "the prompt could not be screened: invalid input")
    end
    -- 401/403 (our key), 429 (rate limited), 5xx, 502 (unreachable), 504 (timed out)
    local reason = (status == 504 and "timeout") or (status == 502 and "unreachable") or "error"
    return unavailable(reason, status)
end

return _M
