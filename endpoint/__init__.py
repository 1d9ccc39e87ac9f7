"""The reference service endpoint (ASGI): receives dossiers from kiosks, exactly once."""
