"""Page-wide accessibility glue: focus return after dialogs and named slider handles."""

from keycraft.components.page_a11y.wrapper import page_a11y, return_focus, slider_name

__all__ = ["page_a11y", "return_focus", "slider_name"]
