-- clientpass Lua passdb for Dovecot 2.3.19 and later and 2.4 (with dovecot-auth-lua): each
-- login is decided by `clientpass serve` through POST /auth/decide. docs/dovecot.md has the
-- configuration for each version; on 2.4:
--
--   import_environment {
--     CLIENTPASS_DECIDE_URL = http://127.0.0.1:8787/auth/decide
--     CLIENTPASS_SHARED_SECRET_FILE = /etc/dovecot/clientpass-secret
--   }
--   passdb lua {
--     lua_file = /usr/local/share/clientpass/dovecot/clientpass.lua
--   }
--
-- The secret file holds clientpass's shared secret on its first line (mode 0640, group dovecot:
-- the auth process reads it after it has dropped root). CLIENTPASS_DECIDE_TIMEOUT_SECONDS (10 by
-- default) is how long a login waits for clientpass. On allow the login name becomes the
-- account's canonical name; a denial is a plain password mismatch (the reason is in
-- clientpass's audit trail); when clientpass cannot be reached, does not answer in time or
-- answers anything unexpected, the result is an internal failure, never an allow.

local url = nil
local secret = nil
local client = nil

local function json_string(text)
  return '"' .. text:gsub('[%c"\\]', function(c)
    return string.format("\\u%04x", c:byte())
  end) .. '"'
end

function script_init()
  url = os.getenv("CLIENTPASS_DECIDE_URL") or "http://127.0.0.1:8787/auth/decide"
  local path = os.getenv("CLIENTPASS_SHARED_SECRET_FILE") or "/etc/dovecot/clientpass-secret"
  local file = io.open(path, "r")
  if file == nil then
    dovecot.i_error("clientpass.lua: cannot read the shared secret file " .. path)
    return 1
  end
  secret = file:read("*l")
  file:close()
  if secret == nil or #secret < 16 then
    dovecot.i_error("clientpass.lua: the shared secret in " .. path .. " must have at least 16 characters")
    return 1
  end
  local seconds = tonumber(os.getenv("CLIENTPASS_DECIDE_TIMEOUT_SECONDS") or "10")
  if seconds == nil or seconds < 1 or seconds > 300 or seconds % 1 ~= 0 then
    dovecot.i_error("clientpass.lua: CLIENTPASS_DECIDE_TIMEOUT_SECONDS must be a whole number of seconds from 1 to 300")
    return 1
  end
  -- Dovecot 2.3 names the HTTP client's settings *_msecs and max_attempts, and ignores names it
  -- does not know (on 2.3.19 only the absolute timeout ends a wait for an answer); 2.4 names
  -- them request_timeout (with a unit) and request_max_attempts, and refuses names it does not
  -- know. 2.3's are tried first: where they are refused, this is 2.4.
  local made, refused = pcall(dovecot.http.client, {
    request_timeout_msecs = seconds * 1000, request_absolute_timeout_msecs = seconds * 1000, max_attempts = 1,
    user_agent = "dovecot-clientpass" })
  if made then
    client = refused
  else
    client = dovecot.http.client({
      request_timeout = seconds .. "s", connect_timeout = seconds .. "s", request_max_attempts = 1,
      user_agent = "dovecot-clientpass" })
  end
  return 0
end

function script_deinit()
end

local protocols = { imap = "imap", pop3 = "pop3", smtp = "smtp", submission = "smtp" }

function auth_password_verify(req, password)
  -- 2.4 calls the service `protocol` and the connecting host `real_remote_ip`; 2.3 has
  -- `service` and both `real_rip` and `real_remote_ip`.
  local protocol = protocols[req.protocol or req.service]
  if protocol == nil or req.remote_ip == nil then
    return dovecot.auth.PASSDB_RESULT_PASSWORD_MISMATCH, "clientpass decides imap, pop3 and smtp logins with a client address only"
  end
  local request = client:request({ url = url, method = "POST" })
  request:add_header("Authorization", "Bearer " .. secret)
  request:add_header("Content-Type", "application/json")
  -- The client (a webmail forwards its user's address) and the host that really connected:
  -- a first-party host there (webmail, the company's app) makes the login first-party.
  request:set_payload(string.format('{"user":%s,"password":%s,"protocol":%s,"address":%s,"connecting_address":%s}',
    json_string(req.user), json_string(password), json_string(protocol), json_string(req.remote_ip),
    json_string(req.real_remote_ip or req.real_rip or req.remote_ip)))
  local response = request:submit()
  local status = response:status()
  if status >= 9000 then
    -- Dovecot's own codes: no connection, no answer within the timeout.
    return dovecot.auth.PASSDB_RESULT_INTERNAL_FAILURE, "clientpass did not answer: " .. (response:reason() or status)
  elseif status ~= 200 then
    return dovecot.auth.PASSDB_RESULT_INTERNAL_FAILURE, "clientpass answered " .. status
  end
  local body = response:payload()
  local decision = body:match('"decision"%s*:%s*"(%a+)"')
  if decision == "allow" then
    local account = body:match('"account"%s*:%s*"([^"\\]+)"')
    if account ~= nil then
      return dovecot.auth.PASSDB_RESULT_OK, { user = account }
    end
    return dovecot.auth.PASSDB_RESULT_OK, {}
  elseif decision == "deny" then
    return dovecot.auth.PASSDB_RESULT_PASSWORD_MISMATCH, "denied by clientpass: " .. (body:match('"reason"%s*:%s*"([%a_]+)"') or "?")
  end
  return dovecot.auth.PASSDB_RESULT_INTERNAL_FAILURE, "unexpected answer from clientpass"
end
