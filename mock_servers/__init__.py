"""What is particular to each mocked API. Installed as ``api_trainer.mock_servers``.

Modules here import each other relatively (``from .store import ...``) and the engine absolutely
(``from api_trainer.mock import ...``), so they work both from the wheel and under mypy from the source tree.
"""
