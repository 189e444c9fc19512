"""12345 hotline work orders (12345 工单): import as cases, export the replies (办结反馈).

Docs: docs/hotline.md.
"""

from grassroots.hotline import replies

replies.install()
