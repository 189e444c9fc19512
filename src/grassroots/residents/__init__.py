"""The residents' channel (群众上报, docs/public.md): a resident reports a dispute or request
without an account, keeps a receipt code (查询码), follows the progress with it and rates
the outcome; 不满意 within the window reopens the case."""
