"""The HTTP gateway (FastAPI): the public API of the contract."""
