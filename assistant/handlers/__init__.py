"""Intent handlers: each takes a HandlerContext and speaks through it."""
