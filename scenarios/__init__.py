"""Bundled scenario packs (TOML). Installed as ``api_trainer.bundled.scenarios``."""
