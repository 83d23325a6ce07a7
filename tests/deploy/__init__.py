"""Tests of the deploy kit: gunicorn conf, nginx site, systemd units, backups, MySQL setup."""
