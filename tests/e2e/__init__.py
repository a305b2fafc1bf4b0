"""Browser journeys in Debian's Chromium against the app built in production mode."""
