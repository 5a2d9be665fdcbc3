"""What a help desk hands out and reads: DNS checks, the diagnostic report, the printable settings sheet and
CSV batch onboarding. Uses every floor below it; nothing below imports it."""
