"""The window: PySide6 on a qasync loop, over the engine."""
