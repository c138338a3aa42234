"""The criteria and the interview as data files, validated at load."""

from firstcontact.checklists.loader import ChecklistError, load_checklist

__all__ = ["ChecklistError", "load_checklist"]
