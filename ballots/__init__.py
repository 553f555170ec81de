"""Secret ballots of the closing conference: award proposals and next year's leadership."""
