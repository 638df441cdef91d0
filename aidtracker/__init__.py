"""aidtracker: a source-linked record of aid commitments to Ukraine."""
