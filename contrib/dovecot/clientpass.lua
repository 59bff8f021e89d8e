-- clientpass Lua passdb for Dovecot (2.3.19 and later, with dovecot-auth-lua):
-- each login is decided by `clientpass serve` through POST /auth/decide.
--
--   import_environment = $import_environment CLIENTPASS_DECIDE_URL=http://127.0.0.1:8787/auth/decide CLIENTPASS_SHARED_SECRET_FILE=/etc/dovecot/clientpass-secret
--   passdb {
--     driver = lua
--     args = file=/etc/dovecot/clientpass.lua blocking=yes
--   }
--
-- The secret file holds clientpass's shared secret on its first line (readable by Dovecot's auth
-- processes only). On allow the login name becomes the account's canonical name; a denial is a
-- plain password mismatch (the reason is in clientpass's audit trail); when clientpass cannot be
-- reached or answers anything unexpected, the result is an internal failure, never an allow.

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
  client = dovecot.http.client({ timeout = 10000, max_attempts = 1, user_agent = "dovecot-clientpass" })
  return 0
end

function script_deinit()
end

local protocols = { imap = "imap", pop3 = "pop3", smtp = "smtp", submission = "smtp" }

function auth_password_verify(req, password)
  local protocol = protocols[req.service]
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
    json_string(req.real_rip or req.remote_ip)))
  local response = request:submit()
  if response:status() ~= 200 then
    return dovecot.auth.PASSDB_RESULT_INTERNAL_FAILURE, "clientpass answered " .. response:status()
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
