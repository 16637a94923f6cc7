"""Persistence: conversations, handoff tickets (SQLAlchemy Core), and the graph's
LangGraph checkpointer, on SQLite by default or PostgreSQL."""
