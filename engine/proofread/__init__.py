"""Proofreading you can review: corrected text plus an explained edit list.

    result = proofread(model, text, dictionary=["Hushwrite"])
    result.text                      # corrected text
    result.edits                     # [Edit(start, end, original, replacement, category, reason)]
    apply_edits(text, accepted)      # the text with only the edits the user accepted
"""

from .edits import CATEGORIES, Edit, apply_edits
from .pipeline import MODES, Draft, Progress, proofread

__all__ = ["CATEGORIES", "MODES", "Draft", "Edit", "Progress", "apply_edits", "proofread"]
