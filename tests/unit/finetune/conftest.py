"""The tiny random Gemma 3 of the model-server tests, for fine-tuning on the CPU."""

from tests.unit.model_server.conftest import tiny_gemma_dir

__all__ = ["tiny_gemma_dir"]
