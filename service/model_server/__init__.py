"""The LitServe model server: a Hugging Face causal LM behind an OpenAI-compatible API."""
