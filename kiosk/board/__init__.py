"""The board in plain Python: the scoreboard maths, the leaderboard, trends, celebrations, the
snapshot the screens render, and the rotation and opening-hours logic. No Qt here, so
`kiosk scoreboard --json` and the screen share one code path and tests need no QApplication."""
