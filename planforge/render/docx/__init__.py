"""The annual operation plan (.docx): docxtpl template, native Word charts, filled contents."""

from planforge.render.docx.render import render_plan

__all__ = ["render_plan"]
