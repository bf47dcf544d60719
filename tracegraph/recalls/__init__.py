"""Recall scoping: from any starting point to the affected serials and consignees."""
