"""Prefect flows that compose the presslens library (which itself knows nothing of Prefect)."""
