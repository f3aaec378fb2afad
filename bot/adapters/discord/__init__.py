"""The Discord adapter: translate (event → request), render (reply → embeds and buttons),
buttons (persistent DynamicItem), commands (slash command tree) and client (gateway, sync, run).
"""
