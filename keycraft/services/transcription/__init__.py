"""Audio to notes: recordings checked and cut, the transcriber's client, each call tracked."""
