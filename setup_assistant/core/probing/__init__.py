"""Talking to the mail servers: deadline-bound sockets, the IMAP/POP3/SMTP exchanges, certificate checks, the
parallel probe of every port and the login check. Knows nothing of mail programs."""
