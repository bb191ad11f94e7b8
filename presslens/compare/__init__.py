"""Stage 5 — compare: tables across articles and outlets of a story."""
