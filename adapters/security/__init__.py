"""Security adapters: bcrypt hashing, PyJWT tokens, Fernet encryption, the common-password list."""
