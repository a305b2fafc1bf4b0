"""UI for sign-up, sign-in, email links and the account page."""
