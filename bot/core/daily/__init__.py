"""The daily quiz: schedules, the scheduler that posts and reveals, pacing, and its cards."""
