"""Recall campaigns (issue 14 section 3): from a snapshotted scope to notices, responses,
effectiveness checks, regulator reports and termination."""
