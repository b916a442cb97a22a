"""HTTP API (aiohttp): health, approval links, and the mount point of other channels."""
