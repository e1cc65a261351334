"""Layout stage: turn a layout and the computed figures into a document model for any renderer."""
