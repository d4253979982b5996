"""Turning result objects into what a person reads. Renderers never compute."""
