"""Slack channel: bolt AsyncApp inside our aiohttp server (or Socket Mode)."""
