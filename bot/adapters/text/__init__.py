"""What the platforms where people type commands as text (Slack, the console) share."""
