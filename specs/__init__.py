"""Bundled OpenAPI documents, one file per API version. Installed as ``api_trainer.bundled.specs``."""
