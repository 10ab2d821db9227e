"""The engine: money, policy packs and settlement in plain Python. Imports nothing from Django."""
