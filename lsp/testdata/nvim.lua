-- Neovim (0.7+, built-in LSP client) against `headroom server`: open the
-- file HR_FILE of the stack at HR_ROOT, wait for diagnostics, apply the
-- preferred quick fix through the client's code action menu, and write
-- what happened to HR_OUT. The file is never saved.
local out = assert(io.open(vim.env.HR_OUT, 'w'))
local function finish(msg)
  out:write(msg .. '\n')
  out:close()
  vim.cmd('qa!')
end
local function lines(buf)
  return table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), '\n')
end

local ok, err = pcall(function()
  vim.cmd('edit ' .. vim.fn.fnameescape(vim.env.HR_FILE))
  local buf = vim.api.nvim_get_current_buf()
  local before = lines(buf)
  local id = vim.lsp.start_client({ name = 'headroom', cmd = { vim.env.HR_BIN, 'server' }, root_dir = vim.env.HR_ROOT })
  if not id then return finish('FAIL: the server did not start') end
  vim.lsp.buf_attach_client(buf, id)
  if not vim.wait(30000, function() return #vim.diagnostic.get(buf) > 0 end, 50) then
    return finish('FAIL: no diagnostics')
  end
  local codes = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do table.insert(codes, tostring(d.code)) end
  out:write('diagnostics ' .. table.concat(codes, ' ') .. '\n')

  -- The code action menu (vim.ui.select) answered as a user would: the
  -- preferred quick fix. The client applies its workspace edit.
  local offered = {}
  vim.ui.select = function(items, opts, choice)
    for _, item in ipairs(items) do
      local action = item[2]
      table.insert(offered, action.title)
      if action.kind == 'quickfix' and action.isPreferred then
        out:write('chose ' .. action.title .. '\n')
        return choice(item)
      end
    end
    out:write('offered ' .. table.concat(offered, ' | ') .. '\n')
    choice(nil)
  end
  -- The cursor on the CMD line: the code actions of its findings.
  vim.api.nvim_win_set_cursor(0, { tonumber(vim.env.HR_LINE), 0 })
  if vim.fn.has('nvim-0.8') == 1 then
    vim.lsp.buf.code_action({ context = { only = { 'quickfix' } } })
  else
    vim.lsp.buf.code_action({ only = { 'quickfix' } })
  end
  if not vim.wait(10000, function() return lines(buf) ~= before end, 50) then
    return finish('FAIL: the quick fix did not change the buffer')
  end
  out:write('buffer ' .. lines(buf):gsub('\n', '\\n') .. '\n')
  out:write('modified ' .. tostring(vim.bo[buf].modified) .. '\n')
  finish('OK')
end)
if not ok then finish('FAIL: ' .. tostring(err)) end
