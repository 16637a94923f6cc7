"""`guardchat finetune`: LoRA fine-tuning of a chat model on Bitext instruction/response pairs.

`data` splits and formats the pairs, `train` runs the recipe with the transformers Trainer,
`card` writes the adapter's model card.
"""
