"""Loaded by pytest before Django (``-p tests.environment`` in pyproject.toml).

Tests run with production settings (debug off), which need a secret key; this one exists only
for the test run.
"""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-not-for-any-deployment")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
# Tests talk plain HTTP to the test client and live server.
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
