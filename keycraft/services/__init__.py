"""Plain-Python domain and service layer; nothing here imports Reflex."""
