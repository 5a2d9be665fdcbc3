"""Everything that is not Qt: the engine shared by the wizard and the CLI. Never imports PySide6."""
