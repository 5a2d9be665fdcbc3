"""Everything that is not Qt: the engine shared by the wizard and the CLI. Never imports PySide6.

This ground floor holds the vocabulary every room uses (model, address, provider, account, resources, atomic
writes, the HTML page, profile-file checks, the per-user record in history). The rooms above it, lowest first:
probing, clients, trust, helpdesk; a room imports only its own floor and the ones below
(tests/test_code_quality.py enforces it).
"""
